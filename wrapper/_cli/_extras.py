"""Optional dependencies of the command line: which extra installs each, and the error naming them."""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence

from .._install import install_command

EXTRA_MODULES = {
    "cli": ("rich",),
    "mock": ("starlette", "uvicorn", "python_multipart", "PIL"),
}
"""The top-level modules each extra installs that the command line imports."""
EXTRAS = {"rich": "cli", "PIL": "cli", "starlette": "mock", "uvicorn": "mock", "python_multipart": "mock"}
"""The extra to name when an optional module turns out to be missing in the middle of a command."""


class MissingExtra(Exception):
    """Optional dependencies the command needs are not installed: all of them, in one message."""

    def __init__(self, what: str, missing: Mapping[str, Sequence[str]]) -> None:
        extras = list(missing)
        modules = [module for names in missing.values() for module in names]
        quoted = " and ".join(f"'{extra}'" for extra in extras)
        noun, verb = ("extra" if len(extras) == 1 else "extras"), ("is" if len(modules) == 1 else "are")
        super().__init__(
            f"{what} needs the {quoted} {noun} ({', '.join(modules)} {verb} not installed): "
            f"{install_command(*extras)}"
        )


def require(what: str, *extras: str) -> None:
    """Import the modules of `extras` now, so that a command lacking any fails before it sends anything."""
    missing: dict[str, list[str]] = {}
    for extra in extras:
        for module in EXTRA_MODULES[extra]:
            try:
                importlib.import_module(module)
            except ModuleNotFoundError:
                missing.setdefault(extra, []).append(module)
    if missing:
        raise MissingExtra(what, missing)


def missing_extra(exc: BaseException, what: str) -> MissingExtra | None:
    """The `MissingExtra` an import error stands for, when it is an optional module that is absent."""
    if not isinstance(exc, ModuleNotFoundError):
        return None
    module = (exc.name or "").partition(".")[0]
    extra = EXTRAS.get(module)
    return MissingExtra(what, {extra: [module]}) if extra else None
