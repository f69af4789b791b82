"""
qwen3vl: one strict, validated, immutable configuration for Qwen3-VL.

Every public name is defined in a private module and re-exported here; the
only public module is `qwen3vl.exceptions`.
"""

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


__all__ = [
    "BaseConfig",
    "CONFIG_VERSION",
    "CPUConfig",
    "ConfigError",
    "GPUConfig",
    "GiB",
    "HFImport",
    "KiB",
    "MemoryConfig",
    "MiB",
    "OptimizationConfig",
    "PowerManagementConfig",
    "PresetNames",
    "Problem",
    "Qwen3VLConfig",
    "TiB",
    "UnmappedKeyWarning",
    "apply_updates",
    "diff",
    "import_hf_config",
    "list_presets",
    "load_config",
    "load_config_traced",
]


def __getattr__(name: str) -> str:
    # Looked up lazily: importlib.metadata is slow to import and few callers
    # need the version.
    if name == "__version__":
        from importlib.metadata import version  # noqa: PLC0415

        return version("qwen3vl")
    msg = f"module 'qwen3vl' has no attribute {name!r}"
    raise AttributeError(msg)
