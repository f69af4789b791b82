"""Tests for resolve_for_hardware: error findings fixed, the rest kept."""

from __future__ import annotations

from qwen3vl import Qwen3VLConfig
from qwen3vl.hardware import HardwareProfile, resolve_for_hardware

from helpers import fitting, machine, paths


class TestResolve:
    def test_specification_default_on_its_own_machine(self):
        """On the SM61 target, tensor cores, FA2 and fp16 fall back, and the context fits."""
        hw = HardwareProfile.from_target("intel_i5_10210u_nvidia_sm61_nvme")

        resolution = resolve_for_hardware(Qwen3VLConfig(), hw)

        changed = {c.path: c.new for c in resolution.changes}
        assert {
            "gpu_config.attention_implementation": "sdpa",
            "gpu_config.use_mixed_precision": False,
            "gpu_config.use_tensor_cores": False,
            "optimization_config.use_flash_attention_2": False,
            "serving_config.max_context_tokens": 6400,
        } == changed
        for change in resolution.changes:
            assert change.reason

    def test_resolving_twice_changes_nothing(self):
        """A resolved config is its own resolution."""
        hw = HardwareProfile.from_target("intel_i5_10210u_nvidia_sm61_nvme")
        once = resolve_for_hardware(Qwen3VLConfig(), hw)

        twice = resolve_for_hardware(once.config, hw)

        assert () == twice.changes
        assert once.config == twice.config

    def test_without_a_gpu_everything_moves_to_the_cpu(self):
        """No GPU: the GPU tier goes to 0 and GPU kernels off."""
        resolution = resolve_for_hardware(fitting(), machine(gpus=()))

        config = resolution.config
        assert 0 == config.memory_config.gpu_memory_size
        assert "sdpa" == config.gpu_config.attention_implementation
        assert not config.gpu_config.use_mixed_precision

    def test_infos_about_switches_change_nothing(self):
        """A switch transformers ignores is reported, not turned off."""
        config = fitting(optimization_config={"use_sparsity": True})

        resolution = resolve_for_hardware(config, machine())

        assert config == resolution.config
        assert [("info", "optimization_config.use_sparsity")] == paths(
            resolution.findings
        )

    def test_warnings_change_nothing(self):
        """Only error findings are fixed."""
        config = fitting(cpu_config={"num_threads": 128})

        resolution = resolve_for_hardware(config, machine())

        assert config == resolution.config
        assert [("warning", "cpu_config.num_threads")] == paths(
            resolution.findings
        )
