"""
The NVIDIA GPUs of this host, for `detect_hardware`: `detect_gpus`.

NVML is asked when the optional ``nvidia-ml-py`` package is installed (the
``nvml`` extra), then ``nvidia-smi`` when it is on the ``PATH``, then the
driver's own list in ``/proc``.  Like every detector it never fails: a
reader that cannot answer returns ``None``, and what no reader knows is
unknown.  A product's peak memory bandwidth, when NVML cannot measure it,
comes from a table of well-known products (`_known_bandwidth`).

Strictly private: import `detect_hardware` from `qwen3vl.hardware`.
"""

from __future__ import annotations

import contextlib
import importlib
import pathlib
import re
import shutil

from typing import Any

from ._files import read_text
from ._profile import GPUInfo


__all__ = ["NVIDIA_SMI_TIMEOUT", "detect_gpus"]

#: How long ``nvidia-smi`` may take, in seconds; a healthy one answers in
#: well under one, a wedged driver can make it hang for minutes.
NVIDIA_SMI_TIMEOUT = 2.0

_MiB = 1024 * 1024

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


def detect_gpus(
    root: pathlib.Path, timeout: float
) -> tuple[GPUInfo, ...] | None:
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
        text = read_text(folder / "information") or ""
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
