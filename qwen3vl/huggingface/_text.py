"""
Reading the text model of a Hugging Face config: sizes, ids and experts.

Strictly private.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from qwen3vl._errors import short

from ._layouts import MOE_KEYS, QWEN3, TEXT_KEYS
from ._walk import MISSING, Walk, is_int


__all__ = ["TextReader"]


class TextReader(Walk):
    """
    Reads the text part: ``text_config``, or the top level of Qwen2 files.

    The experts of Qwen3-VL-MoE are read here too: their keys are in the
    text part.  RoPE is `_rope`'s.

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

    def ids_and_dtype(
        self,
        text: Mapping[str, Any] | None,
        prefix: str,
        defaults: Mapping[str, Any],
    ) -> None:
        """
        Read the begin and end tokens and the checkpoint's dtype.

        Qwen3-VL keeps them in ``text_config``, the Qwen2 layouts at the top
        (and both, in transformers 4.52/4.53 saves); a copy in the other
        place must agree.  ``dtype`` is transformers 5's name for
        ``torch_dtype``.
        """
        for field in ("bos_token_id", "eos_token_id"):
            copies = [(text, prefix, field), (self.root, "", field)]
            value = self.agreeing(field, copies, defaults[field])
            if isinstance(value, list):
                del self.data[field]
                self.problem(
                    self.origins.pop(field),
                    f"lists {len(value)} token ids ({short(value)}), and"
                    f" {field} holds one: keep the token that ends a turn"
                    " here, and list the others in generation_config.json",
                )
        copies = [
            (part, where, key)
            for part, where in ((text, prefix), (self.root, ""))
            for key in ("dtype", "torch_dtype")
        ]
        if self.agreeing("dtype", copies) is MISSING:
            self.notes.append(
                "the file names no dtype; the checkpoint is taken to be"
                " bfloat16"
            )

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
