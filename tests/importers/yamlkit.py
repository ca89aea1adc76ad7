"""Small models in the shapes OWASP SAMM and OWASP DSOMM publish, written by us for the tests.

Neither published model is copied here (their licences are not ours): these files only share
the published files' layout, keys and YAML habits (SAMM's unquoted answer "No").
"""

from __future__ import annotations

from pathlib import Path

SAMM_FUNCTIONS = {"Governance": ("g-guid", 1), "Design": ("d-guid", 2)}
# practice name, short name, function
SAMM_PRACTICES = [
    ("Strategy and Metrics", "SM", "Governance"),
    ("Threat Assessment", "TA", "Design"),
]
SAMM_SIZED_FUNCTIONS = {
    name: (f"{name.lower()}-guid", order)
    for order, name in enumerate(
        ["Governance", "Design", "Implementation", "Verification", "Operations"], start=1
    )
}
SAMM_SIZED_PRACTICES = [
    (f"{function} practice {n}", f"P{order}{n}", function)
    for function, (_, order) in SAMM_SIZED_FUNCTIONS.items()
    for n in range(1, 4)
]
"""OWASP SAMM's size: five functions of three practices (90 questions with two streams and
three levels each)."""
SAMM_ANSWER_SETS = {
    "A": [
        ("No", 0),
        ("Yes, for some", 0.25),
        ("Yes, for at least half", 0.5),
        ("Yes, for most", 1),
    ],
    "B": [("No", 0), ("Yes, some of them", 0.25), ("Yes, half", 0.5), ("Yes, all", 1)],
    "C": [("No", 0), ("Yes, but ad hoc", 0.5), ("Yes, always", 1)],
}


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _answer_set(letter: str) -> str:
    values = "".join(
        f"- text: {text}\n  value: {value}\n  weight: 1\n  order: {order}\n"
        for order, (text, value) in enumerate(SAMM_ANSWER_SETS[letter])
    )
    return f"---\nid: set-{letter}-guid\nvalues:\n{values}type: AnswerSet\n"


def write_samm(
    root: Path,
    levels: int = 3,
    functions: dict[str, tuple[str, int]] = SAMM_FUNCTIONS,
    practices: list[tuple[str, str, str]] = SAMM_PRACTICES,
) -> Path:
    """A SAMM-shaped core repository: root/model/… with two functions, one practice each,
    streams A and B, `levels` maturity levels, one question per activity; answer set C on
    stream B of Threat Assessment, B on its stream A, A elsewhere."""
    model = root / "model"
    _write(root / "license.txt", "Attribution-ShareAlike 4.0 International\n")
    for name, (guid, order) in functions.items():
        _write(
            model / "business_functions" / f"{name}.yml",
            f"---\nmodel: SAMM20\nid: {guid}\nname: {name}\ndescription: |\n  About {name}.\n"
            f"order: {order}\ntype: Function\n",
        )
    for letter in SAMM_ANSWER_SETS:
        _write(model / "answer_sets" / f"{letter}.yml", _answer_set(letter))
    for number in range(1, levels + 1):
        _write(
            model / "maturity_levels" / f"{number}.yml",
            f"---\nid: level-{number}-guid\nnumber: {number}\n"
            f"description: Maturity level {number}.\ntype: MaturityLevel\n",
        )
    for name, short, function in practices:
        prefix = f"{function[0]}-{short}"
        _write(
            model / "security_practices" / f"{prefix}.yml",
            f"---\nfunction: {functions[function][0]}\nid: {short}-guid\nname: {name}\n"
            f"shortName: {short}\nshortDescription: What {name} is about.\norder: 1\n"
            "type: Practice\n",
        )
        for stream_order, letter in enumerate("AB", start=1):
            _write(
                model / "streams" / f"{prefix}-{letter}.yml",
                f"---\npractice: {short}-guid\nid: {short}-{letter}-guid\nname: Stream {letter}\n"
                f"letter: {letter}\norder: {stream_order}\ntype: Stream\n",
            )
            answers = "C" if (short, letter) == ("TA", "B") else "B" if short == "TA" else "A"
            for level in range(1, levels + 1):
                ref = f"{prefix}-{level}-{letter}"
                _write(
                    model / "practice_levels" / f"{prefix}-{level}.yml",
                    f"---\npractice: {short}-guid\nmaturityLevel: level-{level}-guid\n"
                    f"id: {prefix}-{level}-guid\nobjective: Reach {level}.\ntype: PracticeLevel\n",
                )
                _write(
                    model / "activities" / f"{ref}.yml",
                    f"---\nstream: {short}-{letter}-guid\nlevel: {prefix}-{level}-guid\n"
                    f"id: {ref}-act\ntitle: Activity {ref}\nshortDescription: Do {ref}.\n"
                    "results:\nmetrics:\ntype: Activity\n",
                )
                _write(
                    model / "questions" / f"{ref}.yml",
                    f"---\nactivity: {ref}-act\nanswerSet: set-{answers}-guid\nid: {ref}-q\n"
                    f"text: Do you do {ref}?\norder: 1\nquality:\n- Criterion one of {ref}\n"
                    f"- Criterion two of {ref}\ntype: Question\n",
                )
    return root


DSOMM_YAML = """\
---
meta:
  version: 9.9.9
  released: "2030-01-01"
  publisher: https://example.org/dsomm-data
---
Build and Deployment:
  Build:
    Defined build process:
      uuid: 00000000-0000-0000-0000-000000000001
      description: |
        A build process covers more than compiling.
      risk: Mistakes happen.
      measure: Write the build down.
      level: 1
      implementation:
      - uuid: t-1
        name: A CI tool
        tags: []
        url: https://example.org/ci
      - uuid: t-2
        name: A doc without a link
      references:
        samm2:
        - I-SB-A-1
      isImplemented: false
      tags:
      - none
    Pinning of artifacts:
      uuid: 00000000-0000-0000-0000-000000000002
      risk: Unpinned things change.
      measure: Pin them.
      level: 2
      dependsOn:
      - 00000000-0000-0000-0000-000000000001 # Defined build process
  Deployment:
    On:
      uuid: 00000000-0000-0000-0000-000000000003
      risk: "No"
      measure: Yes
      level: 3
      dependsOn:
      - Defined build process
Test and Verification:
  Static depth for applications:
    A very long activity name that goes on and on well past sixty characters in all:
      uuid: 00000000-0000-0000-0000-000000000004
      risk: Long names.
      measure: Cut them on a word.
      level: 5
    A very long activity name that goes on and on well past sixty characters in total:
      uuid: 00000000-0000-0000-0000-000000000005
      risk: Long names twice.
      measure: Keep ids unique.
      level: 4
"""


def write_dsomm(folder: Path, text: str = DSOMM_YAML) -> Path:
    path = folder / "generated" / "model.yaml"
    _write(path, text)
    return path


def dsomm_sized_yaml(activities: int = 194) -> str:
    """A model.yaml of DSOMM's size: five dimensions of four sub-dimensions, `activities`
    activities with DSOMM's fields (description, risk, measure, tools, dependencies)."""
    lines = ["---", "meta:", "  version: 1.0.0", "---"]
    per_sub = -(-activities // 20)
    made = 0
    for d in range(5):
        lines.append(f"Dimension {d}:")
        for s in range(4):
            lines.append(f"  Sub-dimension {d} {s}:")
            for _ in range(per_sub):
                if made == activities:
                    break
                lines += [
                    f"    Activity number {made} with a name of a usual length:",
                    f"      uuid: uuid-{made}",
                    "      description: |",
                    "        " + "A description of what the activity covers and why. " * 6,
                    "      risk: " + "What goes wrong without it. " * 4,
                    "      measure: " + "What to put in place. " * 4,
                    f"      level: {made % 5 + 1}",
                    "      implementation:",
                    f"      - name: Tool {made}",
                    f"        url: https://example.org/tool/{made}",
                ]
                if made:
                    lines += ["      dependsOn:", f"      - uuid-{made // 2}"]
                made += 1
    return "\n".join(lines) + "\n"
