"""Optional dependencies of the command line: which extra installs each, and the error naming it."""

from __future__ import annotations

import importlib

EXTRAS = {
    "rich": "cli",
    "PIL": "cli",
    "starlette": "mock",
    "uvicorn": "mock",
    "python_multipart": "mock",
}
"""The extra that installs each optional top-level module the command line may import."""


class MissingExtra(Exception):
    """An optional dependency the command needs is not installed."""

    def __init__(self, what: str, extra: str, missing: str) -> None:
        super().__init__(
            f"{what} needs the '{extra}' extra ({missing} is not installed): "
            f"pip install 'images-client[{extra}]'"
        )


def require(what: str, *modules: str) -> None:
    """Import `modules` now, so that a command lacking one fails before it sends anything."""
    for module in modules:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError:
            raise MissingExtra(what, EXTRAS[module], module) from None


def missing_extra(exc: BaseException, what: str) -> MissingExtra | None:
    """The `MissingExtra` an import error stands for, when it is an optional module that is absent."""
    if not isinstance(exc, ModuleNotFoundError):
        return None
    module = (exc.name or "").partition(".")[0]
    extra = EXTRAS.get(module)
    return MissingExtra(what, extra, module) if extra else None
