"""Tests for check_config: what a config asks of a machine, on built profiles."""

from __future__ import annotations

import json

import pytest

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
        """use_moe on a dense model (num_experts 0) follows the model: an info, no fix."""
        config = fitting(optimization_config={"use_moe": True})

        (finding,) = check_config(config, machine())

        assert ("info", "optimization_config.use_moe") == (
            finding.severity,
            finding.path,
        )
        assert {} == dict(finding.fix)
        assert () == resolve_for_hardware(config, machine()).changes

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
        """The specification turns every switch on: one info for each, and use_moe's."""
        found = check_config(Qwen3VLConfig(), HardwareProfile())

        assert sorted(
            [
                *(f"optimization_config.{name}" for name in NO_COUNTERPART),
                "optimization_config.use_moe",
            ]
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

    def test_quantized_model_that_does_not_fit_says_stored(self):
        """A quantized model is said not to fit with its weights as stored."""
        config = fitting(
            memory_config={
                "gpu_memory_size": "2GiB",
                "memory_pool_size": "1GiB",
                "cpu_memory_size": "1GiB",
                "ssd_memory_size": "1GiB",
            },
            quantization_config={"method": "fp8", "bits": 8},
        )
        hw = machine(gpus=(gpu(memory=8 * GiB),))

        found = {f.path: f for f in check_config(config, hw)}

        assert "fp8 weights as stored" in found["memory_config"].message

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


# -- quantized weights and the GPU ----------------------------------------

#: compressed-tensors' quantization_config as olmOCR-2-7B-1025-FP8 has it
#: (tests/data/hf-configs), less its ignore list: FP8 weights per channel.
CT_FP8 = {
    "config_groups": {
        "group_0": {
            "input_activations": {
                "dynamic": True,
                "num_bits": 8,
                "strategy": "token",
                "symmetric": True,
                "type": "float",
            },
            "targets": ["Linear"],
            "weights": {
                "dynamic": False,
                "num_bits": 8,
                "strategy": "channel",
                "symmetric": True,
                "type": "float",
            },
        }
    },
    "format": "float-quantized",
    "quantization_status": "compressed",
}

#: The same, as a W4A16 integer checkpoint: packed int4 weights in groups.
CT_INT4 = {
    "config_groups": {
        "group_0": {
            "input_activations": None,
            "targets": ["Linear"],
            "weights": {
                "dynamic": False,
                "group_size": 128,
                "num_bits": 4,
                "strategy": "group",
                "symmetric": True,
                "type": "int",
            },
        }
    },
    "format": "pack-quantized",
}

#: Each method with the fields it needs, by method name.
QUANTIZED = {
    "fp8": {"method": "fp8", "bits": 8, "weight_block_size": [128, 128]},
    "awq": {"method": "awq", "bits": 4, "group_size": 128},
    "gptq": {"method": "gptq", "bits": 4, "group_size": 128},
    "bitsandbytes": {"method": "bitsandbytes", "bits": 4},
    "ct-fp8": {
        "method": "compressed-tensors",
        "bits": 8,
        "extra": json.dumps(CT_FP8),
    },
    "ct-int4": {
        "method": "compressed-tensors",
        "bits": 4,
        "group_size": 128,
        "extra": json.dumps(CT_INT4),
    },
}


def quantized(name, cc, **quantization):
    """`fitting` with the weights of `name`, configured for compute `cc`."""
    return fitting(
        gpu_config={"gpu_compute_capability": list(cc)},
        quantization_config={**QUANTIZED[name], **quantization},
    )


def on(cc):
    """The roomy machine with a GPU of compute capability `cc`."""
    return machine(gpus=(gpu(cc=cc),))


def about_weights(findings):
    """The findings at quantization_config.method."""
    return [f for f in findings if f.path == "quantization_config.method"]


class TestQuantization:
    @pytest.mark.parametrize(
        ("name", "below", "least"),
        [
            ("fp8", (7, 5), (8, 0)),
            ("awq", (7, 0), (7, 5)),
            ("gptq", (5, 2), (6, 0)),
            ("bitsandbytes", (6, 1), (7, 0)),
            ("ct-fp8", (7, 5), (8, 0)),
            ("ct-int4", (6, 1), (7, 0)),
        ],
    )
    def test_below_the_least_kernel_is_an_error(self, name, below, least):
        """Below vLLM's minimum for the method no kernel loads the weights."""
        (finding,) = about_weights(
            check_config(quantized(name, below), on(below))
        )

        assert "error" == finding.severity
        assert (
            f"compute capability {least[0]}.{least[1]} or newer in vLLM;"
            f" the GPU has {below[0]}.{below[1]}"
        ) in finding.message
        assert {} == dict(finding.fix)

    @pytest.mark.parametrize(
        ("name", "least", "severity"),
        [
            ("fp8", (8, 0), "warning"),
            ("awq", (7, 5), "info"),
            ("gptq", (6, 0), "info"),
            ("bitsandbytes", (7, 0), None),
            ("ct-fp8", (8, 0), "warning"),
            ("ct-int4", (7, 0), None),
        ],
    )
    def test_at_the_least_kernel_it_loads(self, name, least, severity):
        """At the minimum: FP8 is weight-only, AWQ and GPTQ lack Marlin."""
        found = about_weights(check_config(quantized(name, least), on(least)))

        expected = [severity] if severity else []

        assert expected == [f.severity for f in found]

    @pytest.mark.parametrize("name", sorted(QUANTIZED))
    def test_above_every_minimum_nothing_is_said(self, name):
        """Compute 8.9 and 9.0 run every method with its fastest kernel."""
        for cc in ((8, 9), (9, 0)):
            assert [] == about_weights(
                check_config(quantized(name, cc), on(cc))
            )

    def test_fp8_between_ampere_and_ada_is_weight_only(self):
        """8.0 to 8.8: vLLM runs FP8 through Marlin; transformers dequantizes."""
        for cc in ((8, 0), (8, 6)):
            (finding,) = about_weights(
                check_config(quantized("fp8", cc), on(cc))
            )

            assert "warning" == finding.severity
            assert "weight-only: vLLM runs them through Marlin" in (
                finding.message
            )
            assert "dequantizes the weights to bf16" in finding.message

    def test_compressed_tensors_float_weights_are_fp8(self):
        """Float weights in config_groups are FP8; int weights are not."""
        hw = on((8, 6))

        (fp8,) = about_weights(check_config(quantized("ct-fp8", (8, 6)), hw))

        assert "warning" == fp8.severity
        assert "compressed-tensors FP8 weights" in fp8.message
        assert "transformers' FP8 kernels need 8.9 too" in fp8.message
        assert [] == about_weights(
            check_config(quantized("ct-int4", (8, 6)), hw)
        )

    def test_compressed_tensors_4_bit_floats_are_not_fp8(self):
        """Only 8-bit float weights take FP8's minimum."""
        fp4 = json.loads(QUANTIZED["ct-fp8"]["extra"])
        fp4["config_groups"]["group_0"]["weights"]["num_bits"] = 4
        config = quantized("ct-fp8", (7, 5), bits=4, extra=json.dumps(fp4))

        assert [] == about_weights(check_config(config, on((7, 5))))

    def test_marlin_out_of_reach_is_an_info(self):
        """AWQ and GPTQ below 8.0 run without their Marlin kernels."""
        (finding,) = about_weights(
            check_config(quantized("awq", (7, 5)), on((7, 5)))
        )

        assert "info" == finding.severity
        assert "AWQ-Marlin kernel needs compute capability 8.0" in (
            finding.message
        )
        assert "plain AWQ kernel runs" in finding.message

    def test_no_marlin_info_where_marlin_never_applies(self):
        """GPTQ-Marlin takes 4 and 8 symmetric bits only."""
        for config in (
            quantized("gptq", (7, 5), bits=3),
            quantized("gptq", (7, 5), extra='{"sym": false}'),
        ):
            assert [] == about_weights(check_config(config, on((7, 5))))

    @pytest.mark.parametrize("name", sorted(QUANTIZED))
    def test_no_gpu_is_an_error(self, name):
        """Without a GPU none of the quantized kernels runs."""
        found = check_config(quantized(name, (9, 0)), machine(gpus=()))

        (finding,) = about_weights(found)
        assert "error" == finding.severity
        assert "there is no GPU" in finding.message

    def test_a_config_without_gpu_memory_has_no_gpu(self):
        """An unknown machine and no GPU tier: the config says there is none."""
        config = fitting(
            memory_config={"gpu_memory_size": 0, "memory_pool_size": 0},
            quantization_config=QUANTIZED["gptq"],
        )

        (finding,) = about_weights(check_config(config, HardwareProfile()))

        assert "there is no GPU" in finding.message

    def test_the_configured_capability_counts_without_a_known_gpu(self):
        """An unknown machine is judged by gpu_compute_capability."""
        (finding,) = about_weights(
            check_config(quantized("fp8", (7, 5)), HardwareProfile())
        )

        assert "the configured GPU has 7.5" in finding.message

    def test_the_suggestion_names_what_this_gpu_runs(self):
        """Below FP8's minimum, the methods the GPU does run are suggested."""
        (finding,) = about_weights(
            check_config(quantized("fp8", (7, 0)), on((7, 0)))
        )

        assert (
            "gptq from 6.0, bitsandbytes from 7.0, compressed-tensors from 7.0)"
        ) in finding.suggestion
        assert "awq" not in finding.suggestion

    def test_unquantized_weights_ask_nothing(self):
        """method 'none' needs no kernel: the baseline stays empty."""
        assert [] == about_weights(check_config(fitting(), machine(gpus=())))


class TestMropeInterleaved:
    def test_qwen3_vl_not_interleaved_is_an_info(self):
        """transformers' Qwen3-VL always interleaves; only vLLM reads the flag."""
        (finding,) = check_config(fitting(mrope_interleaved=False), machine())

        assert ("info", "mrope_interleaved") == (
            finding.severity,
            finding.path,
        )
        assert "only vLLM reads the flag" in finding.message

    def test_qwen3_vl_interleaved_is_fine(self):
        """The default, as every Qwen3-VL checkpoint has it."""
        assert fitting().mrope_interleaved
        assert [] == check_config(fitting(), machine())

    def test_qwen2_families_are_not_interleaved_by_definition(self):
        """Qwen2-VL and Qwen2.5-VL fix the flag to false: nothing to say."""
        qwen2_vl = fitting(
            model_family="qwen2_vl",
            attention_bias=True,
            mrope_interleaved=False,
            vision_deepstack_visual_indexes=[],
            vision_num_position_embeddings=0,
            vision_intermediate_size=5120,
            vision_hidden_size=1280,
        )

        assert [] == check_config(qwen2_vl, machine())
