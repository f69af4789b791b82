"""
`resolve_for_hardware`: the effective configuration on a machine.

Strictly private: import the names from `qwen3vl.hardware`.
"""

from __future__ import annotations

from typing import Any

import attrs

from qwen3vl._diff import value_at
from qwen3vl._sections import Qwen3VLConfig
from qwen3vl._update import apply_updates

from ._check import Finding, check_config
from ._detect import detect_hardware
from ._profile import HardwareProfile


__all__ = ["Change", "Resolution", "resolve_for_hardware"]


@attrs.frozen
class Change:
    """
    One setting the resolver changed.

    Attributes:
        path: Its dotted path.
        old: The value in the given config.
        new: The effective value.
        reason: The finding that made the change necessary.

    .. versionadded:: 0.1.0
    """

    path: str
    old: Any
    new: Any
    reason: str


@attrs.frozen
class Resolution:
    """
    The effective config on a machine, and every change that made it.

    Attributes:
        config: The effective configuration.
        changes: What changed, and why, in path order.
        findings: What `check_config` still reports for the effective
            config (what has no safe automatic fix).

    .. versionadded:: 0.1.0
    """

    config: Qwen3VLConfig
    changes: tuple[Change, ...]
    findings: tuple[Finding, ...]


def resolve_for_hardware(
    config: Qwen3VLConfig, hardware: HardwareProfile | None = None
) -> Resolution:
    """
    Apply the safe fallback of every error finding that has one.

    For example FlashAttention-2 becomes ``sdpa`` below compute 8.0, tensor
    cores go off below 7.0, a missing SIMD set falls back to the CPU's.
    Warnings and infos change nothing.  Resolving a resolved config changes
    nothing.

    .. versionadded:: 0.1.0
    """
    profile = detect_hardware() if hardware is None else hardware
    changes: dict[str, Change] = {}
    current = config
    # A fix can reveal another finding (no GPU turns mixed precision off,
    # which changes the plan); a few rounds reach the fixed point.
    for _ in range(4):
        patch: dict[str, Any] = {}
        for finding in check_config(current, profile):
            if finding.severity != "error":
                continue
            for path, new in finding.fix.items():
                if path in patch or value_at(current, path) == new:
                    continue
                patch[path] = list(new) if isinstance(new, tuple) else new
                old = (
                    changes[path].old
                    if path in changes
                    else value_at(config, path)
                )
                changes[path] = Change(path, old, new, finding.message)
        if not patch:
            break
        current = apply_updates(current, patch)
    effective = tuple(
        c
        for _, c in sorted(changes.items())
        if value_at(current, c.path) != c.old
    )
    return Resolution(
        current, effective, tuple(check_config(current, profile))
    )
