"""
Fitting: serving_config sizes the plan, and resolve_for_hardware fits the context.

Every real checkpoint of tests/data/hf-configs is fitted to every shipped
hardware target: where it fits, the fitted config has no error left and
fitting it again changes nothing; where it cannot, check_config says why.
"""

from __future__ import annotations

import attrs
import pytest

from qwen3vl import (
    GiB,
    Qwen3VLConfig,
    apply_updates,
    list_presets,
)
from qwen3vl.hardware import (
    HardwareProfile,
    check_config,
    estimate_memory,
    plan_memory,
    resolve_for_hardware,
)
from qwen3vl.hardware._estimate import with_context
from qwen3vl.hardware._fit import CONTEXT_STEP, fitted_context

from helpers import HF_FILES, errors, fitting, gpu, machine, on_target


TARGETS = list_presets().hardware_targets
LEVELS = list_presets().levels
CHECKPOINTS = [n for n in HF_FILES if not n.startswith("transformers-tests")]
CONTEXT = "serving_config.max_context_tokens"


#: Where a checkpoint cannot run on a target, and the finding that says so.
CANNOT = {
    # Quantized weights need their method's CUDA kernels.
    (
        "Qwen2-VL-2B-Instruct-AWQ.config.json",
        "cpu_only",
    ): "quantization_config.method",
    (
        "Qwen2-VL-2B-Instruct-AWQ.config.json",
        "intel_i5_10210u_nvidia_sm61_nvme",
    ): "quantization_config.method",
    (
        "olmOCR-2-7B-1025-FP8.config.json",
        "cpu_only",
    ): "quantization_config.method",
    (
        "olmOCR-2-7B-1025-FP8.config.json",
        "intel_i5_10210u_nvidia_sm61_nvme",
    ): "quantization_config.method",
    # 30B and 235B parameters at fp32 outgrow 8 GiB of memory and 50 GiB of disk.
    ("Qwen3-VL-30B-A3B-Instruct.config.json", "cpu_only"): "memory_config",
    (
        "Qwen3-VL-30B-A3B-Instruct.config.json",
        "intel_i5_10210u_nvidia_sm61_nvme",
    ): "memory_config",
    ("Qwen3-VL-235B-A22B-Instruct.config.json", "cpu_only"): "memory_config",
    (
        "Qwen3-VL-235B-A22B-Instruct.config.json",
        "intel_i5_10210u_nvidia_sm61_nvme",
    ): "memory_config",
}


class TestEveryCheckpointOnEveryTarget:
    @pytest.mark.parametrize("target", TARGETS)
    @pytest.mark.parametrize("name", CHECKPOINTS)
    def test_fits_or_says_why(self, name, target):
        """Fitted, a real checkpoint has no error on a target, or the one that says why not."""
        hw = HardwareProfile.from_target(target)
        resolution = resolve_for_hardware(on_target(name, target), hw)
        left = [f.path for f in errors(resolution.findings)]
        why = CANNOT.get((name, target))

        assert ([why] if why else []) == left
        plan = plan_memory(resolution.config, hw)
        assert plan.feasible == (why != "memory_config")

    @pytest.mark.parametrize("target", TARGETS)
    @pytest.mark.parametrize("name", CHECKPOINTS)
    def test_fitting_is_idempotent(self, name, target):
        """Fitting a fitted config changes nothing."""
        hw = HardwareProfile.from_target(target)
        once = resolve_for_hardware(on_target(name, target), hw).config
        again = resolve_for_hardware(once, hw)

        assert () == again.changes
        assert once == again.config

    @pytest.mark.parametrize("target", TARGETS)
    @pytest.mark.parametrize("level", LEVELS)
    def test_every_preset_passes_its_own_check(self, level, target):
        """Every level x hardware preset has no error on its machine."""
        config = Qwen3VLConfig.from_preset(level, target)

        assert [] == errors(
            check_config(config, HardwareProfile.from_target(target))
        )


class TestContextFitting:
    def roomy_weights_tight_cache(self):
        """A GPU holding the weights but not 32,768 tokens of cache."""
        config = fitting(
            max_position_embeddings=32768,
            memory_config={
                "gpu_memory_size": "24GiB",
                "memory_pool_size": 0,
                "enable_memory_tiering": False,
            },
        )
        hw = machine(gpus=(gpu(memory=24 * GiB),))
        return config, hw

    def test_the_fix_is_the_longest_context_that_fits(self):
        """The fix is a multiple of 256 that fits; one step more does not."""
        config, hw = self.roomy_weights_tight_cache()
        found = {f.path: f for f in check_config(config, hw)}

        finding = found[CONTEXT]
        fitted = finding.fix[CONTEXT]
        assert "error" == finding.severity
        assert 0 == fitted % CONTEXT_STEP
        assert 0 < fitted < 32768
        assert plan_memory(config, hw, context_tokens=fitted).feasible
        assert not plan_memory(
            config, hw, context_tokens=fitted + CONTEXT_STEP
        ).feasible
        assert "32,768 tokens" in finding.message
        assert f"{fitted:,} tokens" in finding.message

    def test_resolve_applies_it_with_a_reason(self):
        """resolve_for_hardware lowers the context, as a Change whose reason gives both sizes."""
        config, hw = self.roomy_weights_tight_cache()
        resolution = resolve_for_hardware(config, hw)

        (change,) = [c for c in resolution.changes if c.path == CONTEXT]
        assert 0 == change.old
        assert (
            change.new == resolution.config.serving_config.max_context_tokens
        )
        assert "GiB" in change.reason
        assert [] == errors(resolution.findings)
        assert plan_memory(resolution.config, hw).feasible

    def test_more_sequences_fit_a_shorter_context(self):
        """Four sequences at once leave each a quarter of the room, about."""
        config, hw = self.roomy_weights_tight_cache()
        four = apply_updates(
            config, {"serving_config.max_concurrent_sequences": 4}
        )
        one = resolve_for_hardware(config, hw).config
        shared = resolve_for_hardware(four, hw).config

        assert (
            shared.serving_config.max_context_tokens * 4
            <= one.serving_config.max_context_tokens + 4 * CONTEXT_STEP
        )

    def test_nothing_to_fit_when_it_fits(self):
        """A config that fits keeps its context."""
        config = fitting()
        assert [] == [
            c
            for c in resolve_for_hardware(config, machine()).changes
            if c.path == CONTEXT
        ]

    def test_no_context_fits_when_the_weights_do_not(self):
        """fitted_context is None when even one step of context does not fit."""
        config, _ = self.roomy_weights_tight_cache()
        small_gpu = machine(gpus=(gpu(memory=4 * GiB),))
        config = apply_updates(
            config, {"memory_config.gpu_memory_size": "4GiB"}
        )

        assert fitted_context(config, small_gpu, 32768) is None


class TestWithContext:
    @pytest.mark.parametrize("tokens", [1, 256, 3000])
    @pytest.mark.parametrize(
        "name",
        [
            "Qwen3-VL-8B-Instruct.config.json",
            "olmOCR-2-7B-1025-FP8.config.json",
        ],
    )
    def test_is_the_estimate_of_that_context(self, name, tokens):
        """Fitting re-sizes one estimate; that equals estimating the context afresh."""
        config = apply_updates(
            on_target(name, "cpu_only"),
            {
                "serving_config.max_concurrent_sequences": 2,
                "serving_config.max_images_per_prompt": 3,
            },
        )

        assert estimate_memory(config, context_tokens=tokens) == with_context(
            config, estimate_memory(config), tokens
        )


class TestBeyondTheWindow:
    def test_a_longer_context_serves_the_window(self):
        """A context past max_position_embeddings is the whole window, with an info."""
        config = apply_updates(
            fitting(), {"serving_config.max_context_tokens": 100_000}
        )

        found = {f.path: f for f in check_config(config, machine())}

        assert 4096 == estimate_memory(config).context_tokens
        assert "info" == found[CONTEXT].severity
        assert "4,096 are served" in found[CONTEXT].message

    def test_a_preset_context_suits_a_short_window(self):
        """cpu_only's 4,096 tokens on a 64-token model: valid, and 64 are served."""
        config = apply_updates(
            Qwen3VLConfig.from_preset("minimal", "cpu_only"),
            {"max_position_embeddings": 64},
        )

        assert 4096 == config.serving_config.max_context_tokens
        assert 64 == estimate_memory(config).context_tokens


class TestWhenTheWeightsDoNotFit:
    def weights_too_big(self):
        """An 8B-sized model at bf16 on a 12 GiB GPU without tiering."""
        config = fitting(
            memory_config={
                "gpu_memory_size": "12GiB",
                "memory_pool_size": 0,
                "enable_memory_tiering": False,
            },
        )
        return config, machine(gpus=(gpu(cc=(8, 6), memory=12 * GiB),))

    def test_says_how_much_is_missing_and_what_fits(self):
        """The error names the missing room, a quantization on load and a model size that fit."""
        config, hw = self.weights_too_big()
        found = {f.path: f for f in check_config(config, hw)}

        finding = found["memory_config"]
        assert "error" == finding.severity
        assert "more than the tiers hold" in finding.message
        assert "online_quantization 'nf4' fits" in finding.suggestion
        assert "online_quantization 'int8' fits" in finding.suggestion
        assert "billion parameters" in finding.suggestion
        assert {} == dict(finding.fix)

    def test_the_quantization_it_names_fits(self):
        """Taking the suggestion makes the config fit."""
        config, hw = self.weights_too_big()
        nf4 = apply_updates(
            config, {"serving_config.online_quantization": "nf4"}
        )

        assert [] == errors(resolve_for_hardware(nf4, hw).findings)


class TestServingSizesThePlan:
    def test_context_and_sequences_come_from_serving_config(self):
        """estimate_memory reads the context and the sequences from serving_config."""
        config = apply_updates(
            fitting(),
            {
                "serving_config.max_context_tokens": 1024,
                "serving_config.max_concurrent_sequences": 3,
            },
        )
        estimate = estimate_memory(config)

        assert (1024, 3) == (estimate.context_tokens, estimate.batch_size)
        assert 4096 == estimate_memory(fitting()).context_tokens

    def test_kv_cache_dtype(self):
        """An fp8 KV cache is half a bf16 one; auto follows the compute dtype."""
        config = fitting()
        fp8 = apply_updates(
            config, {"serving_config.kv_cache_dtype": "fp8_e4m3"}
        )
        auto = plan_memory(config, machine())
        half = plan_memory(fp8, machine())

        def kv(plan):
            return next(
                p.bytes for p in plan.placements if p.part == "kv_cache"
            )

        assert ("bf16", "bf16") == (auto.dtype, auto.kv_cache_dtype)
        assert "fp8_e4m3" == half.kv_cache_dtype
        assert kv(auto) == 2 * kv(half)

    def test_online_quantization_shrinks_the_weights(self):
        """nf4 < int8 < bf16 weights; int8 and fp8 are about half of bf16."""
        config = fitting()
        sizes = {
            online: estimate_memory(
                apply_updates(
                    config, {"serving_config.online_quantization": online}
                )
            ).weight_bytes()
            for online in ("none", "int8", "nf4", "fp8")
        }

        assert sizes["nf4"] < sizes["int8"] < sizes["none"]
        assert 0.45 < sizes["int8"] / sizes["none"] < 0.6
        # int8 keeps a float32 scale per row, fp8 one per tensor.
        assert sizes["fp8"] < sizes["int8"] < sizes["fp8"] * 1.01

    def test_online_int8_is_a_bitsandbytes_checkpoint(self):
        """Quantizing to int8 on load sizes as a bitsandbytes 8-bit checkpoint stores."""
        config = fitting()
        online = apply_updates(
            config, {"serving_config.online_quantization": "int8"}
        )
        stored = apply_updates(
            config,
            {"quantization_config": {"method": "bitsandbytes", "bits": 8}},
        )

        assert (
            estimate_memory(stored).weight_bytes()
            == estimate_memory(online).weight_bytes()
        )

    def test_activations_are_placed_first_on_the_computing_device(self):
        """The activations come first, on the GPU when there is one."""
        plan = plan_memory(fitting(), machine())

        first = plan.placements[0]
        assert ("activations", "gpu") == (first.part, first.tier)
        assert first.bytes == plan.estimate.activation_bytes(plan.dtype)

    def test_activations_grow_with_context_images_and_pixels(self):
        """Longer contexts, more sequences and bigger images need more activation memory."""
        config = fitting()

        def values(**serving):
            return estimate_memory(
                attrs.evolve(
                    config,
                    serving_config=attrs.evolve(
                        config.serving_config, **serving
                    ),
                )
            ).activation_values

        base = values(max_context_tokens=2048)
        assert values(max_context_tokens=4096) > base
        assert (
            values(max_context_tokens=2048, max_concurrent_sequences=2)
            == 2 * base
        )
        # The vision tower over an image of 4 megapixels (its tokens capped
        # at the context) outgrows one text layer; a 448-pixel one does not.
        big = values(max_context_tokens=2048, max_image_pixels=4_000_000)
        assert big > values(max_context_tokens=2048) == base

    def test_max_image_pixels_sets_the_tokens_of_an_image(self):
        """0 means one vision_image_size square; otherwise the pixels over the merged patch."""
        config = fitting()
        bigger = apply_updates(
            config, {"serving_config.max_image_pixels": 28 * 28 * 1024}
        )

        assert 256 == estimate_memory(config).vision_tokens_per_image
        assert 1024 == estimate_memory(bigger).vision_tokens_per_image


class TestOnlineQuantizationNeedsKernels:
    @pytest.mark.parametrize(
        ("cc", "refused"),
        [
            ((6, 1), {"int8", "fp8"}),
            ((7, 5), {"fp8"}),
            ((8, 0), set()),
        ],
    )
    def test_by_compute_capability(self, cc, refused):
        """int8 from 7.5, nf4 from 6.0, fp8 from 8.0."""
        hw = machine(gpus=(gpu(cc=cc),))
        found = set()
        for online in ("int8", "nf4", "fp8"):
            config = apply_updates(
                fitting(
                    gpu_config={
                        "gpu_compute_capability": list(cc),
                        "attention_implementation": "sdpa",
                        "use_tensor_cores": cc >= (7, 0),
                    },
                    optimization_config={"use_flash_attention_2": False},
                ),
                {"serving_config.online_quantization": online},
            )
            if "serving_config.online_quantization" in {
                f.path for f in errors(check_config(config, hw))
            }:
                found.add(online)

        assert refused == found

    def test_no_gpu(self):
        """Without a GPU nothing quantizes on load."""
        config = apply_updates(
            Qwen3VLConfig.from_preset("minimal", "cpu_only"),
            {"serving_config.online_quantization": "nf4"},
        )
        found = {
            f.path: f
            for f in check_config(
                config, HardwareProfile.from_target("cpu_only")
            )
        }

        assert (
            "there is no GPU"
            in found["serving_config.online_quantization"].message
        )
