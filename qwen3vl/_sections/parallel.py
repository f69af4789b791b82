"""
The parallel section: how many GPUs share the model, and how.

vLLM's ``--tensor-parallel-size``, ``--pipeline-parallel-size``,
``--data-parallel-size`` and ``--enable-expert-parallel``; SGLang's
``--tp``, ``--pp``, ``--dp`` and ``--ep``.  The rule `splits_evenly` refuses
the sizes vLLM refuses for the model: in its config classes (the text
attention heads) and when it builds the model (every other tensor it
shards).

Strictly private.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from qwen3vl._fields import rule, setting
from qwen3vl._validators import boolean, integer
from qwen3vl.exceptions import Problem

from .base import BaseConfig


__all__ = ["ParallelConfig", "splits_evenly", "tensor_parallel_refusals"]

#: The most GPUs one parallel dimension may name: far beyond any deployment,
#: low enough that products of sizes stay small numbers.
MOST_GPUS = 4096

#: Hugging Face's methods whose Linear weights are stored in groups along
#: the input: vLLM needs whole groups on each GPU.
GROUPED_METHODS = ("awq", "gptq")

# The possessive ending, by whether the name ends in "s".
_OWN = ("'s", "'")


@attrs.frozen(eq=False, repr=False)
class ParallelConfig(BaseConfig):
    """
    How the model is spread across GPUs and nodes.

    Attributes:
        tensor_parallel_size: GPUs that split every layer (within a node).
        pipeline_parallel_size: Stages that split the layers (across nodes).
        data_parallel_size: Replicas of the whole model, each serving its
            own sequences.
        expert_parallel: Place whole experts on GPUs instead of splitting
            each expert (a mixture-of-experts model only); the
            expert-parallel size is tensor x data parallel, as in vLLM.

    One GPU serves ``tensor_parallel_size x pipeline_parallel_size`` of the
    model; the deployment needs that many GPUs times `data_parallel_size`.

    .. versionadded:: 0.2.0
    """

    tensor_parallel_size: int = setting(
        1,
        "GPUs that split every layer, within a node.",
        integer(ge=1, le=MOST_GPUS),
    )
    pipeline_parallel_size: int = setting(
        1,
        "Stages that split the layers, across nodes.",
        integer(ge=1, le=MOST_GPUS),
    )
    data_parallel_size: int = setting(
        1,
        "Replicas of the whole model, each serving its own sequences.",
        integer(ge=1, le=MOST_GPUS),
    )
    expert_parallel: bool = setting(
        False,
        "Place whole experts on GPUs (tensor x data parallel of them).",
        boolean(),
    )

    @property
    def world_size(self) -> int:
        """The GPUs of the deployment: tensor x pipeline x data parallel."""
        return (
            self.tensor_parallel_size
            * self.pipeline_parallel_size
            * self.data_parallel_size
        )


def _shards(size: int, tp: int, what: str) -> str | None:
    """Say why `size` does not split into `tp` equal parts, or None."""
    if size % tp:
        return f"{what} ({size}) do not split into {tp} equal parts"
    return None


def tensor_parallel_refusals(c: Mapping[str, Any], tp: int) -> list[str]:
    """
    Return why vLLM cannot split the model `c` (the root's values) over `tp` GPUs.

    The text attention heads are vLLM's config check
    (``ModelConfig.verify_with_parallel_config``); the rest are what its
    layers divide when the model is built: the key/value heads (replicated
    when there are fewer than GPUs), the MLPs, the experts without expert
    parallelism (and never fewer experts than GPUs), the vision tower's
    heads and MLP, and the input groups of AWQ and GPTQ weights.
    """
    reasons: list[str] = []
    heads, kv = (
        c["num_attention_heads"],
        c["num_key_value_heads"] or (c["num_attention_heads"]),
    )
    head_dim = c["head_dim"] or c["hidden_size"] // heads
    parallel, quantization = c["parallel_config"], c["quantization_config"]
    moe = c["num_experts"] > 0
    dense_layers = (
        not moe or bool(c["mlp_only_layers"]) or c["decoder_sparse_step"] > 1
    )
    checks = [
        _shards(heads, tp, "the attention heads"),
        # vLLM's QKVParallelLinear: each GPU holds whole key/value heads, or
        # a whole number of GPUs shares one.
        (
            f"the key/value heads ({kv}) are neither a multiple nor a"
            f" divisor of {tp}"
            if (tp % kv if tp >= kv else kv % tp)
            else None
        ),
        _shards(c["intermediate_size"], tp, "the MLP's intermediate sizes")
        if dense_layers
        else None,
        _shards(
            c["moe_intermediate_size"], tp, "the experts' intermediate sizes"
        )
        if moe and not parallel.expert_parallel
        else None,
        # vLLM's Qwen3-MoE block, with expert parallelism or without.
        f"there are more GPUs ({tp}) than experts ({c['num_experts']})"
        if moe and tp > c["num_experts"]
        else None,
        _shards(c["vision_num_attention_heads"], tp, "the vision heads"),
        _shards(
            c["vision_intermediate_size"],
            tp,
            "the vision MLP's intermediate sizes",
        ),
    ]
    reasons.extend(reason for reason in checks if reason)
    group = quantization.group_size
    if quantization.method in GROUPED_METHODS and group > 0 and not reasons:
        # The row-parallel Linears (o_proj, down_proj) split their input.
        inputs = [("o_proj", heads * head_dim // tp)]
        if dense_layers:
            inputs.append(("down_proj", c["intermediate_size"] // tp))
        if moe and not parallel.expert_parallel:
            inputs.append(("the experts", c["moe_intermediate_size"] // tp))
        reasons.extend(
            f"{name}{_OWN[name.endswith('s')]} input per GPU ({size}) is not"
            f" whole {quantization.method} groups of {group}"
            for name, size in inputs
            if size % group
        )
    return reasons


@rule(
    "num_attention_heads",
    "num_key_value_heads",
    "head_dim",
    "hidden_size",
    "num_hidden_layers",
    "intermediate_size",
    "num_experts",
    "moe_intermediate_size",
    "mlp_only_layers",
    "decoder_sparse_step",
    "vision_num_attention_heads",
    "vision_intermediate_size",
    "quantization_config",
    "parallel_config",
)
def splits_evenly(c: Mapping[str, Any]) -> Iterator[Problem]:
    # vLLM refuses these when it checks its config or builds the model, on
    # every GPU at once: refused here, before anyone reserves a node.
    parallel = c["parallel_config"]
    tp = parallel.tensor_parallel_size
    if tp > 1:
        reasons = tensor_parallel_refusals(c, tp)
        if reasons:
            yield Problem(
                "parallel_config.tensor_parallel_size",
                f"vLLM cannot split the model over {tp} GPUs: "
                + "; ".join(reasons)
                + f" (got {tp})",
            )
    layers, stages = c["num_hidden_layers"], parallel.pipeline_parallel_size
    if stages > layers:
        yield Problem(
            "parallel_config.pipeline_parallel_size",
            f"must be at most num_hidden_layers ({layers}): each stage"
            f" holds at least one layer (got {stages})",
        )
    if parallel.expert_parallel:
        experts, size = c["num_experts"], tp * parallel.data_parallel_size
        if experts == 0:
            yield Problem(
                "parallel_config.expert_parallel",
                "must be false: the model is dense (num_experts is 0), and"
                " vLLM refuses expert parallelism without experts (got true)",
            )
        elif size > experts:
            yield Problem(
                "parallel_config.expert_parallel",
                f"must be false while tensor x data parallel ({size}) is"
                f" more than the experts ({experts}): a GPU would hold none"
                " (got true)",
            )
