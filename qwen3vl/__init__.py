"""
qwen3vl: one strict, validated, immutable configuration for Qwen3-VL.

Every public name is defined in a private module and re-exported here; the
only public module is `qwen3vl.exceptions`.
"""

import importlib
import typing

from ._sections import (
    CONFIG_VERSION,
    BaseConfig,
    CPUConfig,
    GPUConfig,
    MemoryConfig,
    OptimizationConfig,
    ParallelConfig,
    PowerManagementConfig,
    QuantizationConfig,
    Qwen3VLConfig,
    RopeScalingConfig,
    ServingConfig,
)
from ._units import GiB, KiB, MiB, TiB
from .exceptions import ConfigError, Problem


if typing.TYPE_CHECKING:
    from ._diff import diff
    from ._json_schema import config_schema
    from ._presets import PresetNames, list_presets
    from ._sources import (
        HardwareMismatchWarning,
        load_config,
        load_config_traced,
    )
    from ._store import ConfigStore
    from ._update import apply_updates
    from .hardware import (
        Change,
        DiskInfo,
        Finding,
        GPUInfo,
        HardwareProfile,
        MemoryEstimate,
        Placement,
        Resolution,
        TierPlan,
        check_config,
        detect_hardware,
        estimate_memory,
        implied_dtype,
        plan_memory,
        resolve_for_hardware,
    )
    from .huggingface import HFImport, UnmappedKeyWarning, import_hf_config

__all__ = [
    "BaseConfig",
    "CONFIG_VERSION",
    "CPUConfig",
    "Change",
    "ConfigError",
    "ConfigStore",
    "DiskInfo",
    "Finding",
    "GPUConfig",
    "GPUInfo",
    "GiB",
    "HFImport",
    "HardwareMismatchWarning",
    "HardwareProfile",
    "KiB",
    "MemoryConfig",
    "MemoryEstimate",
    "MiB",
    "OptimizationConfig",
    "ParallelConfig",
    "Placement",
    "PowerManagementConfig",
    "PresetNames",
    "Problem",
    "QuantizationConfig",
    "Qwen3VLConfig",
    "Resolution",
    "RopeScalingConfig",
    "ServingConfig",
    "TiB",
    "TierPlan",
    "UnmappedKeyWarning",
    "apply_updates",
    "check_config",
    "config_schema",
    "detect_hardware",
    "diff",
    "estimate_memory",
    "implied_dtype",
    "import_hf_config",
    "list_presets",
    "load_config",
    "load_config_traced",
    "plan_memory",
    "resolve_for_hardware",
]


#: The names that load on first use, with the module that defines them:
#: `import qwen3vl` stays lean (issue 8) for the many programs that only read
#: a config, and YAML, TOML writing, Hugging Face import, presets, sources,
#: hardware and the store cost nothing until asked for.  Every other name of
#: __all__ is imported above.
_LAZY: dict[str, str] = {
    "ConfigStore": "_store",
    "HFImport": "huggingface",
    "HardwareMismatchWarning": "_sources",
    "PresetNames": "_presets",
    "UnmappedKeyWarning": "huggingface",
    "apply_updates": "_update",
    "config_schema": "_json_schema",
    "diff": "_diff",
    "import_hf_config": "huggingface",
    "list_presets": "_presets",
    "load_config": "_sources",
    "load_config_traced": "_sources",
}


def __getattr__(name: str) -> typing.Any:
    if name in __all__:
        # Relative to this package; the hardware names are the names of
        # __all__ that neither the imports above nor _LAZY define.
        module = importlib.import_module(
            f".{_LAZY.get(name, 'hardware')}", __name__
        )
        value = getattr(module, name)
        # Later lookups find the global and skip this function.  Two threads
        # may both get here; they store the same object.
        globals()[name] = value
        return value
    # Looked up lazily: importlib.metadata is slow to import and few callers
    # need the version.
    if name == "__version__":
        from importlib.metadata import version  # noqa: PLC0415

        return version("qwen3vl")
    msg = f"module 'qwen3vl' has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
