"""
Hugging Face ``config.json`` layouts, read into our plain-data layout and back.

`translate` reads the layouts of Qwen3-VL and Qwen3-VL-MoE as released
(``text_config`` / ``vision_config`` nested, ``rope_scaling`` and
``rope_theta`` in the text part), the newer ``rope_parameters`` form, and
Qwen2.5-VL and Qwen2-VL (text keys flat at the top).  It returns the data of
a config of ours plus an account of every key: mapped to a field, ignored as
metadata, or unmapped (no field holds it, so it is reported, never dropped
silently).  `to_hf` writes our data back as a Qwen3-VL (or Qwen3-VL-MoE)
``config.json`` that transformers' ``AutoConfig`` reads.

Keys a file leaves out get the default of transformers' own config class for
that layout (transformers 5), so that a file means here what it means there.

Nothing here imports a concrete config class: `import_hf` builds whatever
class it is given through the generic converter.

Strictly private.
"""

from __future__ import annotations

import math
import warnings

from collections.abc import Mapping
from typing import Any, Generic, TypeGuard, TypeVar

import attrs

from ._converters import structure
from ._errors import given, short
from .exceptions import ConfigError, Problem


__all__ = [
    "IGNORED_KEYS",
    "LAYOUTS",
    "HFImport",
    "Translation",
    "UnmappedKeyWarning",
    "import_hf",
    "to_hf",
    "translate",
]

C = TypeVar("C")

#: The ``model_type`` values that `translate` reads.
LAYOUTS = ("qwen3_vl", "qwen3_vl_moe", "qwen2_5_vl", "qwen2_vl")

_QWEN3 = ("qwen3_vl", "qwen3_vl_moe")

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
_TEXT = {
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
_MOE = {
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
_VISION = {
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
_VISION["qwen3_vl_moe"] = _VISION["qwen3_vl"]

_TOKENS = (
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
_TOP_DEFAULTS = {
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
_DEFAULTS: dict[str, dict[str, dict[str, Any]]] = {
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
        "top": _TOP_DEFAULTS,
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
        "top": _TOP_DEFAULTS,
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
        "top": _TOP_DEFAULTS,
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
        "top": _TOP_DEFAULTS,
    },
}

# The vision rotary embedding that every layout fixes; transformers 5
# writes it out, and a file that states exactly this says nothing new.
_VISION_ROPE = {"rope_type": "axial", "rope_theta": 10000.0}
_PLAIN_ROPE_TYPES = ("default", "mrope")

_FULL_CAPACITY = 32

#: Our default ``vision_image_size``; imports keep it where they can.
_BASE_IMAGE_SIZE = 448

_MISSING: Any = object()


class UnmappedKeyWarning(UserWarning):
    """
    A Hugging Face config held keys that no field of ours holds.

    They are not imported; `keys` lists their dotted paths, and the import
    report (`HFImport.unmapped`) holds their values.

    .. versionadded:: 0.1.0
    """

    def __init__(self, message: str, keys: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.keys = keys


@attrs.frozen
class Translation:
    """
    A Hugging Face config read into our layout, with an account of its keys.

    Strictly private.
    """

    data: dict[str, Any]
    layout: str
    origins: dict[str, str]
    ignored: tuple[str, ...]
    unmapped: dict[str, Any]
    notes: tuple[str, ...]
    problems: tuple[Problem, ...]


@attrs.frozen
class HFImport(Generic[C]):
    """
    What importing a Hugging Face ``config.json`` made of it, key by key.

    Attributes:
        config: The imported, validated configuration.
        layout: The layout read: ``"qwen3_vl"``, ``"qwen3_vl_moe"``,
            ``"qwen2_5_vl"`` or ``"qwen2_vl"``.
        source: The file it came from, or ``None`` for a mapping.
        ignored: Dotted keys that were ignored: metadata, training-only
            settings, or values that restate what the layout fixes.
        unmapped: Dotted keys that no field holds, with their values; they
            were not imported (an `UnmappedKeyWarning` said so too).
        notes: What the import decided, and why (defaults taken for missing
            keys, the full-capacity guard, the MoE switches).

    .. versionadded:: 0.1.0
    """

    config: C
    layout: str
    source: str | None
    ignored: tuple[str, ...]
    unmapped: dict[str, Any]
    notes: tuple[str, ...]


def _kind(value: object) -> str:
    return type(value).__name__


def _is_int(value: object) -> TypeGuard[int]:
    return type(value) is int


class _Reader:
    """
    Walks one Hugging Face config, recording where every key went.

    Strictly private.
    """

    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root
        self.used: set[str] = set()
        self.ignored: list[str] = []
        self.unmapped: dict[str, Any] = {}
        self.data: dict[str, Any] = {}
        self.origins: dict[str, str] = {}
        self.notes: list[str] = []
        self.defaulted: list[str] = []
        self.problems: list[Problem] = []

    # -- plumbing ---------------------------------------------------------

    def part(self, key: str) -> Mapping[str, Any] | None:
        """Return the nested mapping at top-level `key`, or None if absent."""
        self.used.add(key)
        if key not in self.root:
            return None
        value = self.root[key]
        if value is None:
            self.ignored.append(key)
            return None
        if not isinstance(value, Mapping):
            self.problems.append(
                Problem(key, f"expected a mapping (got {_kind(value)})")
            )
            return None
        return value

    def get(
        self,
        part: Mapping[str, Any] | None,
        prefix: str,
        key: str,
        default: Any = _MISSING,
    ) -> Any:
        """
        Return the value of `key` in `part`, marking it used.

        A key that is absent or null takes `default` (transformers treats
        null as "not set"); the key is then listed as defaulted.
        """
        path = prefix + key
        if part is not None and key in part:
            self.used.add(path)
            if part[key] is not None:
                return part[key]
            # A null holds nothing to import.
            self.ignored.append(path)
        if default is not _MISSING:
            self.defaulted.append(f"{path}={short(default)}")
        return default

    def put(self, field: str, value: Any, origin: str) -> None:
        """Set our `field` to `value`, remembering the key it came from."""
        if value is _MISSING:
            return
        self.data[field] = value
        self.origins[field] = origin

    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    # -- the walk ---------------------------------------------------------

    def layout(self) -> str | None:
        model_type = self.root.get("model_type")
        if model_type in LAYOUTS:
            return str(model_type)
        if model_type is not None:
            known = ", ".join(repr(name) for name in LAYOUTS)
            self.problem(
                "model_type",
                f"expected one of {known} (got {short(model_type)});"
                " only Qwen-VL layouts can be imported",
            )
            return None
        text = self.root.get("text_config")
        vision = self.root.get("vision_config")
        if isinstance(text, Mapping):
            moe = "num_experts" in text or "num_local_experts" in text
            guess = "qwen3_vl_moe" if moe else "qwen3_vl"
        elif isinstance(vision, Mapping) and "embed_dim" in vision:
            guess = "qwen2_vl"
        else:
            guess = "qwen2_5_vl"
        self.notes.append(
            f"the file names no model_type; read as {guess!r} from its shape"
        )
        return guess

    def run(self) -> Translation:
        layout = self.layout()
        if layout is None:
            # Another model's keys mean other things: read none of them.
            return _failed(self.problems)
        defaults = _DEFAULTS[layout]
        qwen3 = layout in _QWEN3
        if qwen3:
            text = self.part("text_config")
            text_prefix = "text_config."
        else:
            # Qwen2-VL and Qwen2.5-VL keep the text model's keys at the top;
            # transformers 5 saves them nested, and reads both.
            text, text_prefix = self.part("text_config"), "text_config."
            if text is None:
                text, text_prefix = self.root, ""
        vision = self.part("vision_config")

        self.text(layout, text, text_prefix, defaults["text"])
        self.rope(text, text_prefix, defaults["text"])
        self.vision(layout, vision, defaults["vision"])
        self.top(text, text_prefix)
        if layout == "qwen3_vl_moe":
            self.experts(text, text_prefix, defaults["text"])
        self.inert(layout, text, text_prefix, vision)
        self.leftovers(text, text_prefix, vision)
        self.capacity()
        self.switches(layout)
        self.image_size()
        if self.defaulted:
            self.notes.append(
                "not in the file, so transformers' default for the layout"
                f" was taken: {', '.join(self.defaulted)}"
            )
        return Translation(
            data=self.data,
            layout=layout,
            origins=self.origins,
            ignored=tuple(sorted(set(self.ignored))),
            unmapped=dict(sorted(self.unmapped.items())),
            notes=tuple(self.notes),
            problems=tuple(self.problems),
        )

    def text(
        self,
        layout: str,
        text: Mapping[str, Any] | None,
        prefix: str,
        defaults: Mapping[str, Any],
    ) -> None:
        for field, key in _TEXT.items():
            self.put(
                field, self.get(text, prefix, key, defaults[key]), prefix + key
            )
        heads = self.data.get("num_attention_heads")
        hidden = self.data.get("hidden_size")
        path = prefix + "num_key_value_heads"
        if text is not None and text.get("num_key_value_heads", 0) is None:
            # transformers reads null as multi-head attention.
            self.used.add(path)
            self.put("num_key_value_heads", heads, path)
        else:
            kv = self.get(
                text,
                prefix,
                "num_key_value_heads",
                defaults["num_key_value_heads"],
            )
            self.put("num_key_value_heads", kv, path)
        path = prefix + "head_dim"
        if layout == "qwen3_vl":
            head_dim = self.get(text, prefix, "head_dim", defaults["head_dim"])
        elif layout == "qwen3_vl_moe":
            head_dim = self.get(text, prefix, "head_dim")
        else:
            # Qwen2's attention always splits hidden_size evenly; a head_dim
            # key there is unused (and reported if present).
            head_dim = _MISSING
        if head_dim is _MISSING:
            path = prefix + "hidden_size"
            if _is_int(hidden) and _is_int(heads) and heads > 0:
                head_dim = hidden // heads
                self.notes.append(
                    f"head_dim is hidden_size / num_attention_heads"
                    f" = {short(head_dim)}, as the layout defines it"
                )
        self.put("head_dim", head_dim, path)
        if layout in _QWEN3:
            self.put(
                "attention_bias",
                self.get(
                    text, prefix, "attention_bias", defaults["attention_bias"]
                ),
                prefix + "attention_bias",
            )
        else:
            self.data["attention_bias"] = True
            self.notes.append(
                "attention_bias is true: Qwen2 attention has biases on its"
                " query, key and value projections"
            )

    def rope(
        self,
        text: Mapping[str, Any] | None,
        prefix: str,
        defaults: Mapping[str, Any],
    ) -> None:
        # The released files write rope_scaling plus rope_theta; transformers
        # 5 writes one rope_parameters mapping.  Where both are present,
        # rope_scaling wins, as it does in transformers.
        params: dict[str, tuple[str, Any]] = {}
        for key in ("rope_parameters", "rope_scaling"):
            found = self.get(text, prefix, key)
            if found is _MISSING:
                continue
            if not isinstance(found, Mapping):
                self.problem(
                    prefix + key, f"expected a mapping (got {_kind(found)})"
                )
                continue
            for name, value in found.items():
                params[str(name)] = (f"{prefix}{key}.{name}", value)
        theta = self.get(text, prefix, "rope_theta")
        kind_path, kind = params.pop("rope_type", ("", "default"))
        legacy_path, legacy = params.pop("type", ("", "default"))
        if not kind_path:
            kind_path, kind = legacy_path, legacy
        elif legacy_path:
            # The old spelling beside the new one; transformers reads the new.
            self.ignored.append(legacy_path)
        if kind not in _PLAIN_ROPE_TYPES:
            # Scaled RoPE (yarn, dynamic, ...) has no fields here: report it,
            # and below every parameter that belongs to it.
            self.unmapped[kind_path] = kind
        elif kind_path:
            # Plain (multimodal) RoPE is what the fields describe.
            self.ignored.append(kind_path)
        path, value = params.pop("rope_theta", ("", _MISSING))
        if value is _MISSING:
            path, value = prefix + "rope_theta", theta
        elif theta is not _MISSING:
            # Beside rope_parameters' own theta, transformers ignores it.
            self.ignored.append(prefix + "rope_theta")
            if theta != value:
                self.notes.append(
                    f"{prefix}rope_theta ({short(theta)}) differs from"
                    f" {path} ({short(value)}); the latter is used, as"
                    " in transformers"
                )
        if value is _MISSING:
            value = defaults["rope_theta"]
            self.defaulted.append(f"{path}={value!r}")
        self.put("rope_theta", value, path)
        for name in ("mrope_section", "mrope_interleaved"):
            path, value = params.pop(name, ("", _MISSING))
            if value is _MISSING:
                value = defaults.get(name, _MISSING)
                path = f"{prefix}rope_scaling.{name}"
                if value is not _MISSING:
                    self.defaulted.append(f"{path}={value!r}")
            self.put(name, value, path)
        for path, value in params.values():
            self.unmapped[path] = value

    def vision(
        self,
        layout: str,
        vision: Mapping[str, Any] | None,
        defaults: Mapping[str, Any],
    ) -> None:
        prefix = "vision_config."
        if vision is None:
            self.notes.append(
                "the file has no vision_config; every vision value is the"
                " layout's default"
            )
        for field, key in _VISION[layout].items():
            self.put(
                field,
                self.get(vision, prefix, key, defaults[key]),
                prefix + key,
            )
        channels = self.get(vision, prefix, "in_channels")
        path = prefix + "in_channels"
        if channels is _MISSING:
            # The first Qwen2-VL files spell it in_chans.
            channels = self.get(vision, prefix, "in_chans")
            path = prefix + "in_chans"
        if channels is _MISSING:
            channels = defaults["in_channels"]
            self.defaulted.append(f"{prefix}in_channels={channels!r}")
        self.put("vision_in_channels", channels, path)
        if layout == "qwen2_vl":
            width = self.data.get("vision_hidden_size")
            ratio = self.get(
                vision, prefix, "mlp_ratio", defaults["mlp_ratio"]
            )
            # Only for a sane width: the width's own check reports the rest,
            # and a float product of a huge one would overflow.
            if _is_int(width) and 0 < width <= 2**53:
                if (
                    type(ratio) in (int, float)
                    and 0 < ratio <= 2**20
                    and math.isfinite(ratio)
                ):
                    size = int(width * ratio)
                    self.put(
                        "vision_intermediate_size", size, prefix + "mlp_ratio"
                    )
                    self.notes.append(
                        f"vision_intermediate_size is embed_dim * mlp_ratio"
                        f" = {short(size)}, as Qwen2-VL defines it"
                    )
                else:
                    self.problem(
                        prefix + "mlp_ratio",
                        f"expected a number > 0 and <= 1048576"
                        f" ({given(ratio)})",
                    )
        # Qwen2-VL files repeat the patch size under this name.
        same = self.get(vision, prefix, "spatial_patch_size")
        if same is not _MISSING:
            if same == self.data.get("vision_patch_size"):
                self.ignored.append(prefix + "spatial_patch_size")
            else:
                self.unmapped[prefix + "spatial_patch_size"] = same
        if layout not in _QWEN3:
            self.notes.append(
                f"{layout} has no learned vision position embeddings and no"
                " DeepStack: vision_num_position_embeddings keeps its"
                " default, vision_deepstack_visual_indexes is empty"
            )
            self.data["vision_deepstack_visual_indexes"] = []

    def top(self, text: Mapping[str, Any] | None, prefix: str) -> None:
        for field in _TOKENS:
            self.put(
                field,
                self.get(self.root, "", field, _TOP_DEFAULTS[field]),
                field,
            )
        tie = self.get(self.root, "", "tie_word_embeddings")
        origin = "tie_word_embeddings"
        if prefix:
            inner = self.get(text, prefix, "tie_word_embeddings")
            if tie is _MISSING and inner is not _MISSING:
                tie, origin = inner, prefix + "tie_word_embeddings"
                self.notes.append(
                    f"tie_word_embeddings comes from {origin}; the top level"
                    " does not set it"
                )
            elif inner is not _MISSING:
                # The top-level value decides, as in transformers 5.
                self.ignored.append(prefix + "tie_word_embeddings")
                if inner != tie:
                    self.notes.append(
                        f"{prefix}tie_word_embeddings ({short(inner)})"
                        f" differs from the top-level value"
                        f" ({short(tie)}), which is used, as in"
                        " transformers 5"
                    )
        if tie is _MISSING:
            tie = _TOP_DEFAULTS["tie_word_embeddings"]
            self.defaulted.append(f"tie_word_embeddings={tie!r}")
        self.put("tie_word_embeddings", tie, origin)

    def experts(
        self,
        text: Mapping[str, Any] | None,
        prefix: str,
        defaults: Mapping[str, Any],
    ) -> None:
        count = self.get(text, prefix, "num_experts")
        path = prefix + "num_experts"
        if count is _MISSING:
            # transformers 5 writes the count under this name.
            count = self.get(text, prefix, "num_local_experts")
            path = prefix + "num_local_experts"
        if count is _MISSING:
            count = defaults["num_experts"]
            self.defaulted.append(f"{prefix}num_experts={count!r}")
        self.put("num_experts", count, path)
        for field, key in _MOE.items():
            self.put(
                field, self.get(text, prefix, key, defaults[key]), prefix + key
            )

    def inert(
        self,
        layout: str,
        text: Mapping[str, Any] | None,
        prefix: str,
        vision: Mapping[str, Any] | None,
    ) -> None:
        """Mark keys that restate what our fields already imply as ignored."""
        sliding = self.get(text, prefix, "use_sliding_window")
        window = self.get(text, prefix, "sliding_window")
        layers = self.get(text, prefix, "max_window_layers")
        types = self.get(text, prefix, "layer_types")
        if sliding in (False, _MISSING):
            # Without sliding windows these keys change nothing.
            for key in (
                "use_sliding_window",
                "sliding_window",
                "max_window_layers",
            ):
                if text is not None and key in text:
                    self.ignored.append(prefix + key)
        else:
            self.unmapped[prefix + "use_sliding_window"] = sliding
            for key, value in (
                ("sliding_window", window),
                ("max_window_layers", layers),
            ):
                if value is not _MISSING:
                    self.unmapped[prefix + key] = value
        if types is not _MISSING:
            if isinstance(types, list) and all(
                t == "full_attention" for t in types
            ):
                self.ignored.append(prefix + "layer_types")
            else:
                self.unmapped[prefix + "layer_types"] = types
        rope = self.get(vision, "vision_config.", "rope_parameters")
        if rope is not _MISSING:
            if isinstance(rope, Mapping) and dict(rope) in (
                _VISION_ROPE,
                {**_VISION_ROPE, "rope_type": "default"},
            ):
                self.ignored.append("vision_config.rope_parameters")
            else:
                self.unmapped["vision_config.rope_parameters"] = rope
        if layout == "qwen3_vl_moe":
            return
        if layout in _QWEN3 and text is not None:
            # A dense Qwen3-VL has no experts; these keys would be unused.
            for key in ("num_experts", "num_local_experts"):
                if key in text:
                    self.used.add(prefix + key)
                    self.unmapped[prefix + key] = text[key]

    def leftovers(
        self,
        text: Mapping[str, Any] | None,
        prefix: str,
        vision: Mapping[str, Any] | None,
    ) -> None:
        parts: list[tuple[str, Mapping[str, Any] | None]] = [
            ("", self.root),
            (prefix, text),
            ("vision_config.", vision),
        ]
        seen: set[str] = set()
        for part_prefix, part in parts:
            if part is None:
                continue
            for key, value in part.items():
                path = f"{part_prefix}{key}"
                if path in seen or path in self.used:
                    continue
                seen.add(path)
                if path in self.ignored or path in self.unmapped:
                    continue
                if key in IGNORED_KEYS:
                    self.ignored.append(path)
                else:
                    self.unmapped[path] = value

    def capacity(self) -> None:
        layers = self.data.get("num_hidden_layers")
        heads = self.data.get("num_attention_heads")
        if not (_is_int(layers) and _is_int(heads)):
            return
        if layers < _FULL_CAPACITY or heads < _FULL_CAPACITY:
            self.data["preserve_full_capacity"] = False
            self.notes.append(
                f"preserve_full_capacity is false: the checkpoint has"
                f" {short(layers)} layers and {short(heads)} attention heads, below the 32"
                " and 32 of the specification's full-capacity model, and is"
                " imported as it is"
            )
        else:
            self.notes.append(
                f"preserve_full_capacity stays true: {short(layers)} layers and"
                f" {short(heads)} attention heads meet the full-capacity 32 and 32"
            )

    def switches(self, layout: str) -> None:
        if layout != "qwen3_vl_moe":
            self.data["optimization_config"] = {"use_moe": False}
            self.notes.append(
                "a dense checkpoint: optimization_config.use_moe is false"
            )
            return
        experts = self.data.get("num_experts")
        top_k = self.data.get("num_experts_per_tok")
        if not (_is_int(experts) and _is_int(top_k)):
            return
        origin = self.origins["num_experts"]
        self.data["optimization_config"] = {
            "use_moe": True,
            "moe_num_experts": experts,
            "moe_top_k": top_k,
        }
        self.origins["optimization_config.moe_num_experts"] = origin
        self.origins["optimization_config.moe_top_k"] = self.origins[
            "num_experts_per_tok"
        ]
        self.notes.append(
            f"a mixture-of-experts checkpoint: optimization_config.use_moe is"
            f" true with moe_num_experts {short(experts)} and moe_top_k {short(top_k)},"
            " as its weights route"
        )

    def image_size(self) -> None:
        # Hugging Face configs have no image size (the processor resizes to
        # whole patches); keep ours unless the patch does not divide it.
        patch = self.data.get("vision_patch_size")
        if not _is_int(patch) or patch <= 0 or _BASE_IMAGE_SIZE % patch == 0:
            return
        side = patch * -(-_BASE_IMAGE_SIZE // patch)
        self.data["vision_image_size"] = side
        self.notes.append(
            f"vision_image_size is {short(side)}, the nearest multiple of the patch"
            f" size {short(patch)} at or above {_BASE_IMAGE_SIZE}"
        )


def translate(config: object) -> Translation:
    """
    Read a Hugging Face config mapping into our plain-data layout.

    Problems that only the mapping can see (a ``text_config`` that is not a
    mapping, an unknown ``model_type``) are returned in
    `Translation.problems`; values are checked later, by the config class.
    """
    if not isinstance(config, Mapping):
        return _failed(
            [
                Problem(
                    "", f"expected a mapping of settings (got {_kind(config)})"
                )
            ]
        )
    return _Reader(config).run()


def _failed(problems: list[Problem]) -> Translation:
    return Translation(
        data={},
        layout="",
        origins={},
        ignored=(),
        unmapped={},
        notes=(),
        problems=tuple(problems),
    )


def import_hf(
    cls: type[C],
    config: object,
    *,
    source: str | None = None,
    stacklevel: int = 2,
) -> HFImport[C]:
    """
    Return `config` (a Hugging Face config mapping) imported as `cls`.

    Unmapped keys raise one `UnmappedKeyWarning` at `stacklevel`.

    Raises:
        ConfigError: with every problem found, at the Hugging Face key it
            came from.
    """
    found = translate(config)
    problems = list(found.problems)
    built: C | None = None
    try:
        built = structure(found.data, cls)
    except ConfigError as e:
        problems.extend(_at_origin(p, found.origins) for p in e.problems)
    if problems:
        raise ConfigError(
            attrs.evolve(p, source=source) if source is not None else p
            for p in problems
        )
    assert built is not None  # noqa: S101 - no problems means it was built
    if found.unmapped:
        keys = tuple(found.unmapped)
        shown = ", ".join(
            f"{key} ({short(value)})" for key, value in found.unmapped.items()
        )
        where = f"{source}: " if source is not None else ""
        warnings.warn(
            UnmappedKeyWarning(
                f"{where}{len(keys)} key(s) of the Hugging Face config have"
                f" no field here and were not imported: {shown}",
                keys,
            ),
            stacklevel=stacklevel,
        )
    return HFImport(
        config=built,
        layout=found.layout,
        source=source,
        ignored=found.ignored,
        unmapped=found.unmapped,
        notes=found.notes,
    )


def _at_origin(problem: Problem, origins: Mapping[str, str]) -> Problem:
    # Name the key of the file the user has in front of them, and ours.
    origin = origins.get(problem.path)
    if origin is None or origin == problem.path:
        return problem
    return attrs.evolve(
        problem,
        path=origin,
        message=f"{problem.message} (read into {problem.path})",
    )


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
