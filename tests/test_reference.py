"""The generated manual pages match the code they describe."""

from __future__ import annotations

import os
import pathlib

import pytest

from qwen3vl._reference import render_api, render_prebuilt, render_reference


ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("page", "render"),
    [
        ("docs/reference.md", render_reference),
        ("docs/api.md", render_api),
        ("qwen3vl/_prebuilt.py", render_prebuilt),
    ],
)
def test_committed_page_matches_the_code(page, render):
    """A changed field, default, range, docstring or generator fails until regenerated."""
    path = ROOT / page
    expected = render()
    if os.environ.get("REGENERATE_REFERENCE"):
        path.write_text(expected, encoding="utf-8")

    assert expected == path.read_text(encoding="utf-8"), (
        f"{page} is stale: run `nox -s reference`"
    )


def test_reference_lists_every_setting():
    """Each leaf path of the config appears in the reference."""
    from qwen3vl import Qwen3VLConfig
    from qwen3vl._fields import leaf_paths

    text = render_reference()

    for path in leaf_paths(Qwen3VLConfig):
        assert f"| `{path}` |" in text


def test_api_lists_every_public_name():
    """Each name in qwen3vl.__all__ has a section in the API page."""
    import qwen3vl

    text = render_api()

    for name in qwen3vl.__all__:
        assert f"## `{name}" in text
