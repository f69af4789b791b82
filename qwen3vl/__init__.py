"""
qwen3vl: one strict, validated, immutable configuration for Qwen3-VL.

Every public name is defined in a private module and re-exported here; the
only public module is `qwen3vl.exceptions`.
"""

import typing

from ._config_schema import config_schema
from ._diff import diff
from ._hf import HFImport, UnmappedKeyWarning
from ._presets import PresetNames, list_presets
from ._pretrained import import_hf_config
from ._sections import (
    CONFIG_VERSION,
    BaseConfig,
    CPUConfig,
    GPUConfig,
    MemoryConfig,
    OptimizationConfig,
    PowerManagementConfig,
    Qwen3VLConfig,
)
from ._sources import load_config, load_config_traced
from ._units import GiB, KiB, MiB, TiB
from ._update import apply_updates
from .exceptions import ConfigError, Problem


if typing.TYPE_CHECKING:
    from ._store import ConfigStore
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
    "HardwareProfile",
    "KiB",
    "MemoryConfig",
    "MemoryEstimate",
    "MiB",
    "OptimizationConfig",
    "Placement",
    "PowerManagementConfig",
    "PresetNames",
    "Problem",
    "Qwen3VLConfig",
    "Resolution",
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


def __getattr__(name: str) -> typing.Any:
    # The hardware names and ConfigStore load on first use: `import qwen3vl`
    # stays lean for the many programs that only read a config.  They are
    # the names of __all__ that no import above defined.
    if name in __all__:
        from . import _store, hardware  # noqa: PLC0415

        value = getattr(_store if name == "ConfigStore" else hardware, name)
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
