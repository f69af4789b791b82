"""Tests for HardwareProfile: its layer, from_target, and hardware_target auto."""

from __future__ import annotations

from qwen3vl import GiB, MiB
from qwen3vl.hardware import HardwareProfile

from helpers import gpu, machine


class TestAuto:
    def test_auto_target_layers_the_detected_machine(self, monkeypatch):
        """hardware_target = "auto" fills the hardware layer from detection."""
        import qwen3vl.hardware

        from qwen3vl import load_config_traced

        host = machine(
            physical_cores=12,
            logical_cpus=24,
            simd="avx2",
            gpus=(gpu(cc=(8, 6), memory=24 * GiB, bandwidth=936.2),),
        )
        monkeypatch.setattr(qwen3vl.hardware, "detect_hardware", lambda: host)

        config, origins = load_config_traced(hardware_target="auto", env=False)

        assert "auto" == config.hardware_target
        assert 12 == config.cpu_config.num_threads
        assert (8, 6) == config.gpu_config.gpu_compute_capability
        assert 24 * GiB == config.memory_config.gpu_memory_size
        assert "hardware:auto" == origins["gpu_config.gpu_compute_capability"]

    def test_auto_without_a_gpu_is_cpu_only(self, monkeypatch):
        """Detected with no GPU, "auto" turns the GPU tier and kernels off."""
        import qwen3vl.hardware

        from qwen3vl import load_config

        monkeypatch.setattr(
            qwen3vl.hardware, "detect_hardware", lambda: machine(gpus=())
        )

        config = load_config(env={"QWEN3VL_HARDWARE_TARGET": "auto"})

        assert 0 == config.memory_config.gpu_memory_size
        assert "sdpa" == config.gpu_config.attention_implementation

    def test_from_target_profile_round_trips_the_preset(self):
        """A target's profile, layered back, gives the preset's figures."""
        profile = HardwareProfile.from_target(
            "amd_ryzen9_5950x_nvidia_rtx3090_nvme"
        )

        assert 16 == profile.physical_cores
        assert 32 == profile.logical_cpus
        assert (8, 6) == profile.gpu.compute_capability
        assert "target:amd_ryzen9_5950x_nvidia_rtx3090_nvme" == profile.source
        assert 64 * MiB == profile.l3_cache_bytes

    def test_unknown_gpus_are_not_no_gpus(self):
        """A profile that does not know its GPUs leaves the GPU layer alone."""
        assert "gpu_config" not in HardwareProfile().as_layer()
        assert (
            0
            == machine(gpus=()).as_layer()["memory_config"]["gpu_memory_size"]
        )
