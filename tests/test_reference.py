"""The generated manual pages match the code they describe."""

from __future__ import annotations

import importlib.util

import pytest

from helpers import ROOT


def _load_tool():
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


@pytest.mark.parametrize("page", sorted(reference.PAGES))
def test_committed_page_matches_the_code(page):
    """A changed field, default, range or docstring fails until regenerated."""
    expected = reference.PAGES[page]()

    assert expected == (ROOT / page).read_text(encoding="utf-8"), (
        f"{page} is stale: run `nox -s reference`"
    )


def test_reference_lists_every_setting():
    """Each leaf path of the config appears in the reference."""
    from qwen3vl import Qwen3VLConfig
    from qwen3vl._fields import leaf_paths

    text = reference.render_reference()

    for path in leaf_paths(Qwen3VLConfig):
        assert f"| `{path}` |" in text


def test_api_lists_every_public_name():
    """Each name in qwen3vl.__all__ has a section in the API page."""
    import qwen3vl

    text = reference.render_api()

    for name in qwen3vl.__all__:
        assert f"## `{name}" in text


def test_tool_rewrites_a_stale_page(tmp_path, monkeypatch, capsys):
    """`python tools/reference.py` rewrites the pages that drifted, only."""
    for page in reference.PAGES:
        target = tmp_path / page
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            (ROOT / page).read_text(encoding="utf-8"), encoding="utf-8"
        )
    (tmp_path / "docs/api.md").write_text("stale\n", encoding="utf-8")
    monkeypatch.setattr(reference, "ROOT", tmp_path)

    assert 0 == reference.main()

    assert "rewrote docs/api.md\n" == capsys.readouterr().out
    assert reference.render_api() == (tmp_path / "docs/api.md").read_text(
        encoding="utf-8"
    )
