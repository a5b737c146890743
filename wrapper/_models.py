"""Model names and values the client does not know: sent anyway, with a hint when one looks mistyped.

The API may know models newer than this client, so an unknown name is never refused here; the API
answers 404 `model_not_found` for one that does not exist. A warning on the `wrapper` logger names
the closest known model ("did you mean gpt-image-1?"), once per name, so a typo is caught without
a round trip. A value that a parameter's enum in the spec does not list (a new `quality`) is sent
the same way, with a warning naming the parameter, the value and the closest known value.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Mapping, Sequence
from functools import lru_cache

from ._capabilities import MODELS

logger = logging.getLogger("wrapper")


def closest_model(name: str) -> str | None:
    """The known model most like `name`, or None when none is close."""
    found = difflib.get_close_matches(name, list(MODELS), n=1, cutoff=0.6)
    return found[0] if found else None


def unknown_model_message(name: str) -> str:
    """What the client says of a model outside the table."""
    hint = closest_model(name)
    guess = f"; did you mean {hint}?" if hint else ""
    return f"model {name!r} is not one this client knows; it is sent as given (the API may know it){guess}"


def warn_unknown_model(name: object) -> None:
    """Log a warning (once per name) when `name` is a model outside the table."""
    if isinstance(name, str) and name not in MODELS:
        _warn_once(name)


@lru_cache(maxsize=256)  # bounded: a service may see many names
def _warn_once(name: str) -> None:
    logger.warning("%s", unknown_model_message(name))


def unknown_value_message(param: str, value: str, known: Sequence[object]) -> str:
    """What the client says of a value that `param`'s enum (the `known` values) does not list."""
    closest = difflib.get_close_matches(value, [str(item) for item in known], n=1, cutoff=0.0)
    hint = f"; the closest known value is {closest[0]!r}" if closest else ""
    return (
        f"{param} {value!r} is not a value this client knows; it is sent as given (the API may be newer)"
        f"{hint}"
    )


def warn_unknown_values(unknown: Mapping[str, str], known: Mapping[str, Sequence[object]]) -> None:
    """Log a warning (once per parameter and value) for each value of `unknown`; `known` gives
    each parameter's enum."""
    for param, value in unknown.items():
        _warn_value_once(param, value, tuple(known[param]))


@lru_cache(maxsize=256)
def _warn_value_once(param: str, value: str, known: tuple[object, ...]) -> None:
    logger.warning("%s", unknown_value_message(param, value, known))
