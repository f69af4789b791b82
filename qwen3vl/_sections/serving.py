"""
The serving section: what a serving runtime is told besides the model.

Every runtime has these knobs under its own names: vLLM's
``--max-model-len``, ``--max-num-seqs``, ``--kv-cache-dtype``,
``--quantization`` and ``--limit-mm-per-prompt``, SGLang's
``context_length``, Ollama's ``num_ctx``, llama.cpp's ``-c``; the Qwen-VL
processors' ``min_pixels`` and ``max_pixels``.  The memory plan sizes the KV
cache, the vision activations and the weights from them.

Strictly private.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Literal, get_args

import attrs

from qwen3vl._fields import rule, setting
from qwen3vl._validators import integer, one_of
from qwen3vl.exceptions import Problem

from .base import BaseConfig


__all__ = [
    "KV_CACHE_DTYPES",
    "ONLINE_QUANTIZATIONS",
    "ServingConfig",
    "fits_the_model",
]

KVCacheDtype = Literal["auto", "fp16", "bf16", "fp32", "fp8_e4m3", "fp8_e5m2"]
OnlineQuantization = Literal["none", "int8", "nf4", "fp8"]

#: The KV cache's dtypes; "auto" is the compute dtype the plan implies.
KV_CACHE_DTYPES: tuple[str, ...] = get_args(KVCacheDtype)

#: Quantizing on load: bitsandbytes' LLM.int8() and NF4, or vLLM's
#: dynamic FP8 (``--quantization fp8`` on an unquantized checkpoint).
ONLINE_QUANTIZATIONS: tuple[str, ...] = get_args(OnlineQuantization)


@attrs.frozen(eq=False, repr=False)
class ServingConfig(BaseConfig):
    """
    What a serving runtime needs besides the model: context, sequences, media.

    Attributes:
        max_context_tokens: Longest sequence served, prompt and answer
            together; 0 (the default) means the model's
            `max_position_embeddings`, and so does a larger value: no more
            is ever served (a hardware preset's context then fits a model
            with a shorter window too).  The KV cache is sized for it.
        max_concurrent_sequences: Sequences served at once, each with its
            own KV cache.
        kv_cache_dtype: ``"auto"`` (the compute dtype), ``"fp16"``,
            ``"bf16"``, ``"fp32"``, ``"fp8_e4m3"`` or ``"fp8_e5m2"``.
        online_quantization: Quantize an unquantized checkpoint's Linear
            weights on load: ``"none"``, ``"int8"`` or ``"nf4"``
            (bitsandbytes), ``"fp8"`` (vLLM's dynamic FP8).
        max_images_per_prompt: Images one prompt may hold.
        max_videos_per_prompt: Videos one prompt may hold.
        min_image_pixels: Fewest pixels an image is resized to (the
            processors' ``min_pixels``); 0 keeps the processor's own.
        max_image_pixels: Most pixels an image is resized to (the
            processors' ``max_pixels``); 0 (the default) means one
            `vision_image_size` square.  It sets the vision tokens of one
            image.

    .. versionadded:: 0.2.0
    """

    max_context_tokens: int = setting(
        0,
        "Longest sequence served, in tokens; 0 means max_position_embeddings.",
        integer(ge=0, le=2**26),
    )
    max_concurrent_sequences: int = setting(
        1,
        "Sequences served at once, each with its own KV cache.",
        integer(ge=1, le=65_536),
    )
    kv_cache_dtype: KVCacheDtype = setting(
        "auto",
        "KV cache dtype: auto (the compute dtype), fp16, bf16, fp32, fp8_e4m3 or fp8_e5m2.",
        one_of(KV_CACHE_DTYPES),
    )
    online_quantization: OnlineQuantization = setting(
        "none",
        "Quantize the weights on load: none, int8, nf4 (bitsandbytes) or fp8.",
        one_of(ONLINE_QUANTIZATIONS),
    )
    max_images_per_prompt: int = setting(
        1, "Images one prompt may hold.", integer(ge=0, le=1024)
    )
    max_videos_per_prompt: int = setting(
        0, "Videos one prompt may hold.", integer(ge=0, le=1024)
    )
    min_image_pixels: int = setting(
        0,
        "Fewest pixels an image is resized to; 0 keeps the processor's own.",
        integer(ge=0, le=2**30),
    )
    max_image_pixels: int = setting(
        0,
        "Most pixels an image is resized to; 0 means one vision_image_size square.",
        integer(ge=0, le=2**30),
    )


@rule(
    "vision_image_size",
    "vision_patch_size",
    "vision_spatial_merge_size",
    "serving_config",
    "quantization_config",
)
def fits_the_model(c: Mapping[str, Any]) -> Iterator[Problem]:
    # What is served must be something the model can take: images of at
    # least one vision token, weights not already quantized.  (A context
    # beyond the model's window is served as the window: see
    # `ServingConfig.max_context_tokens`.)
    serving = c["serving_config"]
    token = (c["vision_patch_size"] * c["vision_spatial_merge_size"]) ** 2
    largest = serving.max_image_pixels or c["vision_image_size"] ** 2
    too_few = [
        name
        for name in ("min_image_pixels", "max_image_pixels")
        if 0 < getattr(serving, name) < token
    ]
    for name in too_few:
        yield Problem(
            f"serving_config.{name}",
            f"must be 0 or at least {token}, one vision token"
            " (vision_patch_size x vision_spatial_merge_size, squared)"
            f" (got {getattr(serving, name)})",
        )
    # Against a most that is itself refused, the least has nothing to obey.
    if (
        "max_image_pixels" not in too_few
        and serving.min_image_pixels > largest
    ):
        yield Problem(
            "serving_config.min_image_pixels",
            f"must be at most the most pixels an image has ({largest})"
            f" (got {serving.min_image_pixels})",
        )
    method = c["quantization_config"].method
    if serving.online_quantization != "none" and method != "none":
        yield Problem(
            "serving_config.online_quantization",
            f"must be 'none': the checkpoint's weights are already quantized"
            f" ({method}) (got {serving.online_quantization!r})",
        )
