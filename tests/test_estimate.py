"""
Tests for estimate_memory: parameter counts, weight bytes, the KV cache.

The expected counts were checked against transformers 5.24.0's (the Qwen2
families: 5.25's) own models on the meta device;
tests/test_estimate_interop.py repeats that check.  The stored sizes of
unquantized and of compressed-tensors FP8 checkpoints are the
``metadata.total_size`` of their safetensors index (tests/data/hf-configs).
"""

from __future__ import annotations

import json
import math

from typing import Any

import attrs
import pytest

from qwen3vl import (
    GiB,
    MemoryEstimate,
    Qwen3VLConfig,
    apply_updates,
    estimate_memory,
    import_hf_config,
)
from qwen3vl.hardware import MemoryEstimate as HardwareMemoryEstimate
from qwen3vl.hardware import estimate_memory as hardware_estimate_memory
from qwen3vl.hardware._estimate import DTYPE_BYTES

from helpers import DENSE, MOE, SMALL_MOE, imported, qwen3_vl_8b, real, small


def quantized(config: Qwen3VLConfig, **section: Any) -> Qwen3VLConfig:
    """`config` with a quantization_config section."""
    if isinstance(section.get("extra"), dict):
        section["extra"] = json.dumps(section["extra"])
    return apply_updates(config, {"quantization_config": section})


def small_family(family: str, **changes: Any) -> Qwen3VLConfig:
    """The tiny model as a Qwen2.5-VL or Qwen2-VL."""
    fixed: dict[str, Any] = {
        "model_family": family,
        "attention_bias": True,
        "mrope_interleaved": False,
        "vision_deepstack_visual_indexes": (),
        "vision_num_position_embeddings": 0,
    }
    if family == "qwen2_5_vl":
        fixed |= {"vision_window_size": 32, "vision_tokens_per_second": 2}
    return small(**fixed, **changes)


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


#: Each real file's (total, vision) parameters as transformers 5.25 builds
#: them from the file (quantization_config left out) on the meta device.
TRANSFORMERS_COUNTS = {
    "Qwen2-VL-2B-Instruct-AWQ.config.json": (2_208_985_600, 665_271_296),
    "Qwen2-VL-2B-Instruct.config.json": (2_208_985_600, 665_271_296),
    "Qwen2-VL-7B-Instruct.config.json": (8_291_375_616, 675_759_104),
    "Qwen2.5-VL-3B-Instruct.config.json": (3_754_622_976, 668_684_288),
    "Qwen2.5-VL-7B-Instruct.config.json": (8_292_166_656, 676_550_144),
    "Qwen3-VL-235B-A22B-Instruct.config.json": (
        235_670_022_896,
        576_388_336,
    ),
    "Qwen3-VL-2B-Instruct.config.json": (2_127_532_032, 406_957_056),
    "Qwen3-VL-30B-A3B-Instruct.config.json": (31_070_754_032, 538_631_408),
    "Qwen3-VL-4B-Instruct.config.json": (4_437_815_808, 415_347_712),
    "Qwen3-VL-8B-Instruct.config.json": (8_767_123_696, 576_388_336),
    "olmOCR-2-7B-1025-FP8.config.json": (8_292_166_656, 676_550_144),
    "transformers-tests-qwen2_5_vl.config.json": (71_392, 54_688),
    "transformers-tests-qwen2_vl.config.json": (81_920, 65_216),
    "transformers-tests-qwen3_vl.config.json": (85_760, 69_152),
    "transformers-tests-qwen3_vl_moe.config.json": (103_744, 69_152),
}


class TestFamilies:
    @pytest.mark.parametrize("name", sorted(TRANSFORMERS_COUNTS))
    def test_every_real_file(self, name):
        """Every file counts as transformers builds it, vision apart."""
        e = estimate_memory(imported(name))

        assert TRANSFORMERS_COUNTS[name] == (e.total_params, e.vision_params)

    def test_qwen2_5_vl_7b_parts(self):
        """Qwen2 layers: q/k/v biases, no o_proj bias, no q/k norms."""
        e = estimate_memory(imported("Qwen2.5-VL-7B-Instruct.config.json"))
        attention = (
            3584 * 3584
            + 3584  # q_proj
            + 2 * (3584 * 512 + 512)  # k_proj, v_proj
            + 3584 * 3584  # o_proj
        )
        layer = attention + 3 * 3584 * 18944 + 2 * 3584

        assert ((layer,) * 28, 152064 * 3584, 152064 * 3584, 3584) == (
            e.layer_params,
            e.embedding_params,
            e.lm_head_params,
            e.final_norm_params,
        )

    def test_qwen2_5_vl_vision(self):
        """RMSNorms, a gated MLP with biases, no patch bias, no positions."""
        e = estimate_memory(imported("Qwen2.5-VL-7B-Instruct.config.json"))
        block = (
            2 * 1280  # norm1, norm2: RMSNorm weights
            + 1280 * 3840
            + 3840  # attn.qkv
            + 1280 * 1280
            + 1280  # attn.proj
            + 2 * (1280 * 3420 + 3420)  # mlp.gate_proj, mlp.up_proj
            + 3420 * 1280
            + 1280  # mlp.down_proj
        )
        merger = 1280 + 5120 * 5120 + 5120 + 5120 * 3584 + 3584

        assert 3 * 2 * 14 * 14 * 1280 + 32 * block + merger == e.vision_params

    def test_qwen2_vl_vision(self):
        """LayerNorms, fc1/fc2 with biases, a LayerNorm in the merger."""
        e = estimate_memory(imported("Qwen2-VL-7B-Instruct.config.json"))
        block = (
            2 * 2 * 1280  # norm1, norm2: LayerNorm weights and biases
            + 1280 * 3840
            + 3840
            + 1280 * 1280
            + 1280  # qkv, proj
            + 1280 * 5120
            + 5120
            + 5120 * 1280
            + 1280  # fc1, fc2
        )
        merger = 2 * 1280 + 5120 * 5120 + 5120 + 5120 * 3584 + 3584

        assert 3 * 2 * 14 * 14 * 1280 + 32 * block + merger == e.vision_params

    @pytest.mark.parametrize("family", ["qwen2_vl", "qwen2_5_vl"])
    def test_qwen2_text_ignores_nothing_of_qwen3(self, family):
        """A Qwen2 layer is a Qwen3 one less o_proj's bias and q/k norms."""
        qwen3 = estimate_memory(small(attention_bias=True)).layer_params[0]

        assert (
            qwen3 - 64 - 2 * 16
            == (estimate_memory(small_family(family)).layer_params[0])
        )

    def test_kv_cache_is_the_same_formula(self):
        """Qwen2.5-VL-7B: 28 layers x 4 kv heads x 128, keys and values."""
        e = estimate_memory(imported("Qwen2.5-VL-7B-Instruct.config.json"))

        assert 2 * 28 * 4 * 128 == e.kv_values_per_token


class TestBytes:
    def test_dtype_sizes(self):
        """The dtypes and their bytes per value, checkpoint names too."""
        assert {
            "fp32": 4,
            "fp16": 2,
            "bf16": 2,
            "int8": 1,
            "int4": 0.5,
            "fp8": 1,
            "fp8_e4m3": 1,
            "fp8_e5m2": 1,
            "float32": 4,
            "float16": 2,
            "bfloat16": 2,
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
            lambda e: e.weight_bytes("fp4"),
            lambda e: e.params_bytes(1, "FP16"),
            lambda e: e.kv_cache_bytes_per_token("half"),
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

    @pytest.mark.parametrize("value", [0, -3, True, 2.0, "1"])
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


#: Qwen3-VL-8B's text Linears, (out, in), in each of its 36 layers.
LINEARS_8B = [
    *((4096, 4096), (1024, 4096), (1024, 4096), (4096, 4096)),
    *((12288, 4096), (12288, 4096), (4096, 12288)),
]
#: The tiny model's text Linears, (out, in), in each of its 4 layers.
LINEARS_SMALL = [
    *((64, 64), (32, 64), (32, 64), (64, 64)),
    *((128, 64), (128, 64), (64, 128)),
]
FP8 = {"method": "fp8", "bits": 8, "weight_block_size": [128, 128]}
OLMOCR = "olmOCR-2-7B-1025-FP8.config.json"


def olmocr(**changes: Any) -> Qwen3VLConfig:
    """olmOCR-2-7B-1025-FP8 with its compressed-tensors section."""
    section = dict(real(OLMOCR)["quantization_config"])
    del section["quant_method"]
    fields = {
        "method": "compressed-tensors",
        "bits": 8,
        "group_size": -1,
        "modules_to_not_convert": section.pop("ignore"),
        "extra": section,
        **changes,
    }
    return quantized(imported(OLMOCR), **fields)


def layer_bytes(linears, size, params):
    """A layer's bf16 bytes with its Linears stored by `size(out, in)`."""
    return 2 * params + sum(size(o, i) - 2 * o * i for o, i in linears)


class TestStoredSize:
    @pytest.mark.parametrize(
        ("name", "total_size"),
        [
            ("Qwen2.5-VL-3B-Instruct.config.json", 7_509_245_952),
            ("Qwen2.5-VL-7B-Instruct.config.json", 16_584_333_312),
            ("Qwen3-VL-8B-Instruct.config.json", 17_534_247_392),
        ],
    )
    def test_bf16_checkpoints(self, name, total_size):
        """weight_bytes() is the safetensors total_size of a bf16 file."""
        e = estimate_memory(imported(name))

        assert (total_size, 0) == (e.weight_bytes(), e.quantized_params)

    def test_compressed_tensors_fp8_olmocr(self):
        """olmOCR-2-7B-1025-FP8's safetensors total_size, to the byte."""
        e = estimate_memory(olmocr())

        assert 10_061_826_048 == e.weight_bytes()
        # fp8 weights, bf16 rest and one bf16 scale per output channel.
        assert 6_525_288_448 + 1_766_878_208 * 2 + 1_390_592 * 2 == (
            e.weight_bytes()
        )
        assert (6_525_288_448, 1_766_878_208) == (
            e.quantized_params,
            e.total_params - e.quantized_params,
        )

    @pytest.mark.parametrize("group_size", [-1, 0])
    def test_compressed_tensors_fields_alone(self, group_size):
        """Without config_groups, bits 8 and no groups say the same."""
        e = estimate_memory(
            olmocr(
                group_size=group_size,
                modules_to_not_convert=["visual", "lm_head"],
                extra={},
            )
        )

        assert 10_061_826_048 == e.weight_bytes()

    @pytest.mark.parametrize(
        "extra",
        [
            {},
            {
                "format": "pack-quantized",
                "config_groups": {
                    "group_0": {
                        "targets": ["Linear"],
                        # The fields give what the scheme leaves out.
                        "weights": {"num_bits": None, "strategy": "group"},
                    }
                },
            },
        ],
    )
    def test_compressed_tensors_int4_groups(self, extra):
        """pack-quantized: int32 words, a bf16 scale per 32 inputs, shape."""
        config = quantized(
            small(),
            method="compressed-tensors",
            bits=4,
            group_size=32,
            modules_to_not_convert=["re:.*visual.*"],
            extra=extra,
        )
        e = estimate_memory(config)
        plain = estimate_memory(small())

        def size(o, i):
            return o * i // 2 + 2 * o * (i // 32) + 8

        assert (
            4 * (layer_bytes(LINEARS_SMALL, size, plain.layer_params[0]),)
            == e.layer_stored_bytes
        )
        assert (
            plain.weight_bytes("bf16")
            - sum(plain.layer_params) * 2
            + sum(e.layer_stored_bytes)
            == e.weight_bytes()
        )

    def test_fp8_blocks(self):
        """Qwen3-VL-8B in FP8 with 128 x 128 blocks: about 10.6 GB."""
        config = quantized(
            qwen3_vl_8b(),
            **FP8,
            modules_to_not_convert=["lm_head", "model.visual"],
            extra={"activation_scheme": "dynamic"},
        )
        e = estimate_memory(config)
        quantized_values = 36 * sum(o * i for o, i in LINEARS_8B)
        scales = 36 * sum(
            math.ceil(o / 128) * math.ceil(i / 128) for o, i in LINEARS_8B
        )

        assert (6_945_767_424, 423_936) == (quantized_values, scales)
        assert (
            quantized_values
            + 2 * (8_767_123_696 - quantized_values)
            + 4 * scales
        ) == e.weight_bytes()
        assert 10_590_175_712 == e.weight_bytes()
        assert 17_534_247_392 == e.weight_bytes("bf16")

    @pytest.mark.parametrize(
        ("extra", "scale", "per_linear"),
        [
            ({}, 4, 0),
            ({"scale_fmt": "ue8m0"}, 1, 0),
            ({"activation_scheme": "static"}, 4, 4),
        ],
    )
    def test_fp8_one_scale_per_tensor(self, extra, scale, per_linear):
        """Without blocks, one scale per weight; static inputs add one."""
        config = quantized(
            small(),
            method="fp8",
            bits=8,
            modules_to_not_convert=["visual"],
            extra=extra,
        )
        e = estimate_memory(config)

        def size(o, i):
            return o * i + scale + per_linear

        assert (
            layer_bytes(
                LINEARS_SMALL, size, estimate_memory(small()).layer_params[0]
            )
            == e.layer_stored_bytes[0]
        )

    def test_awq_qwen2_vl_2b(self):
        """Packed 4-bit weights, packed zeros and fp16 scales per 128."""
        config = imported("Qwen2-VL-2B-Instruct-AWQ.config.json")
        config = quantized(
            apply_updates(config, {"dtype": "float16"}),
            method="awq",
            bits=4,
            group_size=128,
            modules_to_not_convert=["visual"],
            extra={"version": "gemm", "zero_point": True},
        )
        e = estimate_memory(config)
        linears = [
            *((1536, 1536), (256, 1536), (256, 1536), (1536, 1536)),
            *((8960, 1536), (8960, 1536), (1536, 8960)),
        ]

        def size(o, i):
            return o * i // 2 + (i // 128) * o // 2 + (i // 128) * o * 2

        plain = estimate_memory(imported("Qwen2-VL-2B-Instruct.config.json"))
        layer = layer_bytes(linears, size, plain.layer_params[0])
        assert (layer,) * 28 == e.layer_stored_bytes
        assert 2 * plain.vision_params == e.vision_stored_bytes

    @pytest.mark.parametrize("group_size", [16, -1])
    def test_gptq_text_layers_only(self, group_size):
        """GPTQ adds g_idx; the vision tower is left alone unasked."""
        e = estimate_memory(
            quantized(small(), method="gptq", bits=4, group_size=group_size)
        )
        plain = estimate_memory(small())

        def size(o, i):
            groups = i // 16 if group_size == 16 else 1
            return o * i // 2 + groups * o // 2 + groups * o * 2 + 4 * i

        assert (
            layer_bytes(LINEARS_SMALL, size, plain.layer_params[0])
            == e.layer_stored_bytes[0]
        )
        assert 2 * plain.vision_params == e.vision_stored_bytes

    @pytest.mark.parametrize(
        ("bits", "extra", "absmax"),
        [
            (4, {}, lambda n: math.ceil(n / 64) * 4),
            (
                4,
                {"bnb_4bit_use_double_quant": True},
                lambda n: math.ceil(n / 64) + math.ceil(n / 64 / 256) * 4,
            ),
            (8, {}, None),
        ],
    )
    def test_bitsandbytes(self, bits, extra, absmax):
        """4-bit: two values a byte and absmax per 64; 8-bit: int8 + SCB."""
        e = estimate_memory(
            quantized(small(), method="bitsandbytes", bits=bits, extra=extra)
        )
        plain = estimate_memory(small())

        def size(o, i):
            if absmax is None:
                return o * i + 4 * o
            return (o * i + 1) // 2 + absmax(o * i)

        assert (
            layer_bytes(LINEARS_SMALL, size, plain.layer_params[0])
            == e.layer_stored_bytes[0]
        )
        # Nothing excluded: the vision Linears are quantized too.
        assert e.vision_stored_bytes < 2 * plain.vision_params

    @pytest.mark.parametrize(
        ("patterns", "blocks_left", "mergers_left"),
        [
            # Nothing excluded: every Linear but the output layer.
            ([], 0, 0),
            (["lm_head"], 0, 0),
            (["visual"], 27, 4),
            (["model.visual"], 27, 4),
            (["model.visual.blocks.1"], 1, 0),  # not blocks.10 to 19
            (["visual.blocks.1.attn", "model.visual.blocks.1.mlp"], 1, 0),
            (["blocks.1.attn.qkv", "visual.blocks.1.attn.proj"], 0, 0),
            (["re:.*blocks\\.(1|2)\\."], 2, 0),
            ([r"model\.visual\.blocks\.1\d", "linear_fc2"], 10, 4),
        ],
    )
    def test_modules_to_not_convert(self, patterns, blocks_left, mergers_left):
        """Prefixes, exact paths, suffixes and patterns exclude modules."""
        e = estimate_memory(
            quantized(qwen3_vl_8b(), **FP8, modules_to_not_convert=patterns)
        )
        block = 1152 * 3 * 1152 + 1152 * 1152 + 2 * 1152 * 4304
        fc1, fc2 = 4608 * 4608, 4608 * 4096
        text = 36 * sum(o * i for o, i in LINEARS_8B)
        # linear_fc2 is a suffix of every merger's and every block's fc2.
        if "linear_fc2" in patterns:
            block -= 4304 * 1152
            mergers_left, fc2 = 0, 0
        mergers = (4 - mergers_left) * (fc1 + fc2)
        # Exact paths, each a suffix of no other: block 1's qkv and proj.
        partial = 4 * 1152 * 1152 if "blocks.1.attn.qkv" in patterns else 0

        assert text + (27 - blocks_left) * block + mergers - partial == (
            e.quantized_params
        )

    def test_compressed_tensors_groups_by_target(self):
        """Each config group sizes the Linears its targets name."""
        fp8 = {"num_bits": 8, "type": "float", "strategy": "channel"}
        int4 = {"num_bits": 4, "strategy": "group", "group_size": 32}
        extra = {
            "format": "mixed-precision",
            "config_groups": {
                "attention": {
                    "targets": ["re:.*self_attn\\..*"],
                    "weights": fp8,
                    "format": "float-quantized",
                },
                "mlp": {
                    "targets": ["re:.*mlp\\..*"],
                    "weights": int4,
                    "format": "pack-quantized",
                },
            },
        }
        e = estimate_memory(
            quantized(
                small(), method="compressed-tensors", bits=8, extra=extra
            )
        )

        def int4(o, i):
            return o * i // 2 + 2 * o * (i // 32) + 8

        def saved(linears, size):
            return sum(size(o, i) - 2 * o * i for o, i in linears)

        plain = estimate_memory(small())
        attention, mlp = LINEARS_SMALL[:4], LINEARS_SMALL[4:]
        assert (
            2 * plain.layer_params[0]
            + saved(attention, lambda o, i: o * i + 2 * o)
            + saved(mlp, int4)
            == (e.layer_stored_bytes[0])
        )
        # The vision blocks' mlp.linear_fc1 and fc2 match too, their attn
        # and the mergers' Linears do not.
        assert 2 * plain.vision_params + 2 * saved(
            [(64, 32), (32, 64)], int4
        ) == (e.vision_stored_bytes)

    def test_a_name_that_is_no_regex_is_taken_as_written(self):
        """A pattern re cannot compile matches itself, literally."""
        e = estimate_memory(
            quantized(
                qwen3_vl_8b(),
                **FP8,
                modules_to_not_convert=["visual", "layers.0.mlp.(gate"],
            )
        )

        assert 36 * sum(o * i for o, i in LINEARS_8B) == e.quantized_params

    def test_float32_checkpoint(self):
        """An unquantized float32 checkpoint stores four bytes a value."""
        config = apply_updates(small(), {"dtype": "float32"})

        assert estimate_memory(config).weight_bytes() == (
            estimate_memory(small()).weight_bytes("fp32")
        )

    def test_hand_built_estimate_is_unquantized_bf16(self):
        """Left out, the stored fields describe a bf16 checkpoint."""
        e = estimate(embedding_params=3, layer_params=(5, 7), vision_params=11)

        assert (52, 52, (10, 14), 22, 0) == (
            e.weight_bytes(),
            e.weight_bytes("bf16"),
            e.layer_stored_bytes,
            e.vision_stored_bytes,
            e.quantized_params,
        )
