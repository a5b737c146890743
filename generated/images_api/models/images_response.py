from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.image import Image
    from ..models.images_usage import ImagesUsage
    from ..models.svg_usage import SvgUsage


T = TypeVar("T", bound="ImagesResponse")


@_attrs_define
class ImagesResponse:
    """The result of a generation, edit or variation.

    Attributes:
        created (int): When the images were created, in Unix seconds.
        background (str | Unset): The background used, transparent or opaque (GPT image models).
        data (list[Image] | Unset): The images, in order (the API may leave it out).
        output_format (str | Unset): The file format of the images, png, webp or jpeg (GPT image models).
        quality (str | Unset): The quality used, low, medium or high (GPT image models).
        size (str | Unset): The size of the images, WIDTHxHEIGHT (GPT image models).
        usage (ImagesUsage | Unset): Token accounting of a GPT image model request.
        safety_identifier (str | Unset): The end-user identifier the request was monitored under: its safety_identifier,
            or its user when safety_identifier was absent or empty.
        svg_usage (SvgUsage | Unset): Tokens spent writing an SVG, counted apart from the image tokens in usage.
    """

    created: int
    background: str | Unset = UNSET
    data: list[Image] | Unset = UNSET
    output_format: str | Unset = UNSET
    quality: str | Unset = UNSET
    size: str | Unset = UNSET
    usage: ImagesUsage | Unset = UNSET
    safety_identifier: str | Unset = UNSET
    svg_usage: SvgUsage | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created = self.created

        background = self.background

        data: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = []
            for data_item_data in self.data:
                data_item = data_item_data.to_dict()
                data.append(data_item)

        output_format = self.output_format

        quality = self.quality

        size = self.size

        usage: dict[str, Any] | Unset = UNSET
        if not isinstance(self.usage, Unset):
            usage = self.usage.to_dict()

        safety_identifier = self.safety_identifier

        svg_usage: dict[str, Any] | Unset = UNSET
        if not isinstance(self.svg_usage, Unset):
            svg_usage = self.svg_usage.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created": created,
            }
        )
        if background is not UNSET:
            field_dict["background"] = background
        if data is not UNSET:
            field_dict["data"] = data
        if output_format is not UNSET:
            field_dict["output_format"] = output_format
        if quality is not UNSET:
            field_dict["quality"] = quality
        if size is not UNSET:
            field_dict["size"] = size
        if usage is not UNSET:
            field_dict["usage"] = usage
        if safety_identifier is not UNSET:
            field_dict["safety_identifier"] = safety_identifier
        if svg_usage is not UNSET:
            field_dict["svg_usage"] = svg_usage

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.image import Image  # noqa: PLC0415
        from ..models.images_usage import ImagesUsage  # noqa: PLC0415
        from ..models.svg_usage import SvgUsage  # noqa: PLC0415

        d = dict(src_dict)
        created = d.pop("created")

        background = d.pop("background", UNSET)

        _data = d.pop("data", UNSET)
        data: list[Image] | Unset = UNSET
        if _data is not UNSET:
            data = []
            for data_item_data in _data:
                data_item = Image.from_dict(data_item_data)

                data.append(data_item)

        output_format = d.pop("output_format", UNSET)

        quality = d.pop("quality", UNSET)

        size = d.pop("size", UNSET)

        _usage = d.pop("usage", UNSET)
        usage: ImagesUsage | Unset
        if isinstance(_usage, Unset):
            usage = UNSET
        else:
            usage = ImagesUsage.from_dict(_usage)

        safety_identifier = d.pop("safety_identifier", UNSET)

        _svg_usage = d.pop("svg_usage", UNSET)
        svg_usage: SvgUsage | Unset
        if isinstance(_svg_usage, Unset):
            svg_usage = UNSET
        else:
            svg_usage = SvgUsage.from_dict(_svg_usage)

        images_response = cls(
            created=created,
            background=background,
            data=data,
            output_format=output_format,
            quality=quality,
            size=size,
            usage=usage,
            safety_identifier=safety_identifier,
            svg_usage=svg_usage,
        )

        images_response.additional_properties = d
        return images_response

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
