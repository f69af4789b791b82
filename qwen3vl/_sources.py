"""
`load_config`: one configuration from defaults, presets, files, the
environment and overrides, with one precedence and provenance.

Strictly private.
"""

from __future__ import annotations

import functools
import os
import warnings

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from ._compat import (
    Upgrade,
    flat_names,
    moved_lines,
    upgrade,
    warn_deprecated,
)
from ._converters import structure
from ._errors import SUGGESTIONS_PER_ERROR, closest, given, short
from ._fields import FieldInfo, fields_of, leaf_paths
from ._formats import read_document
from ._layers import Layer, Merged, merge
from ._limits import MAX_ITEMS, holds_too_many
from ._presets import (
    HARDWARE,
    LEVELS,
    has_preset,
    list_presets,
    preset_layers,
)
from ._sections import Qwen3VLConfig
from ._validators import Invalid
from .exceptions import ConfigError, Problem


__all__ = [
    "CONFIG_FILES_VARIABLE",
    "ENV_PREFIX",
    "env_name",
    "leaf_fields",
    "load_config",
    "load_config_traced",
]

ENV_PREFIX = "QWEN3VL_"
#: Names config files to load, separated by `os.pathsep`.
CONFIG_FILES_VARIABLE = "QWEN3VL_CONFIG"
OVERRIDE = "override"
ARGUMENT = "argument"
#: The hardware target that stands for "the machine this runs on".
AUTO = "auto"

Environment = Mapping[str, str] | bool | None
Overrides = Mapping[str, Any] | Sequence[str] | None


def env_name(path: str) -> str:
    """Return the environment variable for dotted `path`."""
    return ENV_PREFIX + path.upper().replace(".", "__")


@functools.cache
def leaf_fields() -> dict[str, FieldInfo]:
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
    return {env_name(path): path for path in leaf_fields()}


def _nest(path: str, value: Any) -> dict[str, Any]:
    head, _, rest = path.partition(".")
    return {head: _nest(rest, value) if rest else value}


def _environment(env: object) -> tuple[Mapping[Any, Any], list[Problem]]:
    if env is None or env is True:
        return os.environ, []
    if env is False:
        return {}, []
    if isinstance(env, Mapping):
        return env, []
    message = (
        "env must be a mapping of variable names to values, None or a"
        f" boolean ({given(env)})"
    )
    return {}, [Problem("", message)]


def _config_files(
    environ: Mapping[Any, Any],
) -> tuple[list[str], list[Problem]]:
    # The files that QWEN3VL_CONFIG names.
    value = environ.get(CONFIG_FILES_VARIABLE, "")
    if not isinstance(value, str):
        message = (
            f"expected file paths separated by {os.pathsep!r} ({given(value)})"
        )
        return [], [Problem("", message, CONFIG_FILES_VARIABLE)]
    return [p for p in value.split(os.pathsep) if p], []


def _file_layers(
    paths: Iterable[str | os.PathLike[str]],
    upgrades: list[tuple[Upgrade, str]],
) -> tuple[list[Layer], list[Problem]]:
    layers = []
    problems: list[Problem] = []
    for path in paths:
        if not isinstance(path, str | os.PathLike) or not isinstance(
            _fspath(path), str
        ):
            message = (
                f"expected a file path, a str or os.PathLike ({given(path)})"
            )
            problems.append(Problem("", message))
            continue
        try:
            data, lines, source = read_document(path)
            upgraded = upgrade(
                data, Qwen3VLConfig, is_file=True, source=source
            )
        except ConfigError as e:
            problems.extend(e.problems)
            continue
        if not isinstance(upgraded.data, Mapping):
            # A layer must be a mapping to merge; say so as from_file does.
            message = f"expected a mapping of settings ({given(data)})"
            problems.append(Problem("", message, source))
            continue
        upgrades.append((upgraded, source))
        layers.append(
            Layer(
                f"file:{source}",
                upgraded.data,
                source,
                moved_lines(upgraded, lines),
            )
        )
    return layers, problems


def _fspath(path: str | os.PathLike[Any]) -> object:
    try:
        return os.fspath(path)
    except TypeError:  # its __fspath__ returned neither str nor bytes
        return None


def _suggest_variable(
    name: str, index: Mapping[str, str], *, search: bool
) -> str | None:
    if name.upper() in index:
        return name.upper()
    # A section field named without its section (QWEN3VL_NUM_THREADS) is
    # the most likely slip: name the variable it belongs to.
    field = name.removeprefix(ENV_PREFIX).lower()
    section = flat_names(Qwen3VLConfig).get(field)
    if section is not None:
        return env_name(f"{section}.{field}")
    if not search:
        return None  # past SUGGESTIONS_PER_ERROR: not worth difflib's time
    return closest(name, tuple(index), cutoff=0.8)


def _env_layers(
    environ: Mapping[str, str],
) -> tuple[list[Layer], list[Problem]]:
    layers = []
    problems: list[Problem] = []
    index = _env_index()
    searches = SUGGESTIONS_PER_ERROR
    names = []
    for name in environ:
        if isinstance(name, str):
            names.append(name)
        else:
            message = f"variable names must be strings ({given(name)})"
            problems.append(Problem("", message))
    for name in sorted(names):
        if not name.startswith(ENV_PREFIX) or name == CONFIG_FILES_VARIABLE:
            continue
        path = index.get(name)
        if path is None:
            message = f"unknown variable {short(name)}"
            near = _suggest_variable(name, index, search=searches > 0)
            searches -= 1
            if near:
                message += f"; did you mean {near!r}?"

            problems.append(Problem("", message, name))
            continue
        validator = leaf_fields()[path].validator
        assert validator is not None  # noqa: S101 - leaves have validators
        text = environ[name]
        if not isinstance(text, str):
            message = f"expected text, as variables hold ({given(text)})"
            problems.append(Problem(path, message, name))
            continue
        try:
            value = validator.from_text(text)
        except Invalid as e:
            problems.append(Problem(path, e.message, name))
            continue
        layers.append(Layer(f"env:{name}", _nest(path, value), name))
    return layers, problems


def _override_layer(overrides: Overrides) -> tuple[list[Layer], list[Problem]]:
    if overrides is None:
        return [], []
    if isinstance(overrides, Mapping | list | tuple) and holds_too_many(
        overrides
    ):
        # As for a file: a real config has about a hundred settings, and
        # every unknown key costs a problem to word and hold.
        message = (
            f"the overrides hold more than {MAX_ITEMS} keys and list items,"
            " the limit for a config"
        )
        return [], [Problem("", message, OVERRIDE)]
    if isinstance(overrides, Mapping):
        return [Layer(OVERRIDE, overrides, OVERRIDE, none_resets=True)], []
    if isinstance(overrides, str | bytes | bytearray) or not isinstance(
        overrides, Sequence
    ):
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
                    f"expected 'dotted.path=value' ({given(item)})",
                    OVERRIDE,
                )
            )
            continue
        info = leaf_fields().get(path)
        if info is None or info.validator is None:
            # Left for structuring to report, with its "did you mean".
            data[path] = text
            continue
        try:
            data[path] = info.validator.from_text(text)
        except Invalid as e:
            problems.append(Problem(path, e.message, OVERRIDE))
    return [Layer(OVERRIDE, data, OVERRIDE)], problems


def _named(merged: Merged, field: str) -> tuple[str | None, bool]:
    """Return the name `field` holds and whether a user layer set it."""
    value = merged.data.get(field)
    setter = merged.set_by(field)
    # A value of the wrong type is left for structuring to report.
    name = value if isinstance(value, str) else None
    return name, setter is not None and setter.label != ARGUMENT


def _detected_layer() -> Layer:
    """The hardware layer of ``hardware_target = "auto"``: this machine."""
    # Imported here: detection is only needed for "auto", and the hardware
    # package should not weigh on `import qwen3vl`.
    from .hardware import detect_hardware  # noqa: PLC0415

    label = f"hardware:{AUTO}"
    data = {"hardware_target": AUTO, **detect_hardware().as_layer()}
    return Layer(label, data, label)


def _warn_if_misspelt(target: str | None, source: str | None) -> None:
    if target is None:
        return
    near = closest(target, list_presets().hardware_targets)
    if near:
        where = f"{source}: " if source else ""
        warnings.warn(
            f"{where}hardware_target {short(target)} has no preset, so none was "
            f"applied; did you mean {near!r}?",
            UserWarning,
            # user code -> load_config -> _load -> here
            stacklevel=4,
        )


def _load(
    paths: tuple[str | os.PathLike[str], ...],
    preset: str | None,
    hardware_target: str | None,
    env: Environment,
    overrides: Overrides,
) -> tuple[Qwen3VLConfig, dict[str, str], list[tuple[Upgrade, str]]]:
    environ, problems = _environment(env)
    named_files, more = _config_files(environ)
    problems += more

    upgrades: list[tuple[Upgrade, str]] = []
    file_layers, more = _file_layers([*paths, *named_files], upgrades)
    problems += more
    env_layers, more = _env_layers(environ)
    problems += more
    override_layers, more = _override_layer(overrides)
    problems += more
    user_layers = file_layers + env_layers + override_layers

    # The level and the target may come from any layer: read them from the
    # user layers over the arguments first, then put their presets
    # underneath.  A target that a user layer names may be a machine of the
    # user's own, described by the files; one asked for by argument must
    # exist.
    arguments = {}
    for key, value, what in (
        ("optimization_level", preset, "an optimization level's name"),
        ("hardware_target", hardware_target, "a hardware target's name"),
    ):
        if isinstance(value, str):
            arguments[key] = value
        elif value is not None:
            message = f"expected {what}, as a string ({given(value)})"
            problems.append(Problem(key, message))
    try:
        named = merge([Layer(ARGUMENT, arguments), *user_layers])
    except ConfigError as e:
        raise ConfigError([*problems, *e.problems]) from None
    level, level_from_user = _named(named, "optimization_level")
    if level_from_user and not has_preset(LEVELS, level):
        level = None  # the field's own check reports it, with a suggestion
    target, target_from_user = _named(named, "hardware_target")
    detected = []
    if target == AUTO:
        detected = [_detected_layer()]
        target = None
    elif target_from_user and not has_preset(HARDWARE, target):
        _warn_if_misspelt(target, named.locate("hardware_target")[0])
        target = None
    presets, preset_problems = preset_layers(level, target)
    presets += detected
    problems += [
        attrs.evolve(p, source=p.source or named.locate(p.path)[0])
        for p in preset_problems
    ]
    # A copy of every user value: not kept alive (by a traceback) beside
    # the merge below, which makes another.
    del named
    try:
        merged = merge([*presets, *user_layers])
        config = structure(merged.data, Qwen3VLConfig, locate=merged.locate)
    except ConfigError as e:
        # Report what the readable sources say wrong too, all at once.
        raise ConfigError([*problems, *e.problems]) from None
    if problems:
        raise ConfigError(problems)
    return config, merged.origins(Qwen3VLConfig), upgrades


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
    config, origins, upgrades = _load(
        paths, preset, hardware_target, env, overrides
    )
    for upgraded, source in upgrades:
        warn_deprecated(upgraded, source, stacklevel=2)
    return config, origins


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
    config, _, upgrades = _load(paths, preset, hardware_target, env, overrides)
    for upgraded, source in upgrades:
        warn_deprecated(upgraded, source, stacklevel=2)
    return config
