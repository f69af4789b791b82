"""
What a machine is: `HardwareProfile`, `GPUInfo`, `DiskInfo`.

A profile comes from the host (`detect_hardware`) or from a hardware-target
preset (`HardwareProfile.from_target`), so that a configuration can be checked
for a machine one is not on.  Whatever is not known is ``None``; checks skip
what they cannot know rather than guess.

Strictly private: import the names from `qwen3vl.hardware`.
"""

from __future__ import annotations

from typing import Any, Literal

import attrs

from qwen3vl._sections import Qwen3VLConfig
from qwen3vl._units import GiB, MiB


__all__ = [
    "DiskInfo",
    "DiskKind",
    "GPUInfo",
    "HardwareProfile",
    "Simd",
    "readable_size",
]

Simd = Literal["avx512", "avx2", "sse", "scalar"]
DiskKind = Literal["nvme", "ssd", "hdd", "unknown"]

#: The SIMD sets from the widest down; a CPU with one has all below it.
SIMD_ORDER: tuple[Simd, ...] = ("avx512", "avx2", "sse", "scalar")


def readable_size(size: int) -> int:
    """
    Return a detected size rounded down to whole GiB, or whole MiB.

    Whole GiB where that loses under 1 % of it (from 100 GiB up, always),
    else whole MiB; a size under 1 MiB is kept as it is.  Rounding down
    never promises more than the machine has.
    """
    gib = size // GiB * GiB
    if gib and (size - gib) * 100 < size:
        return gib
    return size // MiB * MiB or size


@attrs.frozen
class GPUInfo:
    """
    One GPU.

    Attributes:
        name: The product name (``"NVIDIA H100 80GB HBM3"``).
        compute_capability: CUDA compute capability ``(major, minor)``.
        memory_bytes: Total memory of the card.
        memory_bandwidth_gbps: Peak memory bandwidth in GB/s, where known.

    .. versionadded:: 0.1.0
    """

    name: str
    compute_capability: tuple[int, int] | None = None
    memory_bytes: int | None = None
    memory_bandwidth_gbps: float | None = None


@attrs.frozen
class DiskInfo:
    """
    The disk that holds the offload folder.

    Attributes:
        path: The folder whose disk this is.
        kind: ``"nvme"``, ``"ssd"``, ``"hdd"`` or ``"unknown"``.
        free_bytes: Free space for this user.

    .. versionadded:: 0.1.0
    """

    path: str
    kind: DiskKind = "unknown"
    free_bytes: int | None = None


@attrs.frozen
class HardwareProfile:
    """
    A machine, as far as it is known; ``None`` means unknown.

    Attributes:
        cpu_model: The CPU's model name.
        physical_cores: Physical cores usable by this process.
        logical_cpus: Logical CPUs usable by this process (affinity and the
            cgroup CPU quota respected).
        l1d_cache_bytes: L1 data cache per core.
        l2_cache_bytes: L2 cache per core.
        l3_cache_bytes: L3 cache (all of it, shared).
        simd: The widest SIMD set the CPU has.
        memory_total_bytes: Memory for this process (the cgroup limit, if
            lower than the machine's).
        memory_available_bytes: Memory free for use now.
        gpus: The GPUs of one node: ``()`` when there is none, ``None``
            when unknown.
        nodes: How many such nodes, identical, the deployment may use;
            ``None`` when unknown (a detected host cannot see its peers).
        disk: The disk of the offload folder.
        source: ``"detected"`` or ``"target:<name>"``.

    .. versionadded:: 0.1.0
    """

    cpu_model: str | None = None
    physical_cores: int | None = None
    logical_cpus: int | None = None
    l1d_cache_bytes: int | None = None
    l2_cache_bytes: int | None = None
    l3_cache_bytes: int | None = None
    simd: Simd | None = None
    memory_total_bytes: int | None = None
    memory_available_bytes: int | None = None
    gpus: tuple[GPUInfo, ...] | None = None
    disk: DiskInfo | None = None
    source: str = "detected"
    nodes: int | None = None

    @property
    def total_gpus(self) -> int | None:
        """The GPUs of every node; ``None`` when the nodes or GPUs are unknown."""
        if self.gpus is None or self.nodes is None:
            return None
        return len(self.gpus) * self.nodes

    @property
    def gpu(self) -> GPUInfo | None:
        """The first GPU, the one a single-GPU deployment uses; or ``None``."""
        return self.gpus[0] if self.gpus else None

    def has_simd(self, wanted: str) -> bool | None:
        """Tell whether the CPU has SIMD set `wanted`; ``None`` if unknown."""
        if self.simd is None or wanted not in SIMD_ORDER:
            return None
        return SIMD_ORDER.index(self.simd) <= SIMD_ORDER.index(wanted)

    @classmethod
    def from_target(cls, name: str) -> HardwareProfile:
        """
        Return the machine that hardware-target preset `name` describes.

        The figures are the preset's: CPU threads stand for physical cores,
        the memory tier sizes for one GPU's memory and the machine's RAM,
        the SSD tier for the disk's free space.  A target without a GPU
        (``gpu_memory_size = 0``) has no GPU.  The preset's ``[machine]``
        table, where it has one, says how many GPUs each node has and how
        many nodes there are (one GPU and one node without it).

        Raises:
            ConfigError: there is no such preset.

        .. versionadded:: 0.1.0
        """
        # Imported here: only a target needs the presets' files.
        from qwen3vl._presets import target_machine  # noqa: PLC0415

        # The level does not matter for a machine; any will do.
        config = Qwen3VLConfig.from_preset("balanced", name)
        per_node, nodes = target_machine(name)
        cpu, gpu, memory = (
            config.cpu_config,
            config.gpu_config,
            config.memory_config,
        )
        gpus: tuple[GPUInfo, ...] = ()
        if memory.gpu_memory_size > 0:
            gpus = (
                GPUInfo(
                    name=f"{name} GPU",
                    compute_capability=gpu.gpu_compute_capability,
                    memory_bytes=memory.gpu_memory_size,
                    memory_bandwidth_gbps=gpu.memory_bandwidth_gbps,
                ),
            ) * per_node
        threads = cpu.num_threads * (2 if cpu.use_hyperthreading else 1)
        return cls(
            cpu_model=name,
            physical_cores=cpu.num_threads,
            logical_cpus=threads,
            l1d_cache_bytes=cpu.l1_cache_size,
            l2_cache_bytes=cpu.l2_cache_size,
            l3_cache_bytes=cpu.l3_cache_size,
            simd=cpu.simd_instruction_set,
            memory_total_bytes=memory.cpu_memory_size,
            memory_available_bytes=memory.cpu_memory_size,
            gpus=gpus,
            disk=DiskInfo(
                path="", kind="nvme", free_bytes=memory.ssd_memory_size
            ),
            source=f"target:{name}",
            nodes=nodes,
        )

    def as_layer(self) -> dict[str, Any]:
        """
        Return the partial config (file layout) that describes this machine.

        Only what is known is set: the CPU section's threads, caches and SIMD
        set, the GPU's capability and bandwidth, and the memory tiers (the
        GPU's memory, the available RAM, the free disk), each rounded down
        by `readable_size` so that a saved file reads ``"23GiB"``, not
        ``"24137976KiB"``.  Without a GPU the
        GPU tier and the pool are 0 and GPU kernels are off, as in the
        ``cpu_only`` preset.
        """
        cpu: dict[str, Any] = {}
        if self.physical_cores:
            cpu["num_threads"] = self.physical_cores
            cpu["num_workers"] = max(1, min(self.physical_cores // 2, 16))
        caches = {
            "l1_cache_size": self.l1d_cache_bytes,
            "l2_cache_size": self.l2_cache_bytes,
            "l3_cache_size": self.l3_cache_bytes,
        }
        cpu.update({k: v for k, v in caches.items() if v})
        if self.simd is not None:
            cpu["simd_instruction_set"] = self.simd
        if self.logical_cpus and self.physical_cores:
            cpu["use_hyperthreading"] = self.logical_cpus > self.physical_cores
        memory: dict[str, Any] = {}
        gpu_section: dict[str, Any] = {}
        optimization: dict[str, Any] = {}
        gpu = self.gpu
        if self.gpus == ():
            memory.update(gpu_memory_size=0, memory_pool_size=0)
            gpu_section.update(
                enable_gpu_optimizations=False,
                use_tensor_cores=False,
                use_mixed_precision=False,
                attention_implementation="sdpa",
            )
            optimization["use_flash_attention_2"] = False
        elif gpu is not None:
            if gpu.memory_bytes:
                card = readable_size(gpu.memory_bytes)
                memory["gpu_memory_size"] = card
                # A pool of an eighth of the card, the presets' proportion.
                memory["memory_pool_size"] = card // 8 // MiB * MiB
            if gpu.compute_capability is not None:
                gpu_section["gpu_compute_capability"] = list(
                    gpu.compute_capability
                )
            if gpu.memory_bandwidth_gbps:
                gpu_section["memory_bandwidth_gbps"] = (
                    gpu.memory_bandwidth_gbps
                )
        if self.memory_available_bytes:
            memory["cpu_memory_size"] = readable_size(
                self.memory_available_bytes
            )
        if self.disk is not None and self.disk.free_bytes:
            memory["ssd_memory_size"] = readable_size(self.disk.free_bytes)
        sections = {
            "cpu_config": cpu,
            "memory_config": memory,
            "gpu_config": gpu_section,
            "optimization_config": optimization,
        }
        return {key: section for key, section in sections.items() if section}
