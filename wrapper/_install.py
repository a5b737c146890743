"""How to add an extra to this installation, for the messages that say one is missing.

The package is not on the package index, so `pip install 'images-client[mock]'` would fail: the command
names where this copy was installed from, as pip recorded it (PEP 610's direct_url.json): a checkout
(`pip install -e '/path/to/checkout[mock]'`) or a git URL. Read only when such a message is made.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import Any

DISTRIBUTION = "images-client"
EXTRA_OF_MODULE = {
    "rich": "cli",
    "PIL": "pillow",
    "starlette": "mock",
    "uvicorn": "mock",
    "python_multipart": "mock",
}
"""The extra that installs each optional top-level module (Pillow comes with `cli` and `mock` too)."""


def install_command(*extras: str) -> str:
    """The pip command that adds `extras` to this installation."""
    from urllib.parse import unquote, urlparse  # here: only an error message needs them

    wanted = ",".join(extras)
    origin = _origin()
    if origin is not None and origin.get("url", "").startswith("file://"):
        path = unquote(urlparse(origin["url"]).path)
        editable = "-e " if origin.get("dir_info", {}).get("editable") else ""
        return f"pip install {editable}'{path}[{wanted}]'"
    if origin is not None and "vcs_info" in origin:
        vcs = origin["vcs_info"]
        revision = f"@{vcs['requested_revision']}" if vcs.get("requested_revision") else ""
        return f"pip install '{DISTRIBUTION}[{wanted}] @ {vcs['vcs']}+{origin['url']}{revision}'"
    return (
        f"pip install -e '.[{wanted}]' in a checkout of {DISTRIBUTION} "
        f"(or pip install '{DISTRIBUTION}[{wanted}] @ git+<its repository URL>')"
    )


def missing_extra_message(what: str, module: str, extra: str) -> str:
    """One line: what needs which extra, the module that is missing, and the command that adds it."""
    return f"{what} needs the '{extra}' extra ({module} is not installed): {install_command(extra)}"


@contextlib.contextmanager
def exit_without_extra(what: str, extra: str, *, when: bool) -> Iterator[None]:
    """Around the imports of a command's module: when `when` (the module runs as the command) and an
    optional module is missing, print one line naming `extra` and exit 2, not a traceback."""
    try:
        yield
    except ModuleNotFoundError as exc:
        module = (exc.name or "").partition(".")[0]
        if not when or module not in EXTRA_OF_MODULE:
            raise
        print(f"{what}: error: {missing_extra_message(what, module, extra)}", file=sys.stderr)
        raise SystemExit(2) from None


@contextlib.contextmanager
def extra_needed(what: str, extra: str) -> Iterator[None]:
    """Around the import of an optional module in a library function: a missing one raises a
    ModuleNotFoundError whose message is one line naming the extra and how to add it."""
    try:
        yield
    except ModuleNotFoundError as exc:
        module = (exc.name or "").partition(".")[0]
        if module not in EXTRA_OF_MODULE:
            raise
        raise ModuleNotFoundError(missing_extra_message(what, module, extra), name=module) from None


def _origin() -> dict[str, Any] | None:
    import importlib.metadata
    import json

    try:
        text = importlib.metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
        found = json.loads(text) if text else None
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return None
    return found if isinstance(found, dict) else None
