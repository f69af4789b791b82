"""
How much memory a model needs: `estimate_memory` and its `MemoryEstimate`.

The parameter counts follow transformers' own Qwen3-VL modules
(``modeling_qwen3_vl.py`` and ``modeling_qwen3_vl_moe.py``, transformers 5)
layer by layer, so that they equal ``sum(p.numel() for p in
model.parameters())`` of ``Qwen3VLForConditionalGeneration`` or
``Qwen3VLMoeForConditionalGeneration`` built from `Qwen3VLConfig.to_hf_dict`;
``nox -s interop`` checks that they do.

Strictly private: import the names from `qwen3vl.hardware`.
"""

from __future__ import annotations

import math

from fractions import Fraction

import attrs

from qwen3vl._sections import Qwen3VLConfig


__all__ = ["DTYPE_BYTES", "MemoryEstimate", "estimate_memory"]

#: Bytes that one value takes in each storage dtype.
DTYPE_BYTES: dict[str, float] = {
    "fp32": 4,
    "fp16": 2,
    "bf16": 2,
    "int8": 1,
    "int4": 0.5,
}


def _bytes(values: int, dtype: str) -> int:
    """Return the bytes `values` values take at `dtype`, rounded up."""
    size = DTYPE_BYTES.get(dtype)
    if size is None:
        msg = (
            f"dtype must be one of {', '.join(map(repr, DTYPE_BYTES))}"
            f" (got {dtype!r})"
        )
        raise ValueError(msg)
    if isinstance(values, bool) or not isinstance(values, int) or values < 0:
        msg = f"params must be an int >= 0 (got {values!r})"
        raise ValueError(msg)
    # Fraction keeps the product exact: a float would round counts past 2**53.
    return math.ceil(values * Fraction(size))


@attrs.frozen
class MemoryEstimate:
    """
    The parameters, weights and KV cache of one model, counted exactly.

    Counts are parameters (values), not bytes; `weight_bytes`,
    `params_bytes` and `kv_cache_bytes` turn them into bytes at a dtype
    of `DTYPE_BYTES`.

    Attributes:
        embedding_params: The text token embeddings (``embed_tokens``).
        layer_params: Each text decoder layer in order, its norms included;
            a mixture-of-experts layer counts every expert and the router.
        final_norm_params: The text model's final RMS norm.
        lm_head_params: The output layer; 0 when it is tied to the
            embeddings (shared weights count once).
        vision_params: The whole vision tower (transformers'
            ``model.visual``): patch and position embeddings, blocks, the
            merger and the DeepStack mergers.
        context_tokens: Tokens of one sequence the KV cache holds.
        batch_size: Sequences the KV cache holds.
        kv_values_per_token: Values the KV cache keeps for one token of one
            sequence: keys and values, every layer, every key/value head.
        vision_tokens_per_image: Text-model tokens one
            ``vision_image_size`` square image becomes.

    .. versionadded:: 0.1.0
    """

    embedding_params: int
    layer_params: tuple[int, ...]
    final_norm_params: int
    lm_head_params: int
    vision_params: int
    context_tokens: int
    batch_size: int
    kv_values_per_token: int
    vision_tokens_per_image: int

    @property
    def text_params(self) -> int:
        """The language model's parameters, its output layer included."""
        return (
            self.embedding_params
            + sum(self.layer_params)
            + self.final_norm_params
            + self.lm_head_params
        )

    @property
    def total_params(self) -> int:
        """All parameters, text and vision."""
        return self.text_params + self.vision_params

    def params_bytes(self, params: int, dtype: str) -> int:
        """
        Return the bytes `params` parameters take at `dtype`, rounded up.

        Raises:
            ValueError: `dtype` is not in `DTYPE_BYTES` (the message lists
                the known ones), or `params` is not an int >= 0.
        """
        return _bytes(params, dtype)

    def weight_bytes(self, dtype: str) -> int:
        """
        Return the bytes all weights take at `dtype`, rounded up.

        Raises:
            ValueError: `dtype` is not in `DTYPE_BYTES`.
        """
        return _bytes(self.total_params, dtype)

    def kv_cache_bytes_per_token(self, dtype: str) -> int:
        """
        Return the KV-cache bytes of one token of one sequence at `dtype`.

        Raises:
            ValueError: `dtype` is not in `DTYPE_BYTES`.
        """
        return _bytes(self.kv_values_per_token, dtype)

    def kv_cache_bytes(self, dtype: str) -> int:
        """
        Return the KV-cache bytes of `batch_size` full contexts at `dtype`.

        Raises:
            ValueError: `dtype` is not in `DTYPE_BYTES`.
        """
        return (
            self.kv_cache_bytes_per_token(dtype)
            * self.context_tokens
            * self.batch_size
        )


def _linear(n_in: int, n_out: int, *, bias: bool) -> int:
    return n_in * n_out + (n_out if bias else 0)


def _layer_norm(width: int) -> int:
    # torch's LayerNorm has a weight and a bias.
    return 2 * width


def _rms_norm(width: int) -> int:
    return width


def _is_sparse(config: Qwen3VLConfig, index: int) -> bool:
    """Tell whether text layer `index` is a mixture-of-experts layer."""
    # transformers' Qwen3VLMoeTextDecoderLayer decides exactly so.
    return (
        config.num_experts > 0
        and index not in config.mlp_only_layers
        and (index + 1) % config.decoder_sparse_step == 0
    )


def _text_layer(config: Qwen3VLConfig, index: int) -> int:
    """Count the parameters of text decoder layer `index`."""
    hidden, head_dim = config.hidden_size, config.head_dim
    bias = config.attention_bias
    queries = config.num_attention_heads * head_dim
    keys = (
        config.num_key_value_heads or config.num_attention_heads
    ) * head_dim
    attention = (
        _linear(hidden, queries, bias=bias)
        + 2 * _linear(hidden, keys, bias=bias)
        + _linear(queries, hidden, bias=bias)
        # Qwen3 normalizes each query and key head (q_norm, k_norm).
        + 2 * _rms_norm(head_dim)
    )
    if _is_sparse(config, index):
        # transformers 5 fuses the experts into gate_up_proj and down_proj
        # tensors; the router is one bias-free weight.
        mlp = (
            3 * config.num_experts * hidden * config.moe_intermediate_size
            + config.num_experts * hidden
        )
    else:
        mlp = 3 * _linear(hidden, config.intermediate_size, bias=False)
    return attention + mlp + 2 * _rms_norm(hidden)


def _vision_merger(config: Qwen3VLConfig, *, postshuffle: bool) -> int:
    """Count one patch merger's parameters."""
    width = config.vision_hidden_size
    merged = width * config.vision_spatial_merge_size**2
    out = config.vision_out_hidden_size or config.hidden_size
    return (
        # The DeepStack mergers normalize after the patches are merged.
        _layer_norm(merged if postshuffle else width)
        + _linear(merged, merged, bias=True)
        + _linear(merged, out, bias=True)
    )


def _vision(config: Qwen3VLConfig) -> int:
    """Count the vision tower's parameters."""
    width = config.vision_hidden_size
    patch = (
        config.vision_in_channels
        * config.vision_temporal_patch_size
        * config.vision_patch_size**2
    )
    block = (
        2 * _layer_norm(width)
        + _linear(width, 3 * width, bias=True)
        + _linear(width, width, bias=True)
        + _linear(width, config.vision_intermediate_size, bias=True)
        + _linear(config.vision_intermediate_size, width, bias=True)
    )
    return (
        _linear(patch, width, bias=True)
        + config.vision_num_position_embeddings * width
        + config.vision_num_hidden_layers * block
        + _vision_merger(config, postshuffle=False)
        + len(config.vision_deepstack_visual_indexes)
        * _vision_merger(config, postshuffle=True)
    )


def _positive(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        msg = f"{name} must be an int >= 1 (got {value!r})"
        raise ValueError(msg)
    return value


def estimate_memory(
    config: Qwen3VLConfig,
    *,
    context_tokens: int | None = None,
    batch_size: int = 1,
) -> MemoryEstimate:
    """
    Return the exact parameter counts and the KV-cache size of `config`.

    The counts equal what transformers' Qwen3-VL (or Qwen3-VL-MoE, when
    `num_experts` is non-zero) reports for a model built from
    `Qwen3VLConfig.to_hf_dict`, with tied embeddings counted once.  The
    vision tokens are those of one `vision_image_size` square image, a single
    temporal patch: ``(side // patch) ** 2 // spatial_merge_size ** 2``.

    Args:
        config: The configuration whose model is estimated.
        context_tokens: Tokens of one sequence the KV cache holds; the
            default is `max_position_embeddings`.
        batch_size: Sequences held at once.

    Raises:
        ValueError: `context_tokens` or `batch_size` is not an int >= 1
            (a bool is not taken for an int).

    .. versionadded:: 0.1.0
    """
    context = _positive(
        "context_tokens",
        config.max_position_embeddings
        if context_tokens is None
        else context_tokens,
    )
    batch = _positive("batch_size", batch_size)
    embedding = config.vocab_size * config.hidden_size
    layers = config.num_hidden_layers
    key_value_heads = config.num_key_value_heads or config.num_attention_heads
    side = config.vision_image_size // config.vision_patch_size
    return MemoryEstimate(
        embedding_params=embedding,
        layer_params=tuple(_text_layer(config, i) for i in range(layers)),
        final_norm_params=_rms_norm(config.hidden_size),
        lm_head_params=0 if config.tie_word_embeddings else embedding,
        vision_params=_vision(config),
        context_tokens=context,
        batch_size=batch,
        # Keys and values: two vectors per key/value head in every layer.
        kv_values_per_token=2 * layers * key_value_heads * config.head_dim,
        vision_tokens_per_image=side**2 // config.vision_spatial_merge_size**2,
    )
