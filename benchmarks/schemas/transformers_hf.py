"""
transformers' own ``Qwen3VLConfig``, for the architecture fields it holds.

Its input is qwen3vl's ``to_hf_dict()`` (a ``config.json``); the deployment
sections have no counterpart there, so the patch changes two fields of
``text_config`` instead, and only JSON files exist.  Its ``from_dict``
changes the dict it is given, so ``from_dict`` here hands it a copy.  transformers 5 checks
field types as its configs are built and stops at the first problem.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import os

from pathlib import Path
from typing import Any

from .merge import deep_merge


# Its "PyTorch was not found" notice would land in the middle of the table.
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

from huggingface_hub.errors import StrictDataclassError
from transformers import Qwen3VLConfig


__all__ = ["Qwen3VLConfig"]

NAME = "transformers"
DISTRIBUTION = "transformers"
IMPORT = "from transformers import Qwen3VLConfig"
CALLS = (
    "Qwen3VLConfig(), Qwen3VLConfig.from_dict(deepcopy(data)), .to_dict(), "
    "from_dict(merge(to_dict(), patch)), from_json_file, to_json_file; "
    "its own config.json layout, architecture only"
)

INVALID = (StrictDataclassError, ValueError, TypeError)


def inputs(common: Any, workdir: Path) -> Any:
    """Translate qwen3vl's inputs to the ``config.json`` layout."""
    from qwen3vl import Qwen3VLConfig as Ours  # noqa: PLC0415

    full = Ours.from_dict(common.full).to_hf_dict()
    invalid = copy.deepcopy(full)
    invalid["text_config"]["num_hidden_layers"] = "32"
    invalid["vision_config"]["depth"] = -1
    invalid["vision_config"]["num_heads"] = "16"
    path = workdir / "transformers-config.json"
    path.write_text(json.dumps(full, indent=2))
    return dataclasses.replace(
        common,
        full=full,
        invalid=invalid,
        patch={
            "text_config": {
                "rms_norm_eps": 1e-5,
                "max_position_embeddings": 65536,
            }
        },
        files={"json": path},
    )


def default() -> Qwen3VLConfig:
    """Return transformers' default Qwen3-VL configuration."""
    return Qwen3VLConfig()


def from_dict(data: dict[str, Any]) -> Qwen3VLConfig:
    """Return a configuration from a ``config.json`` dict."""
    # from_dict changes the dict it is given (it fills in rope_theta and the
    # vision model_type), so each call gets its own copy: about 1% of it.
    return Qwen3VLConfig.from_dict(copy.deepcopy(data))


def to_dict(config: Qwen3VLConfig) -> dict[str, Any]:
    """Return the ``config.json`` dict."""
    data: dict[str, Any] = config.to_dict()
    return data


def apply_updates(
    config: Qwen3VLConfig, patch: dict[str, Any]
) -> Qwen3VLConfig:
    """Dump, merge the patch in, build the whole again."""
    return Qwen3VLConfig.from_dict(deep_merge(config.to_dict(), patch))


def count_problems(error: Exception) -> int:  # noqa: ARG001 - always one
    """transformers reports the first problem only."""
    return 1


LOADERS = {"json": Qwen3VLConfig.from_json_file}
SAVERS = {"json": lambda config, path: config.to_json_file(path)}
