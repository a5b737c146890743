"""An emulator of the Images API for contract tests: `create_app()` is a Starlette app.

It validates requests with the client's own capability table, draws real images, streams events,
serves URLs that expire, injects faults on demand and records what it received. To keep it honest,
`create_proxy` records the real API's answers as cassettes, `run_probes` pins each rule of the
table at its boundary through it, and `verify` replays cassettes against the emulator and the
client's validation. Run it with
`python -m wrapper.mock`, or use the `images_mock` pytest fixtures. Its dependencies are the
`mock` extra; names are imported on first use so that the pytest plugin stays cheap to load.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._app import create_app
    from ._faults import Fault, Faults
    from ._probe import Probe, ProbeRun, build_probes, run_probes
    from ._proxy import RecordingProxy, create_proxy
    from ._ratelimit import RateLimits
    from ._records import RecordedFile, RecordedRequest, Recorder
    from ._server import LiveServer
    from ._state import MockApp
    from ._store import FakeClock
    from ._verify import Disagreement, Report, assert_cassettes_agree, averify, verify

__all__ = [
    "Disagreement",
    "FakeClock",
    "Fault",
    "Faults",
    "LiveServer",
    "MockApp",
    "Probe",
    "ProbeRun",
    "RateLimits",
    "RecordedFile",
    "RecordedRequest",
    "Recorder",
    "RecordingProxy",
    "Report",
    "assert_cassettes_agree",
    "averify",
    "build_probes",
    "create_app",
    "create_proxy",
    "run_probes",
    "verify",
]

_HOMES = {
    "Disagreement": "._verify",
    "Probe": "._probe",
    "ProbeRun": "._probe",
    "RecordingProxy": "._proxy",
    "Report": "._verify",
    "assert_cassettes_agree": "._verify",
    "averify": "._verify",
    "build_probes": "._probe",
    "create_proxy": "._proxy",
    "run_probes": "._probe",
    "verify": "._verify",
    "FakeClock": "._store",
    "Fault": "._faults",
    "Faults": "._faults",
    "LiveServer": "._server",
    "MockApp": "._state",
    "RateLimits": "._ratelimit",
    "RecordedFile": "._records",
    "RecordedRequest": "._records",
    "Recorder": "._records",
    "create_app": "._app",
}


_EXTRA_MODULES = frozenset({"starlette", "uvicorn", "python_multipart", "PIL"})
"""What the `mock` extra installs: when one is missing, the error names the extra."""


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    try:
        module = importlib.import_module(_HOMES[name], __name__)
    except ModuleNotFoundError as exc:
        missing = (exc.name or "").partition(".")[0]
        if missing not in _EXTRA_MODULES:
            raise
        from .._install import missing_extra_message

        message = missing_extra_message("wrapper.mock", missing, "mock")
        raise ModuleNotFoundError(message, name=missing) from None
    return getattr(module, name)
