"""
The keys a Hugging Face config repeats, restates, or has no field for.

`KeyAccount` accounts for the keys that the text and vision readers leave:
the top-level copies of text keys in Qwen2 files saved by transformers
4.52/4.53 (they must agree with ``text_config``), the keys that restate what
our fields imply (sliding windows that are off, the vision RoPE every layout
fixes, the model's dtype repeated in the vision part), and, last, every key
left: ignored when it is metadata, unmapped otherwise.

Strictly private.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from qwen3vl._errors import short

from ._layouts import FLAT_TEXT_KEYS, IGNORED_KEYS, QWEN3, TOKENS, VISION_ROPE
from ._walk import MISSING, Walk, same


__all__ = ["KeyAccount"]

#: Keys that change nothing while sliding windows are off.
_SLIDING = ("sliding_window", "max_window_layers", "layer_types")


class KeyAccount(Walk):
    """
    Accounts for the keys no reader took.

    Strictly private.
    """

    def flat_copies(self, text: Mapping[str, Any]) -> None:
        """
        Account for the text keys a Qwen2 file has at the top and nested.

        transformers 4.52/4.53 saved both; transformers reads
        ``text_config``.  A top-level copy must agree with it; one that
        ``text_config`` lacks is not read there, and is reported.
        """
        sliding = text.get("use_sliding_window") is True
        restated: list[str] = []
        for key, value in self.root.items():
            if key not in FLAT_TEXT_KEYS or key in self.used:
                continue
            self.used.add(key)
            inner = text.get(key, MISSING)
            if inner is MISSING:
                if key in IGNORED_KEYS:
                    self.ignored.append(key)
                else:
                    self.unmapped[key] = value
                    self.notes.append(
                        f"{key} is at the top level only; transformers reads"
                        " text_config, which does not set it"
                    )
            elif same(value, inner) or (not sliding and key in _SLIDING):
                self.ignored.append(key)
                restated.append(key)
            elif key in IGNORED_KEYS:
                # Metadata: what either copy says changes no weight.
                self.ignored.append(key)
            else:
                self.problem(
                    key,
                    f"says {short(value)} where text_config.{key} says"
                    f" {short(inner)}; both give the text model's {key},"
                    f" and transformers reads text_config.{key}: make them"
                    " equal, or remove the top-level copy",
                )
        if restated:
            self.notes.append(
                f"{len(restated)} top-level key(s) restate text_config,"
                f" which transformers reads: {', '.join(restated)}"
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
        if sliding in (False, MISSING):
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
                if value is not MISSING:
                    self.unmapped[prefix + key] = value
        if types is not MISSING:
            if isinstance(types, list) and all(
                t == "full_attention" for t in types
            ):
                self.ignored.append(prefix + "layer_types")
            else:
                self.unmapped[prefix + "layer_types"] = types
        if text is not None and text is not self.root:
            # Top-level ids a nested text part repeats (or leaves null).
            for key in TOKENS:
                if key in text:
                    self.used.add(prefix + key)
                    if text[key] is None or same(
                        text[key], self.data.get(key)
                    ):
                        self.ignored.append(prefix + key)
                    else:
                        self.unmapped[prefix + key] = text[key]
        for key in ("dtype", "torch_dtype"):
            # A vision part saved with the model's dtype says nothing new.
            found = self.get(vision, "vision_config.", key)
            if found is MISSING:
                continue
            if same(found, self.data.get("dtype")):
                self.ignored.append("vision_config." + key)
            else:
                self.unmapped["vision_config." + key] = found
        rope = self.get(vision, "vision_config.", "rope_parameters")
        if rope is not MISSING:
            if isinstance(rope, Mapping) and dict(rope) in (
                VISION_ROPE,
                {**VISION_ROPE, "rope_type": "default"},
            ):
                self.ignored.append("vision_config.rope_parameters")
            else:
                self.unmapped["vision_config.rope_parameters"] = rope
        if layout == "qwen3_vl_moe":
            return
        if layout in QWEN3 and text is not None:
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
