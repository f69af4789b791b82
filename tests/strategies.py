"""
Hypothesis strategies for qwen3vl: valid configs, patches and junk input.

Valid values are derived from each field's validator (its metadata), and
the cross-field rules of each class are met by construction: the values a
rule couples are drawn together as one group (heads first, then a multiple
of them), never filtered afterwards.
"""

from __future__ import annotations

import functools
import json
import math
import operator

from typing import Any

import attrs

from hypothesis import strategies as st
from qwen3vl import (
    CPUConfig,
    GPUConfig,
    MemoryConfig,
    OptimizationConfig,
    ParallelConfig,
    PowerManagementConfig,
    Problem,
    QuantizationConfig,
    Qwen3VLConfig,
    RopeScalingConfig,
    ServingConfig,
)
from qwen3vl._compound import (
    _CapabilityValidator,
    _IntTupleValidator,
    _JsonObjectValidator,
    _NameTupleValidator,
    _NumberTupleValidator,
)
from qwen3vl._converters import to_file_data, to_python
from qwen3vl._fields import FieldInfo, fields_of, rules_of
from qwen3vl._sections import FULL_CAPACITY_HEADS, FULL_CAPACITY_LAYERS
from qwen3vl._sections.parallel import GROUPED_METHODS
from qwen3vl._sections.quantization import BITS, QUANTIZATION_METHODS
from qwen3vl._sections.rope import ROPE_PARAMETERS, ROPE_TYPES
from qwen3vl._units import GiB, KiB, MiB, format_size
from qwen3vl._validators import (
    _BooleanValidator,
    _IntegerValidator,
    _NameValidator,
    _NumberValidator,
    _OneOfValidator,
    _SizeValidator,
)

from helpers import CONFIG_CLASSES


__all__ = [
    "CONFIGS",
    "bad_leaf_patches",
    "config_dicts_with_a_bad_leaf",
    "configs_of",
    "cpu_configs",
    "file_dicts_with_one_junk_leaf",
    "file_dicts_with_one_leaf_changed",
    "gpu_configs",
    "json_like",
    "junk_patches",
    "memory_configs",
    "optimization_configs",
    "patches",
    "power_management_configs",
    "problems",
    "qwen3vl_configs",
]

# Architecture sizes stay small so that examples are quick to read and
# shrink; the validator's upper bound is still drawn now and then.
_ARCHITECTURE_CAP = 4096

Group = tuple[tuple[str, ...], st.SearchStrategy[dict[str, Any]]]


# -- values from validators -----------------------------------------------


def _validator(cls: type, name: str) -> Any:
    return fields_of(cls)[name].validator


def _sizes(lo: int, hi: int) -> st.SearchStrategy[int]:
    """Byte sizes in ``[lo, hi]``: any int, or a whole number of units."""
    whole = [
        st.integers(-(-lo // unit), hi // unit).map(
            functools.partial(operator.mul, unit)
        )
        for unit in (KiB, MiB, GiB)
        if -(-lo // unit) <= hi // unit
    ]
    return st.one_of(st.integers(lo, hi), *whole)


def _ints(lo: int, hi: int, cap: int | None = None) -> st.SearchStrategy[int]:
    """Ints in ``[lo, hi]``, mostly below `cap`, but the bounds too."""
    if cap is None or hi <= cap:
        return st.integers(lo, hi)
    return st.one_of(st.integers(lo, max(lo, cap)), st.just(hi))


def _int_tuples(v: Any) -> st.SearchStrategy[tuple[int, ...]]:
    """Tuples that the int-tuple validator `v` accepts."""
    items = st.integers(v.ge, v.le)
    if v.increasing:
        lists = st.lists(
            items, min_size=v.min_len, max_size=min(v.max_len, 8), unique=True
        ).map(sorted)
    else:
        lists = st.lists(items, min_size=v.min_len, max_size=min(v.max_len, 8))
    return lists.map(tuple)


def valid_values(
    info: FieldInfo, cap: int | None = None
) -> st.SearchStrategy[Any]:
    """Valid Python values of the (non-section) field `info`."""
    v = info.validator
    if isinstance(v, _BooleanValidator):
        return st.booleans()
    if isinstance(v, _IntegerValidator):
        return _ints(v.ge, v.le, cap)
    if isinstance(v, _SizeValidator):
        return _sizes(v.ge, v.le)
    if isinstance(v, _NumberValidator):
        lo = v.ge if v.ge is not None else v.gt
        hi = v.le if v.le is not None else v.lt
        floats = st.floats(
            min_value=lo,
            max_value=hi,
            exclude_min=v.gt is not None,
            exclude_max=v.lt is not None,
            allow_nan=False,
            allow_infinity=False,
        )
        if v.ge == 0.0:
            # -0.0 >= 0.0 holds, so it is a valid value too.
            return floats | st.just(-0.0)
        return floats
    if isinstance(v, _OneOfValidator):
        return st.sampled_from(v.choices)
    if isinstance(v, _NameValidator):
        return st.from_regex(v._PATTERN, fullmatch=True)
    if isinstance(v, _CapabilityValidator):
        return st.tuples(st.integers(*v.major), st.integers(*v.minor))
    if isinstance(v, _IntTupleValidator):
        return _int_tuples(v)
    if isinstance(v, _NumberTupleValidator):
        return st.lists(
            st.floats(
                min_value=v.gt,
                max_value=v.le,
                exclude_min=True,
                allow_nan=False,
                allow_infinity=False,
            ),
            max_size=min(v.max_len, 8),
        ).map(tuple)
    if isinstance(v, _NameTupleValidator):
        return st.lists(
            st.from_regex(r"[!-+\--~]{1,16}", fullmatch=True),
            max_size=min(v.max_len, 4),
        ).map(tuple)
    if isinstance(v, _JsonObjectValidator):
        return st.dictionaries(
            st.text(max_size=8),
            st.none() | st.booleans() | st.integers() | st.text(max_size=8),
            max_size=4,
        ).map(json.dumps)
    msg = f"no strategy for the validator of {info.name}: {v!r}"
    raise TypeError(msg)


def _patch_forms(info: FieldInfo, value: Any) -> st.SearchStrategy[Any]:
    """The ways a patch or a file may spell the valid `value` of `info`."""
    v = info.validator
    forms = [value]
    if isinstance(v, _SizeValidator):
        text = format_size(value)
        if isinstance(text, str):
            forms += [text, text.replace("iB", "B"), text.lower()]
            forms.append(text[:-3] + " " + text[-3:])
    elif isinstance(
        v,
        (
            _CapabilityValidator,
            _IntTupleValidator,
            _NumberTupleValidator,
            _NameTupleValidator,
        ),
    ):
        forms.append(list(value))
    elif (
        isinstance(v, _NumberValidator)
        and value.is_integer()
        and abs(value) <= 2**53
    ):
        forms.append(int(value))
    return st.sampled_from(forms)


# -- groups of fields that rules couple -----------------------------------


def _one(cls: type, name: str, cap: int | None = None) -> Group:
    info = fields_of(cls)[name]
    if info.section is not None:
        values = configs_of(info.section)
    else:
        values = valid_values(info, cap)
    return (name,), values.map(lambda v: {name: v})


@st.composite
def _memory_pool(draw: st.DrawFn) -> dict[str, Any]:
    gpu_v = _validator(MemoryConfig, "gpu_memory_size")
    pool_v = _validator(MemoryConfig, "memory_pool_size")
    gpu = draw(_sizes(max(gpu_v.ge, pool_v.ge), gpu_v.le))
    pool = draw(_sizes(pool_v.ge, min(gpu, pool_v.le)))
    return {"memory_pool_size": pool, "gpu_memory_size": gpu}


@st.composite
def _caches(draw: st.DrawFn) -> dict[str, Any]:
    names = ("l1_cache_size", "l2_cache_size", "l3_cache_size")
    lo = max(_validator(CPUConfig, n).ge for n in names)
    hi = min(_validator(CPUConfig, n).le for n in names)
    sizes = sorted(draw(_sizes(lo, hi)) for _ in names)
    return dict(zip(names, sizes, strict=True))


@st.composite
def _experts(draw: st.DrawFn) -> dict[str, Any]:
    experts_v = _validator(OptimizationConfig, "moe_num_experts")
    top_k_v = _validator(OptimizationConfig, "moe_top_k")
    experts = draw(st.integers(experts_v.ge, experts_v.le))
    top_k = draw(st.integers(top_k_v.ge, min(experts, top_k_v.le)))
    return {"moe_num_experts": experts, "moe_top_k": top_k}


def _multiple(
    draw: st.DrawFn, of: int, hi: int, cap: int | None = None
) -> int:
    """A multiple of `of` in ``[of, hi]``, mostly below ``of * cap``."""
    most = hi // of
    return of * draw(_ints(1, most, cap))


@st.composite
def _capacity(draw: st.DrawFn) -> dict[str, Any]:
    layers_v = _validator(Qwen3VLConfig, "num_hidden_layers")
    heads_v = _validator(Qwen3VLConfig, "num_attention_heads")
    hidden_v = _validator(Qwen3VLConfig, "hidden_size")
    full = draw(st.booleans())
    layers = draw(
        _ints(FULL_CAPACITY_LAYERS if full else layers_v.ge, layers_v.le, 128)
    )
    heads = draw(
        _ints(FULL_CAPACITY_HEADS if full else heads_v.ge, heads_v.le, 128)
    )
    hidden = _multiple(draw, heads, hidden_v.le, 256)
    # Key/value heads divide the attention heads (0: one per head); the
    # vision output is as wide as the text model (0: hidden_size).
    kv_v = _validator(Qwen3VLConfig, "num_key_value_heads")
    divisors = [d for d in range(1, min(heads, kv_v.le) + 1) if heads % d == 0]
    return {
        "num_hidden_layers": layers,
        "num_attention_heads": heads,
        "hidden_size": hidden,
        "preserve_full_capacity": full,
        "num_key_value_heads": draw(st.sampled_from([0, *divisors])),
        "vision_out_hidden_size": draw(st.sampled_from([0, hidden])),
    }


@st.composite
def _rotary(draw: st.DrawFn) -> dict[str, Any]:
    # An even head width whose half splits into three positive sections.
    head_v = _validator(Qwen3VLConfig, "head_dim")
    section_v = _validator(Qwen3VLConfig, "mrope_section")
    most = min(head_v.le // 2, 3 * section_v.le)
    half = draw(_ints(3, most, 256))
    cuts = sorted(
        draw(
            st.lists(
                st.integers(1, half - 1), min_size=2, max_size=2, unique=True
            )
        )
    )
    sections = (cuts[0], cuts[1] - cuts[0], half - cuts[1])
    if max(sections) > section_v.le:  # only near the upper bound
        sections = (half // 3, half // 3, half - 2 * (half // 3))
    return {"head_dim": 2 * half, "mrope_section": sections}


@st.composite
def _deepstack(draw: st.DrawFn) -> dict[str, Any]:
    # DeepStack taps existing vision layers only.
    depth_v = _validator(Qwen3VLConfig, "vision_num_hidden_layers")
    taps_v = _validator(Qwen3VLConfig, "vision_deepstack_visual_indexes")
    depth = draw(_ints(depth_v.ge, depth_v.le, 64))
    taps = draw(
        st.lists(
            st.integers(0, min(depth - 1, taps_v.le)),
            max_size=min(8, taps_v.max_len),
            unique=True,
        )
    )
    return {
        "vision_num_hidden_layers": depth,
        "vision_deepstack_visual_indexes": tuple(sorted(taps)),
    }


@st.composite
def _architecture_experts(draw: st.DrawFn) -> dict[str, Any]:
    # A mixture-of-experts architecture fixes the runtime's MoE switches.
    experts_v = _validator(Qwen3VLConfig, "num_experts")
    top_k_v = _validator(Qwen3VLConfig, "num_experts_per_tok")
    size_v = _validator(Qwen3VLConfig, "moe_intermediate_size")
    switches = draw(configs_of(OptimizationConfig))
    if draw(st.booleans()):
        return {
            "num_experts": 0,
            "num_experts_per_tok": draw(_ints(top_k_v.ge, top_k_v.le, 64)),
            "moe_intermediate_size": draw(_ints(size_v.ge, size_v.le, 4096)),
            "optimization_config": switches,
        }
    experts = draw(_ints(2, experts_v.le, 256))
    top_k = draw(st.integers(1, min(experts, top_k_v.le)))
    return {
        "num_experts": experts,
        "num_experts_per_tok": top_k,
        "moe_intermediate_size": draw(_ints(1, size_v.le, 4096)),
        "optimization_config": attrs.evolve(
            switches, use_moe=True, moe_num_experts=experts, moe_top_k=top_k
        ),
    }


def _divisible_group(
    path: str, by: str, by_cap: int, cap: int
) -> st.SearchStrategy[dict[str, Any]]:
    @st.composite
    def draw_group(draw: st.DrawFn) -> dict[str, Any]:
        by_v = _validator(Qwen3VLConfig, by)
        path_v = _validator(Qwen3VLConfig, path)
        divisor = draw(_ints(by_v.ge, min(by_v.le, path_v.le), by_cap))
        return {by: divisor, path: _multiple(draw, divisor, path_v.le, cap)}

    return draw_group()


@st.composite
def _rope(draw: st.DrawFn) -> dict[str, Any]:
    # The parameters the drawn rope type reads; the others at their defaults.
    kind = draw(st.sampled_from(ROPE_TYPES))
    fields = fields_of(RopeScalingConfig)
    # Every field, so that a patch made of it resets what it does not read.
    out: dict[str, Any] = {**RopeScalingConfig().to_dict(), "rope_type": kind}
    for name in ROPE_PARAMETERS[kind]:
        out[name] = draw(valid_values(fields[name]))
    if kind == "yarn" and out["beta_fast"] <= out["beta_slow"]:
        out["beta_fast"], out["beta_slow"] = 32.0, 1.0
    if kind == "longrope":
        n = draw(st.integers(1, 8))
        factors = st.lists(st.floats(0.5, 64.0), min_size=n, max_size=n).map(
            tuple
        )
        out["short_factor"], out["long_factor"] = draw(factors), draw(factors)
    if kind == "llama3":
        out["original_max_position_embeddings"] = draw(st.integers(1, 2**20))
        low = draw(st.floats(0.5, 8.0))
        out["low_freq_factor"], out["high_freq_factor"] = low, low + 1.0
    return out


@st.composite
def _quantization(draw: st.DrawFn) -> dict[str, Any]:
    # What the drawn method can store; nothing at all for "none".
    method = draw(st.sampled_from(QUANTIZATION_METHODS))
    none = {
        n: tuple(v) if isinstance(v, list) else v
        for n, v in QuantizationConfig().to_dict().items()
    }
    if method == "none":
        return none
    fields = fields_of(QuantizationConfig)
    out: dict[str, Any] = {
        **none,
        "method": method,
        "bits": draw(st.sampled_from(BITS[method])),
        "modules_to_not_convert": draw(
            valid_values(fields["modules_to_not_convert"])
        ),
        "extra": draw(valid_values(fields["extra"])),
    }
    if method in ("awq", "gptq"):
        out["group_size"] = draw(st.sampled_from((-1, 32, 64, 128)))
    elif method == "compressed-tensors":
        out["group_size"] = draw(st.sampled_from((-1, 0, 128)))
    if method == "fp8":
        out["weight_block_size"] = draw(
            st.sampled_from(((), (128, 128), (64, 32)))
        )
    return out


@st.composite
def _serving(draw: st.DrawFn) -> dict[str, Any]:
    # What is served fits the model (fits_the_model): a context within its
    # positions, pixel bounds of at least one vision token with the least
    # no more than the most (0: one vision_image_size square), and no
    # quantizing on load of weights already quantized.  The patch and image
    # sizes come along, drawn as their own rule wants them.
    fields = fields_of(ServingConfig)
    root = draw(
        _divisible_group("vision_image_size", "vision_patch_size", 64, 128)
    )
    table = fields_of(Qwen3VLConfig)
    positions = draw(
        valid_values(table["max_position_embeddings"], _ARCHITECTURE_CAP)
    )
    merge = draw(valid_values(table["vision_spatial_merge_size"]))
    stored = draw(configs_of(QuantizationConfig))
    out: dict[str, Any] = {
        name: draw(valid_values(info)) for name, info in fields.items()
    }
    out["max_context_tokens"] = draw(_ints(0, positions, 2**17))
    if stored.method != "none":
        out["online_quantization"] = "none"
    token = (root["vision_patch_size"] * merge) ** 2
    most_v = fields["max_image_pixels"].validator
    most = 0
    if token <= most_v.le:
        most = draw(st.sampled_from((0, token)) | _ints(token, most_v.le))
    least_v = fields["min_image_pixels"].validator
    largest = min(most or root["vision_image_size"] ** 2, least_v.le)
    least = 0
    if token <= largest:
        least = draw(
            st.sampled_from((0, token, largest)) | _ints(token, largest)
        )
    out["max_image_pixels"], out["min_image_pixels"] = most, least
    return {
        **root,
        "max_position_embeddings": positions,
        "vision_spatial_merge_size": merge,
        "quantization_config": stored,
        "serving_config": ServingConfig(**out),
    }


@st.composite
def _family(draw: st.DrawFn) -> dict[str, Any]:
    # Generated configs are Qwen3-VL's: the Qwen2 families fix fields that
    # other groups draw freely (head_dim, attention_bias); their own tests
    # build them from real files.
    table = fields_of(Qwen3VLConfig)
    return {
        "model_family": "qwen3_vl",
        "vision_window_size": 0,
        "vision_fullatt_block_indexes": (),
        "vision_tokens_per_second": 0,
        "vision_num_position_embeddings": draw(
            valid_values(table["vision_num_position_embeddings"]).filter(bool)
        ),
    }


# The groups whose fields splits_evenly reads, each drawn as its own rules
# want it; the parallel section is drawn after them, to split what they drew.
_SPLIT_PARTS: tuple[Group, ...] = (
    (
        (
            "num_hidden_layers",
            "num_attention_heads",
            "hidden_size",
            "preserve_full_capacity",
            "num_key_value_heads",
            "vision_out_hidden_size",
        ),
        _capacity(),
    ),
    (("head_dim", "mrope_section"), _rotary()),
    (
        (
            "num_experts",
            "num_experts_per_tok",
            "moe_intermediate_size",
            "optimization_config",
        ),
        _architecture_experts(),
    ),
    (
        ("vision_num_attention_heads", "vision_hidden_size"),
        _divisible_group(
            "vision_hidden_size", "vision_num_attention_heads", 64, 512
        ),
    ),
    (
        (
            "vision_patch_size",
            "vision_image_size",
            "max_position_embeddings",
            "vision_spatial_merge_size",
            "quantization_config",
            "serving_config",
        ),
        _serving(),
    ),
    *(
        _one(Qwen3VLConfig, name, _ARCHITECTURE_CAP)
        for name in (
            "intermediate_size",
            "vision_intermediate_size",
            "mlp_only_layers",
            "decoder_sparse_step",
        )
    ),
)


def _splits(model: dict[str, Any], tp: int, expert_parallel: bool) -> bool:
    """Whether `tp` GPUs split every width of `model` that they shard (1 does)."""
    heads = model["num_attention_heads"]
    kv = model["num_key_value_heads"] or heads
    moe = model["num_experts"] > 0
    widths = [
        heads,
        model["vision_num_attention_heads"],
        model["vision_intermediate_size"],
    ]
    # The row-parallel inputs (o_proj, down_proj, the experts' down_proj)
    # hold whole AWQ/GPTQ groups on each GPU.
    inputs = [heads * model["head_dim"]]
    if not moe or model["mlp_only_layers"] or model["decoder_sparse_step"] > 1:
        widths.append(model["intermediate_size"])
        inputs.append(model["intermediate_size"])
    if moe and not expert_parallel:
        widths.append(model["moe_intermediate_size"])
        inputs.append(model["moe_intermediate_size"])
    stored = model["quantization_config"]
    group = 1
    if stored.method in GROUPED_METHODS and stored.group_size > 0:
        group = stored.group_size
    return tp == 1 or (
        max(tp, kv) % min(tp, kv) == 0
        and not (moe and tp > model["num_experts"])
        and all(width % tp == 0 for width in widths)
        and all(size % (tp * group) == 0 for size in inputs)
    )


@st.composite
def _split(draw: st.DrawFn) -> dict[str, Any]:
    # A parallel section the drawn model splits into (splits_evenly): a
    # tensor-parallel size among the divisors of the heads that split every
    # sharded width (1 always does, and most models drawn allow only 1),
    # stages within the layers, expert parallelism only with experts and
    # with no more tensor x data parallel GPUs than experts.
    model = _merged(tuple(draw(values) for _, values in _SPLIT_PARTS))
    fields = fields_of(ParallelConfig)
    experts = model["num_experts"]
    expert_parallel = experts > 0 and draw(st.booleans())
    heads = model["num_attention_heads"]
    sizes = [
        tp
        for tp in range(1, heads + 1)
        if heads % tp == 0
        and _splits(model, tp, expert_parallel)
        and (tp <= experts or not expert_parallel)
    ]
    tp = draw(st.sampled_from(sizes))
    stages = draw(_ints(1, model["num_hidden_layers"], 8))
    data_v = fields["data_parallel_size"].validator
    most = min(experts // tp, data_v.le) if expert_parallel else data_v.le
    parallel = ParallelConfig(
        tensor_parallel_size=tp,
        pipeline_parallel_size=stages,
        data_parallel_size=draw(_ints(1, most, 8)),
        expert_parallel=expert_parallel,
    )
    return {**model, "parallel_config": parallel}


_SPLIT_GROUP: Group = (
    (
        *(name for names, _ in _SPLIT_PARTS for name in names),
        "parallel_config",
    ),
    _split(),
)

_COUPLED: dict[type, list[Group]] = {
    RopeScalingConfig: [(tuple(fields_of(RopeScalingConfig)), _rope())],
    QuantizationConfig: [
        (tuple(fields_of(QuantizationConfig)), _quantization())
    ],
    MemoryConfig: [(("memory_pool_size", "gpu_memory_size"), _memory_pool())],
    CPUConfig: [
        (("l1_cache_size", "l2_cache_size", "l3_cache_size"), _caches())
    ],
    OptimizationConfig: [(("moe_num_experts", "moe_top_k"), _experts())],
    Qwen3VLConfig: [
        (
            (
                "model_family",
                "vision_window_size",
                "vision_fullatt_block_indexes",
                "vision_tokens_per_second",
                "vision_num_position_embeddings",
            ),
            _family(),
        ),
        _SPLIT_GROUP,
        (
            ("vision_num_hidden_layers", "vision_deepstack_visual_indexes"),
            _deepstack(),
        ),
    ],
}


@functools.cache
def _groups(cls: type) -> tuple[Group, ...]:
    """Every field of `cls` in exactly one group, rule-coupled ones together."""
    coupled = _COUPLED.get(cls, [])
    taken = {name for names, _ in coupled for name in names}
    cap = _ARCHITECTURE_CAP if cls is Qwen3VLConfig else None
    alone = [_one(cls, n, cap) for n in fields_of(cls) if n not in taken]
    return (*coupled, *alone)


def _merged(parts: tuple[dict[str, Any], ...]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for part in parts:
        merged.update(part)
    return merged


# -- valid configs --------------------------------------------------------


_CONFIGS: dict[type, st.SearchStrategy[Any]] = {}


def configs_of(cls: type) -> st.SearchStrategy[Any]:
    """Valid instances of config class `cls`, the default among them."""
    if cls not in _CONFIGS:
        built = st.tuples(*(values for _, values in _groups(cls))).map(
            lambda parts: cls(**_merged(parts))
        )
        _CONFIGS[cls] = st.one_of(st.just(cls()), built)
    return _CONFIGS[cls]


def memory_configs() -> st.SearchStrategy[MemoryConfig]:
    """Valid `MemoryConfig` instances (the pool fits on the GPU)."""
    return configs_of(MemoryConfig)


def cpu_configs() -> st.SearchStrategy[CPUConfig]:
    """Valid `CPUConfig` instances (caches grow outwards)."""
    return configs_of(CPUConfig)


def gpu_configs() -> st.SearchStrategy[GPUConfig]:
    """Valid `GPUConfig` instances."""
    return configs_of(GPUConfig)


def power_management_configs() -> st.SearchStrategy[PowerManagementConfig]:
    """Valid `PowerManagementConfig` instances."""
    return configs_of(PowerManagementConfig)


def optimization_configs() -> st.SearchStrategy[OptimizationConfig]:
    """Valid `OptimizationConfig` instances (top-k within the experts)."""
    return configs_of(OptimizationConfig)


def qwen3vl_configs() -> st.SearchStrategy[Qwen3VLConfig]:
    """Valid `Qwen3VLConfig` instances with valid sections."""
    return configs_of(Qwen3VLConfig)


#: Valid root configs, deferred so that a strategy that cannot be built
#: fails the tests that draw from it, not the collection of their file.
CONFIGS = st.deferred(qwen3vl_configs)


# -- valid patches --------------------------------------------------------


@st.composite
def _patch_of(draw: st.DrawFn, cls: type) -> dict[str, Any]:
    """A nested merge patch for `cls` that is valid whatever it applies to."""
    table = fields_of(cls)
    patch: dict[str, Any] = {}
    for names, values in _groups(cls):
        # A coupled group is set or reset as a whole: any part alone could
        # break its rule against the config the patch is applied to.
        action = draw(st.sampled_from(("skip", "skip", "set", "reset")))
        if action == "reset":
            patch.update(dict.fromkeys(names))
        elif action == "set":
            for name, value in draw(values).items():
                info = table[name]
                if info.section is None:
                    patch[name] = draw(_patch_forms(info, value))
                elif len(names) == 1 and draw(st.booleans()):
                    patch[name] = draw(_patch_of(info.section))
                else:
                    # Whole: patching part of a section that a rule couples
                    # to other fields could break that rule.
                    patch[name] = value.to_dict()
    return patch


@st.composite
def _dotted(draw: st.DrawFn, patch: dict[str, Any]) -> dict[str, Any]:
    """`patch` with some section mappings spelled (partly) as dotted keys."""
    result: dict[str, Any] = {}
    for key, value in patch.items():
        if not isinstance(value, dict) or not value:
            result[key] = value
            continue
        dotted = draw(st.sets(st.sampled_from(sorted(value))))
        rest = {k: v for k, v in value.items() if k not in dotted}
        if rest or not dotted:
            result[key] = rest
        result.update({f"{key}.{k}": value[k] for k in sorted(dotted)})
    return result


def patches(cls: type = Qwen3VLConfig) -> st.SearchStrategy[dict[str, Any]]:
    """
    Valid merge patches for `cls`.

    A random subset of fields and sections gets valid new values (sizes
    sometimes as ``"6GiB"`` strings, capabilities as lists) or ``None``;
    section patches are sometimes written as dotted keys.
    """
    return _patch_of(cls).flatmap(_dotted)


# -- junk -----------------------------------------------------------------


def _key_names() -> list[str]:
    names: set[str] = set()
    for cls in CONFIG_CLASSES:
        names.update(fields_of(cls))
    for name, info in fields_of(Qwen3VLConfig).items():
        if info.section is not None:
            names.update(f"{name}.{sub}" for sub in fields_of(info.section))
    return sorted(names)


_KEYS = _key_names()

_huge_ints = st.builds(
    operator.mul,
    st.sampled_from((1, -1)),
    st.integers(4300, 5000).map(lambda digits: 10**digits),
)

_edgy_ints = st.sampled_from(
    (2**53, 2**53 + 1, 2**63, 2**64, -(2**63) - 1, 10**30, -1, 0)
)

_near_valid_strings = st.sampled_from(
    (
        "",
        "6GiB",
        "6 GB",
        "1.5KiB",
        "0.1B",
        "6XB",
        "1e3",
        "true",
        "32",
        "nan",
        "avx2",
        "eager",
        "balanced",
        "medium",
        "6.1",
    )
)

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    _edgy_ints,
    _huge_ints,
    st.floats(),
    st.text(max_size=20),
    _near_valid_strings,
)

_keys = st.one_of(st.sampled_from(_KEYS), st.text(max_size=12))


def json_like(
    keys: st.SearchStrategy[str] = _keys,
) -> st.SearchStrategy[Any]:
    """
    Arbitrary, bounded JSON-like values: scalars, lists, str-keyed dicts.

    Ints include huge ones (over Python's 4300-digit str limit), floats
    include NaN and infinities, and dict keys are often real field names so
    that the junk reaches the field validators.
    """
    return st.recursive(
        _scalars,
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(keys, children, max_size=5),
        ),
        max_leaves=16,
    )


def junk_patches() -> st.SearchStrategy[dict[str, Any]]:
    """Mappings that mix real (and dotted, and bad) keys with junk values."""
    keys = st.one_of(
        st.sampled_from(_KEYS),
        st.sampled_from(
            ("", ".", "gpu_config.", ".gpu_config", "gpu_config..x")
        ),
        st.text(max_size=12),
    )
    return st.dictionaries(keys, json_like(keys), max_size=6)


def problems() -> st.SearchStrategy[Problem]:
    """Arbitrary `Problem` objects, as a `ConfigError` holds them."""
    return st.builds(
        Problem,
        path=st.text(max_size=20),
        message=st.text(min_size=1, max_size=40),
        source=st.none() | st.text(max_size=20),
        line=st.none() | st.integers(1, 10**6),
    )


# -- one bad leaf ---------------------------------------------------------

_ANY_BAD: tuple[Any, ...] = ([], ["x", "y"], {"a": 1}, {})


def _bad_values(info: FieldInfo) -> tuple[Any, ...]:
    """Values that `info`'s validator must refuse (never ``None``)."""
    v = info.validator
    if info.section is not None:
        return (1, "x", True, 1.5, [], [{}])
    if isinstance(v, _BooleanValidator):
        extra: tuple[Any, ...] = ("x", "true", 1, 0, 1.0)
    elif isinstance(v, _IntegerValidator):
        extra = (True, False, 1.5, float(v.ge), str(v.ge), v.le + 1)
        # config_version 0 is not bad but old: the layout before versions,
        # which loads through a migration.
        if info.name != "config_version":
            extra += (v.ge - 1,)
    elif isinstance(v, _SizeValidator):
        extra = (True, 1.5, "x", "6", "6XB", "0.5B", "2PiB", v.ge - 1, -1)
        extra += (v.le + 1,)
    elif isinstance(v, _NumberValidator):
        hi = v.le if v.le is not None else v.lt
        assert hi is not None
        extra = (True, "0.5", float("nan"), float("inf"), -1.0, hi + 1.0)
        extra += (2**60,)
    elif isinstance(v, _OneOfValidator):
        extra = ("x", v.choices[0].upper(), 1, True)
    elif isinstance(v, _NameValidator):
        extra = ("", "-x", "a b", "x" * 129, 5, True)
    elif isinstance(v, _CapabilityValidator):
        extra = ("6.1", 6.1, 6, [6], [6, 1, 0], [True, 1], [6.0, 1])
        extra += ([v.major[0] - 1, 0], [v.major[0], v.minor[1] + 1])
    elif isinstance(v, _IntTupleValidator):
        extra = ("1,2,3", 5, 1.5, True, [v.ge - 1] * max(1, v.min_len))
        extra += ([v.le + 1] * max(1, v.min_len), [True] * max(1, v.min_len))
        extra += ([float(v.ge)] * max(1, v.min_len), [v.ge] * (v.max_len + 1))
        if v.increasing and v.max_len >= 2:
            extra += ([v.ge + 1, v.ge],)
        # An empty list is a valid value when none are required.
        common = tuple(x for x in _ANY_BAD if x != [] or v.min_len > 0)
        return common + extra
    elif isinstance(v, _NumberTupleValidator):
        extra = ("1.0,2.0", 5, True, [0.0], [-1.0], [float("nan")], [True])
        extra += (["1"], [v.le * 2], [1.0] * (v.max_len + 1))
        return tuple(x for x in _ANY_BAD if x != []) + extra
    elif isinstance(v, _NameTupleValidator):
        extra = ("visual", 5, True, [""], ["a b"], ["a,b"], [5], ["x" * 513])
        extra += (["x"] * (v.max_len + 1),)
        # ["x", "y"] names two modules: a valid value here.
        return tuple(x for x in _ANY_BAD if x not in ([], ["x", "y"])) + extra
    elif isinstance(v, _JsonObjectValidator):
        extra = ("", "[]", "1", "{", '{"a": NaN}', '{"a": 1, "a": 2}', 5)
        extra += (True, "x" * (v.max_chars + 1))
    else:  # pragma: no cover - every validator kind is listed above
        msg = f"no bad values for {v!r}"
        raise TypeError(msg)
    return _ANY_BAD + extra


def _leaves(cls: type) -> list[tuple[str, FieldInfo]]:
    """Every dotted field path under `cls`, sections included."""
    found: list[tuple[str, FieldInfo]] = []
    for name, info in fields_of(cls).items():
        found.append((name, info))
        if info.section is not None:
            found.extend(
                (f"{name}.{sub}", sub_info)
                for sub, sub_info in _leaves(info.section)
            )
    return found


def _set_path(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        data = data[part]
    data[last] = value


@st.composite
def config_dicts_with_a_bad_leaf(
    draw: st.DrawFn, cls: type = Qwen3VLConfig
) -> tuple[dict[str, Any], str]:
    """A valid config dict of `cls` with one field made invalid, and its path."""
    data = draw(configs_of(cls)).to_dict()
    path, info = draw(st.sampled_from(_leaves(cls)))
    bad = draw(st.sampled_from((*_bad_values(info), None)))
    _set_path(data, path, bad)
    return data, path


@st.composite
def bad_leaf_patches(
    draw: st.DrawFn, cls: type = Qwen3VLConfig
) -> tuple[dict[str, Any], str]:
    """A patch for `cls` that sets one field to an invalid value, and its path."""
    path, info = draw(st.sampled_from(_leaves(cls)))
    bad = draw(st.sampled_from(_bad_values(info)))
    if draw(st.booleans()):
        return {path: bad}, path
    patch: dict[str, Any] = {}
    _nest(patch, path.split("."), bad)
    return patch, path


def _nest(patch: dict[str, Any], parts: list[str], value: Any) -> None:
    for part in parts[:-1]:
        patch = patch.setdefault(part, {})
    patch[parts[-1]] = value


# -- one leaf changed, as JSON Schema can judge it ------------------------
#
# A JSON Schema checks each value on its own, so these change one leaf of a
# valid file dict, either to a value its field accepts (only where no
# cross-field rule reads the field, since a rule could then refuse it) or to
# one the field refuses in a way a schema can see.  Out on purpose: sizes
# with a unit that are out of bounds or not whole bytes, decreasing items of
# an increasing list, integral floats such as 3.0 (JSON Schema calls them
# integers), NaN (no file can hold it) and config_version 0 (the old
# layout, upgraded with a warning).


def _coupled(cls: type, prefix: str = "") -> set[str]:
    """Dotted paths under `cls` that some cross-field rule reads."""
    found: set[str] = set()
    table = fields_of(cls)
    for r in rules_of(cls):
        for name in r.fields:
            found.add(prefix + name)
            section = table[name].section
            if section is not None:
                # A rule that reads a section may read any of its fields.
                found.update(
                    f"{prefix}{name}.{p}" for p, _ in _leaves(section)
                )
    for name, info in table.items():
        if info.section is not None:
            found |= _coupled(info.section, f"{prefix}{name}.")
    return found


def _out_of_range_ints(
    lo: int, hi: int, *, skip: tuple[int, ...] = ()
) -> st.SearchStrategy[int]:
    return st.one_of(
        st.integers(max_value=lo - 1), st.integers(min_value=hi + 1)
    ).filter(lambda i: i not in skip)


def _fractional_floats() -> st.SearchStrategy[float]:
    return st.floats(allow_nan=False, allow_infinity=False).filter(
        lambda f: not f.is_integer()
    )


def _out_of_range_numbers(v: Any) -> st.SearchStrategy[Any]:
    finite = {"allow_nan": False, "allow_infinity": False}
    sides: list[st.SearchStrategy[Any]] = []
    if v.ge is not None:
        sides += [
            st.floats(max_value=v.ge, **finite).filter(lambda x: x < v.ge)
        ]
        sides += [st.integers(max_value=math.ceil(v.ge) - 1)]
    if v.gt is not None:
        sides += [st.floats(max_value=v.gt, **finite)]
        sides += [st.integers(max_value=math.floor(v.gt))]
    if v.le is not None:
        sides += [
            st.floats(min_value=v.le, **finite).filter(lambda x: x > v.le)
        ]
        sides += [st.integers(min_value=math.floor(v.le) + 1)]
    if v.lt is not None:
        sides += [st.floats(min_value=v.lt, **finite)]
        sides += [st.integers(min_value=math.ceil(v.lt))]
    return st.one_of(sides)


_BAD_SIZE_TEXT = (
    "",
    "x",
    "6",
    "GiB",
    "6XB",
    "6PiB",
    "-1GiB",
    "+1GiB",
    "1e3GiB",
    "6 G iB",
    "6GiBs",
    "1,5GiB",
    "6.GiB",
    ".5GiB",
    "6GiB\u200b",
    "1" * 21 + "B",
    "6\ufeffGiB",
)


def _schema_visible_bad_values(info: FieldInfo) -> st.SearchStrategy[Any]:
    """Values `info`'s field refuses in a way a JSON Schema can tell."""
    v = info.validator
    common: list[Any] = [None, {}, {"a": 1}]
    if info.section is not None:
        return st.sampled_from((None, 1, "x", True, 1.5, [], [{}]))
    if isinstance(v, _BooleanValidator):
        return st.one_of(
            st.sampled_from((*common, "true", "x", 1, 0, 1.5, [], [True])),
            st.integers(),
            st.text(max_size=8),
        )
    if isinstance(v, _SizeValidator):
        return st.one_of(
            st.sampled_from((*common, True, 1.5, [], *_BAD_SIZE_TEXT)),
            _out_of_range_ints(v.ge, v.le),
            _fractional_floats(),
            # No ASCII digit: no size at all.
            st.text(max_size=8).filter(
                lambda s: not any("0" <= c <= "9" for c in s)
            ),
        )
    if isinstance(v, _IntegerValidator):
        # config_version 0 is not bad but old: the unversioned layout.
        skip = (0,) if info.name == "config_version" else ()
        return st.one_of(
            st.sampled_from((*common, True, False, str(v.ge), [], [v.ge])),
            _out_of_range_ints(v.ge, v.le, skip=skip),
            _fractional_floats(),
        )
    if isinstance(v, _NumberValidator):
        return st.one_of(
            st.sampled_from((*common, True, "0.5", [], [0.5])),
            _out_of_range_numbers(v),
        )
    if isinstance(v, _OneOfValidator):
        changed = [c.upper() for c in v.choices if c.upper() != c]
        return st.one_of(
            st.sampled_from((*common, 1, True, [], *changed)),
            st.sampled_from(v.choices).map(lambda c: c + " "),
            st.text(max_size=12).filter(lambda s: s not in v.choices),
        )
    if isinstance(v, _NameValidator):
        return st.one_of(
            st.sampled_from(
                (*common, 5, True, [], "", "-x", "a b", "a\n", "x" * 129)
            ),
            st.text(max_size=12).filter(
                lambda s: v._PATTERN.fullmatch(s) is None
            ),
        )
    if isinstance(v, _CapabilityValidator):
        (major_lo, major_hi), (minor_lo, minor_hi) = v.major, v.minor
        return st.sampled_from(
            (
                *common,
                "6.1",
                6.1,
                6,
                True,
                [],
                [6],
                [6, 1, 0],
                [True, 1],
                [6, False],
                [6.5, 1],
                ["6", 1],
                [major_lo - 1, minor_lo],
                [major_hi + 1, minor_lo],
                [major_lo, minor_lo - 1],
                [major_lo, minor_hi + 1],
            )
        )
    if isinstance(v, _IntTupleValidator):
        n = max(1, v.min_len)
        bad = [
            "1,2,3",
            5,
            True,
            [v.ge - 1] * n,
            [v.le + 1] * n,
            [True] * n,
            [1.5] * n,
            ["1"] * n,
            [v.ge] * (v.max_len + 1),
        ]
        if v.min_len > 0:
            bad.append([v.ge] * (v.min_len - 1))
        if v.increasing and v.max_len >= 2:
            bad.append([v.ge, v.ge])  # repeated: not increasing, not unique
        return st.sampled_from((*common, *bad))
    if isinstance(v, _NumberTupleValidator):
        bad = ["1.0,2.0", 5, True, [-1.0], [True], ["1"], [v.le * 2]]
        return st.sampled_from((*common, *bad, [1.0] * (v.max_len + 1)))
    if isinstance(v, _NameTupleValidator):
        bad = ["visual", 5, True, [""], [5], ["x" * 513]]
        return st.sampled_from((*common, *bad, ["x"] * (v.max_len + 1)))
    if isinstance(v, _JsonObjectValidator):
        return st.sampled_from(
            (None, {}, {"a": 1}, 5, True, [], "x" * (v.max_chars + 1))
        )
    msg = f"no bad values for {v!r}"  # pragma: no cover
    raise TypeError(msg)  # pragma: no cover


def _file_spelling(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


@st.composite
def file_dicts_with_one_leaf_changed(
    draw: st.DrawFn, cls: type = Qwen3VLConfig
) -> tuple[dict[str, Any], str, bool]:
    """
    A valid file dict of `cls` with one leaf changed, where, and if valid.

    The change is a valid value for a field no rule reads, a value its field
    refuses visibly to a JSON Schema (a section's too), or a key that its
    section (or the top level) does not have.
    """
    config = draw(configs_of(cls))
    data = draw(st.sampled_from((to_file_data, to_python)))(config)
    leaves = _leaves(cls)
    coupled = _coupled(cls)
    free = [
        (p, i) for p, i in leaves if i.section is None and p not in coupled
    ]
    # A section whose rules couple every field has no leaf to change alone.
    kinds = (
        ("valid", "invalid", "unknown key")
        if free
        else ("invalid", "unknown key")
    )
    kind = draw(st.sampled_from(kinds))
    if kind == "valid":
        path, info = draw(st.sampled_from(free))
        value = draw(
            valid_values(info).flatmap(functools.partial(_patch_forms, info))
        )
        _set_path(data, path, _file_spelling(value))
        return data, path, True
    if kind == "invalid":
        path, info = draw(st.sampled_from(leaves))
        _set_path(data, path, draw(_schema_visible_bad_values(info)))
        return data, path, False
    sections = [""] + [p for p, i in leaves if i.section is not None]
    where = draw(st.sampled_from(sections))
    owner = _section_class(cls, where)
    # Any name its own level lacks: another section's field names too.
    key = draw(
        st.one_of(st.sampled_from(_KEYS), st.text(max_size=12)).filter(
            lambda k: k not in fields_of(owner)
        )
    )
    target = data
    for part in where.split(".") if where else ():
        target = target[part]
    target[key] = True
    return data, f"{where}.{key}" if where else key, False


def _section_class(cls: type, path: str) -> type:
    for part in path.split(".") if path else ():
        section = fields_of(cls)[part].section
        assert section is not None
        cls = section
    return cls


@st.composite
def file_dicts_with_one_junk_leaf(
    draw: st.DrawFn, cls: type = Qwen3VLConfig
) -> tuple[dict[str, Any], str]:
    """A valid file dict of `cls` with one leaf (or section) set to junk."""
    data = to_file_data(draw(configs_of(cls)))
    path, _ = draw(st.sampled_from(_leaves(cls)))
    junk = draw(json_like())
    if path == "config_version" and type(junk) is int and junk == 0:
        junk = -1  # 0 is the old, unversioned layout, not junk
    _set_path(data, path, junk)
    return data, path
