"""
`config_schema`: the JSON Schema of `Qwen3VLConfig` files, for editors.

Strictly private: import `config_schema` from `qwen3vl`.
"""

from __future__ import annotations

from typing import Any

from ._jsonschema import json_schema
from ._sections import Qwen3VLConfig


__all__ = ["config_schema"]


def config_schema() -> dict[str, Any]:
    """
    Return the JSON Schema (draft 2020-12) of a configuration file.

    It describes the current layout of a `Qwen3VLConfig` file, JSON, YAML or
    TOML alike: every key with its type, range, allowed values, default and
    description, and no unknown keys.  Save it as JSON and point an editor
    at it (docs/schema.md shows how).  A file the schema refuses does not
    load; a file it accepts can still break a rule across fields, which only
    loading checks.  The dict is new on every call.

    .. versionadded:: 0.1.0
    """
    return json_schema(Qwen3VLConfig)
