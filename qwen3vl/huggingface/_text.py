"""
Reading the text model of a Hugging Face config: sizes, RoPE and experts.

Strictly private.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from qwen3vl._errors import short

from ._layouts import MOE_KEYS, PLAIN_ROPE_TYPES, QWEN3, TEXT_KEYS
from ._walk import MISSING, Walk, is_int, type_name


__all__ = ["TextReader"]


class TextReader(Walk):
    """
    Reads the text part: ``text_config``, or the top level of Qwen2 files.

    The experts of Qwen3-VL-MoE are read here too: their keys are in the
    text part.

    Strictly private.
    """

    def text(
        self,
        layout: str,
        text: Mapping[str, Any] | None,
        prefix: str,
        defaults: Mapping[str, Any],
    ) -> None:
        for field, key in TEXT_KEYS.items():
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
            head_dim = MISSING
        if head_dim is MISSING:
            path = prefix + "hidden_size"
            if is_int(hidden) and is_int(heads) and heads > 0:
                head_dim = hidden // heads
                self.notes.append(
                    f"head_dim is hidden_size / num_attention_heads"
                    f" = {short(head_dim)}, as the layout defines it"
                )
        self.put("head_dim", head_dim, path)
        if layout in QWEN3:
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
            if found is MISSING:
                continue
            if not isinstance(found, Mapping):
                self.problem(
                    prefix + key,
                    f"expected a mapping (got {type_name(found)})",
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
        if kind not in PLAIN_ROPE_TYPES:
            # Scaled RoPE (yarn, dynamic, ...) has no fields here: report it,
            # and below every parameter that belongs to it.
            self.unmapped[kind_path] = kind
        elif kind_path:
            # Plain (multimodal) RoPE is what the fields describe.
            self.ignored.append(kind_path)
        path, value = params.pop("rope_theta", ("", MISSING))
        if value is MISSING:
            path, value = prefix + "rope_theta", theta
        elif theta is not MISSING:
            # Beside rope_parameters' own theta, transformers ignores it.
            self.ignored.append(prefix + "rope_theta")
            if theta != value:
                self.notes.append(
                    f"{prefix}rope_theta ({short(theta)}) differs from"
                    f" {path} ({short(value)}); the latter is used, as"
                    " in transformers"
                )
        if value is MISSING:
            value = defaults["rope_theta"]
            self.defaulted.append(f"{path}={value!r}")
        self.put("rope_theta", value, path)
        for name in ("mrope_section", "mrope_interleaved"):
            path, value = params.pop(name, ("", MISSING))
            if value is MISSING:
                value = defaults.get(name, MISSING)
                path = f"{prefix}rope_scaling.{name}"
                if value is not MISSING:
                    self.defaulted.append(f"{path}={value!r}")
            self.put(name, value, path)
        for path, value in params.values():
            self.unmapped[path] = value

    def experts(
        self,
        text: Mapping[str, Any] | None,
        prefix: str,
        defaults: Mapping[str, Any],
    ) -> None:
        count = self.get(text, prefix, "num_experts")
        path = prefix + "num_experts"
        if count is MISSING:
            # transformers 5 writes the count under this name.
            count = self.get(text, prefix, "num_local_experts")
            path = prefix + "num_local_experts"
        if count is MISSING:
            count = defaults["num_experts"]
            self.defaulted.append(f"{prefix}num_experts={count!r}")
        self.put("num_experts", count, path)
        for field, key in MOE_KEYS.items():
            self.put(
                field, self.get(text, prefix, key, defaults[key]), prefix + key
            )
