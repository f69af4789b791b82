"""
The power management section.

Strictly private.
"""

from __future__ import annotations

import attrs

from qwen3vl._fields import setting
from qwen3vl._validators import boolean, number

from .base import BaseConfig


__all__ = ["PowerManagementConfig"]


@attrs.frozen(eq=False, repr=False)
class PowerManagementConfig(BaseConfig):
    """
    Power and thermal limits the runtime adapts to.

    Attributes:
        enable_power_optimization: Adapt work to the power and heat limits.
        power_constraint: Fraction of the power budget to stay under, (0, 1].
        thermal_constraint: Temperature to stay under, degrees Celsius,
            (0, 125].
        performance_target: Fraction of peak performance to aim for, (0, 1].
        adaptation_frequency: Seconds between adaptations, (0, 3600].

    .. versionadded:: 0.1.0
    """

    enable_power_optimization: bool = setting(
        True, "Adapt work to the power and thermal limits.", boolean()
    )
    power_constraint: float = setting(
        0.8,
        "Fraction of the power budget to stay under.",
        number(gt=0.0, le=1.0),
    )
    thermal_constraint: float = setting(
        75.0,
        "Temperature to stay under, in degrees Celsius.",
        number(gt=0.0, le=125.0),
    )
    performance_target: float = setting(
        0.9,
        "Fraction of peak performance to aim for.",
        number(gt=0.0, le=1.0),
    )
    adaptation_frequency: float = setting(
        1.0,
        "Seconds between two power adaptations.",
        number(gt=0.0, le=3600.0),
    )
