"""A fixed-response HTTP/1.1 server for benchmarks: as little server time per request as possible.

It answers every POST with a canned body chosen by path and by whether the request asks to stream:
- a small ImagesResponse (one tiny base64 image) for plain requests;
- for `"stream": true` (JSON) or a `stream` form field, `--events` SSE events of `--event-bytes`
  base64 each (partials then one completed event).
Request bodies are drained and dropped, so uploads of any size cost no memory. Run:
`python scripts/bench_server.py --port 8123`; it prints `ready` when listening.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json

SMALL = json.dumps(
    {
        "created": 1700000000,
        "data": [{"b64_json": base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64).decode()}],
        "background": "opaque",
        "output_format": "png",
        "quality": "low",
        "size": "1024x1024",
        "usage": {
            "input_tokens": 10,
            "input_tokens_details": {"image_tokens": 0, "text_tokens": 10},
            "output_tokens": 272,
            "total_tokens": 282,
        },
    }
).encode()


def sse_body(events: int, event_bytes: int, kind: str) -> bytes:
    payload = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x07" * (event_bytes * 3 // 4)).decode()
    common = {"background": "opaque", "created_at": 1700000000, "output_format": "png", "quality": "low"}
    frames = []
    for index in range(events - 1):
        event = {"type": f"{kind}.partial_image", "b64_json": payload, "partial_image_index": index}
        frames.append({**event, **common, "size": "1024x1024"})
    usage = {
        "input_tokens": 10,
        "input_tokens_details": {"image_tokens": 0, "text_tokens": 10},
        "output_tokens": 272,
        "total_tokens": 282,
    }
    frames.append(
        {"type": f"{kind}.completed", "b64_json": payload, **common, "size": "1024x1024", "usage": usage}
    )
    return b"".join(f"event: {f['type']}\ndata: {json.dumps(f)}\n\n".encode() for f in frames)


def response(status: str, content_type: str, body: bytes) -> bytes:
    head = f"HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {len(body)}\r\n"
    return head.encode() + b"x-request-id: req_bench\r\n\r\n" + body


class Handler(asyncio.Protocol):
    def __init__(self, answers: dict[tuple[str, bool], bytes]) -> None:
        self.answers = answers
        self.buffer = bytearray()
        self.head: bytes | None = None
        self.remaining = 0
        self.chunked = False
        self.streaming = False
        self.sniff = bytearray()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while self._step():
            pass

    def _step(self) -> bool:
        if self.head is None:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return False
            self.head = bytes(self.buffer[:end]).lower()
            del self.buffer[: end + 4]
            self.remaining = 0
            self.chunked = b"transfer-encoding: chunked" in self.head
            self.sniff.clear()
            for line in self.head.split(b"\r\n"):
                if line.startswith(b"content-length:"):
                    self.remaining = int(line.split(b":")[1])
            return True
        if self.chunked:
            return self._chunk()
        take = min(self.remaining, len(self.buffer))
        self._keep(self.buffer[:take])
        del self.buffer[:take]
        self.remaining -= take
        if self.remaining == 0:
            self._answer()
            return True
        return False

    def _chunk(self) -> bool:
        if self.remaining > 0:
            take = min(self.remaining, len(self.buffer))
            self._keep(self.buffer[:take])
            del self.buffer[:take]
            self.remaining -= take
            return self.remaining == 0 and len(self.buffer) > 0
        end = self.buffer.find(b"\r\n")
        if end < 0:
            return False
        line = bytes(self.buffer[:end]).strip()
        del self.buffer[: end + 2]
        if not line:
            return True
        size = int(line.split(b";")[0], 16)
        if size == 0:
            del self.buffer[:2]
            self._answer()
            return True
        self.remaining = size
        return True

    def _keep(self, data: bytes | bytearray) -> None:
        # Only the start of a body is looked at (for the stream flag); the rest is dropped.
        if len(self.sniff) < 4096:
            self.sniff += data[: 4096 - len(self.sniff)]

    def _answer(self) -> None:
        assert self.head is not None
        path = self.head.split(b" ")[1].decode()
        sniff = bytes(self.sniff)
        field = sniff.find(b'name="stream"')
        form_stream = field >= 0 and b"true" in sniff[field : field + 120]
        stream = b'"stream": true' in sniff or b'"stream":true' in sniff or form_stream
        self.transport.write(self.answers.get((path, stream)) or self.answers[("", False)])
        self.head = None


async def serve(port: int, events: int, event_bytes: int) -> None:
    answers = {("", False): response("200 OK", "application/json", SMALL)}
    for path, kind in (("/v1/images/generations", "image_generation"), ("/v1/images/edits", "image_edit")):
        answers[(path, True)] = response("200 OK", "text/event-stream", sse_body(events, event_bytes, kind))
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: Handler(answers), "127.0.0.1", port, backlog=1024)
    print("ready", flush=True)
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8123)
    parser.add_argument("--events", type=int, default=4)
    parser.add_argument("--event-bytes", type=int, default=4 * 1024 * 1024)
    args = parser.parse_args()
    asyncio.run(serve(args.port, args.events, args.event_bytes))


if __name__ == "__main__":
    main()
