# ruff: noqa: INP001 - scripts run from this folder, not a package
"""
Fuzz ``from_dict`` of every config class with edited and invented dicts.

Half the inputs start from a valid dict (a preset's, in either dict form)
with a few leaves set to junk, deleted or added, so that they reach the
cross-field rules; the rest are invented mappings of real and junk keys.

    python fuzz/fuzz_from_dict.py 100000
"""

from __future__ import annotations

import sys

import _harness


with _harness.instrumented():
    import _inputs


def one_input(data: bytes) -> object:
    """Build a dict from `data` and give it to ``from_dict``."""
    draw = _inputs.Draw(data)
    cls = draw.pick(_inputs.CLASSES)
    paths = _inputs.PATHS[cls]
    if draw.chance():
        bases = [d for d in _inputs.DICTS if _belongs(d, cls)] or [{}]
        value = draw.edited(draw.pick(bases), paths)
    else:
        value = (
            draw.value(paths) if draw.number(7) == 0 else draw.mapping(paths)
        )
    return cls.from_dict(value)


def _belongs(data: dict[str, object], cls: type) -> bool:
    names = set(_inputs.fields_of(cls))
    return set(data) <= names


if __name__ == "__main__":
    _harness.main("from_dict", one_input)
    sys.exit(0)
