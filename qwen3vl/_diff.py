"""
`diff`: what differs between two configurations, leaf by leaf.

Strictly private.
"""

from __future__ import annotations

from typing import Any

from ._fields import is_config_class, leaf_paths


__all__ = ["diff", "value_at"]


def value_at(config: object, path: str) -> Any:
    """Return the value at dotted `path` of a config object."""
    for part in path.split("."):
        config = getattr(config, part)
    return config


def diff(a: object, b: object) -> list[tuple[str, Any, Any]]:
    """
    Return ``(path, old, new)`` for every leaf whose value differs.

    Leaves are listed in schema order with their Python values (sizes in
    bytes).  `a` and `b` must be configs of the same class: the root or one
    section.

    .. versionadded:: 0.1.0
    """
    cls = type(a)
    if cls is not type(b) or not is_config_class(cls):
        msg = (
            "diff needs two configs of the same class "
            f"(got {cls.__name__} and {type(b).__name__})"
        )
        raise TypeError(msg)
    changes = []
    for path in leaf_paths(cls):
        old, new = value_at(a, path), value_at(b, path)
        if old != new:
            changes.append((path, old, new))
    return changes
