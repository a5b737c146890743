"""The Batch API's calls (`/files`, `/batches`) through a `Client`: the generated endpoints build
each request, the client sends it with its key and retry policy, and answers are parsed by the
generated models. Downloads are streamed line by line.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2

from .._client import Client
from .._errors import APIResponseValidationError, status_error
from .._generated import from_unset
from .._types import NOT_GIVEN


@dataclass(frozen=True, slots=True)
class BatchInfo:
    """What the job needs of a `Batch`: its id, status, counts and result files."""

    id: str
    status: str
    total: int = 0
    completed: int = 0
    failed: int = 0
    output_file_id: str | None = None
    error_file_id: str | None = None
    errors: tuple[str, ...] = ()
    metadata: dict[str, str] | None = None

    @property
    def finished(self) -> bool:
        return self.status in ("completed", "failed", "expired", "cancelled")


def _send(
    client: Client, kwargs: dict[str, Any], *, stream: bool = False, rewind: Any = None
) -> httpx2.Response:
    http = client._http
    kwargs = {**kwargs, "url": client._resolve(kwargs["url"])}

    def send() -> httpx2.Response:
        if rewind is not None:
            rewind.seek(0)  # a retried upload sends the file again from its start
        return http.send(http.build_request(**kwargs), stream=stream)

    response: httpx2.Response = client._send(None, send)[0]  # type: ignore[arg-type]
    if not response.is_success:
        if stream:
            response.read()
            response.close()
        raise status_error(response)
    return response


def _options(client: Client) -> Any:
    return client._options(NOT_GIVEN, None, None, stream=False)


def _parsed(response: httpx2.Response, model: Any) -> Any:
    try:
        return model.from_dict(response.json())
    except (ValueError, KeyError, TypeError) as exc:
        name = model.__name__
        message = f"the {response.status_code} answer is not a {name}: {type(exc).__name__}: {exc}"
        raise APIResponseValidationError(message, response=response) from exc


def upload(client: Client, path: Path) -> str:
    """Upload a JSONL file with purpose `batch` (streamed from disk); its file id."""
    from images_api.api.files import create_file
    from images_api.models import CreateFileRequest, CreateFileRequestPurpose, OpenAIFile
    from images_api.types import File

    with path.open("rb") as handle:
        body = CreateFileRequest(
            file=File(payload=handle, file_name=path.name, mime_type="application/jsonl"),
            purpose=CreateFileRequestPurpose.BATCH,
        )
        kwargs = create_file.build_request(body=body, request_options=_options(client))
        stored = _parsed(_send(client, kwargs, rewind=handle), OpenAIFile)
    return str(stored.id)


def create(client: Client, file_id: str, endpoint: str, metadata: dict[str, str]) -> BatchInfo:
    """Start a batch over an uploaded file."""
    from images_api.api.batch import create_batch
    from images_api.models import Batch, CreateBatchRequest, CreateBatchRequestCompletionWindow, MetadataType0

    labels = MetadataType0()
    labels.additional_properties = dict(metadata)
    body = CreateBatchRequest(
        input_file_id=file_id,
        endpoint=endpoint,
        completion_window=CreateBatchRequestCompletionWindow.VALUE_0,
        metadata=labels,
    )
    kwargs = create_batch.build_request(body=body, request_options=_options(client))
    return _info(_parsed(_send(client, kwargs), Batch))


def retrieve(client: Client, batch_id: str) -> BatchInfo:
    from images_api.api.batch import retrieve_batch
    from images_api.models import Batch

    kwargs = retrieve_batch.build_request(batch_id, request_options=_options(client))
    return _info(_parsed(_send(client, kwargs), Batch))


def cancel(client: Client, batch_id: str) -> BatchInfo:
    from images_api.api.batch import cancel_batch
    from images_api.models import Batch

    kwargs = cancel_batch.build_request(batch_id, request_options=_options(client))
    return _info(_parsed(_send(client, kwargs), Batch))


def find(client: Client, metadata: dict[str, str], pages: int = 20) -> BatchInfo | None:
    """The newest batch labelled with all of `metadata`, looking through the first `pages` pages:
    how a run that stopped between creating a batch and recording it finds that batch again."""
    from images_api.api.batch import list_batches
    from images_api.models import ListBatchesResponse

    after = None
    for _ in range(pages):
        options = _options(client)
        kwargs = list_batches.build_request(
            limit=100, request_options=options, **({"after": after} if after else {})
        )
        page = _parsed(_send(client, kwargs), ListBatchesResponse)
        for batch in page.data:
            info = _info(batch)
            if info.metadata and all(info.metadata.get(k) == v for k, v in metadata.items()):
                return info
        if not page.has_more or not page.data:
            return None
        after = page.data[-1].id
    return None


@contextmanager
def lines(client: Client, file_id: str) -> Iterator[Iterator[str]]:
    """The lines of a stored file, streamed (the response is closed when the block ends)."""
    from images_api.api.files import download_file

    kwargs = download_file.build_request(file_id, request_options=_options(client))
    response = _send(client, kwargs, stream=True)
    try:
        yield response.iter_lines()
    finally:
        response.close()


def _info(batch: Any) -> BatchInfo:
    counts = from_unset(batch.request_counts)
    errors = from_unset(batch.errors)
    metadata = from_unset(batch.metadata)
    described = tuple(
        f"line {from_unset(e.line)}: {from_unset(e.message)}"
        if from_unset(e.line)
        else str(from_unset(e.message))
        for e in (from_unset(errors.data) or [] if errors else [])
    )
    return BatchInfo(
        id=batch.id,
        status=batch.status,
        total=counts.total if counts else 0,
        completed=counts.completed if counts else 0,
        failed=counts.failed if counts else 0,
        output_file_id=from_unset(batch.output_file_id),
        error_file_id=from_unset(batch.error_file_id),
        errors=described,
        metadata=dict(metadata.additional_properties) if metadata else None,
    )
