"""
What this host is: `detect_hardware`.

Detection reads ``/proc``, ``/sys`` and `os`, asks ``nvidia-smi`` when it is
on the ``PATH`` and NVML when the optional ``nvidia-ml-py`` package is
installed (the ``nvml`` extra).  It never fails: each reader catches the errors its source can
raise (a missing file, a value it cannot parse, a command that fails or
hangs) and reports ``None`` or ``"unknown"`` for what it could not learn.

Every reader takes the filesystem root as a parameter, so tests run them on
fake ``/proc`` and ``/sys`` trees.  Nothing is cached: each call reads the
host afresh (cgroup limits, free memory and free disk change while a process
runs).

Strictly private: import the names from `qwen3vl.hardware`.
"""

from __future__ import annotations

import contextlib
import importlib
import math
import os
import pathlib
import re
import shutil

from typing import Any

from ._profile import DiskInfo, DiskKind, GPUInfo, HardwareProfile, Simd


__all__ = ["detect_hardware"]

_ROTATIONAL: dict[str, DiskKind] = {"1": "hdd", "0": "ssd"}

#: How long ``nvidia-smi`` may take, in seconds; a healthy one answers in
#: well under one, a wedged driver can make it hang for minutes.
NVIDIA_SMI_TIMEOUT = 2.0

_MiB = 1024 * 1024

# cgroup v1 writes "no limit" as the largest page-aligned int64
# (9223372036854771712); anything this large is no limit.
_UNLIMITED = 1 << 60

# Peak memory bandwidth in GB/s of well-known products, for when NVML cannot
# say.  Matched in order against the upper-cased name with "-" and "_" read
# as spaces, so more specific patterns come first.  Kept as strings: `re`
# compiles (and caches) them only on a host that has a GPU to look up.
_BANDWIDTH_GBPS: tuple[tuple[str, float], ...] = (
    (r"\bH200\b", 4800.0),
    (r"\bH100\b.*\bNVL\b", 3938.0),
    (r"\bH100\b.*\bPCIE\b", 2039.0),
    (r"\bH100\b", 3352.0),
    (r"\bA100\b.*\b80GB\b", 2039.0),
    (r"\bA100\b", 1555.0),
    (r"\bL40S?\b", 864.0),
    (r"\bL4\b", 300.0),
    (r"\bA10\b", 600.0),
    (r"\bT4\b", 320.0),
    (r"\bV100S\b", 1134.0),
    (r"\bV100\b", 900.0),
    (r"\bRTX 4090\b", 1008.0),
    (r"\bRTX 3090 TI\b", 1008.0),
    (r"\bRTX 3090\b", 936.2),
    (r"\bRTX 3080 TI\b", 912.0),
    (r"\bRTX 3080\b", 760.0),
    (r"\bGTX 1060( [36]GB)?$", 192.0),
)


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
        gpus=_gpus(root, nvidia_smi_timeout),
        disk=None if folder is None else _disk(root, folder),
        source="detected",
    )


# -- files ------------------------------------------------------------------


def _read(path: pathlib.Path) -> str | None:
    """Return a text file's content, or ``None`` if it cannot be read."""
    try:
        # Kernel files are ASCII; "replace" keeps a stray byte from making
        # the whole file unreadable.
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def _read_int(path: pathlib.Path) -> int | None:
    """Return the integer a one-value file holds, or ``None``."""
    text = _read(path)
    if text is None:
        return None
    try:
        return int(text.strip())
    except ValueError:
        return None


# -- CPU --------------------------------------------------------------------


def _read_cpuinfo(root: pathlib.Path) -> list[dict[str, str]] | None:
    """Return ``/proc/cpuinfo`` as one mapping per block, or ``None``."""
    text = _read(root / "proc" / "cpuinfo")
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
        package = _read_int(topology / "physical_package_id")
        core = _read_int(topology / "core_id")
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
        text = _read(folder / "cpu.max")
        if text is None:
            continue
        fields = text.split()
        # "max 100000" is no limit; "200000 100000" is two CPUs.
        if len(fields) == 2 and fields[0] != "max":
            quotas.append(_ratio(fields[0], fields[1]))
    for folder in _cgroup_v1_dirs(root, groups, "cpu"):
        quota = _read(folder / "cpu.cfs_quota_us")
        period = _read(folder / "cpu.cfs_period_us")
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
        level = _read_int(index / "level")
        kind = (_read(index / "type") or "").strip()
        size = _parse_size((_read(index / "size") or "").strip())
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
    text = _read(root / "proc" / "self" / "cgroup") or ""
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
        # v2 writes "max" for no limit, which _read_int reads as None.
        limit = _read_int(limit_file)
        if limit is None or limit >= _UNLIMITED:
            continue
        totals.append(limit)
        usage = _read_int(usage_file)
        if usage is not None:
            availables.append(max(0, limit - usage))
    return min(totals, default=None), min(availables, default=None)


def _meminfo(root: pathlib.Path) -> tuple[int | None, int | None]:
    """Return MemTotal and MemAvailable from ``/proc/meminfo`` in bytes."""
    text = _read(root / "proc" / "meminfo") or ""
    values: dict[str, int] = {}
    for line in text.splitlines():
        match = re.fullmatch(r"(\w+):\s*(\d+)\s*kB", line.strip())
        if match is not None:
            values[match[1]] = int(match[2]) * 1024
    return values.get("MemTotal"), values.get("MemAvailable")


# -- GPUs -------------------------------------------------------------------


def _gpus(root: pathlib.Path, timeout: float) -> tuple[GPUInfo, ...] | None:
    """
    Return the NVIDIA GPUs: ``()`` if there is none, ``None`` if unknown.

    NVML is asked first, then ``nvidia-smi``, then the driver's own list in
    ``/proc``, which names the GPUs and nothing more.  Without any of the
    three there is no NVIDIA GPU; a tool that is there but fails (a wedged
    or mismatched driver) leaves the answer unknown, since checks treat
    ``()`` as "run on the CPU".

    Strictly private.
    """
    gpus = _gpus_from_nvml()
    if gpus is not None:
        return gpus
    executable = shutil.which("nvidia-smi")
    if executable is not None:
        gpus = _gpus_from_nvidia_smi(executable, timeout)
        if gpus is not None:
            return gpus
    driver = _gpus_from_driver(root)
    if driver is not None:
        return driver
    return () if executable is None else None


def _gpus_from_nvml() -> tuple[GPUInfo, ...] | None:
    """Return the GPUs NVML reports, or ``None`` if NVML is not usable."""
    try:
        # Optional (the "nvml" extra) and slow to load: imported only here.
        nvml: Any = importlib.import_module("pynvml")
    except ImportError:
        return None
    errors: tuple[type[Exception], ...] = (
        getattr(nvml, "NVMLError", OSError),
        OSError,
    )
    try:
        nvml.nvmlInit()
    except errors:
        # No driver, or no libnvidia-ml: nvidia-smi may still answer.
        return None
    try:
        gpus = []
        for index in range(nvml.nvmlDeviceGetCount()):
            handle = nvml.nvmlDeviceGetHandleByIndex(index)
            gpus.append(_nvml_gpu(nvml, handle, errors))
        return tuple(gpus)
    except errors:
        return None
    finally:
        with contextlib.suppress(*errors):
            nvml.nvmlShutdown()


def _nvml_gpu(
    nvml: Any, handle: Any, errors: tuple[type[Exception], ...]
) -> GPUInfo:
    """Return one GPU as NVML describes it; each figure NVML lacks is None."""

    catch: tuple[type[Exception], ...] = (*errors, AttributeError)

    def ask(name: str, *args: Any) -> Any:
        # Older drivers lack some queries; one missing figure is no reason
        # to lose the others.
        try:
            return getattr(nvml, name)(handle, *args)
        except catch:
            return None

    name = ask("nvmlDeviceGetName")
    if isinstance(name, bytes):  # nvidia-ml-py before 11.515 gave bytes
        name = name.decode("utf-8", "replace")
    name = str(name) if name else "NVIDIA GPU"
    capability = ask("nvmlDeviceGetCudaComputeCapability")
    memory = ask("nvmlDeviceGetMemoryInfo")
    bus_bits = ask("nvmlDeviceGetMemoryBusWidth")
    clock_mhz = ask(
        "nvmlDeviceGetMaxClockInfo", getattr(nvml, "NVML_CLOCK_MEM", 2)
    )
    bandwidth: float | None = None
    if bus_bits and clock_mhz:
        # Double data rate: two transfers per clock, bits to bytes, MB to GB.
        bandwidth = round(bus_bits * clock_mhz * 2 / 8 / 1000, 1)
    try:
        major, minor = capability
        cc: tuple[int, int] | None = (int(major), int(minor))
    except (TypeError, ValueError):
        cc = None
    total = getattr(memory, "total", None)
    return GPUInfo(
        name=name,
        compute_capability=cc,
        memory_bytes=total if isinstance(total, int) and total > 0 else None,
        memory_bandwidth_gbps=bandwidth or _known_bandwidth(name),
    )


def _gpus_from_nvidia_smi(
    executable: str, timeout: float
) -> tuple[GPUInfo, ...] | None:
    """Return the GPUs ``nvidia-smi`` lists, or ``None`` if it fails."""
    # Imported here: most hosts never get this far, and the import costs
    # every `import qwen3vl` a few milliseconds.
    import subprocess  # noqa: PLC0415

    command = [
        executable,
        "--query-gpu=name,compute_cap,memory.total",
        "--format=csv,noheader,nounits",
    ]
    try:
        # The executable is the PATH's nvidia-smi and the arguments are
        # fixed, so nothing untrusted reaches the command line.
        done = subprocess.run(  # noqa: S603
            command,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    gpus = tuple(
        gpu
        for gpu in map(_parse_nvidia_smi_line, done.stdout.splitlines())
        if gpu is not None
    )
    # With no GPU, nvidia-smi fails ("No devices were found"); output with
    # no GPU in it is something else, so nothing is known.
    return gpus or None


def _gpus_from_driver(root: pathlib.Path) -> tuple[GPUInfo, ...] | None:
    """Return the GPUs the loaded driver lists, or ``None`` if it is not."""
    base = root / "proc" / "driver" / "nvidia" / "gpus"
    try:
        # One folder per GPU, named by PCI bus location.
        folders = sorted(base.iterdir())
    except OSError:
        return None
    gpus = []
    for folder in folders:
        text = _read(folder / "information") or ""
        match = re.search(r"^Model:\s*(\S.*?)\s*$", text, re.MULTILINE)
        name = match[1] if match else "NVIDIA GPU"
        gpus.append(
            GPUInfo(name, memory_bandwidth_gbps=_known_bandwidth(name))
        )
    return tuple(gpus)


def _parse_nvidia_smi_line(line: str) -> GPUInfo | None:
    """Return the GPU one CSV line describes, or ``None`` for other text."""
    fields = [field.strip() for field in line.split(",")]
    if len(fields) != 3 or not fields[0]:
        return None
    name, capability, memory = fields
    match = re.fullmatch(r"(\d+)\.(\d+)", capability)
    cc = None if match is None else (int(match[1]), int(match[2]))
    # "[N/A]" and other non-numbers leave the figure unknown.
    mib = int(memory) if memory.isdigit() else None
    return GPUInfo(
        name=name,
        compute_capability=cc,
        memory_bytes=None if not mib else mib * _MiB,
        memory_bandwidth_gbps=_known_bandwidth(name),
    )


def _known_bandwidth(name: str) -> float | None:
    """Return a well-known product's peak memory bandwidth in GB/s."""
    key = re.sub(r"[\s_-]+", " ", name.upper()).strip()
    for pattern, gbps in _BANDWIDTH_GBPS:
        if re.search(pattern, key):
            return gbps
    return None


# -- disk -------------------------------------------------------------------


def _disk(root: pathlib.Path, folder: str) -> DiskInfo:
    """Return the free space and kind of the disk that holds `folder`."""
    existing = _nearest_existing(pathlib.Path(folder))
    if existing is None:
        return DiskInfo(path=folder)
    free: int | None = None
    statvfs = getattr(os, "statvfs", None)  # Windows has none
    if statvfs is not None:
        try:
            stats = statvfs(existing)
            free = stats.f_bavail * stats.f_frsize
        except (OSError, ValueError):
            pass
    try:
        device = existing.stat().st_dev
    except (OSError, ValueError):
        return DiskInfo(path=folder, free_bytes=free)
    kind = _disk_kind(root, os.major(device), os.minor(device))
    return DiskInfo(path=folder, kind=kind, free_bytes=free)


def _nearest_existing(folder: pathlib.Path) -> pathlib.Path | None:
    """Return `folder`, or its nearest parent that exists; ``None`` if none."""
    # A folder not created yet will live on its nearest existing parent.
    for candidate in (folder, *folder.parents):
        try:
            candidate.stat()
        except (FileNotFoundError, NotADirectoryError):
            continue
        except (OSError, ValueError):
            # Not allowed to look, or not a path the OS accepts.
            return None
        return candidate
    return None


def _disk_kind(root: pathlib.Path, major: int, minor: int) -> DiskKind:
    """Return the kind of the disk that block device `major:minor` is on."""
    link = root / "sys" / "dev" / "block" / f"{major}:{minor}"
    try:
        # A relative link such as ../../devices/.../block/nvme0n1/nvme0n1p2;
        # it resolves inside `root`, so fake trees work too.
        device = link.resolve(strict=True)
    except (OSError, RuntimeError):
        # No such device: overlay, tmpfs and network filesystems.
        return "unknown"
    return _block_kind(root, _disk_of(device), depth=0)


def _block_kind(root: pathlib.Path, disk: str, depth: int) -> DiskKind:
    """Return the kind of whole block device `disk` (``/sys/block/<disk>``)."""
    if disk.startswith("nvme"):
        return "nvme"
    block = root / "sys" / "block" / disk
    # Device mapper (LVM, LUKS) and md RAID sit on other devices; the kind
    # is theirs when they all agree.  The depth bound guards odd trees.
    if depth < 4:
        try:
            below = sorted(
                entry.name for entry in (block / "slaves").iterdir()
            )
        except OSError:
            below = []
        kinds = {
            _block_kind(root, _whole_disk(root, name), depth + 1)
            for name in below
        }
        if len(kinds) == 1 and "unknown" not in kinds:
            return kinds.pop()
    rotational = (_read(block / "queue" / "rotational") or "").strip()
    return _ROTATIONAL.get(rotational, "unknown")


def _whole_disk(root: pathlib.Path, name: str) -> str:
    """Return the disk that partition `name` is on (or `name` if a disk)."""
    try:
        device = (root / "sys" / "class" / "block" / name).resolve(strict=True)
    except (OSError, RuntimeError):
        return name
    return _disk_of(device)


def _disk_of(device: pathlib.Path) -> str:
    """Return the whole disk's name for a sysfs block device folder."""
    # A partition's folder sits inside its disk's and has a "partition" file.
    return device.parent.name if _read(device / "partition") else device.name
