"""Every Python example in README.md and docs/ runs, and prints what it says."""

from __future__ import annotations

import contextlib
import io
import re

import pytest

from helpers import DATA, ROOT


PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

# A ```python block, optionally followed by "prints" and a ```text block
# holding its exact output.  The newline right after "python" is what
# leaves out a block fenced as ```python title="interop": such examples
# need torch, and tests/test_integration_interop.py runs them instead.
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

#: Every example runs in a fresh folder beside this model folder, which holds
#: the checkpoint's real config.json, as a user's download would.
MODEL = "Qwen3-VL-8B-Instruct"


@pytest.fixture(autouse=True)
def _beside_a_model(tmp_path):
    folder = tmp_path / MODEL
    folder.mkdir()
    (folder / "config.json").write_bytes(
        (DATA / f"{MODEL}.config.json").read_bytes()
    )


def test_there_are_examples():
    """The pages have examples to run (the regex has not silently broken)."""
    assert len(EXAMPLES) >= 5


def test_interop_examples_are_left_out():
    """A ```python title="interop" block is not run here (it needs torch)."""
    text = (ROOT / "docs" / "integration.md").read_text(encoding="utf-8")

    assert '```python title="interop"\n' in text
    assert not any("from transformers" in code for _, code, _ in EXAMPLES)


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


# A ```console block (its title, if any, says what folder it runs beside):
# "$ qwen3vl ..." lines, each followed by its exact output (standard output
# and standard error together, as a terminal shows).
CONSOLE = re.compile(
    r'```console(?: title="[^"\n]*")?\n(?P<body>.*?)```', re.DOTALL
)


def _sessions() -> list[tuple[str, str, str]]:
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for match in CONSOLE.finditer(text):
            command, output = "", []
            for line in match["body"].splitlines(keepends=True):
                if line.startswith("$ "):
                    if command:
                        found.append((page.name, command, "".join(output)))
                    command, output = line[2:].strip(), []
                else:
                    output.append(line)
            if command:
                found.append((page.name, command, "".join(output)))
    return found


SESSIONS = _sessions()


def test_there_are_console_examples():
    """docs/cli.md has command examples (the pattern has not broken)."""
    assert len(SESSIONS) >= 4


@pytest.mark.parametrize(
    ("command", "expected"),
    [(command, out) for _, command, out in SESSIONS],
    ids=[command[:60] for _, command, _ in SESSIONS],
)
def test_console_example_prints_what_it_says(
    tmp_path, monkeypatch, command, expected
):
    """Each documented command, run in-process, prints exactly its output."""
    import shlex

    from qwen3vl._cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    argv = shlex.split(command)
    assert "qwen3vl" == argv[0]
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        main(argv[1:])

    assert expected == out.getvalue()
