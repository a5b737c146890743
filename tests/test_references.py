"""The reference variant of edits as generated from openapi.yaml, and the reference values."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
import yaml
from mock_support import png

import wrapper
from wrapper._references import FILE_KEY, URL_KEY, wire_references
from wrapper._spec import OPERATIONS

SPEC = yaml.safe_load((Path(__file__).resolve().parents[1] / "openapi.yaml").read_text())


def test_the_reference_keys_are_the_specs() -> None:
    reference = SPEC["components"]["schemas"]["ImageReference"]
    assert set(reference["properties"]) == {URL_KEY, FILE_KEY}
    assert [alternative["required"] for alternative in reference["oneOf"]] == [[URL_KEY], [FILE_KEY]]


def test_edits_have_a_json_variant_with_reference_parameters() -> None:
    edit = OPERATIONS["edit"]
    variant = edit.by_reference
    assert variant is not None
    assert (edit.content_type, variant.content_type) == ("multipart/form-data", "application/json")
    assert edit.body_for("application/json") is variant
    assert {p.name: (p.kind, p.upload) for p in variant.references} == {
        "images": ("references", "image"),
        "mask": ("reference", "mask"),
    }
    assert (variant.params["images"].min_items, variant.params["images"].max_items) == (1, 16)
    assert variant.params["model"].nullable
    assert OPERATIONS["generate"].by_reference is None


def test_the_public_edit_takes_references_where_it_takes_files() -> None:

    parameters = inspect.signature(wrapper.Images.edit).parameters
    assert "ImageReference" in str(parameters["image"].annotation)
    assert "ImageReference" in str(parameters["mask"].annotation)
    assert "ImageReference" in str(parameters["images"].annotation)
    assert parameters["image"].default is wrapper.NOT_GIVEN  # references may stand in for it


def test_typed_values_and_dicts_go_out_alike() -> None:
    images = OPERATIONS["edit"].by_reference.params["images"]  # type: ignore[union-attr]
    wired = wire_references(images, [wrapper.ImageURL("https://a.test/x.png"), wrapper.FileID("file-1")])
    assert wired == [{"image_url": "https://a.test/x.png"}, {"file_id": "file-1"}]
    assert wire_references(images, [{"file_id": "file-1"}]) == [{"file_id": "file-1"}]


def test_an_image_url_from_bytes_is_a_data_url_and_its_repr_stays_short() -> None:
    url = wrapper.ImageURL.from_bytes(png((64, 64)))
    assert url.url.startswith("data:image/png;base64,iVBOR")
    assert len(repr(url)) < 120


@pytest.mark.parametrize("value", [b"bytes", "https://a.test/x.png", {"url": "x"}, {"image_url": 3}])
def test_a_value_that_is_not_a_reference_names_the_item(value: object) -> None:
    images = OPERATIONS["edit"].by_reference.params["images"]  # type: ignore[union-attr]
    with pytest.raises(wrapper.ValidationError) as caught:
        wire_references(images, [value])
    assert caught.value.param in ("images[0]", "images[0].image_url")
