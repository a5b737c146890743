"""The API as of a date: which models and operations take requests on a given day, and what replaced them.

The dates live in the capability table (`ModelCapabilities.lifecycle`, `OPERATION_LIFECYCLE`,
`DEFAULTS_UNTIL`). The client and the emulator both work as of a day: by default today, or the newest
date the table knows when the clock is behind it, so that an up-to-date table is never read as of a
day before its own facts. A request refused here is a `RetiredError`: a `NotFoundError` raised before
anything is sent, as the API (and the emulator) answer it 404.
"""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from datetime import time as dt_time

from ._capabilities import DEFAULTS_UNTIL, MODELS, OPERATION_LIFECYCLE, Lifecycle, Operation
from ._errors import NotFoundError, PreflightError
from ._spec import OPERATIONS, P

AsOf = date | str | None
"""A day: a `date`, an ISO string `YYYY-MM-DD`, or None for `default_as_of()`."""


def _newest_date() -> date:
    lifecycles = [row.lifecycle for row in MODELS.values()] + list(OPERATION_LIFECYCLE.values())
    days = [day for cycle in lifecycles for day in _dates(cycle)]
    return max([DEFAULTS_UNTIL, *days])


def _dates(cycle: Lifecycle) -> list[date]:
    return [day for day in (cycle.available_from, cycle.deprecated_on, cycle.retired_on) if day is not None]


NEWEST_DATE = _newest_date()
"""The latest date the table records (a retirement, a release)."""


_DAY: list[tuple[float, float, date]] = []
"""The local day last read from the clock, with the times it starts and ends."""


def today() -> date:
    """The local date. The zone lookup behind `date.today()` costs a plain call more than all of its
    validation, so the day is read once and kept until the clock leaves it (a process that changes
    its time zone while running keeps the old zone's day until then)."""
    now = time.time()
    if _DAY and _DAY[0][0] <= now < _DAY[0][1]:
        return _DAY[0][2]
    day = date.fromtimestamp(now)
    start = datetime.combine(day, dt_time.min).timestamp()
    end = datetime.combine(day + timedelta(days=1), dt_time.min).timestamp()
    _DAY[:] = [(start, end, day)]
    return day


def default_as_of() -> date:
    """The day requests are checked as of when none is given: today, or the table's newest date
    when the clock is behind it."""
    return max(today(), NEWEST_DATE)


def as_of_date(value: AsOf) -> date:
    """`value` as a date (None: `default_as_of()`); ValueError naming the value for a bad string."""
    if value is None:
        return default_as_of()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"as_of {value!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-04-30") from None


class UnavailableError(PreflightError, NotFoundError):
    """A model or operation the API does not serve as of the day checked: not released yet, or retired
    (`RetiredError`). The API answers such a request 404 (code model_not_found for a model), so this is
    a `NotFoundError` (and not a `BadRequestError`), raised before anything is sent.

    `param` is "model" for a model and None for an operation; `value` and `model` the model asked for;
    `replacements` is what the documents name instead (`allowed` says it in words).
    """

    def __init__(
        self, message: str, *, param: str | None, value: object, replacements: tuple[str, ...] = ()
    ) -> None:
        code = "model_not_found" if param else None
        super().__init__(message, status_code=404, param=param, code=code)
        self.value = value
        self.model = str(value) if param else None
        self.allowed = _either(replacements)
        self.replacements = replacements


class RetiredError(UnavailableError):
    """A model or operation retired on `retired_on`, refused before anything is sent."""

    def __init__(
        self,
        message: str,
        *,
        param: str | None,
        value: object,
        retired_on: date,
        replacements: tuple[str, ...],
    ) -> None:
        super().__init__(message, param=param, value=value, replacements=replacements)
        self.retired_on = retired_on


def check_available(operation: Operation, model: str | None, as_of: date) -> None:
    """Raise `RetiredError` (or `UnavailableError` for a model not released yet) if `operation` or
    `model` takes no requests as of `as_of`; a model outside the table is not checked."""
    cycle = OPERATION_LIFECYCLE.get(operation)
    if cycle is not None and not cycle.available(as_of) and cycle.retired_on is not None:
        message = (
            f"The {OPERATIONS[operation].path} endpoint was retired on {cycle.retired_on.isoformat()}"
            f" and no longer accepts requests; use {_either(cycle.replacements)} instead."
        )
        raise RetiredError(
            message, param=None, value=operation, retired_on=cycle.retired_on, replacements=cycle.replacements
        )
    row = MODELS.get(model) if model is not None else None
    if row is None or row.lifecycle.available(as_of):
        return
    cycle = row.lifecycle
    if cycle.retired_on is not None and as_of >= cycle.retired_on:
        message = (
            f"model {row.name!r} was retired on {cycle.retired_on.isoformat()};"
            f" use {_either(cycle.replacements)} instead."
        )
        raise RetiredError(
            message,
            param=P.model,
            value=row.name,
            retired_on=cycle.retired_on,
            replacements=cycle.replacements,
        )
    start = cycle.available_from.isoformat() if cycle.available_from else "later"
    message = f"model {row.name!r} is not available as of {as_of.isoformat()}; it is available from {start}"
    raise UnavailableError(message, param=P.model, value=row.name)


def defaults_apply(as_of: date) -> bool:
    """Whether the API still chose a model for requests that name none, as of that day."""
    return as_of < DEFAULTS_UNTIL


def status(cycle: Lifecycle, as_of: date) -> str:
    """A lifecycle in words as of a day: `current`, `retired 2026-05-12 (use ...)`, `from 2026-09-08`."""
    if cycle.retired_on is not None and as_of >= cycle.retired_on:
        return f"retired {cycle.retired_on.isoformat()} (use {_either(cycle.replacements)})"
    if cycle.available_from is not None and as_of < cycle.available_from:
        return f"from {cycle.available_from.isoformat()}"
    words = "current"
    if cycle.retired_on is not None:
        words += f", retires {cycle.retired_on.isoformat()}"
    if cycle.deprecated_on is not None and as_of >= cycle.deprecated_on:
        words = f"deprecated {cycle.deprecated_on.isoformat()}, " + words
    return words


def _either(replacements: tuple[str, ...]) -> str:
    return " or ".join(replacements) or "another model"
