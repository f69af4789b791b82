"""
Hardware awareness: what the machine is, and what a configuration needs of it.

* `detect_hardware` reads this machine; `HardwareProfile.from_target`
  describes a hardware-target preset's machine;
* `check_config` lists what a config asks that the machine cannot give;
* `resolve_for_hardware` applies the safe fallback of each error;
* `estimate_memory` counts parameters and bytes exactly;
* `plan_memory` places the model's parts across GPU, CPU and SSD.

.. versionadded:: 0.1.0
"""

from ._check import Finding, check_config
from ._detect import detect_hardware
from ._estimate import MemoryEstimate, estimate_memory
from ._plan import Placement, TierPlan, implied_dtype, plan_memory
from ._profile import DiskInfo, GPUInfo, HardwareProfile
from ._resolve import Change, Resolution, resolve_for_hardware


__all__ = [
    "Change",
    "DiskInfo",
    "Finding",
    "GPUInfo",
    "HardwareProfile",
    "MemoryEstimate",
    "Placement",
    "Resolution",
    "TierPlan",
    "check_config",
    "detect_hardware",
    "estimate_memory",
    "implied_dtype",
    "plan_memory",
    "resolve_for_hardware",
]
