"""The `maturity-tui` command: scriptable subcommands, and the workshop app for new/open/none.

Only the standard library is imported up here: every handler imports what it needs, so
`--version` and `--help` answer at once, no subcommand but the app's ever loads Textual,
and the app is imported only in the branch that runs it. Exit codes: 0 ok, 2 bad input
(argparse's usage errors too), 1 any other failure; never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from maturity_tui import __version__
from maturity_tui.outputs import (
    ACTIONS,
    COMPARE,
    PORTFOLIO,
    REPORT,
    Subject,
    format_names,
    outputs_of,
    render,
    with_bom,
)

if TYPE_CHECKING:
    from maturity_tui.domain import Session
    from maturity_tui.launch import NewWorkshop, RoomOptions
    from maturity_tui.places import Resolved
    from maturity_tui.storage import LoadError

    Commands = argparse._SubParsersAction[argparse.ArgumentParser]

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130

PROG = "maturity-tui"

Handler = Callable[[argparse.Namespace], int]


class BadInput(Exception):
    """A request this command refuses; the message says what to do instead."""


class LoadErrors(Exception):
    """Several files that failed to load, reported together rather than the first alone."""

    def __init__(self, errors: Sequence[LoadError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(map(str, errors)))


# --- Output ---------------------------------------------------------------------------------


def write_stdout(text: str) -> None:
    """The exact UTF-8 bytes the app would write to a file, whatever the locale says."""
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()


def complain(line: str) -> None:
    """One problem on one line of stderr, with no terminal control character from user text."""
    from maturity_tui.textsafe import one_line

    print(one_line(line), file=sys.stderr)


# --- Shared arguments -----------------------------------------------------------------------


def _common_options() -> argparse.ArgumentParser:
    """Options every subcommand accepts after its name too (`report X --sessions-dir D`)."""
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: an option not repeated after the subcommand keeps the value given before it.
    common.add_argument("--sessions-dir", metavar="DIR", default=argparse.SUPPRESS)
    return common


def _add_app_settings(parser: argparse.ArgumentParser, default: Any) -> None:
    """The app's settings a flag can override (flag > environment > config > default)."""
    parser.add_argument("--theme", default=default, help="the app's colour theme")
    parser.add_argument(
        "--timebox", type=int, metavar="SECONDS", default=default, help="time per indicator"
    )
    parser.add_argument("--facilitator", metavar="NAME", default=default, help="who facilitates")


def _add_command(
    commands: Commands, name: str, handler: Handler, summary: str
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(
        name, help=summary, description=summary, parents=[_common_options()]
    )
    parser.set_defaults(handler=handler)
    return parser


def _resolved(args: argparse.Namespace) -> Resolved:
    """The settings in force for this run: flags, then environment, config file, defaults."""
    from maturity_tui.places import resolve

    if getattr(args, "resolved", None) is None:
        args.resolved = resolve(
            {
                "sessions_dir": args.sessions_dir,
                "theme": getattr(args, "theme", None),
                "timebox_seconds": getattr(args, "timebox", None),
                "facilitator": getattr(args, "facilitator", None),
                "default_model": getattr(args, "model", None),
                "room.host": getattr(args, "host", None),
                "room.port": getattr(args, "port", None),
            }
        )
    resolved: Resolved = args.resolved
    return resolved


def _folder(args: argparse.Namespace) -> Path:
    from maturity_tui.places import sessions_folder

    return sessions_folder(_resolved(args))


def session_file(name: str, folder: Path) -> Path:
    """The file as given; or, when there is none and the name has no folder in it, the
    session of that name (with or without .toml) in the sessions folder."""
    given = Path(name)
    if given.exists() or len(given.parts) != 1:
        return given
    in_folder = folder / (name if name.endswith(".toml") else f"{name}.toml")
    return in_folder if in_folder.exists() else given


def _load_sessions(names: Sequence[str], folder: Path) -> list[Session]:
    """Every session, or LoadErrors naming every file that failed (not just the first)."""
    from maturity_tui.collector import collector_off
    from maturity_tui.storage import LoadError, load_session

    sessions: list[Session] = []
    problems: list[LoadError] = []
    with collector_off():
        for name in names:
            try:
                sessions.append(load_session(session_file(name, folder)))
            except LoadError as error:
                problems.append(error)
    if problems:
        raise LoadErrors(problems)
    return sessions


def _format_option(parser: argparse.ArgumentParser, subject: Subject[Any]) -> None:
    parser.add_argument(
        "--format",
        choices=format_names(subject),
        default=subject.default,
        help=f"output format (default: {subject.default})",
    )


# --- The app --------------------------------------------------------------------------------


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port {port} is outside 0..65535")
    return port


def _join_code(text: str) -> str:
    from maturity_tui.room.guard import CODE_ALPHABET, CODE_LENGTH, normalize_code, valid_join_code

    code = normalize_code(text)
    if not valid_join_code(code):
        raise argparse.ArgumentTypeError(
            f"a join code is {CODE_LENGTH} characters from {CODE_ALPHABET}, not {text!r}"
        )
    return code


def _public_url(text: str) -> str:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port that is no number
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a URL: {text!r} ({error})") from None
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise argparse.ArgumentTypeError(
            f"give the public URL as https://host[:port]/, not {text!r}"
        )
    return f"{parts.scheme}://{parts.netloc}{parts.path or '/'}"


def _add_room_options(parser: argparse.ArgumentParser) -> None:
    room = parser.add_argument_group("room (participants vote from their own devices)")
    room.add_argument("--join", action="store_true", help="open the room when the app starts")
    room.add_argument("--host", help="address to listen on (default: this machine's LAN address)")
    room.add_argument("--port", type=_port, help="port to listen on (default: 8765)")
    room.add_argument(
        "--join-code", metavar="CODE", type=_join_code, help="the join code (default: a random one)"
    )
    room.add_argument(
        "--public-url",
        metavar="URL",
        type=_public_url,
        help="the address people join at, when a tunnel or reverse proxy serves the room",
    )
    room.add_argument(
        "--behind-proxy",
        action="store_true",
        default=None,
        help="trust X-Forwarded-For / Forwarded / CF-Connecting-IP from a proxy on this machine",
    )
    room.add_argument(
        "--tls-cert", metavar="FILE", type=Path, help="serve HTTPS: certificate (PEM)"
    )
    room.add_argument("--tls-key", metavar="FILE", type=Path, help="serve HTTPS: its key (PEM)")


ROOM_FLAGS = {
    "host": "--host",
    "port": "--port",
    "join_code": "--join-code",
    "public_url": "--public-url",
    "behind_proxy": "--behind-proxy",
    "tls_cert": "--tls-cert",
    "tls_key": "--tls-key",
}


def _room(args: argparse.Namespace) -> RoomOptions | None:
    from maturity_tui.launch import RoomOptions

    options = {key: getattr(args, key) for key in ROOM_FLAGS}
    if not args.join:
        given = [ROOM_FLAGS[key] for key, value in options.items() if value is not None]
        if given:
            raise BadInput(f"{', '.join(given)}: these need --join (open the room)")
        return None
    if (args.tls_cert is None) != (args.tls_key is None):
        raise BadInput("--tls-cert and --tls-key go together: the certificate and its key")
    if args.tls_cert is not None:
        from maturity_tui.room.gate import tls_context

        try:
            tls_context(args.tls_cert, args.tls_key)
        except (OSError, ValueError) as error:  # ssl.SSLError is an OSError
            why = getattr(error, "strerror", None) or getattr(error, "reason", None) or error
            raise BadInput(
                f"--tls-cert {args.tls_cert} --tls-key {args.tls_key}: not a PEM certificate "
                f"and its key ({why})"
            ) from None
    options["behind_proxy"] = bool(args.behind_proxy)
    # Where the room listens: a flag, else the environment, else the config file.
    room = _resolved(args).settings.room
    options["host"], options["port"] = room.host, room.port
    return RoomOptions(**options)


def _participants(text: str) -> list[str]:
    from maturity_tui.launch import split_names

    names = split_names(text)
    if not names:
        raise argparse.ArgumentTypeError("give the participants as A,B,C")
    return names


def run_app(
    args: argparse.Namespace,
    new: NewWorkshop | None = None,
    open_path: Path | None = None,
    room: RoomOptions | None = None,
) -> int:
    """The app, on a session loaded and locked first: a refusal is told before Textual loads.
    The home alone loads no session (nor the models and storage: they load behind it)."""
    folder = _folder(args)
    opening = None
    if new is not None or open_path is not None:
        from maturity_tui.launch import prepare
        from maturity_tui.storage import LoadError, SessionLocked

        try:
            opening = prepare(folder, new, open_path)
        except (LoadError, SessionLocked, LookupError, ValueError, OSError) as error:
            for line in describe(error)[1]:
                complain(line)
            return EXIT_BAD_INPUT
    from maturity_tui.tui.app import run

    return run(folder, opening, room, _resolved(args))


def _run_home(args: argparse.Namespace) -> int:
    return run_app(args)


def _run_new(args: argparse.Namespace) -> int:
    from maturity_tui.launch import NewWorkshop

    if args.voting == "anonymous" and args.participants:
        raise BadInput("anonymous voting takes no --participants: votes are not named")
    if args.head_count is not None:
        from maturity_tui.domain.session import HEAD_COUNT_MAX

        if args.voting != "anonymous":
            raise BadInput("--head-count goes with --voting anonymous (named voting counts names)")
        if not 1 <= args.head_count <= HEAD_COUNT_MAX:
            raise BadInput(f"--head-count {args.head_count}: a number from 1 to {HEAD_COUNT_MAX}")
    # Without a team (or named participants) the app opens its setup screen, filled in.
    settings = _resolved(args).settings
    new = NewWorkshop(
        settings.default_model,
        args.team,
        args.participants or [],
        args.voting or "named",
        args.head_count,
        facilitator=settings.facilitator,
    )
    return run_app(args, new=new, room=_room(args))


def _run_open(args: argparse.Namespace) -> int:
    path = session_file(args.session, _folder(args))
    return run_app(args, open_path=path, room=_room(args))


def add_new(commands: Commands) -> None:
    parser = _add_command(commands, "new", _run_new, "start a new workshop in the app")
    parser.add_argument(
        "--model", metavar="ID|FILE", help="model id or file (default: customer-engagement)"
    )
    parser.add_argument("--team", help="the team assessed")
    parser.add_argument("--participants", type=_participants, metavar="A,B,C")
    parser.add_argument("--voting", choices=["named", "anonymous"])
    parser.add_argument(
        "--head-count", type=int, metavar="N", help="anonymous voting: how many people vote"
    )
    _add_room_options(parser)
    _add_app_settings(parser, argparse.SUPPRESS)


def add_open(commands: Commands) -> None:
    parser = _add_command(commands, "open", _run_open, "resume a workshop in the app")
    parser.add_argument("session", metavar="SESSION.toml")
    _add_room_options(parser)
    _add_app_settings(parser, argparse.SUPPRESS)


# --- Scriptable commands --------------------------------------------------------------------


def _run_models(args: argparse.Namespace) -> int:
    from maturity_tui.export import text_table
    from maturity_tui.standing import NONE
    from maturity_tui.storage import builtin_models, local_models
    from maturity_tui.textsafe import one_line

    local, errors = local_models()
    rows = [["id", "name", "version", "scoring", "indicators", "source", "origin"]]
    rows += [
        [
            one_line(s.model.id),
            one_line(s.model.name),
            one_line(s.model.version),
            s.model.mode,
            str(len(s.model.indicators)),
            one_line(s.model.source.name) if s.model.source else NONE,
            one_line(s.origin),
        ]
        for s in builtin_models() + local
    ]
    write_stdout("\n".join(text_table(rows, indent="")) + "\n")
    for error in errors:
        for line in error.lines():
            complain(line)
    return EXIT_BAD_INPUT if errors else EXIT_OK


def add_models(commands: Commands) -> None:
    _add_command(commands, "models", _run_models, "list the built-in and local (./models) models")


def _run_validate(args: argparse.Namespace) -> int:
    from maturity_tui.domain import MaturityModel
    from maturity_tui.export import model_summary
    from maturity_tui.storage import LoadError, load_any
    from maturity_tui.textsafe import one_line

    failed = False
    for name in args.files:
        try:
            loaded = load_any(Path(name))
        except LoadError as error:
            failed = True
            for line in error.lines():
                complain(line)
            continue
        if isinstance(loaded, MaturityModel):
            details = "".join(f"  {line}\n" for line in model_summary(loaded))
            write_stdout(f"ok: {one_line(name)} (model {loaded.id})\n{details}")
        else:
            write_stdout(f"ok: {one_line(name)} (session {loaded.id})\n")
    return EXIT_BAD_INPUT if failed else EXIT_OK


def add_validate(commands: Commands) -> None:
    parser = _add_command(commands, "validate", _run_validate, "check model or session files")
    parser.add_argument("files", nargs="+", metavar="FILE")


def _run_report(args: argparse.Namespace) -> int:
    source = session_file(args.session, _folder(args))
    (session,) = _load_sessions([str(source)], source.parent)
    return _deliver(args, render(REPORT, args.format, session), [source])


def add_report(commands: Commands) -> None:
    parser = _add_command(
        commands, "report", _run_report, "a session's level, objectives, dimensions, readings"
    )
    parser.add_argument("session", metavar="SESSION.toml")
    _format_option(parser, REPORT)
    _output_option(parser, REPORT)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def _run_export(args: argparse.Namespace) -> int:
    source = session_file(args.session, _folder(args))
    (session,) = _load_sessions([str(source)], source.parent)
    return _deliver(args, render(ACTIONS, args.format, session), [source])


def _output_option(parser: argparse.ArgumentParser, subject: Subject[Any]) -> None:
    parser.add_argument(
        "--output", "-o", metavar="FILE", help="write to FILE (atomically); - or none: stdout"
    )
    if any(output.format.takes_bom for output in outputs_of(subject)):
        parser.add_argument(
            "--bom",
            action="store_true",
            help="start CSV with a UTF-8 byte-order mark (for spreadsheets that need one)",
        )


def _deliver(args: argparse.Namespace, text: str, sources: Sequence[Path]) -> int:
    """The output on stdout, or written atomically to --output: never over a session."""
    if getattr(args, "bom", False) and args.format.startswith("csv"):
        text = with_bom(text)
    if args.output in (None, "-"):
        write_stdout(text)
        return EXIT_OK
    output = Path(args.output)
    if any(_same_file(output, source) for source in sources):
        raise BadInput(f"{args.output}: is a session file read here; choose another --output")
    if output.suffix.lower() == ".toml":
        # Outputs are never TOML: a .toml there is a session or a model, not ours to replace
        # (nor x.TOML, the same file where the file system ignores case).
        raise BadInput(f"{args.output}: will not write an export over a .toml file")
    from maturity_tui.storage import atomic_write

    try:
        atomic_write(output, text)
    except OSError as error:
        # Name the file asked for, not the temporary file beside it.
        raise OSError(error.errno, error.strerror, args.output) from None
    return EXIT_OK


def add_export(commands: Commands) -> None:
    parser = _add_command(commands, "export", _run_export, "a session's action list")
    parser.add_argument("session", metavar="SESSION.toml")
    _format_option(parser, ACTIONS)
    _output_option(parser, ACTIONS)


def _run_compare(args: argparse.Namespace) -> int:
    # Scoring and rendering many sessions make many objects too, none of them garbage
    # before the process ends: the collector stays off until the output is written.
    from maturity_tui.collector import collector_off

    with collector_off():
        from maturity_tui.compare import compare_columns
        from maturity_tui.library_index import session_columns

        folder = _folder(args)
        sources = [session_file(name, folder) for name in args.sessions]
        # Sessions already compared come from the library's index, unless their files changed.
        columns, problems = session_columns(sources)
        if problems:
            raise LoadErrors(problems)
        return _deliver(args, render(COMPARE, args.format, compare_columns(columns)), sources)


def add_compare(commands: Commands) -> None:
    parser = _add_command(commands, "compare", _run_compare, "sessions side by side, oldest first")
    parser.add_argument("sessions", nargs="+", metavar="SESSION.toml")
    _format_option(parser, COMPARE)
    _output_option(parser, COMPARE)


def _run_portfolio(args: argparse.Namespace) -> int:
    from maturity_tui.portfolio import build_portfolio

    folder = _folder(args)
    if not folder.is_dir():
        raise BadInput(f"{folder}: no sessions folder here (give --sessions-dir DIR)")
    portfolio = build_portfolio(folder, args.period)
    return _deliver(args, render(PORTFOLIO, args.format, portfolio), [])


def add_portfolio(commands: Commands) -> None:
    parser = _add_command(
        commands, "portfolio", _run_portfolio, "every team of the sessions folder, side by side"
    )
    parser.add_argument("--period", metavar="P", help="each team at its session of period P")
    _format_option(parser, PORTFOLIO)
    _output_option(parser, PORTFOLIO)


def _run_import(args: argparse.Namespace) -> int:
    from maturity_tui.domain import MaturityModel
    from maturity_tui.export import model_summary
    from maturity_tui.importers import IMPORTERS
    from maturity_tui.places import models_folder
    from maturity_tui.storage import validate_as, write_model

    source = Path(args.path)
    model = validate_as(MaturityModel, IMPORTERS[args.source](source), source)
    # Where `models` and the app look for local models, so the import is there for them.
    output = Path(args.output) if args.output else models_folder() / f"{model.id}.toml"
    try:
        write_model(model, output, replace=args.force)
    except FileExistsError:
        raise BadInput(f"{output}: exists already; --force replaces it") from None
    details = "".join(f"  {line}\n" for line in model_summary(model))
    write_stdout(f"imported: {_display(source)} -> {_display(output)}\n{details}")
    return EXIT_OK


def _display(path: Path) -> str:
    from maturity_tui.textsafe import one_line

    return one_line(str(path))


def add_import(commands: Commands) -> None:
    parser = _add_command(
        commands, "import", _run_import, "a published model (OWASP SAMM or DSOMM) as a model file"
    )
    parser.add_argument(
        "source",
        choices=["samm", "dsomm"],
        help="samm: OWASP SAMM's model/ folder (owaspsamm/core); dsomm: DSOMM's "
        "generated/model.yaml",
    )
    parser.add_argument("path", metavar="PATH")
    parser.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        help="the model file (default: <id>.toml in the local models folder: see --where)",
    )
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists")


SCHEMA_KINDS = ("model", "session", "report", "compare", "portfolio", "actions")
"""The two file formats, then the JSON outputs (`--format json` of each command)."""


def _run_schema(args: argparse.Namespace) -> int:
    from pydantic import BaseModel

    from maturity_tui.domain import MaturityModel, Session
    from maturity_tui.output_schemas import OUTPUT_SCHEMAS
    from maturity_tui.textsafe import json_text

    files: dict[str, type[BaseModel]] = {"model": MaturityModel, "session": Session}
    kind = files.get(args.kind) or OUTPUT_SCHEMAS[args.kind]
    write_stdout(json_text(kind.model_json_schema()))
    return EXIT_OK


def add_schema(commands: Commands) -> None:
    summary = "JSON Schema of a file format, or of a command's JSON output"
    parser = _add_command(commands, "schema", _run_schema, summary)
    parser.add_argument("kind", choices=SCHEMA_KINDS)


def _run_join(args: argparse.Namespace) -> int:
    from maturity_tui.room.client import run

    return run(args.url, args.code, args.name)


def add_join(commands: Commands) -> None:
    summary = "vote from this terminal in a room someone opened"
    parser = _add_command(commands, "join", _run_join, summary)
    parser.add_argument("url", help="the room's address, as shown on the facilitator's screen")
    parser.add_argument("--code", help="the join code (asked for when missing)")
    parser.add_argument("--name", help="your name in named voting (else picked from a list)")


# --- Where things are, settings, the demo, completion ----------------------------------------


def where_lines(args: argparse.Namespace) -> list[str]:
    """The folders and file in use, and why: what `--where` prints."""
    from maturity_tui.places import (
        MODELS_ENV,
        config_file,
        default_folder_origin,
        models_folder,
        sessions_folder,
    )

    resolved = _resolved(args)
    sessions, models, config = sessions_folder(resolved), models_folder(), config_file()
    sessions_origin = resolved.origins["sessions_dir"]
    if sessions_origin == "default":
        sessions_origin = default_folder_origin(sessions)
    models_origin = default_folder_origin(models)
    if os.environ.get(MODELS_ENV):
        models_origin = f"${MODELS_ENV}"
    rows = [
        ("sessions", sessions, sessions_origin),
        ("models", models, models_origin),
        ("config", config, "exists" if config.exists() else "not written yet"),
    ]
    return [f"{name}: {path} ({why})" for name, path, why in rows]


def _run_where(args: argparse.Namespace) -> int:
    from maturity_tui.textsafe import one_line

    write_stdout("".join(one_line(line) + "\n" for line in where_lines(args)))
    return EXIT_OK


def _run_config(args: argparse.Namespace) -> int:
    from maturity_tui.places import config_file, set_setting
    from maturity_tui.textsafe import one_line

    if args.action in ("set", "unset"):
        if args.key is None or (args.action == "set") != (args.value is not None):
            raise BadInput("use: config set KEY VALUE, or config unset KEY")
        path = set_setting(args.key, args.value if args.action == "set" else None)
        write_stdout(f"{one_line(str(path))}: {args.action} {one_line(args.key)}\n")
        return EXIT_OK
    if args.action == "path":
        write_stdout(f"{one_line(str(config_file()))}\n")
        return EXIT_OK
    resolved = _resolved(args)
    data = resolved.settings.model_dump()
    lines = [f"# {one_line(str(config_file()))}"]
    for key, origin in resolved.origins.items():
        value: Any = data
        for part in key.split("."):
            value = value[part]
        shown = "(not set)" if value is None else repr(value)
        lines.append(f"{key} = {one_line(shown)}  # {one_line(origin)}")
    write_stdout("\n".join(lines) + "\n")
    return EXIT_OK


def add_config(commands: Commands) -> None:
    summary = "show the settings in force and where each comes from, or change the config file"
    parser = _add_command(commands, "config", _run_config, summary)
    parser.add_argument("action", nargs="?", choices=["show", "set", "unset", "path"])
    parser.add_argument("key", nargs="?", help="sessions_dir, theme, room.port, keymap.ID …")
    parser.add_argument("value", nargs="?")


def _run_demo(args: argparse.Namespace) -> int:
    from maturity_tui.places import copy_demo
    from maturity_tui.textsafe import one_line

    folder = Path(args.folder)
    copied, kept = copy_demo(folder)
    lines = [f"copied {one_line(str(path))}" for path in copied]
    lines += [f"kept {one_line(str(path))} (already there)" for path in kept]
    lines.append(f"try it: maturity-tui --sessions-dir {one_line(str(folder))}")
    write_stdout("\n".join(lines) + "\n")
    return EXIT_OK


def add_demo(commands: Commands) -> None:
    parser = _add_command(
        commands, "demo", _run_demo, "copy the demo history (four quarters of one team) to try"
    )
    parser.add_argument("folder", nargs="?", default="sessions", metavar="FOLDER")


def _run_completion(args: argparse.Namespace) -> int:
    from argcomplete.shell_integration import shellcode

    write_stdout(shellcode([PROG], shell=args.shell))
    return EXIT_OK


def add_completion(commands: Commands) -> None:
    parser = _add_command(
        commands, "completion", _run_completion, "the shell completion script (see the README)"
    )
    parser.add_argument("shell", choices=["bash", "zsh", "fish"])


SUBCOMMANDS: list[Callable[[Commands], None]] = [
    add_new,
    add_open,
    add_models,
    add_validate,
    add_report,
    add_export,
    add_compare,
    add_portfolio,
    add_import,
    add_schema,
    add_join,
    add_config,
    add_demo,
    add_completion,
]
"""Each registers one subcommand; a new one is a function that adds its parser and handler."""


# --- Entry point ----------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Run live maturity workshops in the terminal. With no command: the app.",
        epilog="`maturity-tui --where` shows the folders in use. "
        "Exit codes: 0 ok, 2 bad input, 1 any other failure.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument(
        "--where", action="store_true", help="show the sessions and models folders and the config"
    )
    parser.add_argument(
        "--sessions-dir",
        metavar="DIR",
        default=None,
        help="the sessions folder (default: $MATURITY_TUI_SESSIONS, the config's sessions_dir, "
        "./sessions when here, else the user's data folder)",
    )
    _add_app_settings(parser, None)
    parser.set_defaults(handler=_run_home)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for add in SUBCOMMANDS:
        add(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    if "_ARGCOMPLETE" in os.environ:  # the shell asks for completions, then we exit
        import argcomplete

        argcomplete.autocomplete(parser)
    args = parser.parse_args(argv)
    try:
        handler: Handler = _run_where if args.where else args.handler
        return handler(args)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`| head`): say nothing more, and let the exit flush nowhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILURE
    except Exception as error:
        code, lines = describe(error)
        for line in lines:
            complain(line)
        return code


def describe(error: Exception) -> tuple[int, list[str]]:
    """The exit code for an error, and its message as lines (one per problem)."""
    from maturity_tui.places import ConfigError
    from maturity_tui.storage import LoadError

    if isinstance(error, LoadError):
        return EXIT_BAD_INPUT, error.lines()
    if isinstance(error, LoadErrors):
        return EXIT_BAD_INPUT, [line for each in error.errors for line in each.lines()]
    if isinstance(error, ConfigError):
        return EXIT_BAD_INPUT, str(error).splitlines()
    if isinstance(error, BadInput | LookupError | ValueError):
        return EXIT_BAD_INPUT, [f"{PROG}: {error}"]
    if isinstance(error, OSError) and error.filename:
        return EXIT_FAILURE, [f"{error.filename}: {error.strerror or error}"]
    return EXIT_FAILURE, [f"{PROG}: {error}"]
