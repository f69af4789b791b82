"""Tests for GPU detection: fake NVML, nvidia-smi and driver files."""

from __future__ import annotations

import sys
import textwrap
import time
import types

import pytest

from qwen3vl import GiB, MiB
from qwen3vl.hardware import GPUInfo, detect_hardware
from qwen3vl.hardware import _gpus as gpu_detect

from helpers import write_file


NVIDIA_SMI_1060 = "NVIDIA GeForce GTX 1060 6GB, 6.1, 6144\n"
NVIDIA_SMI_TWO = (
    "NVIDIA H100 80GB HBM3, 9.0, 81559\nNVIDIA A100-SXM4-40GB, 8.0, 40960\n"
)
GTX_1060 = GPUInfo(
    name="NVIDIA GeForce GTX 1060 6GB",
    compute_capability=(6, 1),
    memory_bytes=6 * GiB,
    memory_bandwidth_gbps=192.0,
)
H100_NVML = {
    "name": "NVIDIA H100 80GB HBM3",
    "cc": (9, 0),
    "total": 80 * GiB,
    "bus": 5120,
    "clock": 2619,
}


@pytest.fixture
def fake_smi(monkeypatch, tmp_path):
    """Return a function that installs a fake nvidia-smi, alone on PATH."""
    monkeypatch.setitem(sys.modules, "pynvml", None)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    # Alone, so that a real nvidia-smi on a GPU host cannot answer instead.
    monkeypatch.setenv("PATH", str(bin_dir))

    def install(script: str) -> None:
        path = bin_dir / "nvidia-smi"
        text = f"#!/bin/sh\nPATH=/usr/bin:/bin\n{script}\n"
        path.write_text(text, encoding="utf-8")
        path.chmod(0o755)

    return install


def printing(output: str, status: int = 0) -> str:
    """Return a shell script body that prints `output` and exits."""
    return f"cat <<'EOF'\n{output}EOF\nexit {status}"


class TestNvidiaSmi:
    def test_one_gpu(self, fake_smi):
        """One CSV line is one GPU, with the bandwidth the table knows."""
        fake_smi(printing(NVIDIA_SMI_1060))

        assert (GTX_1060,) == detect_hardware().gpus

    def test_two_gpus(self, fake_smi, tmp_path):
        """Each line is a GPU, in nvidia-smi's order."""
        fake_smi(printing(NVIDIA_SMI_TWO))

        assert (
            GPUInfo("NVIDIA H100 80GB HBM3", (9, 0), 81559 * MiB, 3352.0),
            GPUInfo("NVIDIA A100-SXM4-40GB", (8, 0), 40 * GiB, 1555.0),
        ) == gpu_detect.detect_gpus(tmp_path, 2.0)

    def test_the_query_asked(self, fake_smi, tmp_path):
        """nvidia-smi is asked for name, capability and MiB, CSV, no header."""
        args = tmp_path / "args"
        fake_smi(f'echo "$@" > {args}\n' + printing(NVIDIA_SMI_1060))

        gpu_detect.detect_gpus(tmp_path, 2.0)

        assert (
            "--query-gpu=name,compute_cap,memory.total "
            "--format=csv,noheader,nounits\n"
        ) == args.read_text(encoding="utf-8")

    def test_unknown_figures(self, fake_smi, tmp_path):
        """[N/A] figures and unknown products leave the figures unknown."""
        fake_smi(printing("Future GPU, [N/A], [N/A]\n"))

        assert (GPUInfo("Future GPU"),) == gpu_detect.detect_gpus(
            tmp_path, 2.0
        )

    def test_garbage_lines_are_skipped(self, fake_smi, tmp_path):
        """Lines that are not name, capability and memory are skipped."""
        fake_smi(printing("Warning: something\n" + NVIDIA_SMI_1060 + "a, b\n"))

        assert (GTX_1060,) == gpu_detect.detect_gpus(tmp_path, 2.0)

    @pytest.mark.parametrize(
        "output",
        [
            (
                "NVIDIA-SMI has failed because it couldn't communicate with "
                "the NVIDIA driver.\n"
            ),
            "a, b\n",
            ", 8.0, 1024\n",
            "\n\n",
            "",
        ],
    )
    def test_garbage_is_unknown(self, fake_smi, tmp_path, output):
        """Output without a GPU line leaves the GPUs unknown, not none."""
        fake_smi(printing(output))

        assert None is gpu_detect.detect_gpus(tmp_path, 2.0)

    def test_failing_command_is_unknown(self, fake_smi, tmp_path):
        """A non-zero exit leaves the GPUs unknown, whatever it printed."""
        fake_smi(printing(NVIDIA_SMI_1060, status=1))

        assert None is gpu_detect.detect_gpus(tmp_path, 2.0)

    def test_hanging_command_is_unknown_and_no_hang(self, fake_smi, tmp_path):
        """A wedged nvidia-smi is given up on after the timeout."""
        fake_smi("exec sleep 30")
        start = time.monotonic()

        gpus = gpu_detect.detect_gpus(tmp_path, 0.3)

        assert None is gpus
        assert 5 > time.monotonic() - start

    def test_broken_executable_is_unknown(self, fake_smi, tmp_path):
        """A nvidia-smi that cannot be started leaves the GPUs unknown."""
        fake_smi("")
        (tmp_path / "bin" / "nvidia-smi").write_bytes(b"\x7fELF-broken")

        assert None is gpu_detect.detect_gpus(tmp_path, 2.0)

    @pytest.mark.usefixtures("fake_smi")
    def test_absent_is_no_gpu(self, tmp_path):
        """Without NVML, nvidia-smi or the driver there is no NVIDIA GPU."""
        assert () == gpu_detect.detect_gpus(tmp_path, 2.0)

    def test_detect_hardware_waits_two_seconds_at_most(self):
        """The real call gives nvidia-smi two seconds."""
        assert 2.0 == gpu_detect.NVIDIA_SMI_TIMEOUT


DRIVER_INFORMATION = textwrap.dedent("""\
    Model: \t\t NVIDIA GeForce RTX 3090
    IRQ:   \t\t 130
    GPU UUID: \t GPU-00000000-0000-0000-0000-000000000000
    Bus Location: \t 0000:01:00.0
    Device Minor: \t 0
""")


class TestDriver:
    @pytest.mark.usefixtures("fake_smi")
    def test_driver_names_the_gpus_without_tools(self, tmp_path):
        """Without NVML or nvidia-smi the driver's list names the GPUs."""
        gpus = tmp_path / "proc/driver/nvidia/gpus"
        write_file(gpus, "0000:01:00.0/information", DRIVER_INFORMATION)
        write_file(gpus, "0000:02:00.0/information", "unreadable\n")

        assert (
            GPUInfo("NVIDIA GeForce RTX 3090", memory_bandwidth_gbps=936.2),
            GPUInfo("NVIDIA GPU"),
        ) == gpu_detect.detect_gpus(tmp_path, 2.0)

    def test_driver_answers_when_nvidia_smi_fails(self, fake_smi, tmp_path):
        """A failing nvidia-smi does not hide the GPUs the driver lists."""
        fake_smi("exit 9")
        gpus = tmp_path / "proc/driver/nvidia/gpus"
        write_file(gpus, "0000:01:00.0/information", DRIVER_INFORMATION)

        assert (
            GPUInfo("NVIDIA GeForce RTX 3090", memory_bandwidth_gbps=936.2),
        ) == gpu_detect.detect_gpus(tmp_path, 2.0)

    def test_driver_without_gpus(self, fake_smi, tmp_path):
        """A loaded driver that lists no GPU means there is none."""
        fake_smi("exit 9")
        (tmp_path / "proc/driver/nvidia/gpus").mkdir(parents=True)

        assert () == gpu_detect.detect_gpus(tmp_path, 2.0)


class _NVMLError(Exception):
    pass


def fake_nvml(devices, *, init_error=False, calls=None):
    """Return a stand-in for the pynvml module over `devices` (dicts)."""
    calls = [] if calls is None else calls

    def need(device, key):
        if device.get(key) is None:
            raise _NVMLError(key)
        return device[key]

    def init():
        calls.append("init")
        if init_error:
            raise _NVMLError

    def memory(handle):
        return types.SimpleNamespace(total=need(handle, "total"))

    def max_clock(handle, clock):
        assert 2 == clock  # NVML_CLOCK_MEM
        return need(handle, "clock")

    return types.SimpleNamespace(
        NVMLError=_NVMLError,
        NVML_CLOCK_MEM=2,
        nvmlInit=init,
        nvmlShutdown=lambda: calls.append("shutdown"),
        nvmlDeviceGetCount=lambda: len(devices),
        nvmlDeviceGetHandleByIndex=lambda i: devices[i],
        nvmlDeviceGetName=lambda h: need(h, "name"),
        nvmlDeviceGetCudaComputeCapability=lambda h: need(h, "cc"),
        nvmlDeviceGetMemoryInfo=memory,
        nvmlDeviceGetMemoryBusWidth=lambda h: need(h, "bus"),
        nvmlDeviceGetMaxClockInfo=max_clock,
    )


class TestNvml:
    def test_preferred_over_nvidia_smi(self, fake_smi, monkeypatch):
        """With pynvml importable, NVML answers and nvidia-smi is not asked."""
        fake_smi(printing(NVIDIA_SMI_1060))
        calls = []
        monkeypatch.setitem(
            sys.modules, "pynvml", fake_nvml([H100_NVML], calls=calls)
        )

        gpus = detect_hardware().gpus

        assert (
            GPUInfo("NVIDIA H100 80GB HBM3", (9, 0), 80 * GiB, 3352.3),
        ) == gpus
        assert ["init", "shutdown"] == calls

    def test_bandwidth_from_table_when_nvml_lacks_it(
        self, monkeypatch, tmp_path
    ):
        """Without bus width or clock, the table gives the bandwidth."""
        old = {**H100_NVML, "name": b"NVIDIA H100 PCIe", "bus": None}
        bare = {"name": None, "cc": None, "total": None, "bus": 1, "clock": 0}
        monkeypatch.setitem(sys.modules, "pynvml", fake_nvml([old, bare]))

        assert (
            GPUInfo("NVIDIA H100 PCIe", (9, 0), 80 * GiB, 2039.0),
            GPUInfo("NVIDIA GPU"),
        ) == gpu_detect.detect_gpus(tmp_path, 2.0)

    def test_nvml_without_driver_falls_back(
        self, fake_smi, monkeypatch, tmp_path
    ):
        """When nvmlInit fails, nvidia-smi is asked instead."""
        fake_smi(printing(NVIDIA_SMI_1060))
        monkeypatch.setitem(
            sys.modules, "pynvml", fake_nvml([], init_error=True)
        )

        assert (GTX_1060,) == gpu_detect.detect_gpus(tmp_path, 2.0)

    def test_nvml_with_no_devices(self, monkeypatch, tmp_path):
        """NVML that counts no device means no GPU."""
        monkeypatch.setenv("PATH", str(tmp_path))
        monkeypatch.setitem(sys.modules, "pynvml", fake_nvml([]))

        assert () == gpu_detect.detect_gpus(tmp_path, 2.0)


class TestBandwidthTable:
    @pytest.mark.parametrize(
        ("name", "gbps"),
        [
            ("NVIDIA H100 80GB HBM3", 3352.0),
            ("NVIDIA H100 PCIe", 2039.0),
            ("NVIDIA H200", 4800.0),
            ("NVIDIA A100-SXM4-80GB", 2039.0),
            ("NVIDIA A100 80GB PCIe", 2039.0),
            ("NVIDIA A100-PCIE-40GB", 1555.0),
            ("NVIDIA GeForce RTX 4090", 1008.0),
            ("NVIDIA GeForce RTX 3090", 936.2),
            ("NVIDIA GeForce RTX 3090 Ti", 1008.0),
            ("NVIDIA GeForce RTX 3080", 760.0),
            ("NVIDIA L4", 300.0),
            ("NVIDIA L40S", 864.0),
            ("Tesla T4", 320.0),
            ("Tesla V100-SXM2-16GB", 900.0),
            ("NVIDIA GeForce GTX 1060 6GB", 192.0),
            ("NVIDIA GeForce GTX 1060", 192.0),
            ("NVIDIA GeForce GTX 1060 5GB", None),
            ("NVIDIA GeForce RTX 2080", None),
        ],
    )
    def test_known_products(self, name, gbps):
        """Well-known products have their peak bandwidth; others none."""
        assert gbps == gpu_detect._known_bandwidth(name)
