"""Modules a process loads when it first needs them, not with `import wrapper`.

A service or a CLI that has not sent a request yet should not pay for the capability table, the
validation and the result types. `lazy(name, namespace, alias)` puts a stand-in under `alias` in a
module's namespace; the first attribute read imports the module (under the import system's lock, so
threads that race to it get the same, whole module) and replaces the stand-in with the module itself,
so every later read is an ordinary global lookup.

    if TYPE_CHECKING:
        from . import _calls
    else:
        _calls = lazy("wrapper._calls", globals(), "_calls")

(Not `importlib.util.LazyLoader`: on Python 3.11 two threads touching its module first can see it
half-initialised.)
"""

from __future__ import annotations

import importlib
from typing import Any


class _Stand:
    __slots__ = ("_alias", "_name", "_namespace")

    def __init__(self, name: str, namespace: dict[str, Any], alias: str) -> None:
        self._name = name
        self._namespace = namespace
        self._alias = alias

    def __getattr__(self, attribute: str) -> Any:
        module = importlib.import_module(self._name)
        self._namespace[self._alias] = module
        return getattr(module, attribute)

    def __repr__(self) -> str:
        return f"<{self._name}, imported on first use>"


def lazy(name: str, namespace: dict[str, Any], alias: str) -> Any:
    """A stand-in for module `name` that imports it on first use and puts it in `namespace[alias]`."""
    return _Stand(name, namespace, alias)
