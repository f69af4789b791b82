"""
`load_config`: one configuration from defaults, presets, files, the
environment and overrides, with one precedence and provenance.

Strictly private.
"""

from __future__ import annotations

import functools
import os
import warnings

from collections.abc import Iterable, Mapping
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
from ._errors import SUGGESTIONS_PER_ERROR, as_written, closest, given, short
from ._formats import read_document
from ._layers import Layer, Merged, merge
from ._overrides import Overrides, leaf_fields, override_layer
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
    "HardwareMismatchWarning",
    "env_name",
    "leaf_fields",
    "load_config",
    "load_config_traced",
]

ENV_PREFIX = "QWEN3VL_"
#: Names config files to load, separated by `os.pathsep`.
CONFIG_FILES_VARIABLE = "QWEN3VL_CONFIG"
ARGUMENT = "argument"
#: The hardware target that stands for "the machine this runs on".
AUTO = "auto"

Environment = Mapping[str, str] | bool | None
Model = str | os.PathLike[str] | None

#: The settings that describe a machine, and what a file may set them to
#: over the hardware layer: the "same" fact (a cache, the SIMD set, the
#: compute capability), or at "most" what it has (a budget: threads, the
#: memory tiers).
MACHINE_CHECKS = {
    "cpu_config.num_threads": "most",
    "cpu_config.l1_cache_size": "same",
    "cpu_config.l2_cache_size": "same",
    "cpu_config.l3_cache_size": "same",
    "cpu_config.simd_instruction_set": "same",
    "gpu_config.gpu_compute_capability": "same",
    "memory_config.gpu_memory_size": "most",
    "memory_config.cpu_memory_size": "most",
    "memory_config.ssd_memory_size": "most",
}


_SAVE_HINT = (
    "A file saved on another machine layers over this one's presets when it"
    " holds only its own changes: save_to_file(path, base=...)"
)


class HardwareMismatchWarning(UserWarning):
    """
    Config files overrule the hardware layer with another machine's figures.

    `load_config` warns when a file names another ``hardware_target`` than
    its argument, sets a machine fact (caches, SIMD set, compute
    capability) to another value than the hardware layer (the target's
    preset, or the detected machine for ``"auto"``), or a budget (memory
    tiers, CPU threads) above it.  `paths` lists the dotted paths.

    .. versionadded:: 0.2.0
    """

    def __init__(self, message: str, paths: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.paths = paths


def env_name(path: str) -> str:
    """Return the environment variable for dotted `path`."""
    return ENV_PREFIX + path.upper().replace(".", "__")


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
        lines = moved_lines(upgraded, lines)
        layers.append(Layer(f"file:{source}", upgraded.data, source, lines))
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


def _misspelt(target: str, source: str | None) -> UserWarning | None:
    near = closest(target, list_presets().hardware_targets)
    if near is None:
        return None
    where = f"{source}: " if source else ""
    return UserWarning(
        f"{where}hardware_target {short(target)} has no preset, so none was "
        f"applied; did you mean {near!r}?"
    )


def _overruling(named: Merged, asked: str | None) -> Warning | None:
    # A file that names another machine than the argument asks for makes
    # the argument's preset go unused: say so, as files are often saved
    # whole on another machine.
    layer = named.set_by("hardware_target")
    target = named.data.get("hardware_target")
    if asked is None or layer is None or not layer.label.startswith("file:"):
        return None
    if target == asked:
        return None
    return HardwareMismatchWarning(
        f"{layer.source}: hardware_target {short(target)} overrules the"
        f" hardware_target argument {asked!r}, whose preset is not applied:"
        f" files rank above arguments. {_SAVE_HINT}",
        ("hardware_target",),
    )


def _load(  # noqa: PLR0913, PLR0917 - load_config's arguments, passed on
    paths: tuple[str | os.PathLike[str], ...],
    model: Model,
    preset: str | None,
    hardware_target: str | None,
    env: Environment,
    overrides: Overrides,
    pending: list[Warning | None],
) -> tuple[Qwen3VLConfig, dict[str, str], list[tuple[Upgrade, str]]]:
    environ, problems = _environment(env)
    named_files, more = _config_files(environ)
    problems += more
    label = (
        f"model:{_fspath(model) if isinstance(model, os.PathLike) else model}"
    )
    checkpoint = None
    if model is not None:
        # Imported here: Hugging Face reading costs nothing until a model is
        # asked for (issue 8).
        from .huggingface._pretrained import read_model  # noqa: PLC0415

        checkpoint = read_model(model, label)
        problems += checkpoint.problems
        pending.append(checkpoint.warning)
    own = [] if checkpoint is None or not checkpoint.own else [checkpoint.own]

    upgrades: list[tuple[Upgrade, str]] = []
    file_layers, more = _file_layers([*own, *paths, *named_files], upgrades)
    problems += more
    env_layers, more = _env_layers(environ)
    problems += more
    override_layers, more = override_layer(overrides)
    problems += more
    user_layers = file_layers + env_layers + override_layers
    levels, machines = _presets(
        user_layers, preset, hardware_target, problems, pending
    )
    # A checkpoint's architecture goes under the level preset; the MoE
    # switches its weights fix go over it, as no level may route otherwise.
    below, above = checkpoint.layers() if checkpoint else ([], [])
    merged = merge([*below, *levels, *above, *machines, *user_layers])
    try:
        config = structure(merged.data, Qwen3VLConfig, locate=merged.locate)
    except ConfigError as e:
        found = e.problems
        if checkpoint is not None:
            found = checkpoint.at_keys(found, merged.setter)
        # Report what the readable sources say wrong too, all at once.
        raise ConfigError([*problems, *found]) from None
    if problems:
        raise ConfigError(problems)
    pending += [_mismatch(config, merged, m) for m in machines]
    return config, merged.origins(Qwen3VLConfig), upgrades


def _presets(
    user_layers: list[Layer],
    preset: str | None,
    hardware_target: str | None,
    problems: list[Problem],
    pending: list[Warning | None],
) -> tuple[list[Layer], list[Layer]]:
    """Return the level preset's layer and the hardware layer, if any."""
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
    pending.append(_overruling(named, arguments.get("hardware_target")))
    detected = []
    if target == AUTO:
        detected = [_detected_layer()]
        target = None
    elif target_from_user and not has_preset(HARDWARE, target):
        where = named.locate("hardware_target")[0]
        pending.append(None if target is None else _misspelt(target, where))
        target = None
    levels, found = preset_layers(level, None)
    machines, more = preset_layers(None, target)
    problems += [
        attrs.evolve(p, source=p.source or named.locate(p.path)[0])
        for p in [*found, *more]
    ]
    return levels, machines + detected


def _mismatch(
    config: Qwen3VLConfig, merged: Merged, machine: Layer
) -> HardwareMismatchWarning | None:
    """Say which file values contradict the hardware layer `machine`."""
    found = {
        path: f"{as_written(ours)} [{layer.source}],"
        f" {'more than' if MACHINE_CHECKS[path] == 'most' else 'not'}"
        f" its {as_written(theirs)}"
        for path, ours, theirs, layer in merged.overruled(
            config, machine, MACHINE_CHECKS, leaf_fields()
        )
    }
    if not found:
        return None
    name = machine.label.removeprefix("hardware:")
    what = f"hardware target {name!r}"
    if name == AUTO:
        what = "the detected machine (hardware_target 'auto')"
    listed = "; ".join(f"{path} = {text}" for path, text in found.items())
    return HardwareMismatchWarning(
        f"config files overrule {what} with another machine's figures:"
        f" {listed}; the files' values are used. {_SAVE_HINT}",
        tuple(found),
    )


def _run(  # noqa: PLR0913, PLR0917 - load_config's arguments, passed on
    paths: tuple[str | os.PathLike[str], ...],
    model: Model,
    preset: str | None,
    hardware_target: str | None,
    env: Environment,
    overrides: Overrides,
) -> tuple[Qwen3VLConfig, dict[str, str]]:
    pending: list[Warning | None] = []
    try:
        config, origins, upgrades = _load(
            paths, model, preset, hardware_target, env, overrides, pending
        )
    finally:
        for warning in filter(None, pending):
            # user code -> load_config -> _run -> here
            warnings.warn(warning, stacklevel=3)
    for upgraded, source in upgrades:
        warn_deprecated(upgraded, source, stacklevel=3)
    return config, origins


def load_config_traced(
    *paths: str | os.PathLike[str],
    model: Model = None,
    preset: str | None = None,
    hardware_target: str | None = None,
    env: Environment = None,
    overrides: Overrides = None,
) -> tuple[Qwen3VLConfig, dict[str, str]]:
    """
    Load like `load_config` and also say where every value came from.

    Returns:
        The config, and a mapping from every dotted leaf path to the layer
        that set it: ``"default"``, ``"model:<model>"`` (the `model`
        argument as given), ``"preset:<level>"``, ``"hardware:<target>"``,
        ``"file:<path>"``, ``"env:<VARIABLE>"`` or ``"override"``.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       `model`.
    """
    return _run(paths, model, preset, hardware_target, env, overrides)


def load_config(
    *paths: str | os.PathLike[str],
    model: Model = None,
    preset: str | None = None,
    hardware_target: str | None = None,
    env: Environment = None,
    overrides: Overrides = None,
) -> Qwen3VLConfig:
    """
    Load one configuration from every source, in one precedence.

    From lowest to highest: the class defaults; the checkpoint that `model`
    names (its architecture); the optimization-level preset; the
    hardware-target layer (its preset, or the detected machine for
    ``"auto"``); the config files: our own file in the `model` folder, then
    `paths` in order, then those that ``QWEN3VL_CONFIG`` names
    (`os.pathsep`-separated); the ``QWEN3VL_*`` environment variables;
    `overrides`.  The MoE switches that a checkpoint's weights fix
    (``optimization_config.use_moe``, ``moe_num_experts``, ``moe_top_k``)
    rank just above the level preset.

    The level is the highest layer's ``optimization_level``, else `preset`;
    the target is the highest layer's ``hardware_target``, else
    `hardware_target`.  Where neither names one, no preset applies (the
    defaults are the balanced level on the reference machine).

    Args:
        paths: Config files (``.json``, ``.yaml``/``.yml``, ``.toml``).
        model: A model folder, a ``config.json`` or a model id in the local
            Hugging Face cache, found as `Qwen3VLConfig.from_pretrained`
            finds it; nothing is downloaded.
        preset: Optimization level whose preset to apply.
        hardware_target: Hardware target whose preset to apply, or
            ``"auto"`` for this machine.
        env: ``None`` reads `os.environ`; a mapping replaces it; ``False``
            ignores the environment.
        overrides: A patch mapping (dotted keys allowed, ``None`` resets to
            the default) or a list of ``"dotted.path=value"`` strings whose
            values are read like environment values.

    Warns:
        UnmappedKeyWarning: the model's ``config.json`` holds keys that no
            field holds.
        HardwareMismatchWarning: config files overrule the hardware layer
            with another machine's figures.

    Raises:
        ConfigError: with every problem of every source, each naming its
            file (and line, for YAML), variable or ``override``; a value the
            model gave is named by its ``config.json`` key.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       `model`, and the `HardwareMismatchWarning`.
    """
    return _run(paths, model, preset, hardware_target, env, overrides)[0]
