"""
The root configuration: the architecture, the level, the target, the sections.

Strictly private.
"""

from __future__ import annotations

import os
import warnings

from typing import TYPE_CHECKING, Any, ClassVar, Literal, Self

import attrs

from qwen3vl._compound import int_tuple
from qwen3vl._fields import Rule, section, setting
from qwen3vl._validators import (
    boolean,
    integer,
    name,
    number,
    one_of,
)
from qwen3vl.exceptions import ConfigError

from .architecture import (
    ACTIVATIONS,
    MAX_TOKEN_ID,
    deepstack_layers_exist,
    divisible,
    experts_match,
    full_capacity,
    key_value_groups,
    rotary_sections,
    vision_feeds_text,
)
from .base import CONFIG_VERSION, BaseConfig
from .cpu import CPUConfig
from .families import FAMILIES, ModelFamily, family_fixes, qwen2_shapes
from .gpu import GPUConfig
from .memory import MemoryConfig
from .optimization import OptimizationConfig
from .parallel import ParallelConfig, splits_evenly
from .power import PowerManagementConfig
from .quantization import QuantizationConfig
from .rope import RopeScalingConfig
from .serving import ServingConfig, fits_the_model


# The methods below import what they use (presets, files, Hugging Face,
# converters, the old layouts) when they run, not here: `import qwen3vl`
# loads this module, and those would cost it time that programs which only
# build or read configs never get back (issue 8).  Hence the PLC0415s.

__all__ = ["Qwen3VLConfig"]

OptimizationLevel = Literal["minimal", "balanced", "aggressive"]
CheckpointDtype = Literal["bfloat16", "float16", "float32"]


@attrs.frozen(eq=False, repr=False)
class Qwen3VLConfig(BaseConfig):
    """
    The whole configuration of a Qwen3-VL deployment.

    The architecture's text and vision fields sit on the root, for the
    Qwen-VL family `model_family` names; RoPE scaling, the stored weights'
    quantization, memory, CPU, GPU, power, optimization, serving and
    parallel settings are sections.

    Attributes:
        config_version: Layout version of the file, currently 1.
        model_family: ``"qwen3_vl"`` (mixture-of-experts when `num_experts`
            is non-zero), ``"qwen2_5_vl"`` or ``"qwen2_vl"``: the
            architecture the flat fields describe, counted, checked and
            exported as itself.
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
        mrope_interleaved: Interleave the sections (Qwen3-VL; vLLM reads
            it, transformers always interleaves); false for the Qwen2
            families.
        attention_bias: Bias terms in the attention projections (Qwen3-VL:
            all four; always true for the Qwen2 families: query, key and
            value).
        tie_word_embeddings: Output layer shares the embedding matrix.
        vision_intermediate_size: Vision MLP intermediate size.
        vision_out_hidden_size: Width of the vision output; 0 (the default)
            or `hidden_size`.
        vision_spatial_merge_size: Patches merged per side into one token.
        vision_temporal_patch_size: Video frames per patch.
        vision_in_channels: Input colour channels.
        vision_num_position_embeddings: Learned vision position embeddings
            (Qwen3-VL); 0 for the Qwen2 families.
        vision_hidden_act: Vision MLP activation, a transformers name.
        vision_deepstack_visual_indexes: Vision layers tapped by DeepStack,
            increasing, each below `vision_num_hidden_layers`; empty for the
            Qwen2 families.
        vision_window_size: Side of a vision attention window in pixels
            (Qwen2.5-VL); 0 for the other families.
        vision_fullatt_block_indexes: Vision layers that attend to the
            whole image (Qwen2.5-VL).
        vision_tokens_per_second: Temporal positions per second of video
            (Qwen2.5-VL); 0 for the other families.
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
        bos_token_id: Token that begins a sequence.
        eos_token_id: Token that ends a sequence.
        dtype: The checkpoint's dtype (``"bfloat16"``, ``"float16"``,
            ``"float32"``); quantized weights are `quantization_config`'s.
        optimization_level: ``"minimal"``, ``"balanced"`` or ``"aggressive"``.
        hardware_target: Name of the machine the config is tuned for.
        preserve_full_capacity: Refuse fewer than 32 layers or heads.
        memory_config: `MemoryConfig`.
        cpu_config: `CPUConfig`.
        gpu_config: `GPUConfig`.
        power_management_config: `PowerManagementConfig`.
        optimization_config: `OptimizationConfig`.
        rope_scaling_config: `RopeScalingConfig`.
        quantization_config: `QuantizationConfig`.
        serving_config: `ServingConfig`.
        parallel_config: `ParallelConfig`.

    .. versionadded:: 0.1.0
    """

    __qwen3vl_rules__: ClassVar[tuple[Rule, ...]] = (
        full_capacity,
        divisible(
            "hidden_size", "num_attention_heads", "so heads split it evenly"
        ),
        divisible(
            "vision_hidden_size",
            "vision_num_attention_heads",
            "so heads split it evenly",
        ),
        divisible(
            "vision_image_size",
            "vision_patch_size",
            "so the image splits into whole patches",
        ),
        key_value_groups,
        rotary_sections,
        vision_feeds_text,
        deepstack_layers_exist,
        experts_match,
        family_fixes,
        qwen2_shapes,
        fits_the_model,
        splits_evenly,
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
    model_family: ModelFamily = setting(
        "qwen3_vl",
        "Qwen-VL family of the architecture: qwen3_vl, qwen2_5_vl or qwen2_vl.",
        one_of(FAMILIES),
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
        integer(ge=0, le=1_048_576),
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
    vision_window_size: int = setting(
        0,
        "Side of a vision attention window in pixels (Qwen2.5-VL); 0 otherwise.",
        integer(ge=0, le=65_536),
    )
    vision_fullatt_block_indexes: tuple[int, ...] = setting(
        (),
        "Vision layers that attend to the whole image (Qwen2.5-VL).",
        int_tuple(ge=0, le=1023, max_len=1024, increasing=True),
    )
    vision_tokens_per_second: int = setting(
        0,
        "Temporal positions per second of video (Qwen2.5-VL); 0 otherwise.",
        integer(ge=0, le=1_000_000),
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
    bos_token_id: int = setting(
        151643,
        "Token id that begins a sequence.",
        integer(ge=0, le=MAX_TOKEN_ID),
    )
    eos_token_id: int = setting(
        151645,
        "Token id that ends a sequence.",
        integer(ge=0, le=MAX_TOKEN_ID),
    )
    dtype: CheckpointDtype = setting(
        "bfloat16",
        "The checkpoint's dtype: bfloat16, float16 or float32.",
        one_of(("bfloat16", "float16", "float32")),
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
    rope_scaling_config: RopeScalingConfig = section(
        RopeScalingConfig, "How the text model's rotary positions are scaled."
    )
    quantization_config: QuantizationConfig = section(
        QuantizationConfig, "How the checkpoint's weights are stored."
    )
    serving_config: ServingConfig = section(
        ServingConfig,
        "What is served: context, sequences, KV cache dtype, media limits.",
    )
    parallel_config: ParallelConfig = section(
        ParallelConfig,
        "How many GPUs share the model: tensor, pipeline, data, expert.",
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
        (``qwen3vl.toml``, ``.yaml``, ``.yml`` or ``.json``, or a
        ``config.json`` of ours: one with ``config_version`` and no
        ``model_type`` or ``architectures``) is read as it is; otherwise
        the Hugging Face ``config.json`` is imported as
        `qwen3vl.import_hf_config` does, with the other settings at their
        defaults: its layout (Qwen3-VL, Qwen3-VL-MoE, Qwen2.5-VL or
        Qwen2-VL) sets `model_family`, and its RoPE scaling, token ids,
        dtype and ``quantization_config`` are read too.

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

        The layout of the config's `model_family` is written, as its
        checkpoints were released: Qwen3-VL's (Qwen3-VL-MoE's when
        `num_experts` is non-zero), Qwen2.5-VL's or Qwen2-VL's, with that
        family's ``model_type`` and ``architectures``, its RoPE scaling,
        token ids and dtype, and the ``quantization_config`` of a quantized
        checkpoint.  transformers' ``AutoConfig`` reads it to the same
        architecture.  Only the architecture (and how the weights are
        stored) is written: the deployment sections have no place in a
        ``config.json``.

        .. versionadded:: 0.1.0
        """
        from qwen3vl.huggingface._writer import to_hf  # noqa: PLC0415

        return to_hf(self.to_dict())
