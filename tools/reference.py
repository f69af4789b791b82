"""
The two pages of the manual that are made from the code, as a MkDocs hook.

``reference.md`` (every setting with its default, range and meaning) and
``api.md`` (every public name with its signature and summary) are rendered
from the code (field metadata, validators, docstrings) each time the
manual is built: ``mkdocs.yml`` names this file as a hook, and
`on_page_markdown` puts the rendered text in place of the short page that
is committed.  So the pages cannot drift from the code, and a new setting
changes no page by hand.  ``python tools/reference.py reference.md`` prints
a page.

A development tool, not part of the package: it reads qwen3vl's private
field metadata, and nothing in `qwen3vl` imports it.
"""

from __future__ import annotations

import inspect
import json
import sys

from collections.abc import Callable
from typing import Any

import qwen3vl

from qwen3vl._fields import fields_of
from qwen3vl._sections import Qwen3VLConfig
from qwen3vl._validators import Validator


__all__ = ["PAGES", "on_page_markdown", "render_api", "render_reference"]


def _default(validator: Validator, value: Any) -> str:
    written = validator.dump(value)
    return f"`{json.dumps(written)}`"


def _table(cls: type, prefix: str) -> list[str]:
    lines = [
        "| setting | default | valid values | description |",
        "|---------|---------|--------------|-------------|",
    ]
    for name, info in fields_of(cls).items():
        if info.section is not None or info.validator is None:
            continue
        path = f"{prefix}{name}"
        expected = info.validator.expected().replace("|", "\\|")
        lines.append(
            f"| `{path}` | {_default(info.validator, info.default)} "
            f"| {expected} | {info.description} |"
        )
    return lines


def render_reference() -> str:
    """Return docs/reference.md: every setting with its default, range and meaning."""
    out = [
        "# Configuration reference",
        "",
        (
            "Every setting, as files write it: the default, what is valid, and "
            'what it means. Sizes take units (`"6GiB"`); see '
            "[the model](index.md#values-and-units). The environment variable of a "
            "setting is `QWEN3VL_` and its path in capitals with `__` for each dot "
            "(see [loading](loading.md#environment-variables))."
        ),
        "",
        "## The root (`Qwen3VLConfig`)",
        "",
        *_table(Qwen3VLConfig, ""),
    ]
    for name, info in fields_of(Qwen3VLConfig).items():
        if info.section is None:
            continue
        out += [
            "",
            f"## `{name}` (`{info.section.__name__}`)",
            "",
            info.description,
            "",
            *_table(info.section, f"{name}."),
        ]
    return "\n".join(out) + "\n"


def _summary(obj: object) -> str:
    doc = inspect.getdoc(obj) or ""
    return " ".join(doc.split("\n\n")[0].split())


def render_api() -> str:
    """Return docs/api.md: every public name with its signature and summary."""
    out = [
        "# API",
        "",
        (
            "Everything below is importable from `qwen3vl`; the hardware names "
            "also from `qwen3vl.hardware`, the errors also from "
            "`qwen3vl.exceptions`. Names not listed here are private."
        ),
        "",
    ]
    for name in qwen3vl.__all__:
        obj = getattr(qwen3vl, name)
        if inspect.isclass(obj):
            # Config classes take every field as a keyword: the reference
            # lists them, a signature here would be a wall of text.
            out += [f"## `{name}`", "", f"*class* — {_summary(obj)}", ""]
        elif inspect.isfunction(obj):
            signature = inspect.signature(obj)
            out += [
                f"## `{name}{signature}`",
                "",
                f"*function* — {_summary(obj)}",
                "",
            ]
        else:
            out += [f"## `{name}`", "", f"*constant* — `{obj!r}`", ""]
    return "\n".join(out).rstrip("\n") + "\n"


#: Each page made from the code, by its path in ``docs/``, with its renderer.
PAGES: dict[str, Callable[[], str]] = {
    "reference.md": render_reference,
    "api.md": render_api,
}


def on_page_markdown(markdown: str, *, page: Any, **_: Any) -> str:
    """Return the rendered text of a page made from the code, else `markdown` as it is."""
    render = PAGES.get(page.file.src_uri)
    return markdown if render is None else render()


if __name__ == "__main__":
    for name in sys.argv[1:] or sorted(PAGES):
        sys.stdout.write(PAGES[name]())
