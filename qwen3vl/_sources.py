"""
`load_config`: one configuration from defaults, presets, files, the
environment and overrides, with one precedence and provenance.

Strictly private.
"""

from __future__ import annotations

import difflib
import functools
import os

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ._converters import structure
from ._formats import read_document
from ._layers import Layer, leaf_paths, merge
from ._presets import preset_layers
from ._schema import FieldInfo, fields_of
from ._sections import Qwen3VLConfig
from ._validators import Invalid
from .exceptions import ConfigError, Problem


__all__ = [
    "CONFIG_FILES_VARIABLE",
    "ENV_PREFIX",
    "env_name",
    "load_config",
    "load_config_traced",
]

ENV_PREFIX = "QWEN3VL_"
#: Names config files to load, separated by `os.pathsep`.
CONFIG_FILES_VARIABLE = "QWEN3VL_CONFIG"
OVERRIDE = "override"

Environment = Mapping[str, str] | bool | None
Overrides = Mapping[str, Any] | Sequence[str] | None


def env_name(path: str) -> str:
    """Return the environment variable for dotted `path`."""
    return ENV_PREFIX + path.upper().replace(".", "__")


@functools.cache
def _leaves() -> dict[str, FieldInfo]:
    """Every leaf of the root by dotted path, with its field info."""
    table = {}
    for path in leaf_paths(Qwen3VLConfig):
        *sections, name = path.split(".")
        cls: type = Qwen3VLConfig
        for part in sections:
            section = fields_of(cls)[part].section
            assert section is not None  # noqa: S101 - leaf_paths walks sections
            cls = section
        table[path] = fields_of(cls)[name]
    return table


@functools.cache
def _env_index() -> dict[str, str]:
    return {env_name(path): path for path in _leaves()}


def _nest(path: str, value: Any) -> dict[str, Any]:
    head, _, rest = path.partition(".")
    return {head: _nest(rest, value) if rest else value}


def _environment(env: Environment) -> Mapping[str, str]:
    if env is None or env is True:
        return os.environ
    if env is False:
        return {}
    return env


def _file_layers(
    paths: Iterable[str | os.PathLike[str]],
) -> tuple[list[Layer], list[Problem]]:
    layers = []
    problems: list[Problem] = []
    for path in paths:
        try:
            data, lines, source = read_document(path)
        except ConfigError as e:
            problems.extend(e.problems)
            continue
        layers.append(Layer(f"file:{source}", data, source, lines))
    return layers, problems


def _env_layers(
    environ: Mapping[str, str],
) -> tuple[list[Layer], list[Problem]]:
    layers = []
    problems: list[Problem] = []
    index = _env_index()
    for name in sorted(environ):
        if not name.startswith(ENV_PREFIX) or name == CONFIG_FILES_VARIABLE:
            continue
        path = index.get(name)
        if path is None:
            message = f"unknown variable {name!r}"
            near = difflib.get_close_matches(
                name, list(index), n=1, cutoff=0.8
            )
            if near:
                message += f"; did you mean {near[0]!r}?"
            problems.append(Problem("", message, name))
            continue
        validator = _leaves()[path].validator
        assert validator is not None  # noqa: S101 - leaves have validators
        try:
            value = validator.from_text(environ[name])
        except Invalid as e:
            problems.append(Problem(path, e.message, name))
            continue
        layers.append(Layer(f"env:{name}", _nest(path, value), name))
    return layers, problems


def _override_layer(overrides: Overrides) -> tuple[list[Layer], list[Problem]]:
    if overrides is None:
        return [], []
    if isinstance(overrides, Mapping):
        return [Layer(OVERRIDE, overrides, OVERRIDE, none_resets=True)], []
    if isinstance(overrides, str) or not isinstance(overrides, Sequence):
        problem = Problem(
            "",
            "overrides must be a mapping or a list of 'dotted.path=value' "
            f"strings (got {type(overrides).__name__})",
            OVERRIDE,
        )
        return [], [problem]
    data: dict[str, Any] = {}
    problems: list[Problem] = []
    for item in overrides:
        path, sep, text = (
            item.partition("=") if isinstance(item, str) else ("", "", "")
        )
        path = path.strip()
        if not sep or not path:
            problems.append(
                Problem(
                    "",
                    f"expected 'dotted.path=value' (got {item!r})",
                    OVERRIDE,
                )
            )
            continue
        info = _leaves().get(path)
        if info is None or info.validator is None:
            # Left for structuring to report, with its "did you mean".
            data[path] = text
            continue
        try:
            data[path] = info.validator.from_text(text)
        except Invalid as e:
            problems.append(Problem(path, e.message, OVERRIDE))
    return [Layer(OVERRIDE, data, OVERRIDE)], problems


def _named(
    merged_data: Mapping[str, Any], field: str, fallback: str | None
) -> str | None:
    value = merged_data.get(field, fallback)
    # A value of the wrong type is left for structuring to report.
    return value if isinstance(value, str) else None


def load_config_traced(
    *paths: str | os.PathLike[str],
    preset: str | None = None,
    hardware_target: str | None = None,
    env: Environment = None,
    overrides: Overrides = None,
) -> tuple[Qwen3VLConfig, dict[str, str]]:
    """
    Load like `load_config` and also say where every value came from.

    Returns:
        The config, and a mapping from every dotted leaf path to the layer
        that set it: ``"default"``, ``"preset:<level>"``,
        ``"hardware:<target>"``, ``"file:<path>"``, ``"env:<VARIABLE>"`` or
        ``"override"``.

    .. versionadded:: 0.1.0
    """
    environ = _environment(env)
    files = list(paths)
    files += [
        p
        for p in environ.get(CONFIG_FILES_VARIABLE, "").split(os.pathsep)
        if p
    ]

    file_layers, problems = _file_layers(files)
    env_layers, env_problems = _env_layers(environ)
    override_layers, override_problems = _override_layer(overrides)
    problems += env_problems + override_problems
    user_layers = file_layers + env_layers + override_layers
    try:
        # The level and the target may come from any layer: read them from
        # the merged user layers first, then put their presets underneath.
        user = merge(user_layers)
        level = _named(user.data, "optimization_level", preset)
        target = _named(user.data, "hardware_target", hardware_target)
        merged = merge([*preset_layers(level, target), *user_layers])
        config = structure(merged.data, Qwen3VLConfig, locate=merged.locate)
    except ConfigError as e:
        # Report what the readable sources say wrong too, all at once.
        raise ConfigError([*problems, *e.problems]) from None
    if problems:
        raise ConfigError(problems)
    return config, merged.origins(Qwen3VLConfig)


def load_config(
    *paths: str | os.PathLike[str],
    preset: str | None = None,
    hardware_target: str | None = None,
    env: Environment = None,
    overrides: Overrides = None,
) -> Qwen3VLConfig:
    """
    Load one configuration from every source, in one precedence.

    From lowest to highest: the class defaults; the optimization-level preset;
    the hardware-target preset; the config files `paths`, in order, then
    those that ``QWEN3VL_CONFIG`` names (`os.pathsep`-separated); the
    ``QWEN3VL_*`` environment variables; `overrides`.

    The level is the highest layer's ``optimization_level``, else `preset`;
    the target is the highest layer's ``hardware_target``, else
    `hardware_target`.  Where neither names one, no preset applies (the
    defaults are the balanced level on the reference machine).

    Args:
        paths: Config files (``.json``, ``.yaml``/``.yml``, ``.toml``).
        preset: Optimization level whose preset to apply.
        hardware_target: Hardware target whose preset to apply.
        env: ``None`` reads `os.environ`; a mapping replaces it; ``False``
            ignores the environment.
        overrides: A patch mapping (dotted keys allowed, ``None`` resets to
            the default) or a list of ``"dotted.path=value"`` strings whose
            values are read like environment values.

    Raises:
        ConfigError: with every problem of every source, each naming its
            file (and line, for YAML), variable or ``override``.

    .. versionadded:: 0.1.0
    """
    config, _ = load_config_traced(
        *paths,
        preset=preset,
        hardware_target=hardware_target,
        env=env,
        overrides=overrides,
    )
    return config
