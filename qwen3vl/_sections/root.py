"""
The root configuration: the architecture, the level, the target, the sections.

Strictly private.
"""

from __future__ import annotations

import os
import warnings

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Self

import attrs

from qwen3vl._fields import Rule, rule, section, setting
from qwen3vl._validators import (
    boolean,
    int_tuple,
    integer,
    name,
    number,
    one_of,
)
from qwen3vl.exceptions import ConfigError, Problem

from .base import CONFIG_VERSION, BaseConfig
from .cpu import CPUConfig
from .gpu import GPUConfig
from .memory import MemoryConfig
from .optimization import OptimizationConfig
from .power import PowerManagementConfig


# The methods below import what they use (presets, files, Hugging Face,
# converters, the old layouts) when they run, not here: `import qwen3vl`
# loads this module, and those would cost it time that programs which only
# build or read configs never get back (issue 8).  Hence the PLC0415s.

__all__ = ["FULL_CAPACITY_HEADS", "FULL_CAPACITY_LAYERS", "Qwen3VLConfig"]

OptimizationLevel = Literal["minimal", "balanced", "aggressive"]

#: Below these, the model is no longer the full-capacity Qwen3-VL.
FULL_CAPACITY_LAYERS = 32
FULL_CAPACITY_HEADS = 32


@rule("preserve_full_capacity", "num_hidden_layers", "num_attention_heads")
def _full_capacity(c: Mapping[str, Any]) -> Iterator[Problem]:
    # The specification promises 32 layers and 32 heads; a smaller model must
    # be asked for explicitly, not reached by a typo or a stray patch.
    if not c["preserve_full_capacity"]:
        return
    for path, least, what in (
        ("num_hidden_layers", FULL_CAPACITY_LAYERS, "layers"),
        ("num_attention_heads", FULL_CAPACITY_HEADS, "attention heads"),
    ):
        if c[path] < least:
            yield Problem(
                path,
                f"expected at least {least} {what} while "
                f"preserve_full_capacity is true (got {c[path]}); "
                "set preserve_full_capacity to false for a reduced model",
            )


def _divisible(path: str, by: str, what: str) -> Rule:
    @rule(path, by)
    def check(c: Mapping[str, Any]) -> Iterator[Problem]:
        if c[path] % c[by]:
            yield Problem(
                path,
                f"must be divisible by {by} ({c[by]}) {what} (got {c[path]})",
            )

    return check


#: The activation names transformers knows (its ``ACT2FN`` table).
ACTIVATIONS = (
    "gelu",
    "gelu_10",
    "gelu_accurate",
    "gelu_fast",
    "gelu_new",
    "gelu_python",
    "gelu_python_tanh",
    "gelu_pytorch_tanh",
    "hardswish",
    "laplace",
    "leaky_relu",
    "linear",
    "mish",
    "prelu",
    "quick_gelu",
    "relu",
    "relu2",
    "relu6",
    "sigmoid",
    "silu",
    "sqrtsoftplus",
    "swish",
    "tanh",
    "xielu",
)

#: Largest token id a vocabulary may hold (``vocab_size`` is at most 2**24).
MAX_TOKEN_ID = 2**24 - 1


@rule("num_attention_heads", "num_key_value_heads")
def _key_value_groups(c: Mapping[str, Any]) -> Iterator[Problem]:
    # Grouped-query attention: each key/value head serves a whole group of
    # query heads, so the query heads must split into equal groups.
    kv = c["num_key_value_heads"]
    if kv and c["num_attention_heads"] % kv:
        yield Problem(
            "num_key_value_heads",
            f"must divide num_attention_heads ({c['num_attention_heads']})"
            f" (got {kv}); 0 means one per attention head",
        )


@rule("head_dim", "mrope_section")
def _rotary_sections(c: Mapping[str, Any]) -> Iterator[Problem]:
    # Rotary embeddings turn pairs of dimensions, and multimodal RoPE hands
    # each pair to exactly one of the time, height and width sections.
    head_dim, sections = c["head_dim"], c["mrope_section"]
    if head_dim % 2:
        yield Problem(
            "head_dim",
            f"must be even: rotary embeddings turn pairs of dimensions"
            f" (got {head_dim})",
        )
    elif sum(sections) != head_dim // 2:
        yield Problem(
            "mrope_section",
            f"must add up to head_dim / 2 ({head_dim // 2})"
            f" (got {list(sections)}, which adds up to {sum(sections)})",
        )


@rule("vision_out_hidden_size", "hidden_size")
def _vision_feeds_text(c: Mapping[str, Any]) -> Iterator[Problem]:
    # The vision merger's output takes the place of token embeddings in the
    # text model, so it must be exactly as wide.
    out = c["vision_out_hidden_size"]
    if out and out != c["hidden_size"]:
        yield Problem(
            "vision_out_hidden_size",
            f"must be 0 or equal to hidden_size ({c['hidden_size']})"
            f" (got {out})",
        )


@rule("vision_deepstack_visual_indexes", "vision_num_hidden_layers")
def _deepstack_layers_exist(c: Mapping[str, Any]) -> Iterator[Problem]:
    # DeepStack taps the output of these vision layers; an index past the
    # last layer would never fire and its merger would sit unused.
    depth = c["vision_num_hidden_layers"]
    indexes = c["vision_deepstack_visual_indexes"]
    if any(i >= depth for i in indexes):
        yield Problem(
            "vision_deepstack_visual_indexes",
            f"must name layers below vision_num_hidden_layers ({depth})"
            f" (got {list(indexes)})",
        )


@rule(
    "num_experts",
    "num_experts_per_tok",
    "moe_intermediate_size",
    "optimization_config",
)
def _experts_match(c: Mapping[str, Any]) -> Iterator[Problem]:
    # A mixture-of-experts checkpoint fixes its experts in its weights: each
    # token goes to 1..num_experts of them, each expert has an MLP, and the
    # runtime's MoE switches must route exactly as the weights were trained.
    experts, top_k = c["num_experts"], c["num_experts_per_tok"]
    if experts == 0:
        return
    if experts == 1:
        yield Problem(
            "num_experts",
            "must be 0 (a dense model) or at least 2 (got 1)",
        )
        return
    top_k_ok = 1 <= top_k <= experts
    if not top_k_ok:
        yield Problem(
            "num_experts_per_tok",
            f"must be 1 to num_experts ({experts}) in a mixture-of-experts"
            f" model (got {top_k})",
        )
    if c["moe_intermediate_size"] == 0:
        yield Problem(
            "moe_intermediate_size",
            "must be at least 1 in a mixture-of-experts model (got 0)",
        )
    switches = c["optimization_config"]
    if not switches.use_moe:
        yield Problem(
            "optimization_config.use_moe",
            f"must be true while num_experts is {experts}: the checkpoint's"
            " layers are experts (got false)",
        )
    if switches.moe_num_experts != experts:
        yield Problem(
            "optimization_config.moe_num_experts",
            f"must equal num_experts ({experts})"
            f" (got {switches.moe_num_experts})",
        )
    if top_k_ok and switches.moe_top_k != top_k:
        yield Problem(
            "optimization_config.moe_top_k",
            f"must equal num_experts_per_tok ({top_k})"
            f" (got {switches.moe_top_k})",
        )


@attrs.frozen
class Qwen3VLConfig(BaseConfig):
    """
    The whole configuration of a Qwen3-VL deployment.

    The architecture's text and vision fields sit on the root; memory, CPU,
    GPU, power and optimization settings are sections.

    Attributes:
        config_version: Layout version of the file, currently 1.
        num_hidden_layers: Text transformer layers (32 for full capacity).
        num_attention_heads: Text attention heads (32 for full capacity).
        hidden_size: Text hidden size, divisible by `num_attention_heads`.
        intermediate_size: Text MLP intermediate size.
        vocab_size: Tokens in the vocabulary.
        max_position_embeddings: Longest context in tokens.
        vision_num_hidden_layers: Vision transformer layers.
        vision_num_attention_heads: Vision attention heads.
        vision_hidden_size: Vision hidden size, divisible by the vision heads.
        vision_image_size: Input image side in pixels, divisible by the patch.
        vision_patch_size: Vision patch side in pixels.
        num_key_value_heads: Key/value heads, dividing
            `num_attention_heads`; 0 (the default) means one per attention
            head, the specification's multi-head attention.
        head_dim: Width of one attention head (even).
        hidden_act: Text MLP activation, a transformers name (``"silu"``).
        rms_norm_eps: RMS normalization epsilon, (0, 0.1].
        rope_theta: Rotary base period, (0, 10**12].
        mrope_section: Rotary frequency pairs for time, height and width;
            they add up to ``head_dim // 2``.
        mrope_interleaved: Interleave the sections (Qwen3-VL) rather than
            place them one after another (Qwen2-VL).
        attention_bias: Bias terms in the attention projections.
        tie_word_embeddings: Output layer shares the embedding matrix.
        vision_intermediate_size: Vision MLP intermediate size.
        vision_out_hidden_size: Width of the vision output; 0 (the default)
            or `hidden_size`.
        vision_spatial_merge_size: Patches merged per side into one token.
        vision_temporal_patch_size: Video frames per patch.
        vision_in_channels: Input colour channels.
        vision_num_position_embeddings: Learned vision position embeddings.
        vision_hidden_act: Vision MLP activation, a transformers name.
        vision_deepstack_visual_indexes: Vision layers tapped by DeepStack,
            increasing, each below `vision_num_hidden_layers`.
        num_experts: Experts per mixture-of-experts layer; 0 is a dense
            model.  When non-zero, ``optimization_config`` must switch MoE on
            with the same experts and top-k.
        num_experts_per_tok: Experts per token, 1 to `num_experts` (MoE).
        moe_intermediate_size: One expert's MLP width (MoE).
        decoder_sparse_step: Every n-th text layer is sparse (MoE).
        mlp_only_layers: Text layers kept dense (MoE).
        norm_topk_prob: Renormalize the chosen experts' weights (MoE).
        image_token_id: Placeholder token of an image patch.
        video_token_id: Placeholder token of a video patch.
        vision_start_token_id: Token that opens an image or video.
        vision_end_token_id: Token that closes an image or video.
        optimization_level: ``"minimal"``, ``"balanced"`` or ``"aggressive"``.
        hardware_target: Name of the machine the config is tuned for.
        preserve_full_capacity: Refuse fewer than 32 layers or heads.
        memory_config: `MemoryConfig`.
        cpu_config: `CPUConfig`.
        gpu_config: `GPUConfig`.
        power_management_config: `PowerManagementConfig`.
        optimization_config: `OptimizationConfig`.

    .. versionadded:: 0.1.0
    """

    __qwen3vl_rules__: ClassVar[tuple[Rule, ...]] = (
        _full_capacity,
        _divisible(
            "hidden_size", "num_attention_heads", "so heads split it evenly"
        ),
        _divisible(
            "vision_hidden_size",
            "vision_num_attention_heads",
            "so heads split it evenly",
        ),
        _divisible(
            "vision_image_size",
            "vision_patch_size",
            "so the image splits into whole patches",
        ),
        _key_value_groups,
        _rotary_sections,
        _vision_feeds_text,
        _deepstack_layers_exist,
        _experts_match,
    )

    @classmethod
    def from_preset(
        cls, level: str, hardware_target: str | None = None
    ) -> Self:
        """
        Return the defaults with a level preset and a hardware preset on top.

        `level` is an optimization level (``"minimal"``, ``"balanced"``,
        ``"aggressive"``); `hardware_target` names a hardware preset.
        `qwen3vl.list_presets` lists both.

        Raises:
            ConfigError: a name has no preset; the message lists the known
                ones.

        .. versionadded:: 0.1.0
        """
        from qwen3vl._converters import structure  # noqa: PLC0415
        from qwen3vl._layers import merge  # noqa: PLC0415
        from qwen3vl._presets import preset_layers  # noqa: PLC0415

        layers, problems = preset_layers(level, hardware_target)
        if problems:
            raise ConfigError(problems)
        merged = merge(layers)
        return structure(merged.data, cls, locate=merged.locate)

    if not TYPE_CHECKING:
        # Hidden from type checkers so that they keep catching misspelt
        # attributes; at run time, old code that read section fields from
        # the root (config.sparsity_ratio) keeps working, with a warning.

        def __getattr__(self, name: str) -> Any:
            from qwen3vl._compat import flat_names  # noqa: PLC0415

            section = flat_names(type(self)).get(name)
            if section is None:
                msg = (
                    f"{type(self).__name__!r} object has no attribute {name!r}"
                )
                raise AttributeError(msg)
            warnings.warn(
                f"config.{name} is deprecated; read config.{section}.{name}",
                DeprecationWarning,
                stacklevel=2,
            )
            return getattr(getattr(self, section), name)

    config_version: int = setting(
        CONFIG_VERSION,
        "Layout version of this configuration.",
        integer(ge=1, le=CONFIG_VERSION),
    )
    num_hidden_layers: int = setting(
        32,
        "Number of text transformer layers (32 for full capacity).",
        integer(ge=1, le=1024),
    )
    num_attention_heads: int = setting(
        32,
        "Number of text attention heads (32 for full capacity).",
        integer(ge=1, le=1024),
    )
    hidden_size: int = setting(
        4096, "Width of the text hidden layers.", integer(ge=1, le=262_144)
    )
    intermediate_size: int = setting(
        11008,
        "Width of the text MLP intermediate layer.",
        integer(ge=1, le=1_048_576),
    )
    vocab_size: int = setting(
        152064, "Number of tokens in the vocabulary.", integer(ge=1, le=2**24)
    )
    max_position_embeddings: int = setting(
        32768,
        "Longest sequence the position embeddings cover, in tokens.",
        integer(ge=1, le=2**26),
    )
    vision_num_hidden_layers: int = setting(
        24, "Number of vision transformer layers.", integer(ge=1, le=1024)
    )
    vision_num_attention_heads: int = setting(
        16, "Number of vision attention heads.", integer(ge=1, le=1024)
    )
    vision_hidden_size: int = setting(
        1152, "Width of the vision hidden layers.", integer(ge=1, le=262_144)
    )
    vision_image_size: int = setting(
        448, "Side of the input images, in pixels.", integer(ge=1, le=65_536)
    )
    vision_patch_size: int = setting(
        14, "Side of a vision patch, in pixels.", integer(ge=1, le=65_536)
    )
    num_key_value_heads: int = setting(
        0,
        "Key/value heads of the text attention; 0 means one per attention head.",
        integer(ge=0, le=1024),
    )
    head_dim: int = setting(
        128,
        "Width of one text attention head.",
        integer(ge=1, le=4096),
    )
    hidden_act: str = setting(
        "silu",
        "Activation function of the text MLP, by its transformers name.",
        one_of(ACTIVATIONS),
    )
    rms_norm_eps: float = setting(
        1e-6,
        "Epsilon of the text RMS normalization layers.",
        number(gt=0.0, le=0.1),
    )
    rope_theta: float = setting(
        5_000_000.0,
        "Base period of the text rotary position embeddings.",
        number(gt=0.0, le=1e12),
    )
    mrope_section: tuple[int, int, int] = setting(
        (24, 20, 20),
        "Rotary frequency pairs given to time, height and width, in that order.",
        int_tuple(ge=1, le=2048, min_len=3, max_len=3),
    )
    mrope_interleaved: bool = setting(
        True,
        "Interleave the time, height and width rotary sections (Qwen3-VL).",
        boolean(),
    )
    attention_bias: bool = setting(
        False,
        "Give the text attention projections a bias term.",
        boolean(),
    )
    tie_word_embeddings: bool = setting(
        False,
        "Share one matrix between the token embeddings and the output layer.",
        boolean(),
    )
    vision_intermediate_size: int = setting(
        4304,
        "Width of the vision MLP intermediate layer.",
        integer(ge=1, le=1_048_576),
    )
    vision_out_hidden_size: int = setting(
        0,
        "Width of the vision output fed to the text model; 0 means hidden_size.",
        integer(ge=0, le=262_144),
    )
    vision_spatial_merge_size: int = setting(
        2,
        "Side of the square of patches merged into one vision token.",
        integer(ge=1, le=64),
    )
    vision_temporal_patch_size: int = setting(
        2,
        "Video frames that one vision patch spans.",
        integer(ge=1, le=64),
    )
    vision_in_channels: int = setting(
        3, "Colour channels of the input images.", integer(ge=1, le=64)
    )
    vision_num_position_embeddings: int = setting(
        2304,
        "Learned vision position embeddings (a square grid of that many).",
        integer(ge=1, le=1_048_576),
    )
    vision_hidden_act: str = setting(
        "gelu_pytorch_tanh",
        "Activation function of the vision MLP, by its transformers name.",
        one_of(ACTIVATIONS),
    )
    vision_deepstack_visual_indexes: tuple[int, ...] = setting(
        (5, 11, 17),
        "Vision layers whose outputs DeepStack feeds into the first text layers.",
        int_tuple(ge=0, le=1023, max_len=64, increasing=True),
    )
    num_experts: int = setting(
        0,
        "Experts in each mixture-of-experts layer; 0 means a dense model.",
        integer(ge=0, le=1024),
    )
    num_experts_per_tok: int = setting(
        0,
        "Experts each token is routed to (mixture-of-experts models only).",
        integer(ge=0, le=1024),
    )
    moe_intermediate_size: int = setting(
        0,
        "Width of one expert's MLP (mixture-of-experts models only).",
        integer(ge=0, le=1_048_576),
    )
    decoder_sparse_step: int = setting(
        1,
        "Every this many text layers is a mixture-of-experts layer.",
        integer(ge=1, le=1024),
    )
    mlp_only_layers: tuple[int, ...] = setting(
        (),
        "Text layers that keep a dense MLP in a mixture-of-experts model.",
        int_tuple(ge=0, le=1023, max_len=1024, increasing=True),
    )
    norm_topk_prob: bool = setting(
        True,
        "Renormalize the routing weights of the chosen experts to sum to one.",
        boolean(),
    )
    image_token_id: int = setting(
        151655,
        "Token id that stands for one image patch in the text.",
        integer(ge=0, le=MAX_TOKEN_ID),
    )
    video_token_id: int = setting(
        151656,
        "Token id that stands for one video patch in the text.",
        integer(ge=0, le=MAX_TOKEN_ID),
    )
    vision_start_token_id: int = setting(
        151652,
        "Token id that opens an image or a video in the text.",
        integer(ge=0, le=MAX_TOKEN_ID),
    )
    vision_end_token_id: int = setting(
        151653,
        "Token id that closes an image or a video in the text.",
        integer(ge=0, le=MAX_TOKEN_ID),
    )
    optimization_level: OptimizationLevel = setting(
        "balanced",
        "Optimization level: minimal, balanced or aggressive.",
        one_of(("minimal", "balanced", "aggressive")),
    )
    hardware_target: str = setting(
        "intel_i5_10210u_nvidia_sm61_nvme",
        "Name of the machine this configuration is tuned for.",
        name(),
    )
    preserve_full_capacity: bool = setting(
        True,
        "Refuse fewer than 32 layers or 32 attention heads.",
        boolean(),
    )
    memory_config: MemoryConfig = section(
        MemoryConfig, "Memory pool and GPU / CPU / SSD tiers."
    )
    cpu_config: CPUConfig = section(
        CPUConfig, "CPU threads, caches and instruction set."
    )
    gpu_config: GPUConfig = section(
        GPUConfig, "GPU capabilities and how to use them."
    )
    power_management_config: PowerManagementConfig = section(
        PowerManagementConfig, "Power and thermal limits."
    )
    optimization_config: OptimizationConfig = section(
        OptimizationConfig, "Switches for every optimization technique."
    )

    @classmethod
    def from_pretrained(cls, path_or_model_id: str | os.PathLike[str]) -> Self:
        """
        Return the configuration of a pretrained model, found locally.

        `path_or_model_id` is a folder, or a Hugging Face model id such as
        ``"Qwen/Qwen3-VL-8B-Instruct"`` that is looked up in the local
        Hugging Face cache (``HF_HUB_CACHE``, else ``$HF_HOME/hub``, else
        ``~/.cache/huggingface/hub``); nothing is downloaded.  In the folder
        (or the cached snapshot), a configuration of ours
        (``qwen3vl.toml``, ``.yaml``, ``.yml`` or ``.json``) is read as it
        is; otherwise the Hugging Face ``config.json`` is imported as
        `qwen3vl.import_hf_config` does, with the other settings at their
        defaults.

        Warns:
            UnmappedKeyWarning: ``config.json`` held keys that no field
                holds; they are not imported.

        Raises:
            ConfigError: nothing was found (the message says where it
                looked), or the file is unsafe, unreadable or invalid.

        .. versionadded:: 0.1.0
        """
        from qwen3vl._formats import read_document  # noqa: PLC0415
        from qwen3vl.huggingface._cache import locate  # noqa: PLC0415
        from qwen3vl.huggingface._reader import import_hf  # noqa: PLC0415

        found = locate(path_or_model_id)
        if found.kind == "qwen3vl":
            return cls.from_file(found.path)
        data, _, source = read_document(found.path)
        # stacklevel 3: the warning names the caller of from_pretrained.
        return import_hf(cls, data, source=source, stacklevel=3).config

    def to_hf_dict(self) -> dict[str, Any]:
        """
        Return the architecture as a Hugging Face ``config.json`` dict.

        The layout is Qwen3-VL's as released, or Qwen3-VL-MoE's when
        `num_experts` is non-zero; transformers' ``AutoConfig`` reads it to
        the same architecture.  Only architecture fields are written: the
        deployment sections have no place in a ``config.json``.

        .. versionadded:: 0.1.0
        """
        from qwen3vl.huggingface._writer import to_hf  # noqa: PLC0415

        return to_hf(self.to_dict())
