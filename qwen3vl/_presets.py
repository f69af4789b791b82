"""
Finding and reading the shipped presets.

Presets are partial configuration files in the top-level ``presets/`` folder
of the source tree: ``levels/<optimization level>.toml`` and
``hardware/<hardware target>.toml``.  The wheel carries them inside the
package as ``qwen3vl/presets`` (hatchling's ``force-include``); a source
checkout, where that folder does not exist, reads them from beside the
package.

Strictly private.
"""

from __future__ import annotations

import functools
import pathlib

from typing import Any

import attrs

from ._errors import closest, short
from ._formats import read_document
from ._layers import Layer
from .exceptions import ConfigError, Problem


__all__ = [
    "HARDWARE",
    "LEVELS",
    "PresetNames",
    "list_presets",
    "has_preset",
    "preset_folder",
    "preset_layers",
    "read_preset",
    "target_machine",
]

LEVELS = "levels"
HARDWARE = "hardware"

#: A hardware preset's table that describes the machine, not settings.
MACHINE = "machine"


@attrs.frozen
class PresetNames:
    """
    The names of the shipped presets.

    Attributes:
        levels: Optimization levels (``"minimal"``, ``"balanced"``, ...).
        hardware_targets: Hardware targets (``"cpu_only"``, ...).

    .. versionadded:: 0.1.0
    """

    levels: tuple[str, ...]
    hardware_targets: tuple[str, ...]


@functools.cache
def preset_folder() -> pathlib.Path:
    """Return the folder that holds the presets, installed or checked out."""
    # Imported here, once (the result is cached): importlib.resources is slow
    # to import and `import qwen3vl` should not pay for it (issue 8).
    import importlib.resources  # noqa: PLC0415

    installed = importlib.resources.files("qwen3vl") / "presets"
    if installed.is_dir():
        return pathlib.Path(str(installed))
    return pathlib.Path(__file__).resolve().parent.parent / "presets"


def _names(kind: str) -> tuple[str, ...]:
    folder = preset_folder() / kind
    return tuple(sorted(p.stem for p in folder.glob("*.toml")))


def list_presets() -> PresetNames:
    """
    Return the names of every shipped optimization level and hardware target.

    .. versionadded:: 0.1.0
    """
    return PresetNames(
        levels=_names(LEVELS), hardware_targets=_names(HARDWARE)
    )


def read_preset(kind: str, name: str, path: str) -> tuple[Any, str]:
    """
    Return the data of preset `name` of `kind` and its source label.

    `path` is the dotted field that named the preset, for the error when no
    such preset exists.
    """
    data = _document(kind, name, path)
    if kind == HARDWARE and isinstance(data, dict):
        # The machine's shape is no setting: `target_machine` reads it.
        data = {key: value for key, value in data.items() if key != MACHINE}
    return data, f"{'preset' if kind == LEVELS else 'hardware'}:{name}"


def _document(kind: str, name: str, path: str) -> Any:
    """Return the whole file of preset `name` of `kind`."""
    known = _names(kind)
    if name not in known:
        what = "optimization level" if kind == LEVELS else "hardware target"
        message = (
            f"no {what} preset named {short(name)} (known: {', '.join(known)})"
        )
        near = closest(name, known)
        if near:
            message += f"; did you mean {near!r}?"
        raise ConfigError([Problem(path, message)])
    data, _, _ = read_document(preset_folder() / kind / f"{name}.toml")
    return data


def target_machine(name: str) -> tuple[int, int]:
    """
    Return the GPUs of one node and the nodes of hardware target `name`.

    They are its ``[machine]`` table's ``gpus_per_node`` and ``nodes``:
    the machine's shape, which no setting holds (the settings describe
    one GPU and one node's CPU).  Without the table: one GPU, one node.

    Raises:
        ConfigError: there is no such preset, or its table is not two
            whole numbers of at least 1.
    """
    data = _document(HARDWARE, name, "hardware_target")
    table = data.get(MACHINE, {}) if isinstance(data, dict) else {}
    shape = []
    for key in ("gpus_per_node", "nodes"):
        value = table.get(key, 1) if isinstance(table, dict) else None
        if type(value) is not int or value < 1:
            raise ConfigError(
                [
                    Problem(
                        f"{MACHINE}.{key}",
                        f"hardware preset {name!r}: must be a whole number"
                        f" of at least 1 (got {short(value)})",
                    )
                ]
            )
        shape.append(value)
    return shape[0], shape[1]


def has_preset(kind: str, name: str | None) -> bool:
    """Tell whether a preset `name` of `kind` is shipped."""
    return name in _names(kind)


def preset_layers(
    level: str | None, hardware_target: str | None
) -> tuple[list[Layer], list[Problem]]:
    """
    Return the layers of the level and hardware presets, lowest first.

    A name without a preset is returned as a problem (listing the known
    names), so that callers can go on and report everything at once.
    """
    layers = []
    problems: list[Problem] = []
    for kind, name, path in (
        (LEVELS, level, "optimization_level"),
        (HARDWARE, hardware_target, "hardware_target"),
    ):
        if name is None:
            continue
        try:
            data, label = read_preset(kind, name, path)
        except ConfigError as e:
            problems.extend(e.problems)
            continue
        layers.append(Layer(label, data, source=label))
    return layers, problems
