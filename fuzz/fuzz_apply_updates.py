# ruff: noqa: INP001 - scripts run from this folder, not a package
"""
Fuzz ``apply_updates``: any patch to any valid config or section.

Patches name real dotted paths (also mangled: case, spaces, stray dots,
the old flat names, paths deeper than the schema), spelled dotted, nested
or both, with junk values, deep nests and Python values no file can hold.

    python fuzz/fuzz_apply_updates.py 100000
"""

from __future__ import annotations

import sys

import _harness


with _harness.instrumented():
    import _inputs

    from qwen3vl import apply_updates


def one_input(data: bytes) -> object:
    """Apply a patch built from `data` to a valid config."""
    draw = _inputs.Draw(data)
    config = draw.pick(_inputs.CONFIGS)
    return apply_updates(config, draw.patch(_inputs.PATHS[type(config)]))


if __name__ == "__main__":
    _harness.main("apply_updates", one_input)
    sys.exit(0)
