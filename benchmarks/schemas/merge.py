"""The merge a user of a library without updates writes: mappings recurse."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


__all__ = ["deep_merge"]


def deep_merge(
    base: Mapping[str, Any], patch: Mapping[str, Any]
) -> dict[str, Any]:
    """Return `base` with `patch` merged in; neither is changed."""
    merged = dict(base)
    for key, value in patch.items():
        old = merged.get(key)
        if isinstance(value, Mapping) and isinstance(old, Mapping):
            merged[key] = deep_merge(old, value)
        else:
            merged[key] = value
    return merged
