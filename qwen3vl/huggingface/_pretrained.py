"""
Importing a Hugging Face ``config.json`` with a report of every key.

`Qwen3VLConfig.from_pretrained` gives the configuration alone; this module's
`import_hf_config` gives the report too: which layout was read, which keys
were ignored as metadata, which keys no field holds, and what was decided.
`read_model` gives what ``load_config(model=...)`` layers: the settings a
checkpoint decides, and our own file beside it.

Strictly private: import the names from `qwen3vl`.
"""

from __future__ import annotations

import functools
import os

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from qwen3vl._converters import to_file_data
from qwen3vl._errors import short
from qwen3vl._fields import fields_of
from qwen3vl._formats import read_document
from qwen3vl._layers import Layer
from qwen3vl._sections import Qwen3VLConfig
from qwen3vl.exceptions import ConfigError, Problem

from ._cache import locate, locate_model
from ._reader import HFImport, UnmappedKeyWarning, import_hf, translate


__all__ = ["Checkpoint", "import_hf_config", "read_model"]

#: Root settings that are not the architecture: the layout version, the
#: deployment's level and machine, and the capacity guard (which the import
#: sets only for a checkpoint below full capacity).
_NOT_ARCHITECTURE = frozenset(
    {
        "config_version",
        "optimization_level",
        "hardware_target",
        "preserve_full_capacity",
    }
)
#: Sections that describe the checkpoint itself, every setting of them.
_CHECKPOINT_SECTIONS = ("rope_scaling_config", "quantization_config")
#: The switches a checkpoint's weights fix: they route as it was trained.
_ROUTING = "optimization_config"


def import_hf_config(
    config: Mapping[str, Any] | str | os.PathLike[str],
) -> HFImport[Qwen3VLConfig]:
    """
    Import a Hugging Face model configuration, and report what became of it.

    Args:
        config: A ``config.json`` already parsed into a mapping, or a model
            folder or model id found as `Qwen3VLConfig.from_pretrained`
            finds it (a folder or cached snapshot must hold a Hugging Face
            ``config.json``, not a configuration of ours, be it named
            ``qwen3vl.*`` or a ``config.json`` in our format).

    Returns:
        An `HFImport` with the validated config (every setting that is not
        architecture at its default), the layout read, the keys ignored as
        metadata, the unmapped keys with their values, and notes.

    Warns:
        UnmappedKeyWarning: some keys have no field and were not imported.

    Raises:
        ConfigError: the configuration was not found, or is invalid; each
            problem names the Hugging Face key it came from.

    .. versionadded:: 0.1.0
    """
    if isinstance(config, Mapping):
        # stacklevel 3: the warning names the caller of this function.
        return import_hf(Qwen3VLConfig, config, stacklevel=3)
    found = locate(config)
    if found.kind != "hf":
        raise ConfigError(
            [
                Problem(
                    "",
                    "holds a configuration of ours, not a Hugging Face"
                    " config.json; read it with Qwen3VLConfig.from_pretrained"
                    " or from_file",
                    found.path,
                )
            ]
        )
    data, _, source = read_document(found.path)
    return import_hf(Qwen3VLConfig, data, source=source, stacklevel=3)


@attrs.frozen
class Checkpoint:
    """
    What ``load_config(model=...)`` takes from a model.

    Attributes:
        label: The origin of its values: ``"model:<the argument>"``.
        architecture: The settings the checkpoint decides, in the file
            layout: every architecture field (those its ``config.json``
            leaves out at the defaults the import gives them), its RoPE
            scaling and quantization sections whole, and the import's
            decisions (``preserve_full_capacity`` false for a small model);
            empty without a ``config.json``.
        routing: The MoE switches its weights fix
            (``optimization_config.use_moe``, and for a mixture of experts
            ``moe_num_experts`` and ``moe_top_k``), apart: they rank above
            the level preset, which cannot route other than the weights do.
        origins: Our dotted path -> the ``config.json`` key it came from.
        source: The ``config.json`` read, if any.
        own: Our own configuration file in the folder, if any.
        problems: What the ``config.json`` says wrong that only reading it
            can see (values are checked when the layers are merged).
        warning: The `UnmappedKeyWarning` to raise, if keys were unmapped.

    Strictly private.
    """

    label: str
    architecture: dict[str, Any]
    routing: dict[str, Any]
    origins: dict[str, str]
    source: str | None
    own: str | None
    problems: tuple[Problem, ...]
    warning: UnmappedKeyWarning | None

    def layers(self) -> tuple[list[Layer], list[Layer]]:
        """Return the layer of its architecture and that of its routing."""
        return (
            [Layer(self.label, self.architecture, self.source)],
            [Layer(self.label, self.routing, self.source)],
        )

    def at_keys(
        self,
        problems: Iterable[Problem],
        setter: Callable[[str], Layer | None],
    ) -> tuple[Problem, ...]:
        """
        Return `problems`, each at the ``config.json`` key of its value.

        `setter` tells which layer set a path; a value that one of the
        checkpoint's layers set is named by the key it was read from.
        """
        found = []
        for problem in problems:
            layer = setter(problem.path)
            origin = self.origins.get(problem.path, problem.path)
            ours = layer is not None and layer.label == self.label
            if ours and origin != problem.path:
                message = f"{problem.message} (read into {problem.path})"
                problem = attrs.evolve(  # noqa: PLW2901 - at its key
                    problem, path=origin, message=message
                )
            found.append(problem)
        return tuple(found)


@functools.cache
def _owned_defaults() -> dict[str, Any]:
    defaults = to_file_data(Qwen3VLConfig())
    owned = {
        name: defaults[name]
        for name, info in fields_of(Qwen3VLConfig).items()
        if info.section is None and name not in _NOT_ARCHITECTURE
    }
    owned.update({name: defaults[name] for name in _CHECKPOINT_SECTIONS})
    return owned


def read_model(
    path_or_model_id: str | os.PathLike[str], label: str
) -> Checkpoint:
    """
    Return what a model folder, ``config.json`` or cached model id decides.

    Problems are returned in it, not raised: values are checked later, with
    the other layers.  A problem that no file can name has `label` as its
    source.
    """
    try:
        files = locate_model(path_or_model_id)
        if files.hf is None:
            return Checkpoint(label, {}, {}, {}, None, files.own, (), None)
        data, _, source = read_document(files.hf)
    except ConfigError as e:
        problems = tuple(
            attrs.evolve(p, source=p.source or label) for p in e.problems
        )
        return Checkpoint(label, {}, {}, {}, None, None, problems, None)
    found = translate(data)
    problems = tuple(attrs.evolve(p, source=source) for p in found.problems)
    if not found.layout:
        # Another model's keys mean other things: none of them is taken.
        return Checkpoint(label, {}, {}, {}, source, files.own, problems, None)
    architecture: dict[str, Any] = dict(_owned_defaults())
    routing: dict[str, Any] = {}
    for key, value in found.data.items():
        if key == _ROUTING:
            routing[key] = value
        elif key in _CHECKPOINT_SECTIONS and isinstance(value, Mapping):
            architecture[key] = {**architecture[key], **value}
        else:
            architecture[key] = value
    return Checkpoint(
        label,
        architecture,
        routing,
        found.origins,
        source,
        files.own,
        problems,
        _unmapped_warning(found.unmapped, source),
    )


def _unmapped_warning(
    unmapped: Mapping[str, Any], source: str
) -> UnmappedKeyWarning | None:
    # Worded as `import_hf` words it.
    if not unmapped:
        return None
    keys = tuple(unmapped)
    shown = ", ".join(
        f"{key} ({short(value)})" for key, value in unmapped.items()
    )
    return UnmappedKeyWarning(
        f"{source}: {len(keys)} key(s) of the Hugging Face config have"
        f" no field here and were not imported: {shown}",
        keys,
    )
