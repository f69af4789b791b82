"""
What this host is: `detect_hardware`.

Detection reads ``/proc``, ``/sys`` and `os`, asks ``nvidia-smi`` when it is
on the ``PATH`` and NVML when the optional ``nvidia-ml-py`` package is
installed (the ``nvml`` extra).  It never fails: each reader catches the errors its source can
raise (a missing file, a value it cannot parse, a command that fails or
hangs) and reports ``None`` or ``"unknown"`` for what it could not learn.

This module reads the CPU, the memory and the cgroup limits on both, and
puts the profile together; the GPUs are read in `_gpus`, the offload
folder's disk in `_disks`, and the kernel's files through `_files`.

Every reader takes the filesystem root as a parameter, so tests run them on
fake ``/proc`` and ``/sys`` trees.  Nothing is cached: each call reads the
host afresh (cgroup limits, free memory and free disk change while a process
runs).

Strictly private: import the names from `qwen3vl.hardware`.
"""

from __future__ import annotations

import contextlib
import math
import os
import pathlib
import re

from ._disks import detect_disk
from ._files import read_int, read_text
from ._gpus import NVIDIA_SMI_TIMEOUT, detect_gpus
from ._profile import HardwareProfile, Simd


__all__ = ["detect_hardware"]

# cgroup v1 writes "no limit" as the largest page-aligned int64
# (9223372036854771712); anything this large is no limit.
_UNLIMITED = 1 << 60


def detect_hardware(
    *, offload_folder: str | os.PathLike[str] | None = None
) -> HardwareProfile:
    """
    Describe this host: CPU, memory, GPUs and the offload folder's disk.

    What cannot be read is ``None`` (``"unknown"`` for the disk's kind), so
    this never raises for a host it does not understand.  Logical CPUs and
    memory respect this process's CPU affinity and its cgroup's CPU quota
    and memory limit.  On CPUs outside x86 (ARM's ``asimd``, for example)
    the SIMD set is ``"scalar"``: the sets we name are x86's.

    GPUs are NVIDIA's, from NVML, else ``nvidia-smi`` (given
    `NVIDIA_SMI_TIMEOUT` seconds), else the driver's list in ``/proc``.
    ``gpus`` is ``()`` when none of them is there, and ``None`` (unknown)
    when a tool is there but fails, so that a broken driver is not taken
    for a machine without a GPU.  Each call reads the host afresh.

    Args:
        offload_folder: The folder whose disk holds offloaded tensors; the
            current working directory by default.  A folder that does not
            exist yet is judged by its nearest existing parent, where it
            would be created.

    .. versionadded:: 0.1.0
    """
    folder: str | None
    try:
        folder = str(
            pathlib.Path.cwd()
            if offload_folder is None
            else pathlib.Path(offload_folder).absolute()
        )
    except OSError:
        # The working directory was removed: there is no folder to judge.
        folder = None
    return _detect(
        pathlib.Path("/"),
        affinity=_affinity(),
        folder=folder,
        nvidia_smi_timeout=NVIDIA_SMI_TIMEOUT,
    )


def _affinity() -> frozenset[int] | None:
    """Return the CPUs this process may run on, or ``None`` if unknown."""
    getaffinity = getattr(os, "sched_getaffinity", None)
    if getaffinity is not None:
        with contextlib.suppress(OSError):
            return frozenset(getaffinity(0))
    # Platforms without affinity (macOS, Windows) run on every CPU.
    count = os.cpu_count()
    return frozenset(range(count)) if count else None


def _detect(
    root: pathlib.Path,
    *,
    affinity: frozenset[int] | None,
    folder: str | None,
    nvidia_smi_timeout: float = NVIDIA_SMI_TIMEOUT,
) -> HardwareProfile:
    """
    Describe the host whose filesystem starts at `root`.

    Strictly private.
    """
    cpuinfo = _read_cpuinfo(root)
    groups = _own_cgroups(root)
    logical = _logical_cpus(root, groups, affinity)
    physical = _physical_cores(root, cpuinfo, affinity)
    if physical is not None and logical is not None:
        physical = min(physical, logical)
    l1d, l2, l3 = _caches(root)
    total, available = _memory(root, groups)
    return HardwareProfile(
        cpu_model=_cpu_model(cpuinfo),
        physical_cores=physical,
        logical_cpus=logical,
        l1d_cache_bytes=l1d,
        l2_cache_bytes=l2,
        l3_cache_bytes=l3,
        simd=_simd(cpuinfo),
        memory_total_bytes=total,
        memory_available_bytes=available,
        gpus=detect_gpus(root, nvidia_smi_timeout),
        disk=None if folder is None else detect_disk(root, folder),
        source="detected",
    )


# -- CPU --------------------------------------------------------------------


def _read_cpuinfo(root: pathlib.Path) -> list[dict[str, str]] | None:
    """Return ``/proc/cpuinfo`` as one mapping per block, or ``None``."""
    text = read_text(root / "proc" / "cpuinfo")
    if text is None:
        return None
    blocks: list[dict[str, str]] = [{}]
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if not sep:
            if not line.strip() and blocks[-1]:
                blocks.append({})
            continue
        blocks[-1].setdefault(key.strip(), value.strip())
    return [block for block in blocks if block]


def _cpuinfo_field(
    cpuinfo: list[dict[str, str]] | None, *keys: str
) -> str | None:
    """Return the first non-empty value of any of `keys`, or ``None``."""
    for key in keys:
        for block in cpuinfo or ():
            if block.get(key):
                return block[key]
    return None


def _cpu_model(cpuinfo: list[dict[str, str]] | None) -> str | None:
    """Return the CPU's model name, or ``None``."""
    # x86 says "model name"; some ARM kernels say "Model" or "Hardware".
    return _cpuinfo_field(cpuinfo, "model name", "Model", "Hardware")


def _simd(cpuinfo: list[dict[str, str]] | None) -> Simd | None:
    """Return the widest x86 SIMD set the CPU has, or ``None``."""
    flags = next(
        (
            block.get("flags", block.get("Features"))
            for block in cpuinfo or ()
            if "flags" in block or "Features" in block
        ),
        None,
    )
    if flags is None:
        return None
    found = set(flags.split())
    if "avx512f" in found:
        return "avx512"
    if "avx2" in found:
        return "avx2"
    if found & {"sse4_2", "sse2", "sse"}:
        return "sse"
    # Other architectures' vector sets (ARM's asimd, sve) are none of ours.
    return "scalar"


def _physical_cores(
    root: pathlib.Path,
    cpuinfo: list[dict[str, str]] | None,
    affinity: frozenset[int] | None,
) -> int | None:
    """Return how many distinct cores the usable CPUs are on, or ``None``."""
    cores = _cores_from_cpuinfo(cpuinfo, affinity)
    return _cores_from_sysfs(root, affinity) if cores is None else cores


def _cores_from_cpuinfo(
    cpuinfo: list[dict[str, str]] | None, affinity: frozenset[int] | None
) -> int | None:
    """Count the usable CPUs' distinct (package, core) pairs, or ``None``."""
    seen: dict[int, tuple[str, str] | None] = {}
    for block in cpuinfo or ():
        try:
            cpu = int(block["processor"])
        except (KeyError, ValueError):
            continue
        if "physical id" in block and "core id" in block:
            seen[cpu] = (block["physical id"], block["core id"])
        else:
            seen[cpu] = None
    wanted = set(seen) if affinity is None else affinity
    pairs = [seen.get(cpu) for cpu in wanted]
    # A partial answer would undercount; the sysfs fallback may do better.
    if not pairs or None in pairs:
        return None
    return len(set(pairs))


def _cores_from_sysfs(
    root: pathlib.Path, affinity: frozenset[int] | None
) -> int | None:
    """Count the usable CPUs' distinct (package, core) pairs from sysfs."""
    base = root / "sys" / "devices" / "system" / "cpu"
    if affinity is None:
        try:
            wanted = {
                int(entry.name[3:])
                for entry in base.iterdir()
                if re.fullmatch(r"cpu\d+", entry.name)
            }
        except OSError:
            return None
    else:
        wanted = set(affinity)
    cores = set()
    for cpu in wanted:
        topology = base / f"cpu{cpu}" / "topology"
        package = read_int(topology / "physical_package_id")
        core = read_int(topology / "core_id")
        if package is None or core is None:
            return None
        cores.add((package, core))
    return len(cores) or None


def _logical_cpus(
    root: pathlib.Path,
    groups: dict[str, str],
    affinity: frozenset[int] | None,
) -> int | None:
    """Return the CPUs usable by this process (quota respected), or ``None``."""
    if not affinity:
        return None
    count = len(affinity)
    quota = _cpu_quota(root, groups)
    return count if quota is None else max(1, min(count, quota))


def _cpu_quota(root: pathlib.Path, groups: dict[str, str]) -> int | None:
    """Return the cgroup CPU quota in whole CPUs, or ``None`` if unlimited."""
    quotas = []
    for folder in _cgroup_v2_dirs(root, groups):
        text = read_text(folder / "cpu.max")
        if text is None:
            continue
        fields = text.split()
        # "max 100000" is no limit; "200000 100000" is two CPUs.
        if len(fields) == 2 and fields[0] != "max":
            quotas.append(_ratio(fields[0], fields[1]))
    for folder in _cgroup_v1_dirs(root, groups, "cpu"):
        quota = read_text(folder / "cpu.cfs_quota_us")
        period = read_text(folder / "cpu.cfs_period_us")
        if quota is not None and period is not None:
            # "-1" is no limit; _ratio rejects it with the other negatives.
            quotas.append(_ratio(quota, period))
    known = [quota for quota in quotas if quota is not None]
    return min(known) if known else None


def _ratio(quota: str, period: str) -> int | None:
    """Return ``ceil(quota / period)``, or ``None`` if either is not valid."""
    try:
        q, p = int(quota), int(period)
    except ValueError:
        return None
    if q <= 0 or p <= 0:
        return None
    return math.ceil(q / p)


def _caches(
    root: pathlib.Path,
) -> tuple[int | None, int | None, int | None]:
    """Return CPU 0's L1 data, L2 and L3 cache sizes in bytes."""
    base = root / "sys" / "devices" / "system" / "cpu" / "cpu0" / "cache"
    try:
        indexes = sorted(base.glob("index*"))
    except OSError:
        return None, None, None
    sizes: dict[int, int] = {}
    for index in indexes:
        level = read_int(index / "level")
        kind = (read_text(index / "type") or "").strip()
        size = _parse_size((read_text(index / "size") or "").strip())
        if level is None or size is None or kind == "Instruction":
            continue
        sizes.setdefault(level, size)
    return sizes.get(1), sizes.get(2), sizes.get(3)


def _parse_size(text: str) -> int | None:
    """Return bytes for a sysfs size (``"32K"``, ``"6M"``, ``"512"``)."""
    match = re.fullmatch(r"(\d+)([KMG]?)", text)
    if match is None:
        return None
    unit = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}[match[2]]
    return int(match[1]) * unit


# -- cgroups ----------------------------------------------------------------


def _own_cgroups(root: pathlib.Path) -> dict[str, str]:
    """Map each cgroup controller (``""`` for v2) to this process's group."""
    text = read_text(root / "proc" / "self" / "cgroup") or ""
    groups: dict[str, str] = {}
    for line in text.splitlines():
        # "4:memory:/a/b" (v1) or "0::/a/b" (v2).
        fields = line.split(":", 2)
        if len(fields) == 3:
            for controller in fields[1].split(","):
                groups.setdefault(controller, fields[2].strip())
    return groups


def _with_parents(
    mount: pathlib.Path, group: str | None
) -> list[pathlib.Path]:
    """Return the group's folder under `mount` and its parents up to `mount`."""
    parts = [part for part in (group or "").split("/") if part]
    folders = [mount.joinpath(*parts[:i]) for i in range(len(parts) + 1)]
    # Innermost first.  Folders that are missing (a container sees its own
    # group as the mount's root) are simply not read.
    return folders[::-1]


def _cgroup_v2_dirs(
    root: pathlib.Path, groups: dict[str, str]
) -> list[pathlib.Path]:
    """Return the cgroup v2 folders whose limits bind this process."""
    return _with_parents(root / "sys" / "fs" / "cgroup", groups.get(""))


def _cgroup_v1_dirs(
    root: pathlib.Path, groups: dict[str, str], controller: str
) -> list[pathlib.Path]:
    """Return the cgroup v1 folders of `controller` that bind this process."""
    base = root / "sys" / "fs" / "cgroup"
    # Distributions mount "cpu" alone, or joined with "cpuacct".
    names = (controller, f"{controller},cpuacct", f"cpuacct,{controller}")
    for name in names:
        mount = base / name
        if mount.is_dir():
            return _with_parents(mount, groups.get(controller))
    return []


# -- memory -----------------------------------------------------------------


def _memory(
    root: pathlib.Path, groups: dict[str, str]
) -> tuple[int | None, int | None]:
    """Return total and available memory in bytes, cgroup limits respected."""
    total, available = _meminfo(root)
    totals = [] if total is None else [total]
    availables = [] if available is None else [available]
    files = [
        (folder / "memory.max", folder / "memory.current")
        for folder in _cgroup_v2_dirs(root, groups)
    ] + [
        (folder / "memory.limit_in_bytes", folder / "memory.usage_in_bytes")
        for folder in _cgroup_v1_dirs(root, groups, "memory")
    ]
    for limit_file, usage_file in files:
        # v2 writes "max" for no limit, which read_int reads as None.
        limit = read_int(limit_file)
        if limit is None or limit >= _UNLIMITED:
            continue
        totals.append(limit)
        usage = read_int(usage_file)
        if usage is not None:
            availables.append(max(0, limit - usage))
    return min(totals, default=None), min(availables, default=None)


def _meminfo(root: pathlib.Path) -> tuple[int | None, int | None]:
    """Return MemTotal and MemAvailable from ``/proc/meminfo`` in bytes."""
    text = read_text(root / "proc" / "meminfo") or ""
    values: dict[str, int] = {}
    for line in text.splitlines():
        match = re.fullmatch(r"(\w+):\s*(\d+)\s*kB", line.strip())
        if match is not None:
            values[match[1]] = int(match[2]) * 1024
    return values.get("MemTotal"), values.get("MemAvailable")
