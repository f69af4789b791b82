"""
The configuration classes: one frozen attrs class per section, and the root.

Every field is made with `setting` (a value with a validator) or `section`
(a nested config class), so its default, description and rules live next to
it.  Cross-field rules are `Rule` objects listed on the class; each says why
the model needs it.  One module per section keeps each one readable.

Strictly private: import the classes from `qwen3vl`.
"""

from .architecture import FULL_CAPACITY_HEADS, FULL_CAPACITY_LAYERS
from .base import CONFIG_VERSION, BaseConfig
from .cpu import CPUConfig
from .gpu import GPUConfig
from .memory import MemoryConfig
from .optimization import OptimizationConfig
from .parallel import ParallelConfig
from .power import PowerManagementConfig
from .quantization import QuantizationConfig
from .root import Qwen3VLConfig
from .rope import RopeScalingConfig
from .serving import ServingConfig


__all__ = [
    "CONFIG_VERSION",
    "FULL_CAPACITY_HEADS",
    "FULL_CAPACITY_LAYERS",
    "BaseConfig",
    "CPUConfig",
    "GPUConfig",
    "MemoryConfig",
    "OptimizationConfig",
    "ParallelConfig",
    "PowerManagementConfig",
    "QuantizationConfig",
    "Qwen3VLConfig",
    "RopeScalingConfig",
    "ServingConfig",
]
