"""
The Hugging Face ``config.json`` layouts, as data.

The layouts of Qwen3-VL and Qwen3-VL-MoE as released (``text_config`` /
``vision_config`` nested, ``rope_scaling`` and ``rope_theta`` in the text
part), and of Qwen2.5-VL and Qwen2-VL (text keys flat at the top): their
``model_type`` values, the keys that are metadata, the key each of our flat
fields comes from, and the defaults that transformers' own config class
gives the keys a file leaves out (transformers 5), so that a file means here
what it means there.

Strictly private.
"""

from __future__ import annotations

from typing import Any


__all__ = [
    "BASE_IMAGE_SIZE",
    "DEFAULTS",
    "FULL_CAPACITY",
    "IGNORED_KEYS",
    "LAYOUTS",
    "MOE_KEYS",
    "PLAIN_ROPE_TYPES",
    "QWEN3",
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

#: Keys that say nothing about the architecture: bookkeeping, training-only
#: settings, generation and tokenizer ids.  Ignored wherever they appear,
#: and listed in the report as ignored.
IGNORED_KEYS = frozenset(
    {
        "_attn_implementation",
        "_attn_implementation_autoset",
        "_commit_hash",
        "_name_or_path",
        "architectures",
        "attention_dropout",
        "bos_token_id",
        "chunk_size_feed_forward",
        "decoder_start_token_id",
        "dtype",
        "eos_token_id",
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
        "torch_dtype",
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
VISION_KEYS = {
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

# The defaults of transformers' config classes (5.x) for keys a file may
# leave out, per layout and part ("text", "vision", "top").
_QWEN2_TEXT_DEFAULTS = {
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

#: The layers and the attention heads of the specification's full-capacity
#: model.
FULL_CAPACITY = 32

#: Our default ``vision_image_size``; imports keep it where they can.
BASE_IMAGE_SIZE = 448
