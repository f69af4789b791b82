"""
Reading the vision model of a Hugging Face config (``vision_config``).

Strictly private.
"""

from __future__ import annotations

import math

from collections.abc import Mapping
from typing import Any

from qwen3vl._errors import given, short

from ._layouts import QWEN3, VISION_KEYS
from ._walk import MISSING, Walk, is_int


__all__ = ["VisionReader"]


class VisionReader(Walk):
    """
    Reads ``vision_config``.

    Strictly private.
    """

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
        for field, key in VISION_KEYS[layout].items():
            self.put(
                field,
                self.get(vision, prefix, key, defaults[key]),
                prefix + key,
            )
        channels = self.get(vision, prefix, "in_channels")
        path = prefix + "in_channels"
        if channels is MISSING:
            # The first Qwen2-VL files spell it in_chans.
            channels = self.get(vision, prefix, "in_chans")
            path = prefix + "in_chans"
        if channels is MISSING:
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
            if is_int(width) and 0 < width <= 2**53:
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
        if same is not MISSING:
            if same == self.data.get("vision_patch_size"):
                self.ignored.append(prefix + "spatial_patch_size")
            else:
                self.unmapped[prefix + "spatial_patch_size"] = same
        if layout not in QWEN3:
            self.notes.append(
                f"{layout} has no learned vision position embeddings and no"
                " DeepStack: vision_num_position_embeddings keeps its"
                " default, vision_deepstack_visual_indexes is empty"
            )
            self.data["vision_deepstack_visual_indexes"] = []
