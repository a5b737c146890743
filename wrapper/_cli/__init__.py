"""`images`: the command line of the package (`python -m wrapper` does the same).

    images generate "a red fox" --model gpt-image-1.5 --size 1536x1024 -o out
    images edit photo.png --prompt "add a hat" --mask mask.png --stream
    images vary photo.png --n 3
    images models            # what each model accepts
    images mock --port 4010  # serve the emulator
    images batch run jobs.jsonl -o out  # a bulk job (validate|submit|status|fetch|cancel|run)
    add --mock to any request to run it offline, --json for machine-readable output

Exit codes: 0 success, 1 the API or the network failed, 2 the request was wrong (usage, validation,
files, missing key, an extra that is not installed), 130 interrupted. A reader that leaves early
(`images ... | head -1`) ends the command quietly with 1. Tracebacks only with `--debug`.
rich is imported on first use, and only here: `import wrapper` never loads the CLI.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence

from .._errors import APIConnectionError, APIError, FileError, PreflightError, StreamError, WrapperError
from ._extras import MissingExtra, missing_extra, require
from ._parser import FLAGS, UsageError, build_parser, check
from ._report import Incomplete, error_line, print_json, show
from ._session import MissingKey

__all__ = ["build_parser", "main"]

USAGE_ERROR, API_ERROR, INTERRUPTED = 2, 1, 130
CLOSED_PIPE = 1  # as rich (and the Python documentation) exit when stdout's reader has gone
Command = Callable[[argparse.Namespace], int]


def main(argv: Sequence[str] | None = None) -> int:
    """Run `images` with `argv` (default: the process's arguments) and return the exit code."""
    try:
        return _main(argv)
    except KeyboardInterrupt:  # before the command runs (parsing, imports); later ones are caught there
        error_line("interrupted")
        return INTERRUPTED
    except BrokenPipeError:  # `images ... | head`: the reader has gone, so there is no one to tell
        _discard_stdout()
        return CLOSED_PIPE


def _main(argv: Sequence[str] | None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed usage and the error (or the help)
        return exc.code if isinstance(exc.code, int) else USAGE_ERROR
    if args.debug:
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
        logging.getLogger("wrapper").setLevel(logging.DEBUG)
    else:  # the client's warnings (an unknown model: "did you mean ...?") as one line each
        _warnings_to_stderr()
    try:
        check(args)
        require(*_needs(args))
        return _command(args.command)(args)
    except KeyboardInterrupt:
        error_line("interrupted")
        return INTERRUPTED
    except BrokenPipeError:
        raise
    except Exception as exc:
        if args.debug:
            raise
        return _fail(missing_extra(exc, f"images {args.command}") or exc, args.json)


class _StderrWarnings(logging.Handler):
    """`warning: ...` lines on the sys.stderr of the moment (tests and pipes replace it)."""

    def emit(self, record: logging.LogRecord) -> None:
        sys.stderr.write(f"warning: {record.getMessage()}\n")


def _warnings_to_stderr() -> None:
    logger = logging.getLogger("wrapper")
    if not any(isinstance(handler, _StderrWarnings) for handler in logger.handlers):
        logger.addHandler(_StderrWarnings(logging.WARNING))


def _needs(args: argparse.Namespace) -> tuple[str, ...]:
    """What the command is called in an error, then the extras it needs: all named in one message."""
    emulated = args.command == "mock" or getattr(args, "mock", False)
    # rich prints for people; `--json` does without, and the emulator prints plain lines.
    extras: tuple[str, ...] = ("cli",) if not args.json and args.command != "mock" else ()
    extras += ("mock",) if emulated else ()
    what = f"images {args.command}" + (" --mock" if args.command != "mock" and emulated else "")
    return (what, *extras)


def _discard_stdout() -> None:
    """Point stdout at /dev/null, so that the flush at exit does not fail on the closed pipe again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # not a real file (captured output): nothing is flushed at exit
        pass


def _command(name: str) -> Command:
    from . import _batch, _commands

    commands: dict[str, Command] = {
        "generate": _commands.generate,
        "edit": _commands.edit,
        "vary": _commands.vary,
        "models": _commands.models,
        "mock": _commands.mock,
        "batch": _batch.run,
    }
    return commands[name]


def _fail(exc: Exception, as_json: bool) -> int:
    """Report an error in one line (the missing key in three) and choose the exit code; after a
    request that failed part-way, list the files it saved first."""
    saved = exc.outcome if isinstance(exc, Incomplete) else None
    if isinstance(exc, Incomplete):
        exc = exc.error
    code, message = _describe(exc)
    if as_json:
        document = {"type": type(exc).__name__, "message": message, "exit_code": code}
        if saved is not None:
            document["files"] = [str(s.path) for s in saved.files]
            document["partials"] = [str(path) for path in saved.partials]
        print_json({"error": document})
    elif saved is not None:
        show(saved, as_json=False)
    error_line(message)
    return code


def _describe(exc: Exception) -> tuple[int, str]:
    if isinstance(exc, PreflightError):
        param = exc.param or ""
        flag = FLAGS.get(param)
        named = flag is None or flag == "--" + param.replace("_", "-")
        return USAGE_ERROR, exc.message + ("" if named else f" (option {flag})")
    if isinstance(exc, FileError | MissingKey | MissingExtra | UsageError):
        return USAGE_ERROR, str(exc)
    if isinstance(exc, APIConnectionError):
        hint = "check OPENAI_BASE_URL; to work offline, serve the emulator with `images mock` or add --mock"
        return API_ERROR, f"could not reach the API: {exc.message}; {hint}"
    if isinstance(exc, APIError | StreamError):
        return API_ERROR, _one_line(str(exc))
    if isinstance(exc, OSError):
        return API_ERROR, _one_line(f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc))
    kind = "" if isinstance(exc, WrapperError) else f"unexpected {type(exc).__name__}: "
    return API_ERROR, f"{kind}{_one_line(str(exc))} (run again with --debug for the traceback)"


def _one_line(text: str) -> str:
    return " ".join(text.split())
