"""
Writing our plain data as a Hugging Face ``config.json``.

`to_hf` writes a Qwen3-VL (or Qwen3-VL-MoE) ``config.json`` that
transformers' ``AutoConfig`` reads.

Strictly private.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


__all__ = ["to_hf"]


def to_hf(data: Mapping[str, Any]) -> dict[str, Any]:
    """
    Return our plain data (`to_dict`) as a Hugging Face ``config.json`` dict.

    The layout is Qwen3-VL's as released (transformers 4.57 reads it, and
    transformers 5 too), or Qwen3-VL-MoE's when ``num_experts`` is non-zero.
    """
    moe = data["num_experts"] > 0
    model_type = "qwen3_vl_moe" if moe else "qwen3_vl"
    text: dict[str, Any] = {
        "attention_bias": data["attention_bias"],
        "head_dim": data["head_dim"],
        "hidden_act": data["hidden_act"],
        "hidden_size": data["hidden_size"],
        "intermediate_size": data["intermediate_size"],
        "max_position_embeddings": data["max_position_embeddings"],
        "model_type": f"{model_type}_text",
        "num_attention_heads": data["num_attention_heads"],
        "num_hidden_layers": data["num_hidden_layers"],
        "num_key_value_heads": data["num_key_value_heads"]
        or data["num_attention_heads"],
        "rms_norm_eps": data["rms_norm_eps"],
        "rope_scaling": {
            "mrope_interleaved": data["mrope_interleaved"],
            "mrope_section": list(data["mrope_section"]),
            "rope_type": "default",
        },
        "rope_theta": data["rope_theta"],
        "tie_word_embeddings": data["tie_word_embeddings"],
        "vocab_size": data["vocab_size"],
    }
    if moe:
        text.update(
            {
                "decoder_sparse_step": data["decoder_sparse_step"],
                "mlp_only_layers": list(data["mlp_only_layers"]),
                "moe_intermediate_size": data["moe_intermediate_size"],
                "norm_topk_prob": data["norm_topk_prob"],
                "num_experts": data["num_experts"],
                "num_experts_per_tok": data["num_experts_per_tok"],
            }
        )
    vision = {
        "deepstack_visual_indexes": list(
            data["vision_deepstack_visual_indexes"]
        ),
        "depth": data["vision_num_hidden_layers"],
        "hidden_act": data["vision_hidden_act"],
        "hidden_size": data["vision_hidden_size"],
        "in_channels": data["vision_in_channels"],
        "intermediate_size": data["vision_intermediate_size"],
        # The released files name the vision part after the whole model.
        "model_type": model_type,
        "num_heads": data["vision_num_attention_heads"],
        "num_position_embeddings": data["vision_num_position_embeddings"],
        "out_hidden_size": data["vision_out_hidden_size"]
        or data["hidden_size"],
        "patch_size": data["vision_patch_size"],
        "spatial_merge_size": data["vision_spatial_merge_size"],
        "temporal_patch_size": data["vision_temporal_patch_size"],
    }
    architecture = "Qwen3VLMoe" if moe else "Qwen3VL"
    return {
        "architectures": [f"{architecture}ForConditionalGeneration"],
        "image_token_id": data["image_token_id"],
        "model_type": model_type,
        "text_config": dict(sorted(text.items())),
        "tie_word_embeddings": data["tie_word_embeddings"],
        "video_token_id": data["video_token_id"],
        "vision_config": vision,
        "vision_end_token_id": data["vision_end_token_id"],
        "vision_start_token_id": data["vision_start_token_id"],
    }
