"""qwen3vl itself, through its public API only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qwen3vl import ConfigError, Qwen3VLConfig, apply_updates


__all__ = ["apply_updates"]

NAME = "qwen3vl"
DISTRIBUTION = "qwen3vl"
IMPORT = "import qwen3vl"
CALLS = (
    "Qwen3VLConfig(), Qwen3VLConfig.from_dict, .to_dict(), apply_updates, "
    "Qwen3VLConfig.from_file, .save_to_file (atomic, with fsync)"
)

INVALID = (ConfigError,)


def inputs(common: Any, workdir: Path) -> Any:  # noqa: ARG001 - its own
    """The inputs are qwen3vl's own."""
    return common


def default() -> Qwen3VLConfig:
    """Return the default configuration."""
    return Qwen3VLConfig()


def from_dict(data: dict[str, Any]) -> Qwen3VLConfig:
    """Return a validated configuration from plain data."""
    return Qwen3VLConfig.from_dict(data)


def to_dict(config: Qwen3VLConfig) -> dict[str, Any]:
    """Return plain JSON-typed data."""
    return config.to_dict()


def count_problems(error: ConfigError) -> int:
    """Return how many problems `error` lists."""
    return len(error.problems)


def _save(config: Qwen3VLConfig, path: Path) -> None:
    config.save_to_file(path)


LOADERS = {
    "json": Qwen3VLConfig.from_file,
    "yaml": Qwen3VLConfig.from_file,
    "toml": Qwen3VLConfig.from_file,
}
SAVERS = {"json": _save, "yaml": _save, "toml": _save}
