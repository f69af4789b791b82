"""
What a checkpoint stores: the bytes of each weight, quantized or not.

`estimate_memory` lists the model's modules (`Module`) part by part;
`stored_sizes` turns them into the bytes the checkpoint's safetensors
files hold.  Without quantization every parameter is stored at the config's
``dtype``.  A quantized checkpoint stores the weight matrices of some
``nn.Linear`` modules its own way; everything else (embeddings, norms,
biases, convolutions, the MoE router, the output layer) stays at ``dtype``.

Which Linears are quantized: every one of the text decoder layers and the
vision tower (MoE experts included) that ``modules_to_not_convert``
does not match, as transformers' quantizers replace every ``nn.Linear``
but the excluded ones.  The output layer (``lm_head``) is never quantized:
transformers adds it to the excluded modules itself
(``get_keys_to_not_convert``).  A pattern matches a module's path as
transformers' ``should_convert_module`` does (from the start up to a dot,
as a regular expression, or as a suffix), a ``re:`` pattern as
compressed-tensors does (``re.match``).  Each module is tried under both
the transformers-5 path (``model.language_model.layers.0.self_attn.q_proj``,
``model.visual.blocks.0.attn.qkv``) and the older checkpoints' path
(``model.layers.0...``, ``visual.blocks.0...``), so ``"visual"``,
``"model.visual"`` and exact paths all work.  Experts are one module per
projection (``...mlp.experts.gate_proj``) counted once per expert.

Bytes of one quantized ``out x in`` weight matrix, with ``g`` the group size
(``-1``: one group of all ``in`` inputs) and ``G = ceil(in / g)``:

* ``fp8`` (transformers' ``FP8Linear``, ``integrations/finegrained_fp8.py``):
  ``in * out`` float8 values plus ``weight_scale_inv``: float32 (1 byte
  for ``scale_fmt: ue8m0``), one per ``[r, c]`` block,
  ``ceil(out / r) * ceil(in / c)``, or one per tensor without
  ``weight_block_size``; ``activation_scheme: static`` adds a float32
  ``activation_scale``.
* ``awq`` (AutoAWQ's ``WQLinear_GEMM``): ``qweight`` int32
  ``in x out * bits / 32``, ``qzeros`` int32 ``G x out * bits / 32``,
  ``scales`` float16 ``G x out``.  GEMV and the other kernels' layouts are
  sized as GEMM.
* ``gptq`` (AutoGPTQ/GPTQModel's ``QuantLinear``): ``qweight`` int32
  ``in * bits / 32 x out``, ``qzeros`` int32 ``G x out * bits / 32``,
  ``scales`` float16 ``G x out``, ``g_idx`` int32 ``in``.  Only the text
  decoder layers are quantized (optimum's ``block_name_to_quantize``
  default), or the blocks ``extra``'s ``block_name_to_quantize`` names,
  narrowed to ``modules_in_block_to_quantize`` when given.
* ``bitsandbytes`` (``Linear4bit`` / ``Linear8bitLt``): 4 bits, two values a
  byte, ``(in * out + 1) // 2``, plus ``absmax`` float32 per block of 64
  values; with ``bnb_4bit_use_double_quant`` the absmax values are one byte
  each plus a float32 per 256 of them.  8 bits: int8 ``in * out`` plus
  ``SCB`` float32 per output row.  Per-tensor constants under 2 KiB
  (``quant_map``, ``nested_quant_map``, the packed quant state) are not
  counted.  ``llm_int8_skip_modules`` in ``extra`` are excluded too.
* ``compressed-tensors`` (``compressed_tensors.compressors``): per
  ``config_groups`` entry of ``extra`` (its ``targets``: ``"Linear"``, exact
  paths or ``re:`` patterns; its ``ignore`` list excluded as well).
  ``pack-quantized``: ``weight_packed`` int32 ``out x ceil(in * bits / 32)``
  and ``weight_shape`` (two int32); ``float-quantized``, ``int-quantized``
  and ``naive-quantized``: one byte a value.  Then ``weight_scale`` at the
  config's ``dtype``: one per tensor, per output channel (``out``), per
  group (``out * G``) or per block; an asymmetric scheme adds zero points
  (packed int32 for ``pack-quantized``, one byte each otherwise); actorder
  ``group`` adds ``weight_g_idx`` int32 ``in``; static input activations
  add one ``input_scale``.  The fields stand in for what a scheme leaves
  out (``num_bits``, ``group_size``), and for ``config_groups`` itself:
  ``bits`` 8 is one byte a value, 4 is packed; a positive ``group_size``
  is per group, else per output channel.

Strictly private: import the names from `qwen3vl.hardware`.
"""

from __future__ import annotations

import functools
import math
import re

from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction
from typing import Any

import attrs

from qwen3vl._compound import parse_json_object
from qwen3vl._sections import QuantizationConfig, Qwen3VLConfig


__all__ = [
    "DTYPE_BYTES",
    "ON_LOAD",
    "Module",
    "StoredSizes",
    "loaded_quantization",
    "stored_sizes",
    "to_bytes",
]

#: Bytes that one value takes in each storage dtype; the checkpoint dtypes
#: (the config's ``dtype``) are there under their own names too.
DTYPE_BYTES: dict[str, float] = {
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
}


def to_bytes(values: int, dtype: str) -> int:
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
class Module:
    """
    One module of transformers' model and its parameters.

    A Linear has `n_in` and `n_out` (its weight is ``n_out x n_in``) and
    maybe a bias; any other module (a norm, an embedding, a convolution, the
    MoE router) has only `values`.  `count` copies share the layout (the
    experts of one projection).
    """

    name: str
    n_in: int = 0
    n_out: int = 0
    bias: bool = False
    values: int = 0
    count: int = 1

    @property
    def matrix(self) -> int:
        """The values of the Linear weight matrices (0 for other modules)."""
        return self.count * self.n_in * self.n_out

    @property
    def params(self) -> int:
        """All its parameters."""
        return self.matrix + self.count * (
            (self.n_out if self.bias else 0) + self.values
        )


def linear(name: str, n_in: int, n_out: int, *, bias: bool) -> Module:
    """A ``nn.Linear(n_in, n_out, bias=bias)``."""
    return Module(name, n_in, n_out, bias)


def other(name: str, values: int) -> Module:
    """A module that is no Linear, with `values` parameters."""
    return Module(name, values=values)


@attrs.frozen
class StoredSizes:
    """The stored bytes of the parts that can hold quantized weights."""

    layer_bytes: tuple[int, ...]
    vision_bytes: int
    quantized_params: int


#: Bytes of one quantized ``n_out x n_in`` weight matrix.
Sizer = Callable[[int, int], int]
#: The sizer of one Linear by its paths, or None when it is not quantized.
Chooser = Callable[[Sequence[str]], Sizer | None]

_TEXT_PATHS = ("model.language_model.layers.{}.", "model.layers.{}.")
_VISION_PATHS = ("model.visual.", "visual.")
#: transformers' should_convert_module: a match ends at a module boundary.
_BOUNDARY = r"(?:(?<=\.)|(?=\.|$))"


#: What quantizing on load (`ServingConfig.online_quantization`) makes of
#: an unquantized checkpoint, written as the ``quantization_config`` of a
#: checkpoint stored so: bitsandbytes' LLM.int8() and NF4 (transformers'
#: ``BitsAndBytesConfig`` defaults: blocks of 64, no double quantization),
#: and vLLM's dynamic FP8, one float32 scale per tensor
#: (``Fp8LinearMethod`` with ``is_checkpoint_fp8_serialized`` false).
ON_LOAD: dict[str, dict[str, Any]] = {
    "int8": {"method": "bitsandbytes", "bits": 8},
    "nf4": {
        "method": "bitsandbytes",
        "bits": 4,
        "extra": '{"bnb_4bit_quant_type": "nf4"}',
    },
    "fp8": {"method": "fp8", "bits": 8},
}


def loaded_quantization(config: Qwen3VLConfig) -> QuantizationConfig:
    """
    Return how the loaded model holds its weights.

    The checkpoint's own `quantization_config`, or, when
    ``serving_config.online_quantization`` quantizes an unquantized
    checkpoint on load, the quantization that gives.
    """
    online = config.serving_config.online_quantization
    if online == "none":
        return config.quantization_config
    return _on_load(online)


@functools.cache
def _on_load(online: str) -> QuantizationConfig:
    # Built (and validated) once per method: every plan of a fitting asks.
    return QuantizationConfig(**ON_LOAD[online])


def stored_sizes(
    config: Qwen3VLConfig,
    layers: Sequence[Sequence[Module]],
    vision: Sequence[Module],
) -> StoredSizes:
    """
    Return the bytes of each text layer and the vision tower, as loaded.

    As the checkpoint stores them, or as quantizing on load leaves them
    (`loaded_quantization`).
    """
    dtype = config.dtype
    choose = _chooser(loaded_quantization(config), dtype)
    quantized = 0

    def part(modules: Sequence[Module], paths: Iterable[str]) -> int:
        nonlocal quantized
        size = to_bytes(sum(m.params for m in modules), dtype)
        for m in modules:
            if not m.matrix:
                continue
            sizer = choose([p + m.name for p in paths])
            if sizer is not None:
                quantized += m.matrix
                size += m.count * sizer(m.n_in, m.n_out) - to_bytes(
                    m.matrix, dtype
                )
        return size

    layer_bytes = tuple(
        part(modules, [p.format(i) for p in _TEXT_PATHS])
        for i, modules in enumerate(layers)
    )
    vision_bytes = part(vision, _VISION_PATHS)
    return StoredSizes(layer_bytes, vision_bytes, quantized)


# -- which modules ------------------------------------------------------


def _compiled(pattern: str) -> Callable[[str], bool]:
    """Return a test of one path against one pattern."""
    if pattern.startswith("re:"):
        regex = _regex(pattern[3:], "")
        return lambda path: regex.match(path) is not None
    bounded = _regex(pattern, _BOUNDARY)
    return lambda path: (
        bounded.match(path) is not None or path.endswith(pattern)
    )


def _regex(pattern: str, tail: str) -> re.Pattern[str]:
    try:
        return re.compile(f"(?:{pattern}){tail}")
    except re.error:
        # Not a regular expression: the name itself.
        return re.compile(f"(?:{re.escape(pattern)}){tail}")


def _matcher(patterns: Iterable[str]) -> Callable[[Sequence[str]], bool]:
    # An empty name would be a suffix of every path: it names nothing.
    tests = [_compiled(p) for p in dict.fromkeys(patterns) if p]
    return lambda paths: any(t(p) for t in tests for p in paths)


def _names(extra: dict[str, Any], key: str) -> list[str]:
    """Return `extra[key]` as a list of names (a lone name, or none)."""
    value = extra.get(key)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _chooser(q: QuantizationConfig, dtype: str) -> Chooser:
    if q.method == "none":
        return lambda _: None
    extra = parse_json_object(q.extra)
    skipped = _matcher(
        [
            *q.modules_to_not_convert,
            *_names(extra, "modules_to_not_convert"),
            *_names(extra, "ignore"),
            *_names(extra, "llm_int8_skip_modules"),
        ]
    )
    scale = DTYPE_BYTES[dtype]
    if q.method == "compressed-tensors":
        groups = _compressed_groups(q.bits, q.group_size, extra, scale)

        def compressed(paths: Sequence[str]) -> Sizer | None:
            if skipped(paths):
                return None
            return next((s for hit, s in groups if hit(paths)), None)

        return compressed
    sizer = _SIZERS[q.method](q.bits, q.group_size, q.weight_block_size, extra)
    inside = _gptq_blocks(extra) if q.method == "gptq" else None

    def choose(paths: Sequence[str]) -> Sizer | None:
        if skipped(paths) or (inside is not None and not inside(paths)):
            return None
        return sizer

    return choose


def _gptq_blocks(extra: dict[str, Any]) -> Callable[[Sequence[str]], bool]:
    # optimum quantizes the decoder layers, or the blocks named, and in them
    # every Linear or those modules_in_block_to_quantize lists.
    blocks = _matcher(
        _names(extra, "block_name_to_quantize")
        or ["model.language_model.layers", "model.layers"]
    )
    rows = extra.get("modules_in_block_to_quantize")
    if not isinstance(rows, list):
        return blocks
    names = [
        "." + n
        for row in rows
        if isinstance(row, list)
        for n in row
        if isinstance(n, str)
    ]
    return lambda paths: (
        blocks(paths) and any(p.endswith(n) for p in paths for n in names)
    )


# -- how many bytes -------------------------------------------------------


def _words(values: int, bits: int) -> int:
    """Bytes of `values` values of `bits` bits packed into int32 words."""
    return math.ceil(values * bits / 32) * 4


def _groups(n_in: int, group_size: int) -> int:
    return 1 if group_size <= 0 else math.ceil(n_in / group_size)


def _fp8(
    bits: int, group_size: int, block: tuple[int, ...], extra: dict[str, Any]
) -> Sizer:
    del bits, group_size
    scale = 1 if extra.get("scale_fmt") == "ue8m0" else 4
    static = 4 if extra.get("activation_scheme") == "static" else 0

    def size(n_in: int, n_out: int) -> int:
        scales = (
            math.ceil(n_out / block[0]) * math.ceil(n_in / block[1])
            if block
            else 1
        )
        return n_in * n_out + scale * scales + static

    return size


def _awq(
    bits: int, group_size: int, block: tuple[int, ...], extra: dict[str, Any]
) -> Sizer:
    del block, extra

    def size(n_in: int, n_out: int) -> int:
        groups = _groups(n_in, group_size)
        return (
            n_in * _words(n_out, bits)  # qweight
            + groups * _words(n_out, bits)  # qzeros
            + groups * n_out * 2  # scales, float16
        )

    return size


def _gptq(
    bits: int, group_size: int, block: tuple[int, ...], extra: dict[str, Any]
) -> Sizer:
    del block, extra

    def size(n_in: int, n_out: int) -> int:
        groups = _groups(n_in, group_size)
        return (
            _words(n_in, bits) * n_out  # qweight
            + groups * _words(n_out, bits)  # qzeros
            + groups * n_out * 2  # scales, float16
            + n_in * 4  # g_idx, int32
        )

    return size


def _bitsandbytes(
    bits: int, group_size: int, block: tuple[int, ...], extra: dict[str, Any]
) -> Sizer:
    del group_size, block
    double = extra.get("bnb_4bit_use_double_quant") is True

    def size(n_in: int, n_out: int) -> int:
        values = n_in * n_out
        if bits == 8:
            return values + n_out * 4  # int8 weight, SCB float32 per row
        blocks = math.ceil(values / 64)
        absmax = blocks + math.ceil(blocks / 256) * 4 if double else blocks * 4
        return (values + 1) // 2 + absmax

    return size


_SIZERS: dict[
    str,
    Callable[[int, int, tuple[int, ...], dict[str, Any]], Sizer],
] = {
    "fp8": _fp8,
    "awq": _awq,
    "gptq": _gptq,
    "bitsandbytes": _bitsandbytes,
}


def _compressed_groups(
    bits: int, group_size: int, extra: dict[str, Any], scale: float
) -> list[tuple[Callable[[Sequence[str]], bool], Sizer]]:
    """Return each config group's targets and sizer, in order."""
    groups = extra.get("config_groups")
    top_format = extra.get("format")
    # The fields stand in for what a scheme leaves out.
    fields = {"num_bits": bits, "group_size": group_size}
    if not isinstance(groups, dict) or not groups:
        packing = "pack-quantized" if bits < 8 else "float-quantized"
        return [(lambda _: True, _compressed(fields, None, packing, scale))]
    out = []
    for group in groups.values():
        weights = group.get("weights") if isinstance(group, dict) else None
        if not isinstance(weights, dict):
            continue
        targets = _names(group, "targets")
        # Every module here is an nn.Linear: that class name targets them all.
        hit = (lambda _: True) if "Linear" in targets else _matcher(targets)
        # A group's own format (a "mixed-precision" checkpoint) comes first.
        fmt: object = group.get("format") or top_format
        scheme = {k: v for k, v in weights.items() if v is not None}
        sizer = _compressed(
            {**fields, **scheme}, group.get("input_activations"), fmt, scale
        )
        out.append((hit, sizer))
    return out


def _int(value: object, default: int) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return default


def _compressed(
    weights: dict[str, Any], inputs: object, fmt: object, scale: float
) -> Sizer:
    bits = _int(weights.get("num_bits"), 8)
    group_size = _int(weights.get("group_size"), 0)
    strategy = weights.get("strategy") or (
        "group" if group_size else "channel"
    )
    block = weights.get("block_structure")
    asymmetric = weights.get("symmetric") is False
    g_idx = weights.get("actorder") == "group"
    static_inputs = isinstance(inputs, dict) and inputs.get("dynamic") is False
    packed = fmt == "pack-quantized" or (fmt not in _ONE_BYTE and bits < 8)

    def scales(n_in: int, n_out: int) -> tuple[int, int]:
        # The rows and columns of weight_scale.
        if strategy in ("group", "tensor_group") and group_size:
            return n_out, math.ceil(n_in / group_size)
        if strategy == "block" and isinstance(block, list) and len(block) == 2:
            return (
                math.ceil(n_out / _int(block[0], n_out)),
                math.ceil(n_in / _int(block[1], n_in)),
            )
        if strategy == "tensor":
            return 1, 1
        return n_out, 1  # channel

    def size(n_in: int, n_out: int) -> int:
        rows, columns = scales(n_in, n_out)
        total = math.ceil(rows * columns * scale)
        if packed:
            # weight_packed, weight_shape, packed zero points.
            total += n_out * _words(n_in, bits) + 8
            if asymmetric and strategy in ("group", "channel"):
                total += _words(n_out, bits) * columns
        else:
            total += n_in * n_out + (rows * columns if asymmetric else 0)
        if g_idx:
            total += n_in * 4
        if static_inputs:
            total += math.ceil(scale)
        return total

    return size


_ONE_BYTE = ("float-quantized", "int-quantized", "naive-quantized")
