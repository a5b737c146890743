from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, TypeVar

from attrs import define as _attrs_define

from .. import types
from ..models.create_file_request_purpose import CreateFileRequestPurpose
from ..types import File

T = TypeVar("T", bound="CreateFileRequest")


@_attrs_define
class CreateFileRequest:
    """A file to store.

    Attributes:
        file (File): The file's bytes (for the Batch API, a JSONL file of request lines).
        purpose (CreateFileRequestPurpose): What the file is for; `batch` for a Batch API input.
    """

    file: File
    purpose: CreateFileRequestPurpose

    def to_dict(self) -> dict[str, Any]:
        file = self.file.to_tuple()

        purpose = self.purpose.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "file": file,
                "purpose": purpose,
            }
        )

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("file", self.file.to_tuple()))

        files.append(
            ("purpose", (None, str(self.purpose.value).encode(), "text/plain"))
        )

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        file = File(payload=BytesIO(d.pop("file")))

        purpose = CreateFileRequestPurpose(d.pop("purpose"))

        create_file_request = cls(
            file=file,
            purpose=purpose,
        )

        return create_file_request
