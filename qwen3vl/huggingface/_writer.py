"""
Writing our plain data as a Hugging Face ``config.json``.

`to_hf` writes the layout of the config's family as its checkpoints were
released: Qwen3-VL (Qwen3-VL-MoE when it has experts) nested, Qwen2.5-VL
and Qwen2-VL with the text model's keys flat at the top.  transformers'
``AutoConfig`` (4.57 and 5) reads each back to the same architecture.

Strictly private.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._layouts import ARCHITECTURES
from ._quantization import quantization_to_hf
from ._rope import rope_to_hf


__all__ = ["to_hf"]


def to_hf(data: Mapping[str, Any]) -> dict[str, Any]:
    """
    Return our plain data (`to_dict`) as a Hugging Face ``config.json`` dict.

    The layout is the family's (`model_family`): Qwen3-VL's as released
    (transformers 4.57 reads it, and transformers 5 too), or Qwen3-VL-MoE's
    when ``num_experts`` is non-zero; Qwen2.5-VL's or Qwen2-VL's as
    released.  A quantized checkpoint's ``quantization_config`` is written
    back at the top.
    """
    family = data["model_family"]
    if family == "qwen3_vl":
        layout = "qwen3_vl_moe" if data["num_experts"] > 0 else "qwen3_vl"
        out = _qwen3(data, layout)
    else:
        layout = family
        out = _qwen2(data, layout)
    quantization = quantization_to_hf(data["quantization_config"])
    if quantization is not None:
        out["quantization_config"] = quantization
    return dict(sorted(out.items()))


def _common(data: Mapping[str, Any], layout: str) -> dict[str, Any]:
    """The top-level keys every layout has."""
    return {
        "architectures": [ARCHITECTURES[layout]],
        "image_token_id": data["image_token_id"],
        "model_type": layout,
        "tie_word_embeddings": data["tie_word_embeddings"],
        "video_token_id": data["video_token_id"],
        "vision_end_token_id": data["vision_end_token_id"],
        "vision_start_token_id": data["vision_start_token_id"],
    }


def _text(data: Mapping[str, Any]) -> dict[str, Any]:
    """The text model's keys that every layout spells alike."""
    return {
        "bos_token_id": data["bos_token_id"],
        "eos_token_id": data["eos_token_id"],
        "hidden_act": data["hidden_act"],
        "hidden_size": data["hidden_size"],
        "intermediate_size": data["intermediate_size"],
        "max_position_embeddings": data["max_position_embeddings"],
        "num_attention_heads": data["num_attention_heads"],
        "num_hidden_layers": data["num_hidden_layers"],
        "num_key_value_heads": data["num_key_value_heads"]
        or data["num_attention_heads"],
        "rms_norm_eps": data["rms_norm_eps"],
        "rope_theta": data["rope_theta"],
        "vocab_size": data["vocab_size"],
    }


def _vision(data: Mapping[str, Any]) -> dict[str, Any]:
    """The vision keys that every layout spells alike."""
    return {
        "depth": data["vision_num_hidden_layers"],
        "hidden_act": data["vision_hidden_act"],
        "num_heads": data["vision_num_attention_heads"],
        "patch_size": data["vision_patch_size"],
        "spatial_merge_size": data["vision_spatial_merge_size"],
        "temporal_patch_size": data["vision_temporal_patch_size"],
    }


def _qwen3(data: Mapping[str, Any], layout: str) -> dict[str, Any]:
    text: dict[str, Any] = {
        **_text(data),
        "attention_bias": data["attention_bias"],
        "dtype": data["dtype"],
        "head_dim": data["head_dim"],
        "model_type": f"{layout}_text",
        "rope_scaling": rope_to_hf(data, layout),
        "tie_word_embeddings": data["tie_word_embeddings"],
    }
    if layout == "qwen3_vl_moe":
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
        **_vision(data),
        "deepstack_visual_indexes": list(
            data["vision_deepstack_visual_indexes"]
        ),
        "hidden_size": data["vision_hidden_size"],
        "in_channels": data["vision_in_channels"],
        "intermediate_size": data["vision_intermediate_size"],
        # The released files name the vision part after the whole model.
        "model_type": layout,
        "num_position_embeddings": data["vision_num_position_embeddings"],
        "out_hidden_size": data["vision_out_hidden_size"]
        or data["hidden_size"],
    }
    return {
        **_common(data, layout),
        "dtype": data["dtype"],
        "text_config": dict(sorted(text.items())),
        "vision_config": dict(sorted(vision.items())),
    }


def _qwen2(data: Mapping[str, Any], layout: str) -> dict[str, Any]:
    out = {
        **_common(data, layout),
        **_text(data),
        "rope_scaling": rope_to_hf(data, layout),
        "torch_dtype": data["dtype"],
        # As released: the text model attends to the whole context.
        "use_sliding_window": False,
    }
    merger = data["vision_out_hidden_size"] or data["hidden_size"]
    vision: dict[str, Any] = {
        **_vision(data),
        # Both spellings: the released files say in_chans, transformers
        # and vLLM read in_channels.
        "in_channels": data["vision_in_channels"],
        "in_chans": data["vision_in_channels"],
        "spatial_patch_size": data["vision_patch_size"],
    }
    if layout == "qwen2_vl":
        width = data["vision_hidden_size"]
        vision.update(
            {
                "embed_dim": width,
                # The merger's output width, under Qwen2-VL's name.
                "hidden_size": merger,
                "mlp_ratio": data["vision_intermediate_size"] // width,
            }
        )
    else:
        vision.update(
            {
                "fullatt_block_indexes": list(
                    data["vision_fullatt_block_indexes"]
                ),
                "hidden_size": data["vision_hidden_size"],
                "intermediate_size": data["vision_intermediate_size"],
                "out_hidden_size": merger,
                "tokens_per_second": data["vision_tokens_per_second"],
                "window_size": data["vision_window_size"],
            }
        )
    out["vision_config"] = dict(sorted(vision.items()))
    return out
