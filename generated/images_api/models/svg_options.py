from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.svg_reasoning import SvgReasoning


T = TypeVar("T", bound="SvgOptions")


@_attrs_define
class SvgOptions:
    """Which model writes the SVG, and how hard it reasons. Only with output_format svg; give `model` when the account may
    choose the SVG author, otherwise leave the object out. The request's own `model` still draws the reference image. In
    multipart bodies it goes out as bracketed fields: `svg[model]`, `svg[reasoning][effort]`.

        Attributes:
            model (str | Unset): The model that writes the SVG.
            reasoning (SvgReasoning | Unset): How hard the SVG author thinks; its default effort when not given.
    """

    model: str | Unset = UNSET
    reasoning: SvgReasoning | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        model = self.model

        reasoning: dict[str, Any] | Unset = UNSET
        if not isinstance(self.reasoning, Unset):
            reasoning = self.reasoning.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if model is not UNSET:
            field_dict["model"] = model
        if reasoning is not UNSET:
            field_dict["reasoning"] = reasoning

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.svg_reasoning import SvgReasoning  # noqa: PLC0415

        d = dict(src_dict)
        model = d.pop("model", UNSET)

        _reasoning = d.pop("reasoning", UNSET)
        reasoning: SvgReasoning | Unset
        if isinstance(_reasoning, Unset):
            reasoning = UNSET
        else:
            reasoning = SvgReasoning.from_dict(_reasoning)

        svg_options = cls(
            model=model,
            reasoning=reasoning,
        )

        return svg_options
