"""Every Python example in README.md and docs/ runs, and prints what it says."""

from __future__ import annotations

import contextlib
import io
import pathlib
import re

import pytest


ROOT = pathlib.Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

# A ```python block, optionally followed by "prints" and a ```text block
# holding its exact output.
BLOCK = re.compile(
    r"```python\n(?P<code>.*?)```\n(?:\s*prints\s*\n\s*```text\n(?P<out>.*?)```)?",
    re.DOTALL,
)


def _examples() -> list[tuple[str, str, str | None]]:
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for i, match in enumerate(BLOCK.finditer(text)):
            found.append((f"{page.name}[{i}]", match["code"], match["out"]))
    return found


EXAMPLES = _examples()


def test_there_are_examples():
    """The pages have examples to run (the regex has not silently broken)."""
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize(
    ("code", "expected"),
    [(code, out) for _, code, out in EXAMPLES],
    ids=[name for name, _, _ in EXAMPLES],
)
def test_example_runs(tmp_path, monkeypatch, code, expected):
    """The example runs without error in a fresh folder and prints its output."""
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<docs>", "exec"), {"__name__": "__docs__"})  # noqa: S102

    if expected is not None:
        assert expected == out.getvalue()
