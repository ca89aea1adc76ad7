"""Reading a published model's YAML files: one message naming the file when they are not
what the importer expects, and ids made from the source's own names."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml


class ImportFailed(ValueError):
    """A source file that is missing, unreadable or of another shape; nothing was written."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path


class _Yaml12Loader(yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader):  # type: ignore[misc]
    """YAML 1.2's core schema over PyYAML's safe loader (libyaml's speed where it is there).

    PyYAML resolves plain scalars by YAML 1.1, where SAMM's answer "No" (and "Yes", "On",
    "Off") is a boolean and `1:20` a number; YAML 1.2, which both models are written in,
    keeps them text. Only true/false are booleans, only plain decimal, 0o and 0x numbers
    are numbers, and nothing is a date.
    """


_Yaml12Loader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("bool", r"true|True|TRUE|false|False|FALSE", "tTfF"),
    ("int", r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+", "-+0123456789"),
    (
        "float",
        r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)",
        "-+.0123456789",
    ),
    ("null", r"~|null|Null|NULL|", ["~", "n", "N", ""]),
):
    _Yaml12Loader.add_implicit_resolver(
        f"tag:yaml.org,2002:{_tag}", re.compile(rf"^(?:{_pattern})$"), list(_first)
    )


def read_yaml_documents(path: Path) -> list[Any]:
    """Every YAML document in the file, or ImportFailed naming it (and the line, if it can)."""
    if not path.is_file():
        raise ImportFailed(path, "no such file")
    try:
        with path.open("rb") as handle:
            return list(yaml.load_all(handle, Loader=_Yaml12Loader))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise ImportFailed(path, f"{where}not valid YAML ({error.problem})") from None
    except (yaml.YAMLError, UnicodeDecodeError, ValueError) as error:
        raise ImportFailed(path, f"not valid YAML ({error})") from None
    except OSError as error:
        raise ImportFailed(path, error.strerror or str(error)) from None


def read_yaml_mapping(path: Path, expected: str) -> dict[str, Any]:
    """The file's one YAML document, which must be a mapping (the shape the source uses)."""
    documents = [document for document in read_yaml_documents(path) if document is not None]
    if len(documents) != 1 or not isinstance(documents[0], dict):
        raise ImportFailed(path, f"expected {expected} (one YAML mapping)")
    return documents[0]


def field(path: Path, data: dict[str, Any], key: str, kind: type | tuple[type, ...] = str) -> Any:
    """data[key], which must be there and of the kind given, or ImportFailed saying so."""
    value = data.get(key)
    if (
        value is None
        or (isinstance(value, bool) and kind is not bool)
        or not isinstance(value, kind)
    ):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        found = "nothing" if value is None else type(value).__name__
        raise ImportFailed(path, f"expected '{key}' to be a {names}, found {found}")
    return value


def text_items(values: object) -> list[str]:
    """The non-blank strings of a YAML list (sources leave empty lists as null)."""
    if not isinstance(values, list):
        return []
    return [str(value).strip() for value in values if str(value).strip()]


ID_LENGTH = 60
"""Ids cut to this many characters, on a word: file stems and keys stay readable."""


def slug(text: str, fallback: str) -> str:
    """A slug of the text, cut on a word at ID_LENGTH, never ending in '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    kept: list[str] = []
    for word in words:
        if len("-".join([*kept, word])) > ID_LENGTH:
            break
        kept.append(word)
    if not kept and words:
        kept = [words[0][:ID_LENGTH]]
    return "-".join(kept) or fallback


class Ids:
    """Unique slugs: a second "Pinning of artifacts" becomes pinning-of-artifacts-2."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self._taken = set(taken)

    def new(self, text: str, fallback: str) -> str:
        stem = slug(text, fallback)
        candidate, number = stem, 1
        while candidate in self._taken:
            number += 1
            suffix = f"-{number}"
            candidate = slug(stem[: ID_LENGTH - len(suffix)], fallback) + suffix
        self._taken.add(candidate)
        return candidate


_SMALL_WORDS = frozenset({"a", "an", "and", "for", "in", "of", "on", "the", "to"})


def short_names(names: dict[str, str], limit: int = 12) -> dict[str, str]:
    """For each id whose name is over `limit` characters, a short name that no other has:
    the initials of its words ("Static Depth for Applications" -> "SDA"), or a one-word
    name cut with a dot ("Consolidation" -> "Consolidati."), numbered when two would match."""
    used = {name for name in names.values() if len(name) <= limit}
    short: dict[str, str] = {}
    for key, name in names.items():
        if len(name) <= limit:
            continue
        words = [w for w in re.findall(r"[A-Za-z0-9]+", name) if w.lower() not in _SMALL_WORDS]
        if len(words) > 1:
            candidate = "".join(word[0].upper() for word in words)[:limit]
        else:
            candidate = name[: limit - 1].rstrip() + "."
        candidate = next(_numbered(candidate, limit, used))
        used.add(candidate)
        short[key] = candidate
    return short


def _numbered(stem: str, limit: int, used: set[str]) -> Iterator[str]:
    if stem not in used:
        yield stem
    number = 2
    while True:
        candidate = f"{stem[: limit - len(str(number))]}{number}"
        if candidate not in used:
            yield candidate
        number += 1
