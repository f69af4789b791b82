"""Tests for plan_memory: parts placed on the GPU, the CPU and the SSD."""

from __future__ import annotations

import warnings

import pytest

from qwen3vl import (
    GiB,
    MiB,
    Qwen3VLConfig,
    UnmappedKeyWarning,
    apply_updates,
    import_hf_config,
)
from qwen3vl.hardware import TierPlan, estimate_memory, plan_memory

from helpers import fitting, gpu, machine, real


QWEN3_VL_8B = "Qwen3-VL-8B-Instruct.config.json"


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
        """A KV cache (and activations) larger than GPU and CPU makes the plan infeasible."""
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
        # The activations of a million-token prefill do not fit either.
        assert ("activations", "kv_cache") == tuple(
            p.part for p in plan.unplaced
        )
        assert "ssd" not in {p.tier for p in plan.placements[:2]}

    def test_plan_sizes_add_up_to_the_estimate(self):
        """The placed bytes are the estimate's activations, KV cache and weights."""
        config = fitting()
        plan = plan_memory(config)
        estimate = estimate_memory(config)

        assert estimate.weight_bytes("bf16") == pytest.approx(
            weights(plan), abs=64
        )
        assert ["activations", "kv_cache"] == [
            p.part for p in plan.placements[:2]
        ]
        assert estimate.activation_bytes("bf16") == plan.placements[0].bytes
        assert estimate.kv_cache_bytes("bf16") == plan.placements[1].bytes

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
        config = apply_updates(
            config,
            {
                "max_position_embeddings": 2048,
                "serving_config.max_context_tokens": 0,
            },
        )

        plan = plan_memory(config)

        assert "fp32" == plan.dtype
        assert "gpu" not in {p.tier for p in plan.placements}
        assert 512 * MiB < plan.used["cpu"]


def fp8_8b() -> Qwen3VLConfig:
    """Qwen3-VL-8B-Instruct's file with an FP8 block-wise section."""
    with warnings.catch_warnings():
        # This branch's importer does not read quantization_config yet.
        warnings.simplefilter("ignore", UnmappedKeyWarning)
        config = import_hf_config(real(QWEN3_VL_8B)).config
    return apply_updates(
        config,
        {
            "quantization_config": {
                "method": "fp8",
                "bits": 8,
                "weight_block_size": [128, 128],
                "modules_to_not_convert": ["lm_head", "model.visual"],
                "extra": '{"activation_scheme": "dynamic"}',
            }
        },
    )


def weights(plan: TierPlan) -> int:
    """Bytes of the weights a plan places."""
    return sum(
        p.bytes
        for p in plan.placements
        if p.part not in ("activations", "kv_cache")
    )


class TestQuantizedPlan:
    def test_fp8_qwen3_vl_8b_is_sized_as_stored(self):
        """FP8 weights with their block scales: ~10.6 GB, not 17.5."""
        plan = plan_memory(fp8_8b(), machine())

        assert "bf16" == plan.dtype
        assert 10_590_175_712 == weights(plan)
        assert plan.estimate.weight_bytes() == weights(plan)

    def test_the_bf16_file_is_sized_at_the_plan_dtype(self):
        """The same model unquantized: 17.5 GB at bf16."""
        config = import_hf_config(real(QWEN3_VL_8B)).config

        assert 17_534_247_392 == weights(plan_memory(config, machine()))

    def test_quantized_parts_keep_their_stored_size_on_any_dtype(self):
        """A plan in fp32 leaves an FP8 checkpoint's sizes as stored."""
        config = apply_updates(
            fp8_8b(), {"gpu_config": {"use_mixed_precision": False}}
        )
        plan = plan_memory(config, machine())
        e = plan.estimate

        assert "fp32" == plan.dtype
        assert 10_590_175_712 == weights(plan)
        assert (e.layer_stored_bytes[0], e.vision_stored_bytes) == (
            next(p.bytes for p in plan.placements if p.part == "layers.0"),
            next(p.bytes for p in plan.placements if p.part == "vision"),
        )
        # The KV cache follows the plan's precision still.
        assert e.kv_cache_bytes("fp32") == plan.placements[1].bytes

    def test_quantized_fit_check_uses_the_stored_size(self):
        """A 14 GiB budget holds the FP8 8B model, not the bf16 one."""
        memory = {
            "gpu_memory_size": "16GiB",
            "memory_pool_size": "2GiB",
            "enable_memory_swapping": False,
            "enable_memory_tiering": False,
        }
        small_gpu = {"memory_config": memory, "max_position_embeddings": 4096}
        fp8 = apply_updates(fp8_8b(), small_gpu)
        bf16 = apply_updates(
            import_hf_config(real(QWEN3_VL_8B)).config, small_gpu
        )

        assert plan_memory(fp8, machine()).feasible
        assert not plan_memory(bf16, machine()).feasible
