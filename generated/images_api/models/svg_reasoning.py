from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.svg_reasoning_effort_type_0 import SvgReasoningEffortType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="SvgReasoning")


@_attrs_define
class SvgReasoning:
    """How hard the SVG author thinks; its default effort when not given.

    Attributes:
        effort (None | SvgReasoningEffortType0 | Unset): The SVG author's reasoning effort (null: its default). Which
            efforts a given author model takes is up to that model.
    """

    effort: None | SvgReasoningEffortType0 | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        effort: None | str | Unset
        if isinstance(self.effort, Unset):
            effort = UNSET
        elif isinstance(self.effort, SvgReasoningEffortType0):
            effort = self.effort.value
        else:
            effort = self.effort

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if effort is not UNSET:
            field_dict["effort"] = effort

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_effort(data: object) -> None | SvgReasoningEffortType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                effort_type_0 = SvgReasoningEffortType0(data)

                return effort_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SvgReasoningEffortType0 | Unset, data)

        effort = _parse_effort(d.pop("effort", UNSET))

        svg_reasoning = cls(
            effort=effort,
        )

        return svg_reasoning
