"""Tests for check_config, resolve_for_hardware and plan_memory, on built profiles."""

from __future__ import annotations

import pytest

from qwen3vl import GiB, MiB, Qwen3VLConfig, apply_updates
from qwen3vl._switches import TRANSFORMERS_COUNTERPARTS
from qwen3vl.hardware import (
    DiskInfo,
    GPUInfo,
    HardwareProfile,
    check_config,
    estimate_memory,
    implied_dtype,
    plan_memory,
    resolve_for_hardware,
)


def gpu(cc=(9, 0), memory=80 * GiB, bandwidth=3352.0, name="H100 SXM"):
    """A GPU for a test profile."""
    return GPUInfo(
        name=name,
        compute_capability=cc,
        memory_bytes=memory,
        memory_bandwidth_gbps=bandwidth,
    )


def machine(**changes):
    """A roomy Hopper machine that no default setting strains."""
    base = {
        "cpu_model": "test CPU",
        "physical_cores": 32,
        "logical_cpus": 64,
        "simd": "avx512",
        "memory_total_bytes": 1024 * GiB,
        "memory_available_bytes": 1000 * GiB,
        "gpus": (gpu(),),
        "disk": DiskInfo(path="/", kind="nvme", free_bytes=4096 * GiB),
    }
    return HardwareProfile(**{**base, **changes})


#: The switches transformers has no counterpart for, each an info finding.
NO_COUNTERPART = [
    name for name, does in TRANSFORMERS_COUNTERPARTS.items() if does is None
]


def fitting(**patch):
    """A config that fits the roomy machine, with `patch` applied."""
    base = {
        "num_experts": 0,
        "optimization_config": {
            "use_moe": False,
            **dict.fromkeys(NO_COUNTERPART, False),
        },
        "gpu_config": {
            "gpu_compute_capability": [9, 0],
            "memory_bandwidth_gbps": 3352.0,
        },
        "memory_config": {
            "gpu_memory_size": "80GiB",
            "memory_pool_size": "8GiB",
        },
        "max_position_embeddings": 4096,
        "cpu_config": {"simd_instruction_set": "avx512"},
    }
    config = apply_updates(Qwen3VLConfig(), base)
    return apply_updates(config, patch) if patch else config


def paths(findings, severity=None):
    """The (severity, path) pairs of the findings, optionally of one severity."""
    return [
        (f.severity, f.path)
        for f in findings
        if severity is None or f.severity == severity
    ]


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


class TestResolve:
    def test_specification_default_on_its_own_machine(self):
        """On the SM61 target, tensor cores, FA2, fp16 and MoE fall back."""
        hw = HardwareProfile.from_target("intel_i5_10210u_nvidia_sm61_nvme")

        resolution = resolve_for_hardware(Qwen3VLConfig(), hw)

        changed = {c.path: c.new for c in resolution.changes}
        assert {
            "gpu_config.attention_implementation": "sdpa",
            "gpu_config.use_mixed_precision": False,
            "gpu_config.use_tensor_cores": False,
            "optimization_config.use_flash_attention_2": False,
            "optimization_config.use_moe": False,
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


class TestPlan:
    def test_everything_on_the_gpu_when_it_fits(self):
        """A small model on a big card is all on the GPU."""
        plan = plan_memory(fitting(), machine())

        assert plan.feasible
        assert {"gpu"} == {p.tier for p in plan.placements}
        assert "bf16" == plan.dtype

    def test_parts_spill_in_order(self):
        """When the GPU fills, later layers go to the CPU, then the SSD."""
        config = fitting(
            memory_config={
                "gpu_memory_size": "6GiB",
                "memory_pool_size": "1GiB",
                "cpu_memory_size": "6GiB",
                "ssd_memory_size": "100GiB",
            },
            gpu_config={"gpu_compute_capability": [8, 0]},
        )

        plan = plan_memory(config)

        tiers = [p.tier for p in plan.placements]
        assert plan.feasible
        assert "gpu" == plan.tier_of("kv_cache")
        assert tiers == sorted(tiers, key=["gpu", "cpu", "ssd"].index)
        assert {"gpu", "cpu", "ssd"} == set(tiers)

    def test_budget_respects_pool_and_swap_threshold(self):
        """The GPU budget is memory less the pool, times the swap threshold."""
        config = fitting(
            memory_config={
                "gpu_memory_size": "10GiB",
                "memory_pool_size": "2GiB",
                "swap_threshold": 0.5,
            }
        )

        assert 4 * GiB == plan_memory(config).budgets["gpu"]

    def test_no_swapping_uses_the_whole_budget(self):
        """Without swapping the tiers fill to their size."""
        config = fitting(
            memory_config={
                "gpu_memory_size": "10GiB",
                "memory_pool_size": "2GiB",
                "enable_memory_swapping": False,
            }
        )

        assert 8 * GiB == plan_memory(config).budgets["gpu"]

    def test_no_tiering_uses_the_first_tier_only(self):
        """Without tiering, the CPU and SSD hold nothing."""
        config = fitting(memory_config={"enable_memory_tiering": False})

        budgets = plan_memory(config).budgets

        assert 0 == budgets["cpu"] == budgets["ssd"]

    def test_kv_cache_never_goes_to_disk(self):
        """A KV cache larger than GPU and CPU makes the plan infeasible."""
        config = fitting(
            max_position_embeddings=1_000_000,
            memory_config={
                "gpu_memory_size": "8GiB",
                "memory_pool_size": "1GiB",
                "cpu_memory_size": "8GiB",
                "ssd_memory_size": "1TiB",
            },
        )

        plan = plan_memory(config)

        assert not plan.feasible
        assert ("kv_cache",) == tuple(p.part for p in plan.unplaced)

    def test_plan_sizes_add_up_to_the_estimate(self):
        """The placed bytes are the estimate's weights plus its KV cache."""
        config = fitting()
        plan = plan_memory(config)
        estimate = estimate_memory(config)

        weights = sum(p.bytes for p in plan.placements if p.part != "kv_cache")
        assert estimate.weight_bytes("bf16") == pytest.approx(weights, abs=64)
        assert estimate.kv_cache_bytes("bf16") == plan.placements[0].bytes

    def test_real_machine_caps_the_budgets(self):
        """A machine smaller than the config caps the budgets."""
        hw = machine(gpus=(gpu(memory=24 * GiB),), memory_total_bytes=4 * GiB)

        budgets = plan_memory(fitting(), hw).budgets

        assert int((24 - 8) * GiB * 0.8) == budgets["gpu"]
        assert int(4 * GiB * 0.8) == budgets["cpu"]

    def test_unknown_part_raises(self):
        """tier_of names only real parts."""
        with pytest.raises(KeyError):
            plan_memory(fitting()).tier_of("nope")

    def test_cpu_only_plans_in_fp32_on_the_cpu(self):
        """Without GPU memory the plan is fp32 on CPU and SSD."""
        config = Qwen3VLConfig.from_preset("minimal", "cpu_only")
        config = apply_updates(config, {"max_position_embeddings": 2048})

        plan = plan_memory(config)

        assert "fp32" == plan.dtype
        assert "gpu" not in {p.tier for p in plan.placements}
        assert 512 * MiB < plan.used["cpu"]


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
