"""Answers that can be cut short or garbled on purpose: the fault-injection end of the emulator."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping

import anyio
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

GARBLED_JSON = b'{"created": 1700000000, "data": [{"b64_json": "iVBORw0KGgo'
GARBLED_FRAME = b'event: error\ndata: {"error": {"message": "cut\n\n'


class EventStream(Response):
    """A `text/event-stream` answer; with `cut_after` it ends after that many frames, unfinished."""

    media_type = "text/event-stream"

    def __init__(
        self,
        frames: AsyncIterator[bytes],
        *,
        headers: Mapping[str, str] | None = None,
        cut_after: int | None = None,
        garble: bool = False,
    ) -> None:
        # Like StreamingResponse: no body, hence no Content-Length.
        self.status_code = 200
        self.background = None
        self.init_headers({"cache-control": "no-cache", **(headers or {})})
        self.frames = frames
        self.cut_after = cut_after
        self.garble = garble

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Send the frames until they end or the client disconnects, whichever comes first: images
        nobody will read are not drawn (a dropped n=10 4K stream kept rendering for seconds)."""
        async with anyio.create_task_group() as group:

            async def stream_then_stop() -> None:
                await self._stream(send)
                group.cancel_scope.cancel()

            group.start_soon(stream_then_stop)
            await _disconnected(receive)
            group.cancel_scope.cancel()

    async def _stream(self, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
        sent = 0
        try:
            async for chunk in self.frames:
                if self.cut_after is not None and sent >= self.cut_after:
                    break
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
                sent += 1
        finally:
            await self.frames.aclose()  # type: ignore[attr-defined]
        if self.garble:
            await send({"type": "http.response.body", "body": GARBLED_FRAME, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})


async def _disconnected(receive: Receive) -> None:
    """Return once the client has gone (the request body was read before the answer began)."""
    while (await receive())["type"] != "http.disconnect":
        pass


class CutJSON(Response):
    """A JSON answer that declares its full length but sends only the first half, then ends."""

    media_type = "application/json"

    def __init__(self, content: object, *, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(json.dumps(content).encode(), headers=headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
        await send(
            {"type": "http.response.body", "body": self.body[: len(self.body) // 2], "more_body": True}
        )
        # A real server refuses to finish a body shorter than its Content-Length: the send raises and
        # the server drops the connection, which is the point. In-process transports just end it.
        await send({"type": "http.response.body", "body": b"", "more_body": False})
