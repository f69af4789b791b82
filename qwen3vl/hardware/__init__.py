"""
Hardware awareness: what the machine is, and what a configuration needs of it.

.. versionadded:: 0.1.0
"""

from ._profile import DiskInfo, GPUInfo, HardwareProfile


__all__ = ["DiskInfo", "GPUInfo", "HardwareProfile"]
