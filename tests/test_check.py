"""Tests for check_config: what a config asks of a machine, on built profiles."""

from __future__ import annotations

from qwen3vl import GiB, Qwen3VLConfig
from qwen3vl.hardware import (
    DiskInfo,
    HardwareProfile,
    check_config,
    implied_dtype,
    resolve_for_hardware,
)

from helpers import NO_COUNTERPART, fitting, gpu, machine, paths


class TestBaseline:
    def test_a_fitting_config_on_a_roomy_machine_has_no_findings(self):
        """The baseline of these tests: nothing to report."""
        assert [] == check_config(fitting(), machine())

    def test_findings_are_sorted_errors_first(self):
        """Errors come before warnings and infos."""
        config = fitting(
            gpu_config={"gpu_compute_capability": [6, 1]},
            cpu_config={"num_threads": 128},
        )
        hw = machine(gpus=(gpu(cc=(6, 1), memory=8 * GiB, bandwidth=320.0),))

        severities = [f.severity for f in check_config(config, hw)]

        assert (
            sorted(severities, key=["error", "warning", "info"].index)
            == severities
        )


class TestRules:
    def test_tensor_cores_below_volta(self):
        """Tensor cores below compute 7.0 are an error with a fix."""
        hw = machine(gpus=(gpu(cc=(6, 1), memory=8 * GiB, bandwidth=256.0),))
        config = fitting(gpu_config={"gpu_compute_capability": [6, 1]})

        found = {f.path: f for f in check_config(config, hw)}

        finding = found["gpu_config.use_tensor_cores"]
        assert "error" == finding.severity
        assert {"gpu_config.use_tensor_cores": False} == dict(finding.fix)

    def test_tensor_cores_on_volta_are_fine(self):
        """Compute 7.0 has tensor cores."""
        hw = machine(gpus=(gpu(cc=(7, 0), memory=32 * GiB, bandwidth=900.0),))
        config = fitting(
            gpu_config={
                "gpu_compute_capability": [7, 0],
                "attention_implementation": "sdpa",
                "memory_bandwidth_gbps": 900.0,
            },
            optimization_config={"use_flash_attention_2": False},
            memory_config={"gpu_memory_size": "32GiB"},
        )

        assert "gpu_config.use_tensor_cores" not in {
            f.path for f in check_config(config, hw)
        }

    def test_fp16_on_consumer_pascal_is_an_error(self):
        """Mixed precision on compute 6.1 runs at a fraction of fp32 speed."""
        hw = machine(gpus=(gpu(cc=(6, 1), memory=8 * GiB, bandwidth=256.0),))
        config = fitting(gpu_config={"gpu_compute_capability": [6, 1]})

        found = {f.path: f for f in check_config(config, hw)}

        assert "error" == found["gpu_config.use_mixed_precision"].severity
        assert "fp32" == implied_dtype(config, hw)

    def test_bf16_needs_ampere(self):
        """Below 8.0 mixed precision is fp16, said as an info."""
        hw = machine(gpus=(gpu(cc=(7, 5), memory=16 * GiB, bandwidth=320.0),))
        config = fitting(gpu_config={"gpu_compute_capability": [7, 5]})

        found = {f.path: f for f in check_config(config, hw)}

        assert "info" == found["gpu_config.use_mixed_precision"].severity
        assert "fp16" == implied_dtype(config, hw)
        assert "bf16" == implied_dtype(fitting(), machine())

    def test_flash_attention_below_ampere(self):
        """FlashAttention-2 below 8.0: both settings are errors with fixes."""
        hw = machine(gpus=(gpu(cc=(7, 5), memory=16 * GiB, bandwidth=320.0),))
        config = fitting(gpu_config={"gpu_compute_capability": [7, 5]})

        found = {f.path: f for f in check_config(config, hw)}

        assert {"gpu_config.attention_implementation": "sdpa"} == dict(
            found["gpu_config.attention_implementation"].fix
        )
        assert (
            "error"
            == found["optimization_config.use_flash_attention_2"].severity
        )

    def test_flash_attention_switch_disagreeing_with_kernel(self):
        """use_flash_attention_2 and attention_implementation must agree."""
        config = fitting(gpu_config={"attention_implementation": "sdpa"})

        assert [
            ("warning", "optimization_config.use_flash_attention_2")
        ] == paths(check_config(config, machine()))

    def test_simd_set_the_cpu_lacks(self):
        """AVX-512 on an AVX2 CPU is an error that falls back to AVX2."""
        config = fitting(cpu_config={"simd_instruction_set": "avx512"})

        (finding,) = check_config(config, machine(simd="avx2"))

        assert ("error", "cpu_config.simd_instruction_set") == (
            finding.severity,
            finding.path,
        )
        assert {"cpu_config.simd_instruction_set": "avx2"} == dict(finding.fix)

    def test_narrower_simd_than_the_cpu_is_an_info(self):
        """AVX2 on an AVX-512 CPU works, with a hint."""
        assert [("info", "cpu_config.simd_instruction_set")] == paths(
            check_config(
                fitting(cpu_config={"simd_instruction_set": "avx2"}), machine()
            )
        )

    def test_unknown_simd_is_not_judged(self):
        """A profile that does not know the SIMD set raises nothing about it."""
        config = fitting(cpu_config={"simd_instruction_set": "avx512"})

        assert [] == check_config(config, machine(simd=None))

    def test_more_threads_and_workers_than_cpus(self):
        """Threads and workers beyond the usable CPUs are warnings."""
        config = fitting(cpu_config={"num_threads": 16, "num_workers": 12})

        assert [
            ("warning", "cpu_config.num_threads"),
            ("warning", "cpu_config.num_workers"),
        ] == paths(check_config(config, machine(logical_cpus=8)))

    def test_gpu_memory_larger_than_the_card(self):
        """A GPU tier larger than the card is an error fixed to the card."""
        hw = machine(gpus=(gpu(memory=40 * GiB, cc=(9, 0)),))

        found = {f.path: f for f in check_config(fitting(), hw)}

        finding = found["memory_config.gpu_memory_size"]
        assert 40 * GiB == finding.fix["memory_config.gpu_memory_size"]

    def test_cpu_memory_larger_than_the_machine(self):
        """A CPU tier larger than the machine's memory is an error."""
        config = fitting(memory_config={"cpu_memory_size": "64GiB"})
        hw = machine(
            memory_total_bytes=32 * GiB, memory_available_bytes=30 * GiB
        )

        assert ("error", "memory_config.cpu_memory_size") in paths(
            check_config(config, hw)
        )

    def test_cpu_memory_above_what_is_free_is_a_warning(self):
        """A CPU tier within the machine but above free memory warns."""
        config = fitting(memory_config={"cpu_memory_size": "64GiB"})
        hw = machine(
            memory_total_bytes=128 * GiB, memory_available_bytes=30 * GiB
        )

        assert ("warning", "memory_config.cpu_memory_size") in paths(
            check_config(config, hw)
        )

    def test_ssd_larger_than_the_free_disk(self):
        """An SSD tier larger than the free disk is an error."""
        hw = machine(disk=DiskInfo(path="/", kind="nvme", free_bytes=10 * GiB))

        assert ("error", "memory_config.ssd_memory_size") in paths(
            check_config(fitting(), hw)
        )

    def test_specification_gpu_figures_are_inconsistent(self):
        """Compute 6.1 with 6 GB and 320 GB/s is no real card."""
        config = Qwen3VLConfig()
        hw = machine(gpus=())

        found = [
            f
            for f in check_config(config, HardwareProfile())
            if "bandwidth" in f.path
        ]

        assert 1 == len(found)
        assert "GeForce GTX 1060 6GB: 192 GB/s" in found[0].message
        assert [] == [
            f for f in check_config(config, hw) if "bandwidth" in f.path
        ]

    def test_bandwidth_differing_from_the_real_gpu(self):
        """A configured bandwidth far from the real GPU's warns."""
        config = fitting(gpu_config={"memory_bandwidth_gbps": 1000.0})

        assert [("warning", "gpu_config.memory_bandwidth_gbps")] == paths(
            check_config(config, machine())
        )

    def test_moe_switch_on_a_dense_model(self):
        """use_moe on a dense model (num_experts 0) is an error."""
        config = fitting(optimization_config={"use_moe": True})

        (finding,) = check_config(config, machine())

        assert ("error", "optimization_config.use_moe") == (
            finding.severity,
            finding.path,
        )

    def test_switches_transformers_ignores_are_infos(self):
        """Each switch on without a transformers counterpart is an info."""
        config = fitting(
            optimization_config={
                "use_sparsity": True,
                "use_learned_activation_routing": True,
            }
        )

        found = check_config(config, machine())

        assert [
            ("info", "optimization_config.use_learned_activation_routing"),
            ("info", "optimization_config.use_sparsity"),
        ] == paths(found)
        assert [{}, {}] == [dict(f.fix) for f in found]
        assert "transformers ignores it" in found[0].suggestion

    def test_switches_with_a_transformers_counterpart_are_not_reported(self):
        """Gradient checkpointing, kernels and pooling have counterparts."""
        config = fitting(
            optimization_config={
                "use_gradient_checkpointing": True,
                "use_hardware_specific_kernels": True,
                "use_memory_pooling": True,
            }
        )

        assert [] == check_config(config, machine())

    def test_the_default_reports_every_switch_without_a_counterpart(self):
        """The specification turns every switch on: one info for each."""
        found = check_config(Qwen3VLConfig(), HardwareProfile())

        assert sorted(
            f"optimization_config.{name}" for name in NO_COUNTERPART
        ) == [path for severity, path in paths(found) if severity == "info"]

    def test_gpu_settings_without_a_gpu(self):
        """A GPU tier on a machine without a GPU is an error."""
        assert ("error", "memory_config.gpu_memory_size") in paths(
            check_config(fitting(), machine(gpus=()))
        )

    def test_capability_differing_from_the_real_gpu(self):
        """The configured compute capability should be the GPU's."""
        config = fitting(gpu_config={"gpu_compute_capability": [8, 0]})

        assert [("warning", "gpu_config.gpu_compute_capability")] == paths(
            check_config(config, machine())
        )

    def test_model_that_does_not_fit(self):
        """A model larger than all tiers together is an error about memory."""
        config = fitting(
            memory_config={
                "gpu_memory_size": "8GiB",
                "memory_pool_size": "1GiB",
                "cpu_memory_size": "4GiB",
                "ssd_memory_size": "4GiB",
            }
        )
        hw = machine(gpus=(gpu(memory=8 * GiB),))

        found = {f.path: f for f in check_config(config, hw)}

        assert "does not fit" in found["memory_config"].message

    def test_unknown_profile_judges_only_the_config(self):
        """With nothing known about the machine, only config-level findings remain."""
        assert [] == check_config(fitting(), HardwareProfile())


class TestDetectionDefault:
    def test_no_hardware_means_this_machine(self, monkeypatch):
        """check_config and resolve_for_hardware detect the host when given none."""
        import qwen3vl.hardware._check as check_module
        import qwen3vl.hardware._resolve as resolve_module

        calls = []

        def fake() -> HardwareProfile:
            calls.append(1)
            return machine(gpus=())

        monkeypatch.setattr(check_module, "detect_hardware", fake)
        monkeypatch.setattr(resolve_module, "detect_hardware", fake)

        findings = check_config(fitting())
        resolution = resolve_for_hardware(fitting())

        assert ("error", "memory_config.gpu_memory_size") in paths(findings)
        assert 0 == resolution.config.memory_config.gpu_memory_size
        assert 2 == len(calls)
