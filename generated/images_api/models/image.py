from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Image")


@_attrs_define
class Image:
    """One result image, as base64 data or as a URL.

    Attributes:
        b64_json (str | Unset): The image file, base64-encoded. Always present for the GPT image models; for dall-e
            models only with response_format b64_json.
        revised_prompt (str | Unset): The prompt dall-e-3 actually drew from, after rewriting the one sent.
        url (str | Unset): Where to download the image (dall-e models with response_format url, the default). Valid for
            60 minutes.
    """

    b64_json: str | Unset = UNSET
    revised_prompt: str | Unset = UNSET
    url: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        b64_json = self.b64_json

        revised_prompt = self.revised_prompt

        url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if b64_json is not UNSET:
            field_dict["b64_json"] = b64_json
        if revised_prompt is not UNSET:
            field_dict["revised_prompt"] = revised_prompt
        if url is not UNSET:
            field_dict["url"] = url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        b64_json = d.pop("b64_json", UNSET)

        revised_prompt = d.pop("revised_prompt", UNSET)

        url = d.pop("url", UNSET)

        image = cls(
            b64_json=b64_json,
            revised_prompt=revised_prompt,
            url=url,
        )

        image.additional_properties = d
        return image

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
