"""
How much memory a model needs: `estimate_memory` and its `MemoryEstimate`.

The parameter counts follow transformers' own modules layer by layer, for
each `model_family`: Qwen3-VL (``modeling_qwen3_vl.py`` and
``modeling_qwen3_vl_moe.py``), Qwen2.5-VL (``modeling_qwen2_5_vl.py``) and
Qwen2-VL (``modeling_qwen2_vl.py``), transformers 5.  They equal
``sum(p.numel() for p in model.parameters())`` of the model transformers
builds from the checkpoint's ``config.json`` (or from
`Qwen3VLConfig.to_hf_dict`), part by part; ``nox -s interop`` checks that
they do for every real config in ``tests/data/hf-configs``.

The stored size, `MemoryEstimate.weight_bytes` with no dtype, is what the
checkpoint's safetensors files hold: every parameter at the config's
``dtype``, or, for a quantized checkpoint, the quantized Linears as their
method stores them (the formulas, with their sources, are in
``_weights.py``).

Strictly private: import the names from `qwen3vl.hardware`.
"""

from __future__ import annotations

import attrs

from qwen3vl._sections import Qwen3VLConfig

from ._weights import (
    DTYPE_BYTES,
    Module,
    linear,
    other,
    stored_sizes,
    to_bytes,
)


__all__ = [
    "DTYPE_BYTES",
    "MemoryEstimate",
    "estimate_memory",
    "served_context",
    "with_context",
]


def _layer_bytes(self: MemoryEstimate) -> tuple[int, ...]:
    return tuple(to_bytes(n, self.dtype) for n in self.layer_params)


def _vision_bytes(self: MemoryEstimate) -> int:
    return to_bytes(self.vision_params, self.dtype)


@attrs.frozen
class MemoryEstimate:
    """
    The parameters, weights and KV cache of one model, counted exactly.

    Counts are parameters (values), not bytes; `weight_bytes`,
    `params_bytes` and `kv_cache_bytes` turn them into bytes at a dtype
    of `DTYPE_BYTES`, and `weight_bytes` with no dtype gives the bytes the
    checkpoint stores.

    Attributes:
        embedding_params: The text token embeddings (``embed_tokens``).
        layer_params: Each text decoder layer in order, its norms included;
            a mixture-of-experts layer counts every expert and the router.
        final_norm_params: The text model's final RMS norm.
        lm_head_params: The output layer; 0 when it is tied to the
            embeddings (shared weights count once).
        vision_params: The whole vision tower (transformers'
            ``model.visual``): patch (and, for Qwen3-VL, position)
            embeddings, blocks, the merger and Qwen3-VL's DeepStack mergers.
        context_tokens: Tokens of one sequence the KV cache holds.
        batch_size: Sequences the KV cache holds.
        kv_values_per_token: Values the KV cache keeps for one token of one
            sequence: keys and values, every layer, every key/value head.
        vision_tokens_per_image: Text-model tokens one image of
            ``serving_config.max_image_pixels`` (by default one
            ``vision_image_size`` square) becomes.
        dtype: The checkpoint's dtype (the config's ``dtype``): what every
            parameter that is not quantized is stored in.
        quantized_params: Parameters the checkpoint stores quantized: the
            weight matrices of its quantized Linear layers (0 when nothing
            is quantized); the other ``total_params - quantized_params``
            are stored at `dtype`.
        layer_stored_bytes: The bytes each text decoder layer takes in the
            checkpoint, quantized weights with their scales included.
        vision_stored_bytes: The bytes the vision tower takes in the
            checkpoint.  (The embeddings, the final norm and an untied
            output layer are never quantized: they take their parameters
            at `dtype`.)
        activation_values: Values the largest step of a forward pass
            holds at once besides the weights and the KV cache: the vision
            tower over every sequence's images, or one text layer over
            every sequence's context (see `estimate_memory`).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       `dtype`, `quantized_params`, `layer_stored_bytes` and
       `vision_stored_bytes`: the stored size.  Left out, they describe an
       unquantized `dtype` checkpoint.
       `activation_values` (0 when left out).  The stored bytes are those
       the loaded model holds: quantizing on load
       (``serving_config.online_quantization``) counts too.
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
    dtype: str = attrs.field(default="bfloat16", kw_only=True)
    quantized_params: int = attrs.field(default=0, kw_only=True)
    layer_stored_bytes: tuple[int, ...] = attrs.field(
        default=attrs.Factory(_layer_bytes, takes_self=True), kw_only=True
    )
    vision_stored_bytes: int = attrs.field(
        default=attrs.Factory(_vision_bytes, takes_self=True), kw_only=True
    )
    activation_values: int = attrs.field(default=0, kw_only=True)

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
        return to_bytes(params, dtype)

    def weight_bytes(self, dtype: str | None = None) -> int:
        """
        Return the bytes all weights take, rounded up.

        Without `dtype`, the checkpoint's own stored bytes: what its
        safetensors files hold (``metadata.total_size`` of their index),
        quantized weights, their scales and zero points included.  With a
        `dtype`, every parameter at that dtype.

        Raises:
            ValueError: `dtype` is not in `DTYPE_BYTES`.

        .. versionchanged:: 0.2.0
           `dtype` may be left out.
        """
        if dtype is not None:
            return to_bytes(self.total_params, dtype)
        return (
            to_bytes(
                self.embedding_params
                + self.final_norm_params
                + self.lm_head_params,
                self.dtype,
            )
            + sum(self.layer_stored_bytes)
            + self.vision_stored_bytes
        )

    def activation_bytes(self, dtype: str) -> int:
        """
        Return the bytes of `activation_values` at `dtype`.

        Raises:
            ValueError: `dtype` is not in `DTYPE_BYTES`.
        """
        return to_bytes(self.activation_values, dtype)

    def kv_cache_bytes_per_token(self, dtype: str) -> int:
        """
        Return the KV-cache bytes of one token of one sequence at `dtype`.

        Raises:
            ValueError: `dtype` is not in `DTYPE_BYTES`.
        """
        return to_bytes(self.kv_values_per_token, dtype)

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


def _text_layer(config: Qwen3VLConfig, index: int) -> list[Module]:
    """List the modules of text decoder layer `index`."""
    hidden, head_dim = config.hidden_size, config.head_dim
    queries = config.num_attention_heads * head_dim
    keys = (
        config.num_key_value_heads or config.num_attention_heads
    ) * head_dim
    qwen3 = config.model_family == "qwen3_vl"
    # Qwen2 attention: q, k and v with biases, o without (Qwen2VLAttention,
    # Qwen2_5_VLAttention); Qwen3's follow attention_bias, and it normalizes
    # each query and key head (q_norm, k_norm).
    bias = config.attention_bias if qwen3 else True
    modules = [
        linear("self_attn.q_proj", hidden, queries, bias=bias),
        linear("self_attn.k_proj", hidden, keys, bias=bias),
        linear("self_attn.v_proj", hidden, keys, bias=bias),
        linear("self_attn.o_proj", queries, hidden, bias=bias and qwen3),
    ]
    if qwen3:
        modules += [
            other("self_attn.q_norm", _rms_norm(head_dim)),
            other("self_attn.k_norm", _rms_norm(head_dim)),
        ]
    if _is_sparse(config, index):
        # transformers 5 fuses the experts into gate_up_proj and down_proj
        # tensors: one projection per expert, counted `num_experts` times;
        # the router is one bias-free weight, no nn.Linear.
        width, experts = config.moe_intermediate_size, config.num_experts
        modules += [
            Module("mlp.experts.gate_proj", hidden, width, count=experts),
            Module("mlp.experts.up_proj", hidden, width, count=experts),
            Module("mlp.experts.down_proj", width, hidden, count=experts),
            other("mlp.gate", experts * hidden),
        ]
    else:
        width = config.intermediate_size
        modules += [
            linear("mlp.gate_proj", hidden, width, bias=False),
            linear("mlp.up_proj", hidden, width, bias=False),
            linear("mlp.down_proj", width, hidden, bias=False),
        ]
    return [
        *modules,
        other("input_layernorm", _rms_norm(hidden)),
        other("post_attention_layernorm", _rms_norm(hidden)),
    ]


def _vision(config: Qwen3VLConfig) -> list[Module]:
    """List the vision tower's modules (transformers' ``model.visual``)."""
    family = config.model_family
    width = config.vision_hidden_size
    inner = config.vision_intermediate_size
    patch = (
        config.vision_in_channels
        * config.vision_temporal_patch_size
        * config.vision_patch_size**2
    )
    merged = width * config.vision_spatial_merge_size**2
    out = config.vision_out_hidden_size or config.hidden_size
    # Qwen3-VL: LayerNorms, a two-layer MLP, a patch embedding with a bias
    # and a table of positions.  Qwen2.5-VL: RMSNorms and a gated
    # three-matrix MLP with biases.  Qwen2-VL: LayerNorms and fc1/fc2.  The
    # Qwen2 patch embeddings have no bias, and no position table.
    norm = _rms_norm if family == "qwen2_5_vl" else _layer_norm
    mlp = {
        "qwen3_vl": [
            linear("mlp.linear_fc1", width, inner, bias=True),
            linear("mlp.linear_fc2", inner, width, bias=True),
        ],
        "qwen2_5_vl": [
            linear("mlp.gate_proj", width, inner, bias=True),
            linear("mlp.up_proj", width, inner, bias=True),
            linear("mlp.down_proj", inner, width, bias=True),
        ],
        "qwen2_vl": [
            linear("mlp.fc1", width, inner, bias=True),
            linear("mlp.fc2", inner, width, bias=True),
        ],
    }[family]
    block = [
        other("norm1", norm(width)),
        other("norm2", norm(width)),
        linear("attn.qkv", width, 3 * width, bias=True),
        linear("attn.proj", width, width, bias=True),
        *mlp,
    ]
    modules = [
        other(
            "patch_embed.proj",
            patch * width + (width if family == "qwen3_vl" else 0),
        )
    ]
    if family == "qwen3_vl":
        modules.append(
            other("pos_embed", config.vision_num_position_embeddings * width)
        )
    modules += [
        attrs.evolve(m, name=f"blocks.{i}.{m.name}")
        for i in range(config.vision_num_hidden_layers)
        for m in block
    ]
    if family != "qwen3_vl":
        return [
            *modules,
            other("merger.ln_q", norm(width)),
            linear("merger.mlp.0", merged, merged, bias=True),
            linear("merger.mlp.2", merged, out, bias=True),
        ]
    # The DeepStack mergers normalize after the patches are merged.
    mergers = ["merger"] + [
        f"deepstack_merger_list.{j}"
        for j in range(len(config.vision_deepstack_visual_indexes))
    ]
    return modules + [
        m
        for j, name in enumerate(mergers)
        for m in (
            other(f"{name}.norm", _layer_norm(merged if j else width)),
            linear(f"{name}.linear_fc1", merged, merged, bias=True),
            linear(f"{name}.linear_fc2", merged, out, bias=True),
        )
    ]


def _positive(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        msg = f"{name} must be an int >= 1 (got {value!r})"
        raise ValueError(msg)
    return value


def _activations(config: Qwen3VLConfig, context: int, batch: int) -> int:
    """
    Return the values a prefill holds at its peak besides weights and KV cache.

    Read from transformers 5's modeling code and measured by ``nox -s
    bench-memory`` (docs/performance.md): the larger of the last text
    layer over `context` tokens of `batch` sequences, with what the vision
    tower returned still held, and the vision tower itself.  Over several
    GPUs, one GPU's: its share of the heads and of the MLPs.
    """
    hidden, head = config.hidden_size, config.head_dim
    # Tensor parallelism splits the heads and the MLPs; the hidden states
    # are whole on every GPU (vLLM's column- and row-parallel layers).
    tp = config.parallel_config.tensor_parallel_size
    queries = -(-config.num_attention_heads // tp) * head
    keys = -(-(config.num_key_value_heads or config.num_attention_heads) // tp)
    keys *= head
    widths = []
    if any(not _is_sparse(config, i) for i in range(config.num_hidden_layers)):
        widths.append(-(-config.intermediate_size // tp))
    if config.num_experts:
        widths.append(
            config.num_experts_per_tok * -(-config.moe_intermediate_size // tp)
        )
    eager = config.gpu_config.attention_implementation == "eager"
    heads = -(-config.num_attention_heads // tp)
    scores = heads * context**2 if eager else 0
    mask = context**2 if eager else 0
    # Per token: the input embeddings (bound in the callers), the layer's
    # input and its normed copy, and either the queries with their rotary
    # temporaries (4 x), keys and values, or the residual sum, its normed
    # copy and the MLP's gate, activation and up (3 x its width); eager
    # attention writes the scores twice beside a float causal mask, and the
    # layer keeps one copy through the MLP.  The rotary cos and sin (2 x
    # head_dim) and the last token's logits stay throughout.
    attention = context * (3 * hidden + 4 * queries + 2 * keys) + 2 * scores
    mlp = context * (4 * hidden + 3 * max(widths)) + scores
    text = 2 * head * context + max(attention, mlp) + mask + config.vocab_size
    serving = config.serving_config
    merged = config.vision_spatial_merge_size**2
    per_image = _patches_per_image(config)
    media = min(
        context,
        serving.max_images_per_prompt * (per_image // merged)
        + (context if serving.max_videos_per_prompt else 0),
    )
    if not media:
        return batch * text
    patches = media * merged
    width = config.vision_hidden_size
    deepstack = len(config.vision_deepstack_visual_indexes)
    # What the tower returned stays held through the text model: its last
    # hidden states, and the merged tokens and DeepStack features, each
    # twice (split, then joined); the layer after the last DeepStack one
    # runs on a clone of its input.
    held = patches * width + 2 * (1 + deepstack) * media * hidden
    if deepstack:
        held += context * hidden
    # The tower holds each block's input and its positions (2 x width) and
    # the rotary cos and sin, beside the larger of the attention (fused
    # qkv, rotated queries and keys, output, normed input: 9 x width) and
    # the MLP (2 x width, and fc1 with its activation, or Qwen2.5-VL's gate,
    # activation and up); eager attention writes one image's scores twice.
    mlp_width = (3 if config.model_family == "qwen2_5_vl" else 2) * (
        -(-config.vision_intermediate_size // tp)
    )
    vision_head = width // config.vision_num_attention_heads
    vision_heads = -(-config.vision_num_attention_heads // tp)
    per_patch = (
        2 * width
        + 2 * vision_head
        + max(
            2 * width + 7 * vision_heads * vision_head, 2 * width + mlp_width
        )
    )
    image = min(per_image, patches)
    vision_scores = 2 * vision_heads * image**2 if eager else 0
    vision = (
        patches * per_patch
        + vision_scores
        + deepstack * media * hidden
        + context * hidden
    )
    return batch * max(text + held, vision)


def _patches_per_image(config: Qwen3VLConfig) -> int:
    """Return the patches of the largest image, whole merged tokens."""
    pixels = (
        config.serving_config.max_image_pixels or config.vision_image_size**2
    )
    merged = config.vision_spatial_merge_size**2
    patches = pixels // config.vision_patch_size**2
    return patches - patches % merged


def with_context(
    config: Qwen3VLConfig, estimate: MemoryEstimate, context_tokens: int
) -> MemoryEstimate:
    """
    Return `estimate` of `config` for another context.

    Only the KV cache and the activations grow with the context; the
    weights, the dearest part to count, are kept.
    """
    context = _positive("context_tokens", context_tokens)
    return attrs.evolve(
        estimate,
        context_tokens=context,
        activation_values=_activations(config, context, estimate.batch_size),
    )


def served_context(config: Qwen3VLConfig) -> int:
    """
    Return the tokens of one sequence that `config` serves.

    ``serving_config.max_context_tokens``, where 0 and anything beyond the
    model's window are `max_position_embeddings`.
    """
    window = config.max_position_embeddings
    return min(config.serving_config.max_context_tokens or window, window)


def estimate_memory(
    config: Qwen3VLConfig,
    *,
    context_tokens: int | None = None,
    batch_size: int | None = None,
) -> MemoryEstimate:
    """
    Return the exact parameter counts, stored size, KV cache and activations of `config`.

    The counts equal what transformers reports for the model of
    `config`'s `model_family`: Qwen3-VL (Qwen3-VL-MoE when `num_experts` is
    non-zero), Qwen2.5-VL or Qwen2-VL, with tied embeddings counted once.
    The stored bytes follow the config's `dtype` and `quantization_config`,
    or ``serving_config.online_quantization`` (see
    `MemoryEstimate.weight_bytes`).  The vision tokens are those of one
    image of ``serving_config.max_image_pixels`` (by default one
    `vision_image_size` square), a single temporal patch:
    ``pixels // patch ** 2 // spatial_merge_size ** 2``.

    The activations are the peak of a prefill besides the weights and the
    KV cache, what transformers holds at once: the larger of the last text
    layer over the whole context of every sequence (per token, 3 to 4 x
    hidden with the queries' rotary temporaries and keys and values, or the
    MLP's 3 x its width; a mixture-of-experts layer's width is its experts
    per token x one expert's; eager attention adds every score), with what
    the vision tower returned still held, and the vision tower itself over
    each prompt's media (``max_images_per_prompt`` images, and with videos
    allowed the whole context).  ``nox -s bench-memory`` measures it
    against a real prefill (docs/performance.md).

    Args:
        config: The configuration whose model is estimated.
        context_tokens: Tokens of one sequence; the default is
            ``serving_config.max_context_tokens``, or
            `max_position_embeddings` where that is 0 or more.
        batch_size: Sequences held at once; the default is
            ``serving_config.max_concurrent_sequences``.

    Raises:
        ValueError: `context_tokens` or `batch_size` is not an int >= 1
            (a bool is not taken for an int).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       Each `model_family` is counted as itself; the stored size; the
       context, the batch, the image size and quantizing on load come from
       `serving_config`; the activations.
    """
    serving = config.serving_config
    context = _positive(
        "context_tokens",
        served_context(config) if context_tokens is None else context_tokens,
    )
    batch = _positive(
        "batch_size",
        serving.max_concurrent_sequences if batch_size is None else batch_size,
    )
    embedding = config.vocab_size * config.hidden_size
    layers = config.num_hidden_layers
    key_value_heads = config.num_key_value_heads or config.num_attention_heads
    text = [_text_layer(config, i) for i in range(layers)]
    vision = _vision(config)
    stored = stored_sizes(config, text, vision)
    return MemoryEstimate(
        embedding_params=embedding,
        layer_params=tuple(sum(m.params for m in layer) for layer in text),
        final_norm_params=_rms_norm(config.hidden_size),
        lm_head_params=0 if config.tie_word_embeddings else embedding,
        vision_params=sum(m.params for m in vision),
        context_tokens=context,
        batch_size=batch,
        # Keys and values: two vectors per key/value head in every layer.
        kv_values_per_token=2 * layers * key_value_heads * config.head_dim,
        vision_tokens_per_image=_patches_per_image(config)
        // config.vision_spatial_merge_size**2,
        dtype=config.dtype,
        quantized_params=stored.quantized_params,
        layer_stored_bytes=stored.layer_bytes,
        vision_stored_bytes=stored.vision_bytes,
        activation_values=_activations(config, context, batch),
    )
