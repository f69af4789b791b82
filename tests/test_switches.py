"""Tests for the table of switches that transformers has a counterpart for."""

from __future__ import annotations

import re

import attrs

from qwen3vl import OptimizationConfig
from qwen3vl._switches import TRANSFORMERS_COUNTERPARTS, without_counterpart

from helpers import ROOT


class TestSwitchTable:
    def test_every_switch_is_in_the_table_in_field_order(self):
        """The table has exactly the optimization section's switches."""
        switches = [
            f.name
            for f in attrs.fields(OptimizationConfig)
            if f.type in ("bool", bool)
        ]

        assert switches == list(TRANSFORMERS_COUNTERPARTS)

    def test_docs_table_equals_the_module(self):
        """docs/integration.md lists each switch with the module's counterpart."""
        text = (ROOT / "docs" / "integration.md").read_text(encoding="utf-8")
        rows = re.findall(r"^\| `(use_\w+)` \| (.*?) \|$", text, re.MULTILINE)

        documented = {
            name: None if does == "none" else does for name, does in rows
        }

        assert dict(TRANSFORMERS_COUNTERPARTS) == documented
        assert len(TRANSFORMERS_COUNTERPARTS) == len(rows)

    def test_without_counterpart_lists_switches_that_are_on(self):
        """Only switches that are on and have no counterpart are listed."""
        switches = OptimizationConfig(
            use_sparsity=False, use_learned_activation_routing=True
        )

        found = without_counterpart(switches)

        assert "use_learned_activation_routing" in found
        assert "use_sparsity" not in found
        assert "use_flash_attention_2" not in found
