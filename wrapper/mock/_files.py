"""`/files`: upload, describe, download and delete stored files (Batch API inputs and outputs);
downloads are streamed in chunks."""

from __future__ import annotations

from collections.abc import AsyncIterator

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from .._capabilities import MB
from ._errors import APIErrorResponse
from ._filestore import CHUNK, MAX_BATCH_FILE_BYTES, MAX_FILE_BYTES, PURPOSES, StoredFile
from ._forms import content_type
from ._state import MockApp, app_of


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
            while chunk := await upload.read(CHUNK):
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
            chunk = stored.data.read(CHUNK)
            if not chunk:
                return
            position += len(chunk)
            yield chunk

    return StreamingResponse(chunks(), media_type="application/octet-stream")
