# ruff: noqa: INP001 - scripts run from this folder, not a package
"""
Fuzz ``load_config``: files, an environment mapping, overrides, presets.

Each input gives ``load_config`` up to two files (by argument and through
``QWEN3VL_CONFIG``, their bytes served without disk I/O, their names now
and then junk that reaches the real file system), ``QWEN3VL_*`` variables
(real and junk names, any text), overrides as a list of
``"dotted.path=value"`` strings or as a patch mapping, and the preset and
hardware-target arguments (real, junk, or ``auto``).

    python fuzz/fuzz_load_config.py 100000
"""

from __future__ import annotations

import os
import sys

import _files
import _harness


with _harness.instrumented():
    import _inputs

    from qwen3vl import load_config


def _file(draw: _inputs.Draw, i: int) -> str:
    suffix = draw.pick(_inputs.SUFFIXES)
    if draw.number(7) == 0:
        return draw.text(12) + suffix  # a junk name: the real file system
    name = f"layer-{i}{suffix}"
    _files.serve(name, draw.raw(2048))
    return name


def one_input(data: bytes) -> object:
    """Call load_config with sources built from `data`."""
    _files.forget()
    draw = _inputs.Draw(data)
    paths = [_file(draw, i) for i in range(draw.number(2))]
    env: dict[str, str] = {}
    for _ in range(draw.number(4)):
        name = draw.pick(
            (
                draw.pick(_inputs.ENV_NAMES),
                draw.pick(_inputs.ENV_NAMES),
                "QWEN3VL_" + draw.text(12),
                "QWEN3VL_CONFIG",
                draw.text(8),
            )
        )
        if name == "QWEN3VL_CONFIG":
            env[name] = os.pathsep.join(
                _file(draw, 2 + i) for i in range(draw.number(2))
            )
        else:
            env[name] = (
                draw.pick(_inputs.STRINGS) if draw.chance() else draw.text()
            )
    kind = draw.number(3)
    overrides: object = None
    if kind == 1:
        overrides = [
            f"{draw.key(_inputs.LEAVES)}{draw.pick(('=', '=', ' = ', ':', ''))}"
            f"{draw.pick(_inputs.STRINGS) if draw.chance() else draw.text()}"
            for _ in range(draw.number(4))
        ]
    elif kind == 2:
        overrides = draw.patch(_inputs.PATHS[_inputs.Qwen3VLConfig])
    elif kind == 3:
        overrides = draw.value(_inputs.ALL_KEYS)
    names = _inputs.list_presets()
    preset = draw.pick((None, None, *names.levels, "auto", draw.text(8)))
    target = draw.pick(
        (None, None, *names.hardware_targets, "auto", draw.text(8))
    )
    return load_config(
        *paths,
        preset=preset,
        hardware_target=target,
        env=env,
        overrides=overrides,  # type: ignore[arg-type]
    )


if __name__ == "__main__":
    _harness.main("load_config", one_input)
    sys.exit(0)
