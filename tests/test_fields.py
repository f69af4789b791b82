"""Tests for the field and rule model: setting, section, rule, the walker."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from qwen3vl import CPUConfig, GPUConfig, Qwen3VLConfig
from qwen3vl._fields import (
    DESCRIPTION,
    VALIDATOR,
    default_of,
    fields_of,
    is_config_class,
    leaf_paths,
    rule,
    rules_of,
    run_rules,
    section,
    setting,
    walk,
)
from qwen3vl._sections import BaseConfig
from qwen3vl._validators import boolean, integer
from qwen3vl.exceptions import Problem


def _all_sections(cls: type) -> list[type]:
    """Every section class under `cls`, found by plain recursion."""
    found = []
    for info in fields_of(cls).values():
        if info.section is not None:
            found.append(info.section)
            found.extend(_all_sections(info.section))
    return found


class TestSetting:
    def test_metadata_holds_description_and_validator(self):
        """A setting carries its description and validator in attrs metadata."""
        validator = integer(ge=0, le=9)

        field = setting(3, "A count.", validator)

        assert "A count." == field.metadata[DESCRIPTION]
        assert validator is field.metadata[VALIDATOR]
        assert 3 == field._default

    def test_every_field_has_a_description(self):
        """The schema, the reference and `explain` all read one."""
        for path, info in walk(Qwen3VLConfig):
            assert info.description, path


class TestWalk:
    def test_sections_come_before_their_fields(self):
        """A section's own path precedes the paths inside it."""
        paths = [path for path, _ in walk(Qwen3VLConfig)]

        for path, info in walk(Qwen3VLConfig):
            if info.section is not None:
                inside = [p for p in paths if p.startswith(f"{path}.")]
                assert inside
                assert paths.index(path) < paths.index(inside[0])

    def test_leaf_paths_are_the_settings_in_schema_order(self):
        """Leaves are every setting, root first, then each section's."""
        leaves = list(leaf_paths(Qwen3VLConfig))
        root = [
            n for n, i in fields_of(Qwen3VLConfig).items() if i.section is None
        ]
        settings = sum(
            1
            for cls in [Qwen3VLConfig, *_all_sections(Qwen3VLConfig)]
            for info in fields_of(cls).values()
            if info.validator is not None
        )

        assert root == leaves[: len(root)]
        assert settings == len(leaves) == len(set(leaves))
        assert "gpu_config.use_tensor_cores" in leaves

    def test_prefix_is_prepended(self):
        """A walk under a prefix names the full dotted paths."""
        assert all(
            path.startswith("gpu_config.")
            for path, _ in walk(GPUConfig, "gpu_config")
        )


class TestRules:
    def test_a_rule_runs_only_on_valid_fields(self):
        """A rule that reads a field with a problem is skipped."""
        seen: list[Mapping[str, Any]] = []

        @rule("a", "b")
        def both(values: Mapping[str, Any]) -> Iterator[Problem]:
            seen.append(values)
            yield Problem("a", "never both")

        holder = attrs.make_class(
            "Holder",
            {
                "a": setting(1, "A.", integer(ge=0, le=9)),
                "b": setting(False, "B.", boolean()),
            },
            bases=(BaseConfig,),
            frozen=True,
            slots=True,
        )
        holder.__qwen3vl_rules__ = (both,)

        assert [] == run_rules(holder, {"a": 1, "b": True}, bad={"b"})
        assert not seen
        assert ["a"] == [
            p.path for p in run_rules(holder, {"a": 1, "b": True})
        ]
        assert (both,) == rules_of(holder)

    def test_rules_read_declared_fields(self):
        """Every built-in rule reads fields its class has."""
        for cls in [Qwen3VLConfig, *_all_sections(Qwen3VLConfig)]:
            for r in rules_of(cls):
                assert set(r.fields) <= set(fields_of(cls)), (cls, r)


class TestSections:
    def test_is_config_class(self):
        """Only attrs classes made of settings and sections are config classes."""
        assert is_config_class(Qwen3VLConfig)
        assert is_config_class(CPUConfig)
        assert not is_config_class(Problem)
        assert not is_config_class(dict)
        assert not is_config_class(Qwen3VLConfig())

    def test_default_of_makes_one_instance(self):
        """The default of a section is made once and shared."""
        made: list[int] = []

        def build() -> object:
            made.append(1)
            return object()

        cls = type("Fresh", (), {})
        first = default_of(cls, build)

        assert first is default_of(cls, build)
        assert [1] == made

    def test_section_field_defaults_to_the_shared_instance(self):
        """A section field's factory returns the shared default."""
        field = section(GPUConfig, "The GPU.")

        factory = field._default.factory

        assert factory() is factory()
        assert GPUConfig() == factory()
        assert GPUConfig is field.metadata["qwen3vl.section"]
