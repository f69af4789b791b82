"""
The Hugging Face ``config.json`` layouts, as data.

The layouts of Qwen3-VL and Qwen3-VL-MoE as released (``text_config`` /
``vision_config`` nested, ``rope_scaling`` and ``rope_theta`` in the text
part), and of Qwen2.5-VL and Qwen2-VL (text keys flat at the top): their
``model_type`` values and families, the keys that are metadata, the key each
of our flat fields comes from, the defaults that transformers' own config
class gives the keys a file leaves out (transformers 5), so that a file
means here what it means there, and how each quantization method spells its
``quantization_config``.

Strictly private.
"""

from __future__ import annotations

from typing import Any


__all__ = [
    "ARCHITECTURES",
    "BASE_IMAGE_SIZE",
    "BNB_FLAGS",
    "DEFAULTS",
    "FAMILY",
    "FLAT_TEXT_KEYS",
    "FULL_CAPACITY",
    "IGNORED_KEYS",
    "LAYOUTS",
    "MOE_KEYS",
    "PLAIN_ROPE_TYPES",
    "QUANTIZATION_DEFAULTS",
    "QUANTIZATION_KEYS",
    "QUANTIZATION_METHOD_BITS",
    "QWEN3",
    "ROPE_DEFAULTS",
    "ROPE_REQUIRED",
    "SCALED_ROPE_ORIGINAL",
    "TEXT_KEYS",
    "TOKENS",
    "TOP_DEFAULTS",
    "VISION_KEYS",
    "VISION_ROPE",
]

#: The ``model_type`` values that `translate` reads.
LAYOUTS = ("qwen3_vl", "qwen3_vl_moe", "qwen2_5_vl", "qwen2_vl")

#: The Qwen3-VL layouts, dense and mixture-of-experts.
QWEN3 = ("qwen3_vl", "qwen3_vl_moe")

#: The ``model_family`` each layout describes.
FAMILY = {
    "qwen3_vl": "qwen3_vl",
    "qwen3_vl_moe": "qwen3_vl",
    "qwen2_5_vl": "qwen2_5_vl",
    "qwen2_vl": "qwen2_vl",
}

#: The model class each layout names in ``architectures``.
ARCHITECTURES = {
    "qwen3_vl": "Qwen3VLForConditionalGeneration",
    "qwen3_vl_moe": "Qwen3VLMoeForConditionalGeneration",
    "qwen2_5_vl": "Qwen2_5_VLForConditionalGeneration",
    "qwen2_vl": "Qwen2VLForConditionalGeneration",
}

#: Keys that say nothing about the architecture: bookkeeping, training-only
#: settings, generation and tokenizer ids.  Ignored wherever they appear,
#: and listed in the report as ignored.  (The begin and end tokens and the
#: dtype are imported: `_reader` reads them where each layout keeps them.)
IGNORED_KEYS = frozenset(
    {
        "_attn_implementation",
        "_attn_implementation_autoset",
        "_commit_hash",
        "_name_or_path",
        "architectures",
        "attention_dropout",
        "chunk_size_feed_forward",
        "decoder_start_token_id",
        "finetuning_task",
        "id2label",
        "initializer_range",
        "is_encoder_decoder",
        "label2id",
        "model_type",
        "output_attentions",
        "output_hidden_states",
        "output_router_logits",
        "pad_token_id",
        "problem_type",
        "return_dict",
        "router_aux_loss_coef",
        "sep_token_id",
        "tokenizer_class",
        "torchscript",
        "transformers_version",
        "use_cache",
        "use_return_dict",
        "vision_token_id",
    }
)

# Our field <- key of the text part, the same in every layout.
TEXT_KEYS = {
    "num_hidden_layers": "num_hidden_layers",
    "num_attention_heads": "num_attention_heads",
    "hidden_size": "hidden_size",
    "intermediate_size": "intermediate_size",
    "vocab_size": "vocab_size",
    "max_position_embeddings": "max_position_embeddings",
    "hidden_act": "hidden_act",
    "rms_norm_eps": "rms_norm_eps",
}

# Our field <- key of the text part of Qwen3-VL-MoE.
MOE_KEYS = {
    "num_experts_per_tok": "num_experts_per_tok",
    "moe_intermediate_size": "moe_intermediate_size",
    "decoder_sparse_step": "decoder_sparse_step",
    "mlp_only_layers": "mlp_only_layers",
    "norm_topk_prob": "norm_topk_prob",
}

# Our field <- key of ``vision_config``, per layout.
_VISION_COMMON = {
    "vision_num_hidden_layers": "depth",
    "vision_num_attention_heads": "num_heads",
    "vision_patch_size": "patch_size",
    "vision_spatial_merge_size": "spatial_merge_size",
    "vision_temporal_patch_size": "temporal_patch_size",
    "vision_hidden_act": "hidden_act",
}
VISION_KEYS: dict[str, dict[str, str]] = {
    "qwen3_vl": {
        **_VISION_COMMON,
        "vision_hidden_size": "hidden_size",
        "vision_intermediate_size": "intermediate_size",
        "vision_out_hidden_size": "out_hidden_size",
        "vision_num_position_embeddings": "num_position_embeddings",
        "vision_deepstack_visual_indexes": "deepstack_visual_indexes",
    },
    "qwen2_5_vl": {
        **_VISION_COMMON,
        "vision_hidden_size": "hidden_size",
        "vision_intermediate_size": "intermediate_size",
        "vision_out_hidden_size": "out_hidden_size",
        "vision_window_size": "window_size",
        "vision_fullatt_block_indexes": "fullatt_block_indexes",
        "vision_tokens_per_second": "tokens_per_second",
    },
    "qwen2_vl": {
        **_VISION_COMMON,
        "vision_hidden_size": "embed_dim",
        "vision_out_hidden_size": "hidden_size",
    },
}
VISION_KEYS["qwen3_vl_moe"] = VISION_KEYS["qwen3_vl"]

TOKENS = (
    "image_token_id",
    "video_token_id",
    "vision_start_token_id",
    "vision_end_token_id",
)

#: The keys of Qwen2-VL's and Qwen2.5-VL's text model: the keys that
#: transformers moves from the top level into ``text_config`` when a file
#: has none, and that transformers 4.52/4.53 wrote in both places.
FLAT_TEXT_KEYS = frozenset(
    {
        "vocab_size",
        "hidden_size",
        "intermediate_size",
        "num_hidden_layers",
        "num_attention_heads",
        "num_key_value_heads",
        "hidden_act",
        "max_position_embeddings",
        "initializer_range",
        "rms_norm_eps",
        "use_cache",
        "use_sliding_window",
        "sliding_window",
        "max_window_layers",
        "layer_types",
        "attention_dropout",
        "rope_parameters",
        "rope_scaling",
        "rope_theta",
        "bos_token_id",
        "eos_token_id",
        "pad_token_id",
        "dtype",
        "torch_dtype",
    }
)

# The defaults of transformers' config classes (5.x) for keys a file may
# leave out, per layout and part ("text", "vision", "top").
_TOKEN_DEFAULTS = {"bos_token_id": 151643, "eos_token_id": 151645}
_QWEN2_TEXT_DEFAULTS = {
    **_TOKEN_DEFAULTS,
    "vocab_size": 152064,
    "hidden_size": 8192,
    "intermediate_size": 29568,
    "num_hidden_layers": 80,
    "num_attention_heads": 64,
    "num_key_value_heads": 8,
    "hidden_act": "silu",
    "max_position_embeddings": 32768,
    "rms_norm_eps": 1e-5,
    "rope_theta": 1_000_000.0,
    # The modeling code's fallback when the rope dict names no sections.
    "mrope_section": [16, 24, 24],
    "mrope_interleaved": False,
}
TOP_DEFAULTS = {
    "image_token_id": 151655,
    "video_token_id": 151656,
    "vision_start_token_id": 151652,
    "vision_end_token_id": 151653,
    "tie_word_embeddings": False,
}
_QWEN3_VISION_DEFAULTS = {
    "depth": 27,
    "hidden_size": 1152,
    "hidden_act": "gelu_pytorch_tanh",
    "intermediate_size": 4304,
    "num_heads": 16,
    "in_channels": 3,
    "patch_size": 16,
    "spatial_merge_size": 2,
    "temporal_patch_size": 2,
    "out_hidden_size": 3584,
    "num_position_embeddings": 2304,
    "deepstack_visual_indexes": [8, 16, 24],
}
DEFAULTS: dict[str, dict[str, dict[str, Any]]] = {
    "qwen3_vl": {
        "text": {
            **_TOKEN_DEFAULTS,
            "vocab_size": 151936,
            "hidden_size": 4096,
            "intermediate_size": 22016,
            "num_hidden_layers": 32,
            "num_attention_heads": 32,
            "head_dim": 128,
            "hidden_act": "silu",
            "max_position_embeddings": 128000,
            "rms_norm_eps": 1e-6,
            "attention_bias": False,
            "rope_theta": 500_000.0,
            "mrope_section": [24, 20, 20],
            "mrope_interleaved": True,
            "num_key_value_heads": 32,
        },
        "vision": _QWEN3_VISION_DEFAULTS,
        "top": TOP_DEFAULTS,
    },
    "qwen3_vl_moe": {
        "text": {
            **_TOKEN_DEFAULTS,
            "vocab_size": 151936,
            "hidden_size": 2048,
            "intermediate_size": 5632,
            "num_hidden_layers": 24,
            "num_attention_heads": 16,
            "num_key_value_heads": 16,
            "hidden_act": "silu",
            "max_position_embeddings": 128000,
            "rms_norm_eps": 1e-6,
            "attention_bias": False,
            "rope_theta": 500_000.0,
            "mrope_section": [24, 20, 20],
            "mrope_interleaved": True,
            "num_experts": 60,
            "num_experts_per_tok": 4,
            "moe_intermediate_size": 1408,
            "decoder_sparse_step": 1,
            "mlp_only_layers": [],
            "norm_topk_prob": True,
        },
        "vision": _QWEN3_VISION_DEFAULTS,
        "top": TOP_DEFAULTS,
    },
    "qwen2_5_vl": {
        "text": _QWEN2_TEXT_DEFAULTS,
        "vision": {
            "depth": 32,
            "hidden_size": 3584,
            "hidden_act": "silu",
            "intermediate_size": 3420,
            "num_heads": 16,
            "in_channels": 3,
            "patch_size": 14,
            "spatial_merge_size": 2,
            "temporal_patch_size": 2,
            "out_hidden_size": 3584,
            "window_size": 112,
            "fullatt_block_indexes": [7, 15, 23, 31],
            "tokens_per_second": 4,
        },
        "top": TOP_DEFAULTS,
    },
    "qwen2_vl": {
        "text": _QWEN2_TEXT_DEFAULTS,
        "vision": {
            "depth": 32,
            "embed_dim": 1280,
            "hidden_size": 3584,
            "hidden_act": "quick_gelu",
            "mlp_ratio": 4,
            "num_heads": 16,
            "in_channels": 3,
            "patch_size": 14,
            "spatial_merge_size": 2,
            "temporal_patch_size": 2,
        },
        "top": TOP_DEFAULTS,
    },
}

# The vision rotary embedding that every layout fixes; transformers 5
# writes it out, and a file that states exactly this says nothing new.
VISION_ROPE = {"rope_type": "axial", "rope_theta": 10000.0}
PLAIN_ROPE_TYPES = ("default", "mrope")

#: RoPE parameters that transformers defaults when a rope dict leaves them
#: out; the export leaves them out too when they hold these values.
ROPE_DEFAULTS: dict[str, Any] = {
    "beta_fast": 32.0,
    "beta_slow": 1.0,
    "truncate": True,
}

#: Per rope type, the parameters transformers requires in the rope dict;
#: the export writes them even at their defaults (longrope's factor is
#: optional there, and written only when it scales).
ROPE_REQUIRED: dict[str, tuple[str, ...]] = {
    "linear": ("factor",),
    "dynamic": ("factor",),
    "yarn": ("factor",),
    "llama3": ("factor", "low_freq_factor", "high_freq_factor"),
}

#: Rope types whose ``original_max_position_embeddings`` the import sets to
#: ``max_position_embeddings`` when the rope dict leaves it out, as
#: transformers 5 does for yarn, longrope and llama3: RopeScalingConfig's 0
#: ("not set") means the same for the first two, and llama3 must name it.
SCALED_ROPE_ORIGINAL = ("llama3",)

# -- quantization_config -------------------------------------------------

#: Per ``quant_method``: our QuantizationConfig field <- the keys of the
#: file's ``quantization_config`` that may hold it, the spelling written
#: back first.  Keys not named here stay in ``extra``, as the file has them.
QUANTIZATION_KEYS: dict[str, dict[str, tuple[str, ...]]] = {
    "fp8": {
        "weight_block_size": ("weight_block_size",),
        "modules_to_not_convert": ("modules_to_not_convert",),
    },
    "awq": {
        # AutoAWQ's own files say w_bit and q_group_size.
        "bits": ("bits", "w_bit"),
        "group_size": ("group_size", "q_group_size"),
        "modules_to_not_convert": ("modules_to_not_convert",),
    },
    "gptq": {
        "bits": ("bits",),
        "group_size": ("group_size",),
    },
    "bitsandbytes": {
        "modules_to_not_convert": ("llm_int8_skip_modules",),
    },
    "compressed-tensors": {
        "modules_to_not_convert": ("ignore",),
    },
}

#: The defaults of transformers' quantization config classes for the keys
#: above that a file leaves out.
QUANTIZATION_DEFAULTS: dict[str, dict[str, Any]] = {
    "awq": {"bits": 4, "group_size": 128},
    "gptq": {"group_size": 128},
}

#: Methods whose bits the method itself fixes.
QUANTIZATION_METHOD_BITS = {"fp8": 8}

#: bitsandbytes says its bits with flags, under two spellings
#: (transformers writes both); they stay in ``extra`` and the export sets
#: them from `bits`.
BNB_FLAGS: dict[int, tuple[str, ...]] = {
    4: ("load_in_4bit", "_load_in_4bit"),
    8: ("load_in_8bit", "_load_in_8bit"),
}

#: The layers and the attention heads of the specification's full-capacity
#: model.
FULL_CAPACITY = 32

#: Our default ``vision_image_size``; imports keep it where they can.
BASE_IMAGE_SIZE = 448
