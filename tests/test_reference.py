"""The manual's reference pages are made from the code when it is built."""

from __future__ import annotations

import importlib.util
import types

import pytest
import yaml

from qwen3vl import Qwen3VLConfig
from qwen3vl._fields import leaf_paths

from helpers import ROOT


def _load_tool() -> types.ModuleType:
    """Load tools/reference.py, which is not part of the package, by path."""
    spec = importlib.util.spec_from_file_location(
        "_reference_tool", ROOT / "tools" / "reference.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


reference = _load_tool()


def _page(src_uri: str) -> object:
    """A stand-in for MkDocs' Page: the hook reads only `file.src_uri`."""
    return types.SimpleNamespace(file=types.SimpleNamespace(src_uri=src_uri))


def test_reference_lists_every_setting():
    """Each leaf path of the config appears in the reference, with its description."""
    text = reference.render_reference()

    for path in leaf_paths(Qwen3VLConfig):
        assert f"| `{path}` |" in text


def test_api_lists_every_public_name():
    """Each name in qwen3vl.__all__ has a section in the API page."""
    import qwen3vl

    text = reference.render_api()

    for name in qwen3vl.__all__:
        assert f"## `{name}" in text


@pytest.mark.parametrize("name", sorted(reference.PAGES))
def test_hook_renders_the_page_from_the_code(name):
    """The committed short page is replaced by the rendered one on build."""
    committed = (ROOT / "docs" / name).read_text(encoding="utf-8")

    built = reference.on_page_markdown(committed, page=_page(name))

    assert reference.PAGES[name]() == built
    assert committed.splitlines()[-1] not in built


def test_hook_leaves_other_pages_alone():
    """Every page written by hand is built as written."""
    text = "# Quick start\n"

    assert text == reference.on_page_markdown(
        text, page=_page("quickstart.md")
    )


def test_mkdocs_runs_the_hook_and_lists_the_pages():
    """mkdocs.yml names the tool as a hook and both pages in the nav."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    nav = {page for entry in config["nav"] for page in entry.values()}

    assert ["tools/reference.py"] == config["hooks"]
    assert set(reference.PAGES) <= nav
