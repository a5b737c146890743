"""Model names the capability table does not know: sent anyway, with a hint when one looks mistyped.

The API may know models newer than this client, so an unknown name is never refused here; the API
answers 404 `model_not_found` for one that does not exist. A warning on the `wrapper` logger names
the closest known model ("did you mean gpt-image-1?"), once per name, so a typo is caught without
a round trip.
"""

from __future__ import annotations

import difflib
import logging
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
