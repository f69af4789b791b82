"""
Reading and writing JSON, YAML and TOML as a user of a schema library would.

YAML goes through libyaml's C loader and dumper where PyYAML has them, as
the issue asks of every contender; TOML is written with tomli-w.
"""

from __future__ import annotations

import json
import tomllib

from pathlib import Path
from typing import Any

import tomli_w
import yaml


__all__ = [
    "read_json",
    "read_toml",
    "read_yaml",
    "write_json",
    "write_toml",
    "write_yaml",
]

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def read_json(path: Path) -> Any:
    """Return the data of a JSON file."""
    return json.loads(path.read_bytes())


def read_yaml(path: Path) -> Any:
    """Return the data of a YAML file, read by the safe (C) loader."""
    return yaml.load(path.read_bytes(), Loader=_LOADER)  # noqa: S506 - a safe loader


def read_toml(path: Path) -> Any:
    """Return the data of a TOML file."""
    return tomllib.loads(path.read_bytes().decode())


def write_json(data: Any, path: Path) -> None:
    """Write `data` as indented JSON."""
    path.write_text(json.dumps(data, indent=2))


def write_yaml(data: Any, path: Path) -> None:
    """Write `data` as block-style YAML, keys in their order."""
    path.write_text(yaml.dump(data, Dumper=_DUMPER, sort_keys=False))


def write_toml(data: Any, path: Path) -> None:
    """Write `data` as TOML."""
    path.write_text(tomli_w.dumps(data))
