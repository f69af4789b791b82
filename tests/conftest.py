"""Shared pytest configuration: Hypothesis profiles and fixtures."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings


# "ci" is thorough but bounded; FAST=1 keeps local runs quick.
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("fast", max_examples=25, deadline=None)
settings.load_profile("fast" if os.environ.get("FAST") else "ci")
