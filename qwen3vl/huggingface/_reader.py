"""
Reading a Hugging Face ``config.json`` into our plain-data layout and config.

`translate` reads the layouts of Qwen3-VL and Qwen3-VL-MoE as released
(``text_config`` / ``vision_config`` nested, ``rope_scaling`` and
``rope_theta`` in the text part), the newer ``rope_parameters`` form, and
Qwen2.5-VL and Qwen2-VL (text keys flat at the top, or nested as
transformers 5 saves them, or both as transformers 4.52/4.53 did: the two
copies must agree).  The layout sets `model_family`.  It returns the data of
a config of ours plus an account of every key: mapped to a field, ignored as
metadata, or unmapped (no field holds it, so it is reported, never dropped
silently).  The layouts themselves are data, in `_layouts`; the text model,
its RoPE, the vision model and the quantization are read by `_text`,
`_rope`, `_vision` and `_quantization`.

Keys a file leaves out get the default of transformers' own config class for
that layout (transformers 5), so that a file means here what it means there.

Nothing here imports a concrete config class: `import_hf` builds whatever
class it is given through the generic converter.

Strictly private.
"""

from __future__ import annotations

import warnings

from collections.abc import Mapping
from typing import Any, Generic, TypeVar

import attrs

from qwen3vl._converters import structure
from qwen3vl._errors import short
from qwen3vl.exceptions import ConfigError, Problem

from ._account import KeyAccount
from ._layouts import (
    BASE_IMAGE_SIZE,
    DEFAULTS,
    FAMILY,
    FULL_CAPACITY,
    LAYOUTS,
    QWEN3,
    TOKENS,
    TOP_DEFAULTS,
)
from ._quantization import QuantizationReader
from ._rope import RopeReader
from ._text import TextReader
from ._vision import VisionReader
from ._walk import MISSING, is_int, type_name


__all__ = [
    "HFImport",
    "Translation",
    "UnmappedKeyWarning",
    "import_hf",
    "translate",
]

C = TypeVar("C")


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
            ``"qwen2_5_vl"`` or ``"qwen2_vl"``; it sets the config's
            `model_family` (``"qwen3_vl"`` for both Qwen3-VL layouts).
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


class _Reader(
    TextReader, RopeReader, VisionReader, QuantizationReader, KeyAccount
):
    """
    Walks one Hugging Face config, recording where every key went.

    Strictly private.
    """

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
        defaults = DEFAULTS[layout]
        qwen3 = layout in QWEN3
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

        self.put("model_family", FAMILY[layout], "model_type")
        self.text(layout, text, text_prefix, defaults["text"])
        self.ids_and_dtype(text, text_prefix, defaults["text"])
        self.rope(text, text_prefix, defaults["text"])
        self.vision(layout, vision, defaults["vision"])
        self.top(layout, text, text_prefix)
        if layout == "qwen3_vl_moe":
            self.experts(text, text_prefix, defaults["text"])
        if not qwen3 and text is not None and text is not self.root:
            self.flat_copies(text)
        self.quantization()
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

    def top(
        self, layout: str, text: Mapping[str, Any] | None, prefix: str
    ) -> None:
        for field in TOKENS:
            self.put(
                field,
                self.get(self.root, "", field, TOP_DEFAULTS[field]),
                field,
            )
        tie = self.get(self.root, "", "tie_word_embeddings")
        origin = "tie_word_embeddings"
        if prefix:
            inner = self.get(text, prefix, "tie_word_embeddings")
            if tie is MISSING and inner is not MISSING:
                tie, origin = inner, prefix + "tie_word_embeddings"
                self.notes.append(
                    f"tie_word_embeddings comes from {origin}; the top level"
                    " does not set it"
                )
            elif inner is True and tie is False and layout not in QWEN3:
                # transformers 5 reads pre-5 Qwen2 saves' nested flag when
                # the top level says false.
                tie, origin = inner, prefix + "tie_word_embeddings"
                self.ignored.append("tie_word_embeddings")
                self.notes.append(
                    f"tie_word_embeddings is true: {origin} says so, and"
                    " transformers 5 reads it over a false top-level value"
                )
            elif inner is not MISSING:
                # The top-level value decides, as in transformers 5.
                self.ignored.append(prefix + "tie_word_embeddings")
                if inner != tie:
                    self.notes.append(
                        f"{prefix}tie_word_embeddings ({short(inner)})"
                        f" differs from the top-level value"
                        f" ({short(tie)}), which is used, as in"
                        " transformers 5"
                    )
        if tie is MISSING:
            tie = TOP_DEFAULTS["tie_word_embeddings"]
            self.defaulted.append(f"tie_word_embeddings={tie!r}")
        self.put("tie_word_embeddings", tie, origin)

    def capacity(self) -> None:
        layers = self.data.get("num_hidden_layers")
        heads = self.data.get("num_attention_heads")
        if not (is_int(layers) and is_int(heads)):
            return
        if layers < FULL_CAPACITY or heads < FULL_CAPACITY:
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
        if not (is_int(experts) and is_int(top_k)):
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
        if not is_int(patch) or patch <= 0 or BASE_IMAGE_SIZE % patch == 0:
            return
        side = patch * -(-BASE_IMAGE_SIZE // patch)
        self.data["vision_image_size"] = side
        self.notes.append(
            f"vision_image_size is {short(side)}, the nearest multiple of the patch"
            f" size {short(patch)} at or above {BASE_IMAGE_SIZE}"
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
                    "",
                    f"expected a mapping of settings (got {type_name(config)})",
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
