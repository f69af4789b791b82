"""
`Finding`: one thing a configuration asks of a machine, and how rules yield them.

Strictly private: import `Finding` from `qwen3vl.hardware`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, Literal

import attrs

from qwen3vl._sections import Qwen3VLConfig

from ._profile import HardwareProfile


__all__ = ["ORDER", "Finding", "Rule", "Severity", "cc_text", "where"]

Severity = Literal["error", "warning", "info"]
ORDER = {"error": 0, "warning": 1, "info": 2}


@attrs.frozen
class Finding:
    """
    One thing a configuration asks that the machine cannot give, or should not.

    Attributes:
        severity: ``"error"`` (it will fail or run far below its speed),
            ``"warning"`` (it runs, but not as the config says) or
            ``"info"``.
        path: The dotted path of the setting concerned.
        message: What is wrong, with the figures.
        suggestion: What to change.
        fix: The safe changes (dotted path to value) that
            `resolve_for_hardware` applies; empty if there is none.

    .. versionadded:: 0.1.0
    """

    severity: Severity
    path: str
    message: str
    suggestion: str
    fix: Mapping[str, Any] = attrs.field(factory=dict, eq=False, repr=False)

    def __str__(self) -> str:
        return (
            f"{self.severity}: {self.path}: {self.message}; {self.suggestion}"
        )


#: A check: a function of the config and the machine that yields findings.
Rule = Callable[[Qwen3VLConfig, HardwareProfile], Iterator[Finding]]


def cc_text(cc: tuple[int, int]) -> str:
    """Write a compute capability as ``major.minor``."""
    return f"{cc[0]}.{cc[1]}"


def where(hardware: HardwareProfile) -> str:
    """Name the GPU a finding is about: the real one, or the configured one."""
    return "the GPU" if hardware.gpu is not None else "the configured GPU"
