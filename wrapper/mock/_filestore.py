"""`/files`: upload, describe, download and delete stored files (Batch API inputs and outputs).

Files are spooled (1 MB in memory, the rest in a temporary file), so a 200 MB batch input costs
the emulator disk, not memory; downloads are streamed in chunks.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from tempfile import SpooledTemporaryFile
from typing import IO, TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from .._capabilities import MB
from ._errors import APIErrorResponse
from ._forms import content_type

if TYPE_CHECKING:
    from ._app import MockApp

MAX_FILE_BYTES = 512 * MB
MAX_BATCH_FILE_BYTES = 200 * MB
PURPOSES = ("assistants", "batch", "fine-tune", "vision", "user_data", "evals")
_CHUNK = 64 * 1024
_SPOOL = 1 * MB


@dataclass(slots=True)
class StoredFile:
    """One file: what `GET /files/{id}` describes, and its bytes."""

    id: str
    filename: str
    purpose: str
    created_at: int
    data: IO[bytes] = field(repr=False)
    size: int = 0

    def describe(self) -> dict[str, object]:
        return {
            "id": self.id,
            "object": "file",
            "bytes": self.size,
            "created_at": self.created_at,
            "expires_at": None,
            "filename": self.filename,
            "purpose": self.purpose,
            "status": "processed",
        }

    def lines(self, limit: int) -> Iterator[bytes]:
        """The file's lines, each read up to `limit` bytes (a longer one arrives cut, without its newline)."""
        self.data.seek(0)
        while line := self.data.readline(limit):
            yield line


class FileStore:
    """The files of one app, by id. Thread-safe."""

    def __init__(self) -> None:
        self._files: dict[str, StoredFile] = {}
        self._lock = threading.Lock()

    def new(self, filename: str, purpose: str, created_at: int) -> StoredFile:
        """An empty file, not yet listed: `add` it once written."""
        data: IO[bytes] = SpooledTemporaryFile(max_size=_SPOOL)  # noqa: SIM115 - kept open in the store
        return StoredFile("file-" + secrets.token_hex(12), filename, purpose, created_at, data)

    def add(self, stored: StoredFile) -> StoredFile:
        with self._lock:
            self._files[stored.id] = stored
        return stored

    def get(self, file_id: str) -> StoredFile | None:
        with self._lock:
            return self._files.get(file_id)

    def pop(self, file_id: str) -> StoredFile | None:
        with self._lock:
            return self._files.pop(file_id, None)

    def clear(self) -> None:
        with self._lock:
            files, self._files = list(self._files.values()), {}
        for stored in files:
            stored.data.close()

    def __len__(self) -> int:
        return len(self._files)

    def __del__(self) -> None:
        # The store owns its temporary files: an app dropped without a reset (a test's app, the
        # CLI's in-process emulator) must not leave them to the garbage collector's warnings.
        for stored in self._files.values():
            stored.data.close()


def app_of(request: Request) -> MockApp:
    from ._app import MockApp

    app = request.app
    assert isinstance(app, MockApp)
    return app


def found(app: MockApp, file_id: str) -> StoredFile:
    stored = app.files.get(file_id)
    if stored is None:
        raise APIErrorResponse(404, f"No such File object: {file_id}", param="file_id")
    return stored


async def create_file(request: Request) -> Response:
    """`POST /files`: a multipart body with `file` and `purpose`."""
    app = app_of(request)
    content_type(request, "multipart/form-data")
    try:
        form = await request.form(max_files=1, max_fields=8)
    except Exception as exc:  # python-multipart / Starlette parse errors of a hostile body
        raise APIErrorResponse(400, f"The multipart body could not be read: {exc}") from None
    try:
        unknown = sorted(set(form.keys()) - {"file", "purpose"})
        if unknown:
            message = f"Unrecognized request argument supplied: {unknown[0]}"
            raise APIErrorResponse(400, message, param=unknown[0])
        purpose, upload = form.get("purpose"), form.get("file")
        if not isinstance(purpose, str) or purpose not in PURPOSES:
            shown = purpose if isinstance(purpose, str) else None
            allowed = ", ".join(PURPOSES)
            raise APIErrorResponse(400, f"purpose {shown!r} is invalid; allowed: {allowed}", param="purpose")
        if upload is None or isinstance(upload, str):
            raise APIErrorResponse(
                400, "file is required: send the file's bytes as a file part", param="file"
            )
        stored = app.files.new(upload.filename or "upload", purpose, int(app.clock()))
        limit = MAX_BATCH_FILE_BYTES if purpose == "batch" else MAX_FILE_BYTES
        try:
            while chunk := await upload.read(_CHUNK):
                stored.size += len(chunk)
                if stored.size > limit:
                    raise APIErrorResponse(
                        413, f"A {purpose} file may be at most {limit // MB} MB.", param="file"
                    )
                stored.data.write(chunk)
        except BaseException:
            stored.data.close()
            raise
    finally:
        await form.close()
    return JSONResponse(app.files.add(stored).describe())


async def retrieve_file(request: Request) -> Response:
    """`GET /files/{file_id}`."""
    app = app_of(request)
    return JSONResponse(found(app, request.path_params["file_id"]).describe())


async def delete_file(request: Request) -> Response:
    """`DELETE /files/{file_id}`."""
    app = app_of(request)
    stored = found(app, request.path_params["file_id"])
    app.files.pop(stored.id)
    stored.data.close()
    return JSONResponse({"id": stored.id, "object": "file", "deleted": True})


async def file_content(request: Request) -> Response:
    """`GET /files/{file_id}/content`: the bytes, streamed."""
    stored = found(app_of(request), request.path_params["file_id"])

    async def chunks() -> AsyncIterator[bytes]:
        position = 0
        while True:
            stored.data.seek(position)  # other readers may move the shared position between chunks
            chunk = stored.data.read(_CHUNK)
            if not chunk:
                return
            position += len(chunk)
            yield chunk

    return StreamingResponse(chunks(), media_type="application/octet-stream")
