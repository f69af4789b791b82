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
from ._walk import MISSING, Walk, is_int, same


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
        # The first Qwen2-VL files spell it in_chans; transformers 4.52/4.53
        # wrote both, and reads in_channels.
        old = self.get(vision, prefix, "in_chans")
        if channels is MISSING:
            channels, path = old, prefix + "in_chans"
        elif old is not MISSING:
            if same(old, channels):
                self.ignored.append(prefix + "in_chans")
            else:
                self.unmapped[prefix + "in_chans"] = old
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
                    # Said once, here: not again as a width that is no
                    # whole multiple.
                    self.data["vision_intermediate_size"] = width
        # Qwen2-VL files repeat the patch size under this name.
        spatial = self.get(vision, prefix, "spatial_patch_size")
        if spatial is not MISSING:
            if spatial == self.data.get("vision_patch_size"):
                self.ignored.append(prefix + "spatial_patch_size")
            else:
                self.unmapped[prefix + "spatial_patch_size"] = spatial
        if layout == "qwen2_5_vl":
            self._whole_image_layers()
        if layout not in QWEN3:
            self.notes.append(
                f"{layout} has no learned vision position embeddings and no"
                " DeepStack: vision_num_position_embeddings is 0,"
                " vision_deepstack_visual_indexes is empty"
            )
            self.data["vision_deepstack_visual_indexes"] = []
            self.data["vision_num_position_embeddings"] = 0

    def _whole_image_layers(self) -> None:
        # transformers tests each layer's index against the list: an index
        # at or past the depth names no layer and changes nothing.
        depth = self.data.get("vision_num_hidden_layers")
        indexes = self.data.get("vision_fullatt_block_indexes")
        if not (is_int(depth) and isinstance(indexes, list)):
            return
        if all(is_int(i) for i in indexes) and any(
            i >= depth for i in indexes
        ):
            kept = [i for i in indexes if i < depth]
            self.data["vision_fullatt_block_indexes"] = kept
            self.notes.append(
                f"vision_fullatt_block_indexes is {short(kept)}: of"
                f" {short(indexes)}, only layers below the vision depth"
                f" ({short(depth)}) exist, and transformers never reaches"
                " the others"
            )
