"""
Tests for estimate_memory: parameter counts, weight bytes, the KV cache.

The expected counts were checked against transformers 5.24.0's own models
on the meta device; tests/test_estimate_interop.py repeats that check.
"""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from qwen3vl import (
    GiB,
    MemoryEstimate,
    Qwen3VLConfig,
    estimate_memory,
    import_hf_config,
)
from qwen3vl.hardware import MemoryEstimate as HardwareMemoryEstimate
from qwen3vl.hardware import estimate_memory as hardware_estimate_memory
from qwen3vl.hardware._estimate import DTYPE_BYTES

from helpers import DENSE, MOE, SMALL_MOE, qwen3_vl_8b, real, small


def estimate(**fields: int) -> MemoryEstimate:
    """A MemoryEstimate built by hand, zeros where not given."""
    values: dict[str, Any] = {
        "embedding_params": 0,
        "layer_params": (),
        "final_norm_params": 0,
        "lm_head_params": 0,
        "vision_params": 0,
        "context_tokens": 1,
        "batch_size": 1,
        "kv_values_per_token": 0,
        "vision_tokens_per_image": 0,
        **fields,
    }
    return MemoryEstimate(**values)


class TestRealModels:
    def test_qwen3_vl_8b_anchor(self):
        """The released 8B model has 8,767,123,696 parameters."""
        e = estimate_memory(qwen3_vl_8b())

        assert (8_767_123_696, 8_190_735_360, 576_388_336) == (
            e.total_params,
            e.text_params,
            e.vision_params,
        )

    def test_qwen3_vl_8b_parts(self):
        """Each part of the 8B model is counted as transformers builds it."""
        e = estimate_memory(qwen3_vl_8b())
        attention = (
            4096 * 32 * 128  # q_proj
            + 2 * 4096 * 8 * 128  # k_proj, v_proj
            + 32 * 128 * 4096  # o_proj
            + 2 * 128  # q_norm, k_norm
        )
        layer = attention + 3 * 4096 * 12288 + 2 * 4096

        assert (
            151936 * 4096,
            (layer,) * 36,
            4096,
            151936 * 4096,
        ) == (
            e.embedding_params,
            e.layer_params,
            e.final_norm_params,
            e.lm_head_params,
        )

    def test_qwen3_vl_4b(self):
        """The real 4B file (dense, tied) counts as transformers counts it."""
        e = estimate_memory(import_hf_config(real(DENSE)).config)

        assert (
            4_437_815_808,
            4_022_468_096,
            415_347_712,
            0,
            (100_930_816,) * 36,
        ) == (
            e.total_params,
            e.text_params,
            e.vision_params,
            e.lm_head_params,
            e.layer_params,
        )

    def test_qwen3_vl_30b_a3b(self):
        """The real 30B-A3B file (128 experts) counts as transformers does."""
        e = estimate_memory(import_hf_config(real(MOE)).config)

        assert (
            31_070_754_032,
            30_532_122_624,
            538_631_408,
            (623_120_640,) * 48,
        ) == (
            e.total_params,
            e.text_params,
            e.vision_params,
            e.layer_params,
        )

    def test_moe_layer_counts_every_expert_and_the_router(self):
        """A 30B-A3B layer holds attention, 128 fused experts and a router."""
        e = estimate_memory(import_hf_config(real(MOE)).config)
        attention = 2048 * 4096 + 2 * 2048 * 512 + 4096 * 2048 + 2 * 128
        experts = 128 * 3 * 2048 * 768
        router = 128 * 2048

        assert attention + experts + router + 2 * 2048 == e.layer_params[0]

    def test_default_config(self):
        """The specification's default model has 8,252,243,200 parameters."""
        e = estimate_memory(Qwen3VLConfig())

        assert (8_252_243_200, 7_721_988_096, 530_255_104) == (
            e.total_params,
            e.text_params,
            e.vision_params,
        )


class TestCounts:
    def test_tied_embeddings_count_once(self):
        """Tying drops exactly the output layer's vocab x hidden weights."""
        untied = estimate_memory(small())
        tied = estimate_memory(small(tie_word_embeddings=True))

        assert (0, 1000 * 64) == (tied.lm_head_params, untied.lm_head_params)
        assert untied.total_params - 1000 * 64 == tied.total_params

    def test_sparse_layers_follow_step_and_mlp_only_layers(self):
        """Only layers (i+1) % step == 0 outside mlp_only_layers are sparse."""
        dense = estimate_memory(small()).layer_params[0]
        sparse = dense - 3 * 64 * 128 + 4 * 3 * 64 * 32 + 4 * 64

        assert (dense, sparse, dense, dense) == estimate_memory(
            small(**SMALL_MOE)
        ).layer_params

    def test_dense_model_ignores_moe_layout_fields(self):
        """Without experts, decoder_sparse_step changes no layer."""
        assert estimate_memory(small()) == estimate_memory(
            small(decoder_sparse_step=2, mlp_only_layers=(1,))
        )

    def test_moe_leaves_vision_and_embeddings_alone(self):
        """Experts change the decoder layers only."""
        dense, moe = (
            estimate_memory(small()),
            estimate_memory(small(**SMALL_MOE)),
        )

        assert (
            dense.embedding_params,
            dense.vision_params,
            dense.lm_head_params,
        ) == (moe.embedding_params, moe.vision_params, moe.lm_head_params)

    def test_attention_bias_adds_one_bias_per_projection(self):
        """q, k, v and o each gain a bias as wide as their output."""
        plain = estimate_memory(small()).layer_params[0]
        biased = estimate_memory(small(attention_bias=True)).layer_params[0]

        assert plain + 4 * 16 + 2 * 2 * 16 + 64 == biased

    def test_key_value_heads_zero_means_one_per_head(self):
        """num_key_value_heads 0 counts as num_attention_heads."""
        assert estimate_memory(small(num_key_value_heads=0)) == (
            estimate_memory(small(num_key_value_heads=4))
        )

    def test_each_deepstack_merger_counts(self):
        """A DeepStack merger: post-shuffle norm and two linear layers."""
        merged = 32 * 4
        merger = 2 * merged + merged * merged + merged + merged * 64 + 64
        with_two = estimate_memory(small()).vision_params
        with_none = estimate_memory(
            small(vision_deepstack_visual_indexes=())
        ).vision_params

        assert with_none + 2 * merger == with_two

    def test_vision_out_hidden_size_zero_means_hidden_size(self):
        """vision_out_hidden_size 0 sizes the mergers like hidden_size."""
        assert estimate_memory(small()) == estimate_memory(
            small(vision_out_hidden_size=64)
        )

    def test_text_and_total_add_up(self):
        """text_params sums its parts; total_params adds the vision tower."""
        e = estimate(
            embedding_params=1,
            layer_params=(10, 20),
            final_norm_params=100,
            lm_head_params=1000,
            vision_params=10000,
        )

        assert (1131, 11131) == (e.text_params, e.total_params)

    def test_estimate_is_frozen(self):
        """A MemoryEstimate cannot be changed."""
        e = estimate_memory(small())

        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            e.batch_size = 2


class TestBytes:
    def test_dtype_sizes(self):
        """The five dtypes and their bytes per value."""
        assert {
            "fp32": 4,
            "fp16": 2,
            "bf16": 2,
            "int8": 1,
            "int4": 0.5,
        } == DTYPE_BYTES

    @pytest.mark.parametrize(
        ("dtype", "expected"),
        [
            ("fp32", 35_068_494_784),
            ("fp16", 17_534_247_392),
            ("bf16", 17_534_247_392),
            ("int8", 8_767_123_696),
            ("int4", 4_383_561_848),
        ],
    )
    def test_weight_bytes_of_the_8b_model(self, dtype, expected):
        """Weight bytes are the total parameters times the dtype's size."""
        assert expected == estimate_memory(qwen3_vl_8b()).weight_bytes(dtype)

    @pytest.mark.parametrize(
        ("params", "expected"), [(0, 0), (1, 1), (2, 1), (3, 2), (4, 2)]
    )
    def test_int4_rounds_half_bytes_up(self, params, expected):
        """An odd count of 4-bit values takes one more whole byte."""
        assert expected == estimate().params_bytes(params, "int4")

    def test_int4_weight_bytes_round_up(self):
        """weight_bytes at int4 rounds an odd total up."""
        e = estimate(embedding_params=3, layer_params=(4,))

        assert 4 == e.weight_bytes("int4")

    def test_params_bytes_is_exact_past_float_precision(self):
        """Counts beyond 2**53 keep every byte."""
        assert 2**60 + 1 == estimate().params_bytes(2**61 + 1, "int4")

    def test_params_bytes_per_part(self):
        """params_bytes sizes any part, such as one layer."""
        e = estimate_memory(qwen3_vl_8b())

        assert 2 * e.layer_params[0] == e.params_bytes(
            e.layer_params[0], "bf16"
        )

    @pytest.mark.parametrize(
        "call",
        [
            lambda e: e.weight_bytes("fp8"),
            lambda e: e.params_bytes(1, "FP16"),
            lambda e: e.kv_cache_bytes_per_token("float16"),
            lambda e: e.kv_cache_bytes(""),
        ],
    )
    def test_unknown_dtype_names_the_known_ones(self, call):
        """An unknown dtype is a ValueError listing the dtypes."""
        with pytest.raises(
            ValueError,
            match="'fp32', 'fp16', 'bf16', 'int8', 'int4'",
        ):
            call(estimate())

    @pytest.mark.parametrize("params", [-1, True, 1.5])
    def test_params_bytes_wants_a_count(self, params):
        """params_bytes refuses what is not an int >= 0."""
        with pytest.raises(ValueError, match="params must be an int >= 0"):
            estimate().params_bytes(params, "fp16")


class TestKVCache:
    def test_8b_per_token(self):
        """K and V, 36 layers, 8 heads of 128, bf16: 144 KiB a token."""
        e = estimate_memory(qwen3_vl_8b())

        assert 2 * 36 * 8 * 128 * 2 == e.kv_cache_bytes_per_token("bf16")
        assert 144 * 1024 == e.kv_cache_bytes_per_token("bf16")

    def test_8b_full_context(self):
        """262,144 tokens of the 8B model take 36 GiB in bf16."""
        assert 36 * GiB == estimate_memory(qwen3_vl_8b()).kv_cache_bytes(
            "bf16"
        )

    def test_real_files_per_token(self):
        """4B: 36 layers x 8 kv heads; 30B-A3B: 48 layers x 4 kv heads."""
        dense = estimate_memory(import_hf_config(real(DENSE)).config)
        moe = estimate_memory(import_hf_config(real(MOE)).config)

        assert (147_456, 98_304) == (
            dense.kv_cache_bytes_per_token("bf16"),
            moe.kv_cache_bytes_per_token("bf16"),
        )

    def test_default_config_is_multi_head(self):
        """The default: 32 kv heads, 512 KiB a token, 16 GiB for 32,768."""
        e = estimate_memory(Qwen3VLConfig())

        assert (32768, 512 * 1024, 16 * GiB) == (
            e.context_tokens,
            e.kv_cache_bytes_per_token("fp16"),
            e.kv_cache_bytes("fp16"),
        )

    @pytest.mark.parametrize(
        ("dtype", "expected"),
        [("fp32", 1024), ("bf16", 512), ("int8", 256), ("int4", 128)],
    )
    def test_per_token_follows_dtype(self, dtype, expected):
        """Per-token bytes scale with the dtype's size."""
        assert expected == estimate_memory(small()).kv_cache_bytes_per_token(
            dtype
        )

    def test_scales_with_context_and_batch(self):
        """The cache is per token x context_tokens x batch_size."""
        e = estimate_memory(small(), context_tokens=1000, batch_size=3)

        assert (1000, 3, 512 * 1000 * 3) == (
            e.context_tokens,
            e.batch_size,
            e.kv_cache_bytes("bf16"),
        )

    def test_batch_and_context_leave_weights_alone(self):
        """Only the KV cache grows with batch and context."""
        one = estimate_memory(small())
        many = estimate_memory(small(), context_tokens=7, batch_size=9)

        assert one.weight_bytes("bf16") == many.weight_bytes("bf16")

    def test_context_defaults_to_max_position_embeddings(self):
        """Without context_tokens the whole context is cached."""
        assert 4096 == estimate_memory(small()).context_tokens


class TestVisionTokens:
    def test_default_image(self):
        """448 px / 14 px patches, 2 x 2 merged: 256 tokens."""
        assert 256 == estimate_memory(Qwen3VLConfig()).vision_tokens_per_image

    def test_real_files(self):
        """16 px patches of the default 448 px image: 196 tokens."""
        assert 196 == (
            estimate_memory(
                import_hf_config(real(DENSE)).config
            ).vision_tokens_per_image
        )

    def test_no_merge(self):
        """With spatial_merge_size 1 every patch is a token."""
        assert 16 == (
            estimate_memory(
                small(vision_spatial_merge_size=1)
            ).vision_tokens_per_image
        )


class TestArguments:
    @pytest.mark.parametrize("value", [0, -1, True, False, 1.0, "8"])
    def test_bad_context_tokens(self, value):
        """context_tokens must be an int >= 1."""
        with pytest.raises(
            ValueError, match=r"context_tokens must be an int >= 1 \(got"
        ):
            estimate_memory(small(), context_tokens=value)

    @pytest.mark.parametrize("value", [0, -3, True, 2.0, None])
    def test_bad_batch_size(self, value):
        """batch_size must be an int >= 1."""
        with pytest.raises(
            ValueError, match=r"batch_size must be an int >= 1 \(got"
        ):
            estimate_memory(small(), batch_size=value)

    def test_exported_from_hardware_and_root(self):
        """qwen3vl and qwen3vl.hardware export the same objects."""
        assert (MemoryEstimate, estimate_memory) == (
            HardwareMemoryEstimate,
            hardware_estimate_memory,
        )
