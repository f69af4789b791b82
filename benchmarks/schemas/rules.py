"""
qwen3vl's cross-field rules, written once for the other libraries' schemas.

Each function reads a section's fields as attributes and returns the
problems as ``"path: message"`` strings, empty when the section is fine.
The pydantic, msgspec and OmegaConf schemas raise them from their own hooks
(a model validator, ``__post_init__``), as their users would.
"""

from __future__ import annotations

import json

from itertools import pairwise
from typing import Any


__all__ = [
    "BITS",
    "FIXED",
    "GROUPED_METHODS",
    "ROPE_DEFAULTS",
    "ROPE_PARAMETERS",
    "cpu",
    "increasing",
    "json_object",
    "memory",
    "optimization",
    "quantization",
    "rope",
    "root",
]

FULL_CAPACITY = 32

# Copies of qwen3vl's tables, not imports of them: the other libraries'
# schemas must not pay for importing qwen3vl.  `benchmarks/run.py` refuses
# to run when they differ.

_QWEN2: dict[str, Any] = {
    "attention_bias": True,
    "mrope_interleaved": False,
    "vision_deepstack_visual_indexes": (),
    "vision_num_position_embeddings": 0,
    "num_experts": 0,
}
_NO_WINDOWS: dict[str, Any] = {
    "vision_window_size": 0,
    "vision_fullatt_block_indexes": (),
    "vision_tokens_per_second": 0,
}
#: Per model family: field -> the value the family fixes
#: (``qwen3vl._sections.families.FIXED``, without the reasons).
FIXED: dict[str, dict[str, Any]] = {
    "qwen3_vl": _NO_WINDOWS,
    "qwen2_5_vl": _QWEN2,
    "qwen2_vl": {**_QWEN2, **_NO_WINDOWS},
}

#: The parameters each rope type reads
#: (``qwen3vl._sections.rope.ROPE_PARAMETERS``).
ROPE_PARAMETERS: dict[str, tuple[str, ...]] = {
    "default": (),
    "linear": ("factor",),
    "dynamic": ("factor", "original_max_position_embeddings"),
    "yarn": (
        "factor",
        "original_max_position_embeddings",
        "attention_factor",
        "beta_fast",
        "beta_slow",
        "mscale",
        "mscale_all_dim",
        "truncate",
    ),
    "longrope": (
        "factor",
        "original_max_position_embeddings",
        "attention_factor",
        "short_factor",
        "long_factor",
    ),
    "llama3": (
        "factor",
        "original_max_position_embeddings",
        "low_freq_factor",
        "high_freq_factor",
    ),
}
#: Each rope parameter's default: what "not used" looks like.
ROPE_DEFAULTS: dict[str, Any] = {
    "factor": 1.0,
    "original_max_position_embeddings": 0,
    "attention_factor": 0.0,
    "beta_fast": 32.0,
    "beta_slow": 1.0,
    "mscale": 0.0,
    "mscale_all_dim": 0.0,
    "truncate": True,
    "short_factor": (),
    "long_factor": (),
    "low_freq_factor": 1.0,
    "high_freq_factor": 4.0,
}

#: The bits per weight each quantization method can store
#: (``qwen3vl._sections.quantization.BITS``).
BITS: dict[str, tuple[int, ...]] = {
    "none": (0,),
    "fp8": (8,),
    "awq": (4,),
    "gptq": (2, 3, 4, 8),
    "bitsandbytes": (4, 8),
    "compressed-tensors": (4, 8),
}
_GROUPED = ("awq", "gptq", "compressed-tensors")
#: The methods whose Linear weights vLLM needs in whole input groups on each
#: GPU (``qwen3vl._sections.parallel.GROUPED_METHODS``).
GROUPED_METHODS = ("awq", "gptq")
_NOT_QUANTIZED: dict[str, Any] = {
    "bits": 0,
    "group_size": 0,
    "weight_block_size": (),
    "modules_to_not_convert": (),
    "extra": "{}",
}


def _plain(value: Any) -> Any:
    # Sequence fields arrive as tuples or lists, depending on the library.
    return tuple(value) if isinstance(value, list | tuple) else value


def increasing(name: str, items: tuple[int, ...]) -> list[str]:
    """Return a problem unless `items` are distinct and in increasing order."""
    if any(a >= b for a, b in pairwise(items)):
        return [f"{name}: must be in increasing order (got {list(items)})"]
    return []


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            msg = f"the key {key!r} appears twice"
            raise ValueError(msg)
        found[key] = value
    return found


def _no_constant(name: str) -> Any:
    msg = f"{name} is not a JSON number"
    raise ValueError(msg)


def json_object(name: str, text: str) -> list[str]:
    """Return a problem unless `text` holds one JSON object, strictly read."""
    try:
        value = json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_constant=_no_constant,
        )
    except (ValueError, RecursionError) as e:
        return [f"{name}: expected a JSON object ({e})"]
    if not isinstance(value, dict):
        return [f"{name}: expected a JSON object, not {type(value).__name__}"]
    return []


def memory(m: Any) -> list[str]:
    """The pool is carved out of GPU memory."""
    if m.memory_pool_size > m.gpu_memory_size:
        return ["memory_pool_size: must not exceed gpu_memory_size"]
    return []


def cpu(c: Any) -> list[str]:
    """Each cache level holds at least the one inside it."""
    problems = []
    if c.l1_cache_size > c.l2_cache_size:
        problems.append("l2_cache_size: must be at least l1_cache_size")
    if c.l2_cache_size > c.l3_cache_size:
        problems.append("l3_cache_size: must be at least l2_cache_size")
    return problems


def optimization(o: Any) -> list[str]:
    """A token cannot be routed to more experts than exist."""
    if o.moe_top_k > o.moe_num_experts:
        return ["moe_top_k: must be at most moe_num_experts"]
    return []


def root(c: Any) -> list[str]:
    """The architecture's rules, the MoE switches, what is served, and how."""
    problems = []
    if c.preserve_full_capacity:
        if c.num_hidden_layers < FULL_CAPACITY:
            problems.append("num_hidden_layers: at least 32 for full capacity")
        if c.num_attention_heads < FULL_CAPACITY:
            problems.append(
                "num_attention_heads: at least 32 for full capacity"
            )
    for path, by in (
        ("hidden_size", "num_attention_heads"),
        ("vision_hidden_size", "vision_num_attention_heads"),
        ("vision_image_size", "vision_patch_size"),
    ):
        if getattr(c, path) % getattr(c, by):
            problems.append(f"{path}: must be divisible by {by}")
    kv = c.num_key_value_heads
    if kv and c.num_attention_heads % kv:
        problems.append("num_key_value_heads: must divide num_attention_heads")
    if c.head_dim % 2:
        problems.append("head_dim: must be even")
    elif sum(c.mrope_section) != c.head_dim // 2:
        problems.append("mrope_section: must add up to head_dim / 2")
    out = c.vision_out_hidden_size
    if out and out != c.hidden_size:
        problems.append("vision_out_hidden_size: must be 0 or hidden_size")
    depth = c.vision_num_hidden_layers
    if any(i >= depth for i in c.vision_deepstack_visual_indexes):
        problems.append(
            "vision_deepstack_visual_indexes: must name existing layers"
        )
    problems.extend(_experts(c))
    problems.extend(_family(c))
    problems.extend(_qwen2_shapes(c))
    problems.extend(_serving(c))
    problems.extend(_parallel(c))
    return problems


def _experts(c: Any) -> list[str]:
    experts, top_k = c.num_experts, c.num_experts_per_tok
    if experts == 0:
        return []
    if experts == 1:
        return ["num_experts: must be 0 or at least 2"]
    problems = []
    top_k_ok = 1 <= top_k <= experts
    if not top_k_ok:
        problems.append("num_experts_per_tok: must be 1 to num_experts")
    if c.moe_intermediate_size == 0:
        problems.append("moe_intermediate_size: must be at least 1")
    switches = c.optimization_config
    if not switches.use_moe:
        problems.append("optimization_config.use_moe: must be true")
    if switches.moe_num_experts != experts:
        problems.append(
            "optimization_config.moe_num_experts: must equal num_experts"
        )
    if top_k_ok and switches.moe_top_k != top_k:
        problems.append(
            "optimization_config.moe_top_k: must equal num_experts_per_tok"
        )
    return problems


def _family(c: Any) -> list[str]:
    # qwen3vl._sections.families.family_fixes
    family = c.model_family
    problems = [
        f"{name}: must be {value!r} for model_family {family!r}"
        for name, value in FIXED[family].items()
        if _plain(getattr(c, name)) != value
    ]
    if family == "qwen3_vl" and c.vision_num_position_embeddings == 0:
        problems.append(
            "vision_num_position_embeddings: at least 1 for 'qwen3_vl'"
        )
    if family == "qwen2_5_vl":
        unit = c.vision_patch_size * c.vision_spatial_merge_size
        window = c.vision_window_size
        if window < unit or window % unit:
            problems.append(
                "vision_window_size: must be a positive multiple of"
                " vision_patch_size x vision_spatial_merge_size"
            )
        if c.vision_tokens_per_second == 0:
            problems.append(
                "vision_tokens_per_second: at least 1 for 'qwen2_5_vl'"
            )
        depth = c.vision_num_hidden_layers
        if any(i >= depth for i in c.vision_fullatt_block_indexes):
            problems.append(
                "vision_fullatt_block_indexes: must name existing layers"
            )
    return problems


def _qwen2_shapes(c: Any) -> list[str]:
    # qwen3vl._sections.families.qwen2_shapes
    family = c.model_family
    if family == "qwen3_vl":
        return []
    problems = []
    if c.head_dim * c.num_attention_heads != c.hidden_size:
        problems.append("head_dim: must be hidden_size / num_attention_heads")
    if (
        family == "qwen2_vl"
        and c.vision_intermediate_size % c.vision_hidden_size
    ):
        problems.append(
            "vision_intermediate_size: must be a multiple of"
            " vision_hidden_size"
        )
    return problems


def _serving(c: Any) -> list[str]:
    # qwen3vl._sections.serving.fits_the_model
    s = c.serving_config
    token = (c.vision_patch_size * c.vision_spatial_merge_size) ** 2
    too_few = [
        name
        for name in ("min_image_pixels", "max_image_pixels")
        if 0 < getattr(s, name) < token
    ]
    problems = [
        f"serving_config.{name}: must be 0 or at least one vision token"
        for name in too_few
    ]
    largest = s.max_image_pixels or c.vision_image_size**2
    if "max_image_pixels" not in too_few and s.min_image_pixels > largest:
        problems.append(
            "serving_config.min_image_pixels: must be at most the most"
            " pixels an image has"
        )
    stored = c.quantization_config.method
    if s.online_quantization != "none" and stored != "none":
        problems.append(
            "serving_config.online_quantization: must be 'none' for"
            " weights already quantized"
        )
    return problems


def _splits(c: Any, tp: int) -> bool:
    # Every width the tensor-parallel GPUs shard splits into whole parts, and
    # AWQ/GPTQ input groups stay whole on each GPU.
    heads = c.num_attention_heads
    kv = c.num_key_value_heads or heads
    moe = c.num_experts > 0
    whole_experts = c.parallel_config.expert_parallel
    widths = [heads, c.vision_num_attention_heads, c.vision_intermediate_size]
    inputs = [heads * c.head_dim]
    if not moe or c.mlp_only_layers or c.decoder_sparse_step > 1:
        widths.append(c.intermediate_size)
        inputs.append(c.intermediate_size)
    if moe and not whole_experts:
        widths.append(c.moe_intermediate_size)
        inputs.append(c.moe_intermediate_size)
    q = c.quantization_config
    group = 1
    if q.method in GROUPED_METHODS and q.group_size > 0:
        group = q.group_size
    return (
        max(tp, kv) % min(tp, kv) == 0
        and not (moe and tp > c.num_experts)
        and all(width % tp == 0 for width in widths)
        and all(size % (tp * group) == 0 for size in inputs)
    )


def _parallel(c: Any) -> list[str]:
    # qwen3vl._sections.parallel.splits_evenly
    p = c.parallel_config
    tp = p.tensor_parallel_size
    problems = []
    if tp > 1 and not _splits(c, tp):
        problems.append(
            "parallel_config.tensor_parallel_size: vLLM cannot split the"
            f" model over {tp} GPUs"
        )
    if p.pipeline_parallel_size > c.num_hidden_layers:
        problems.append(
            "parallel_config.pipeline_parallel_size: must be at most"
            " num_hidden_layers"
        )
    if p.expert_parallel and c.num_experts == 0:
        problems.append(
            "parallel_config.expert_parallel: must be false for a dense model"
        )
    elif p.expert_parallel and tp * p.data_parallel_size > c.num_experts:
        problems.append(
            "parallel_config.expert_parallel: must be false with more"
            " tensor x data parallel GPUs than experts"
        )
    return problems


def rope(r: Any) -> list[str]:
    """A rope type reads its own parameters; the others stay at default."""
    kind = r.rope_type
    reads = ROPE_PARAMETERS[kind]
    problems = [
        f"{name}: not read by rope_type {kind!r}, leave it at {default!r}"
        for name, default in ROPE_DEFAULTS.items()
        if name not in reads and _plain(getattr(r, name)) != default
    ]
    if kind == "yarn" and r.beta_fast <= r.beta_slow:
        problems.append("beta_fast: must be above beta_slow")
    if kind == "longrope":
        short, long = r.short_factor, r.long_factor
        if not short or len(short) != len(long):
            problems.append(
                "long_factor: short_factor and long_factor of the same,"
                " non-zero length"
            )
    if kind == "llama3":
        if r.original_max_position_embeddings == 0:
            problems.append(
                "original_max_position_embeddings: llama3 needs it"
            )
        if r.low_freq_factor >= r.high_freq_factor:
            problems.append("high_freq_factor: must be above low_freq_factor")
    return problems


def quantization(q: Any) -> list[str]:
    """Each method stores its weights its own way."""
    method = q.method
    if method == "none":
        return [
            f"{name}: must be {empty!r} while method is 'none'"
            for name, empty in _NOT_QUANTIZED.items()
            if _plain(getattr(q, name)) != empty
        ]
    problems = []
    if q.bits not in BITS[method]:
        problems.append(f"bits: must be one of {BITS[method]} for {method!r}")
    if method not in _GROUPED and q.group_size != 0:
        problems.append(f"group_size: must be 0 for method {method!r}")
    if method in ("awq", "gptq") and q.group_size == 0:
        problems.append(f"group_size: method {method!r} needs groups")
    if method != "fp8" and q.weight_block_size:
        problems.append("weight_block_size: read only for method 'fp8'")
    if len(q.weight_block_size) == 1:
        problems.append("weight_block_size: empty or [rows, columns]")
    return problems
