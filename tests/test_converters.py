"""Tests for the converter: strict structuring, check, replace and plain output."""

from __future__ import annotations

import pathlib
import warnings

from typing import Any, ClassVar

import attrs
import pytest

from hypothesis import given, settings
from hypothesis import strategies as st
from qwen3vl import (
    ConfigError,
    CPUConfig,
    GPUConfig,
    MemoryConfig,
    OptimizationConfig,
    Qwen3VLConfig,
    apply_updates,
)
from qwen3vl import _converters as converters
from qwen3vl._converters import (
    check,
    make_converter,
    replace,
    reset_value,
    to_file_data,
)
from qwen3vl._fields import fields_of, run_rules, section, setting
from qwen3vl._sections import BaseConfig
from qwen3vl._validators import Invalid, integer
from qwen3vl.exceptions import Problem

import strategies

from helpers import assert_well_formed, by_class


GB = 1024**3


def paths_of(data: object, cls: type = Qwen3VLConfig) -> list[str]:
    """Return the problem paths that structuring `data` as `cls` raises."""
    with pytest.raises(ConfigError) as info:
        cls.from_dict(data)  # type: ignore[attr-defined]
    return info.value.paths


def message_at(data: object, path: str, cls: type = Qwen3VLConfig) -> str:
    """Return the message of the problem at `path`."""
    with pytest.raises(ConfigError) as info:
        cls.from_dict(data)  # type: ignore[attr-defined]
    found = [p.message for p in info.value.problems if p.path == path]
    assert found, info.value.paths
    return found[0]


class TestFromDict:
    def test_empty_mapping_gives_defaults(self):
        """An empty mapping is a valid, all-default config."""
        assert Qwen3VLConfig() == Qwen3VLConfig.from_dict({})

    def test_partial_mapping_keeps_other_defaults(self):
        """Missing keys, sections included, take their defaults."""
        config = Qwen3VLConfig.from_dict(
            {"vocab_size": 1000, "gpu_config": {"use_tensor_cores": False}}
        )

        assert 1000 == config.vocab_size
        assert not config.gpu_config.use_tensor_cores
        assert (
            GPUConfig().use_mixed_precision
            == config.gpu_config.use_mixed_precision
        )
        assert MemoryConfig() == config.memory_config

    def test_sections_load_on_their_own(self):
        """Each section class has its own from_dict."""
        assert 8 == CPUConfig.from_dict({"num_threads": 8}).num_threads

    def test_sizes_accept_units(self):
        """Size fields take int bytes or strings with units."""
        config = MemoryConfig.from_dict(
            {
                "gpu_memory_size": "24GiB",
                "cpu_memory_size": "64 GB",
                "memory_pool_size": 1024,
            }
        )

        assert (24 * GB, 64 * GB, 1024) == (
            config.gpu_memory_size,
            config.cpu_memory_size,
            config.memory_pool_size,
        )

    def test_capability_from_list(self):
        """The compute capability is written as a list in files and dicts."""
        assert (9, 0) == GPUConfig.from_dict(
            {"gpu_compute_capability": [9, 0]}
        ).gpu_compute_capability

    def test_int_for_float_field(self):
        """An int is accepted for a float field and stored as float."""
        value = GPUConfig.from_dict(
            {"memory_bandwidth_gbps": 936}
        ).memory_bandwidth_gbps

        assert 936.0 == value
        assert float is type(value)

    @pytest.mark.parametrize(
        ("path", "value", "fragment"),
        [
            ("num_hidden_layers", "32", "got '32', a string"),
            ("num_hidden_layers", 32.0, "got 32.0, a float"),
            ("num_hidden_layers", 3.7, "got 3.7, a float"),
            ("num_hidden_layers", True, "got True, a boolean"),
            ("num_hidden_layers", None, "got None, null"),
            ("preserve_full_capacity", "false", "got 'false', a string"),
            ("preserve_full_capacity", 0, "got 0, an integer"),
            ("optimization_level", 1, "got 1, an integer"),
            ("hardware_target", ["x"], "got ['x'], a list"),
        ],
    )
    def test_types_are_strict(self, path, value, fragment):
        """No coercion: "32" is not an int, true is not an int, 3.7 is not an int."""
        message = message_at({path: value}, path)

        assert fragment in message

    def test_huge_integer_is_described_not_printed(self):
        """An int too long to print still gives a ConfigError with a message."""
        message = message_at({"vocab_size": 10**5000}, "vocab_size")

        assert "got <integer of about 5001 digits>, an integer" in message

    def test_integer_valued_big_float_is_refused_for_float_field(self):
        """An int too large to be an exact float is refused for a float field."""
        assert ["gpu_config.memory_bandwidth_gbps"] == paths_of(
            {"gpu_config": {"memory_bandwidth_gbps": 2**60}}
        )

    @pytest.mark.parametrize(
        "value", [float("nan"), float("inf"), float("-inf")]
    )
    def test_nan_and_infinity_are_refused(self, value):
        """NaN and infinities are never valid numbers."""
        assert ["optimization_config.sparsity_ratio"] == paths_of(
            {"optimization_config": {"sparsity_ratio": value}}
        )

    def test_size_strings_are_checked(self):
        """Size strings need a known unit and whole bytes."""
        data = {
            "memory_config": {
                "gpu_memory_size": "6",
                "cpu_memory_size": "8 XB",
                "ssd_memory_size": "0.3B",
                "memory_pool_size": "-1GiB",
            }
        }

        assert [
            "memory_config.cpu_memory_size",
            "memory_config.gpu_memory_size",
            "memory_config.memory_pool_size",
            "memory_config.ssd_memory_size",
        ] == paths_of(data)
        assert "unknown size unit 'XB'" in message_at(
            data, "memory_config.cpu_memory_size"
        )

    def test_every_problem_is_reported_at_once(self):
        """Problems in several sections and at the root come in one error."""
        data = {
            "num_hidden_layers": "32",
            "hidden_size": 4100,
            "gpu_config": {"use_tensor_cores": 1, "bogus": 2},
            "optimization_config": {"sparsity_ratio": 1.5, "moe_top_k": 9},
            "memory_config": {"memory_pool_size": "8GB"},
        }

        assert [
            "gpu_config.bogus",
            "gpu_config.use_tensor_cores",
            "hidden_size",
            "memory_config.memory_pool_size",
            "num_hidden_layers",
            "optimization_config.moe_top_k",
            "optimization_config.sparsity_ratio",
        ] == paths_of(data)

    def test_root_rules_run_despite_section_problems(self):
        """A broken root rule is reported even when a section is also bad."""
        data = {"hidden_size": 4100, "cpu_config": {"num_threads": 0}}

        assert ["cpu_config.num_threads", "hidden_size"] == paths_of(data)

    def test_message_names_expected_and_given(self):
        """A message states what was expected and what was given."""
        message = message_at(
            {"optimization_config": {"sparsity_ratio": 1.5}},
            "optimization_config.sparsity_ratio",
        )

        assert (
            "expected a number >= 0.0 and < 1.0 (got 1.5, a float)" == message
        )

    @pytest.mark.parametrize("data", [[], "x", 3, None, [("a", 1)]])
    def test_input_must_be_a_mapping(self, data):
        """Anything but a mapping at the top is one problem at the root path."""
        with pytest.raises(ConfigError) as info:
            Qwen3VLConfig.from_dict(data)

        assert [""] == info.value.paths
        assert info.value.problems[0].message.startswith("expected a mapping")

    @pytest.mark.parametrize("value", [[], "gpu", 1, None, True])
    def test_section_must_be_a_mapping(self, value):
        """A list or scalar where a section belongs names the section."""
        assert ["gpu_config"] == paths_of({"gpu_config": value})

    def test_non_string_key_is_refused(self):
        """Keys must be strings."""
        with pytest.raises(ConfigError) as info:
            Qwen3VLConfig.from_dict({1: 2})  # type: ignore[dict-item]

        assert "keys must be strings" in info.value.problems[0].message

    def test_input_is_not_mutated(self):
        """from_dict reads its input and never changes it."""
        data = {"gpu_config": {"gpu_compute_capability": [8, 0]}}
        from_dict_result = Qwen3VLConfig.from_dict(data)

        assert {"gpu_config": {"gpu_compute_capability": [8, 0]}} == data
        assert (8, 0) == from_dict_result.gpu_config.gpu_compute_capability


class TestUnknownKeys:
    def test_typo_suggests_the_nearest_key(self):
        """A misspelt key gets "did you mean" with the right key."""
        message = message_at(
            {"optimization_config": {"use_sparsty": True}},
            "optimization_config.use_sparsty",
        )

        assert (
            "unknown key 'use_sparsty'; did you mean 'use_sparsity'?"
            == message
        )

    def test_key_from_another_section_names_that_section(self):
        """A key that belongs elsewhere says where it belongs."""
        message = message_at(
            {"gpu_config": {"num_threads": 4}}, "gpu_config.num_threads"
        )

        assert "unknown key 'num_threads'; it belongs in cpu_config" == message

    def test_section_key_at_the_top_names_the_section(self):
        """A section field written at the top level names its section."""
        message = message_at(
            {"config_version": 1, "sparsity_ratio": 0.3}, "sparsity_ratio"
        )

        assert message.endswith("it belongs in optimization_config")

    def test_root_key_in_a_section_names_the_top_level(self):
        """A root field written inside a section points to the top level."""
        message = message_at(
            {"cpu_config": {"hidden_size": 4096}}, "cpu_config.hidden_size"
        )

        assert message.endswith("it belongs in the top level")

    def test_typo_of_a_key_in_another_section(self):
        """A misspelt key of another section suggests its full path."""
        message = message_at(
            {"config_version": 1, "use_tensor_core": True}, "use_tensor_core"
        )

        assert message.endswith("did you mean 'gpu_config.use_tensor_cores'?")

    def test_hopeless_key_is_just_unknown(self):
        """A key like no other gets no suggestion."""
        assert "unknown key 'zzzz'" == message_at({"zzzz": 1}, "zzzz")

    def test_every_unknown_key_is_listed(self):
        """All unknown keys are reported, each with its own path."""
        assert ["a", "b", "gpu_config.c"] == paths_of(
            {"a": 1, "b": 2, "gpu_config": {"c": 3}}
        )


class TestToDict:
    def test_to_dict_is_plain_data_in_schema_order(self):
        """to_dict gives JSON types, sizes in bytes, fields in class order."""
        data = Qwen3VLConfig().to_dict()

        assert "config_version" == next(iter(data))
        assert [
            "memory_config",
            "cpu_config",
            "gpu_config",
            "power_management_config",
            "optimization_config",
            "rope_scaling_config",
            "quantization_config",
            "serving_config",
            "parallel_config",
        ] == list(data)[-9:]
        assert 2 * GB == data["memory_config"]["memory_pool_size"]
        assert [6, 1] == data["gpu_config"]["gpu_compute_capability"]

    def test_to_dict_round_trips(self):
        """from_dict(to_dict()) gives an equal config, for sections too."""
        config = Qwen3VLConfig(
            gpu_config=GPUConfig(gpu_compute_capability=(8, 9)),
            optimization_config=OptimizationConfig(use_moe=False),
        )

        assert config == Qwen3VLConfig.from_dict(config.to_dict())
        assert config.gpu_config == GPUConfig.from_dict(
            config.gpu_config.to_dict()
        )

    def test_file_data_writes_sizes_with_units(self):
        """The file form writes exact sizes with IEC units."""
        data = to_file_data(
            MemoryConfig(memory_pool_size=1000, gpu_memory_size=3 * GB // 2)
        )

        assert 1000 == data["memory_pool_size"]
        assert "1536MiB" == data["gpu_memory_size"]
        assert "50GiB" == data["ssd_memory_size"]

    def test_to_dict_returns_a_fresh_dict(self):
        """Changing the returned dict changes nothing in the config."""
        config = Qwen3VLConfig()
        data = config.to_dict()
        data["gpu_config"]["use_tensor_cores"] = False

        assert config.gpu_config.use_tensor_cores


class TestConverter:
    def test_strict_primitive_hooks(self):
        """The converter's own int/float/bool/str hooks refuse coercion."""
        converter = make_converter()

        assert 3 == converter.structure(3, int)
        assert 3.0 == converter.structure(3, float)
        for value, kind in [
            ("3", int),
            (True, int),
            ("1.0", float),
            (1, bool),
            (1, str),
        ]:
            with pytest.raises(Exception, match="expected"):
                converter.structure(value, kind)


def _one_setting_class(name: str, default: int = 3) -> type:
    """A config class of one bounded setting, made at run time."""
    return attrs.make_class(
        name,
        {"depth": setting(default, "A depth.", integer(ge=1, le=9))},
        bases=(BaseConfig,),
        frozen=True,
        slots=True,
    )


def _plain_check(obj: object) -> list[Problem]:
    """The field-by-field check `check` must equal, written out plainly."""
    cls = type(obj)
    problems: list[Problem] = []
    for name, info in fields_of(cls).items():
        value = getattr(obj, name)
        if info.validator is not None:
            try:
                info.validator.check(value)
            except Invalid as e:
                problems.append(Problem(name, e.message))
        elif type(value) is not info.section:
            assert info.section is not None
            problems.append(
                Problem(
                    name,
                    f"expected a {info.section.__name__}"
                    f" (got {type(value).__name__})",
                )
            )
    values = {name: getattr(obj, name) for name in fields_of(cls)}
    problems.extend(run_rules(cls, values, {p.path for p in problems}))
    return problems


class TestEngine:
    def test_a_class_made_at_run_time_structures_and_checks(self):
        """Any class of settings works, with no step of its own."""
        extra = _one_setting_class("Extra")

        assert 5 == extra.from_dict({"depth": 5}).depth
        with pytest.raises(ConfigError) as info:
            extra.from_dict({"depth": 10, "width": 2})
        assert ["depth", "width"] == info.value.paths
        with pytest.raises(ConfigError, match="got 0"):
            extra(depth=0)

    def test_a_class_with_its_own_validate_is_built_through_init(self):
        """Checks a subclass adds are never skipped by the direct construction."""

        @attrs.frozen
        class Strict(GPUConfig):
            calls: ClassVar[list[int]] = []

            def validate(self) -> None:
                type(self).calls.append(1)
                super().validate()
                if not self.use_tensor_cores:
                    raise ConfigError([Problem("use_tensor_cores", "on!")])

        assert Strict.from_dict({}).use_tensor_cores
        assert Strict.calls
        with pytest.raises(ConfigError, match="on!"):
            Strict.from_dict({"use_tensor_cores": False})
        with pytest.raises(ConfigError, match="on!"):
            apply_updates(Strict(), {"use_tensor_cores": False})

    @settings(max_examples=30)
    @given(config=strategies.qwen3vl_configs())
    def test_check_finds_what_the_validators_find(self, config):
        """`check` equals field-by-field validation plus the rules."""
        assert [] == check(config)
        tampered = attrs.evolve(config.gpu_config)
        object.__setattr__(tampered, "max_threads_per_block", True)
        object.__setattr__(tampered, "memory_bandwidth_gbps", -0.0)

        found = check(tampered)

        assert _plain_check(tampered) == found
        assert {"max_threads_per_block", "memory_bandwidth_gbps"} == {
            p.path for p in found
        }

    def test_check_reports_a_section_of_the_wrong_class(self):
        """A section swapped past validation is named, and its rules skipped."""
        config = attrs.evolve(Qwen3VLConfig())
        object.__setattr__(config, "optimization_config", CPUConfig())

        problems = check(config)

        assert ["optimization_config"] == [p.path for p in problems]
        assert _plain_check(config) == problems

    def test_structure_builds_what_init_builds(self):
        """The object built without __init__ equals the one __init__ builds."""
        data = Qwen3VLConfig().to_dict()
        data["gpu_config"]["gpu_compute_capability"] = [8, 6]
        data["memory_config"]["swap_threshold"] = 1  # an int for a float
        built = Qwen3VLConfig.from_dict(data)
        sections = {
            name: type(getattr(built, name))(
                **attrs.asdict(getattr(built, name), recurse=False)
            )
            for name, info in fields_of(Qwen3VLConfig).items()
            if info.section is not None
        }
        direct = Qwen3VLConfig(
            **{**attrs.asdict(built, recurse=False), **sections}
        )

        assert direct == built
        assert hash(direct) == hash(built)
        assert (8, 6) == built.gpu_config.gpu_compute_capability
        assert float is type(built.memory_config.swap_threshold)

    def test_invalid_defaults_are_refused_not_built(self):
        """A missing key's default is read as if given, so a bad default is refused."""
        bad = _one_setting_class("BadDefault", default=30)
        root = attrs.make_class(
            "HoldsBadDefault",
            {"inner": section(bad, "A section.")},
            bases=(BaseConfig,),
            frozen=True,
            slots=True,
        )

        with pytest.raises(ConfigError, match="got 30"):
            bad.from_dict({})
        with pytest.raises(ConfigError) as info:
            root.from_dict({})
        assert ["inner.depth"] == info.value.paths
        assert 3 == root.from_dict({"inner": {"depth": 3}}).inner.depth

    def test_checks_of_a_subclass_section_come_under_its_path(self):
        """Problems a section's own validate finds are placed under the section."""

        @attrs.frozen
        class Strict(GPUConfig):
            def validate(self) -> None:
                super().validate()
                if not self.use_tensor_cores:
                    raise ConfigError([Problem("use_tensor_cores", "on!")])

        root = attrs.make_class(
            "HoldsStrict",
            {"gpu": section(Strict, "A section.")},
            bases=(BaseConfig,),
            frozen=True,
            slots=True,
        )

        with pytest.raises(ConfigError) as info:
            root.from_dict({"gpu": {"use_tensor_cores": False}})
        assert ["gpu.use_tensor_cores"] == info.value.paths

    def test_keys_are_exactly_str(self):
        """A str subclass equal to a field's name is not that field's key."""

        class Key(str):
            __slots__ = ()

        for cls, key in (
            (Qwen3VLConfig, Key("gpu_config")),
            (GPUConfig, Key("use_tensor_cores")),
        ):
            with pytest.raises(ConfigError, match="keys must be strings"):
                cls.from_dict({key: False})

    def test_default_sections_are_shared(self):
        """A section left at its default is one shared, valid instance."""
        assert Qwen3VLConfig().gpu_config is Qwen3VLConfig().gpu_config
        assert (
            Qwen3VLConfig.from_dict({}).memory_config
            is Qwen3VLConfig().memory_config
        )
        assert GPUConfig() == Qwen3VLConfig().gpu_config

    def test_replace_copies_and_never_mutates(self):
        """`replace` returns a new object with only the changes applied."""
        config = Qwen3VLConfig()

        new = replace(config, {"vocab_size": 1000})

        assert 1000 == new.vocab_size
        assert Qwen3VLConfig().vocab_size == config.vocab_size
        assert new.gpu_config is config.gpu_config

    def test_reset_value_is_the_default(self):
        """A field's reset value is its default, as stored."""
        assert (6, 1) == reset_value(GPUConfig, "gpu_compute_capability")
        shared = Qwen3VLConfig().cpu_config
        assert reset_value(Qwen3VLConfig, "cpu_config") is shared
        assert float is type(reset_value(MemoryConfig, "swap_threshold"))

    def test_no_code_is_generated(self):
        """The engine runs no generated source: no exec, eval or compile."""
        source = pathlib.Path(converters.__file__).read_text(encoding="utf-8")

        for word in ("exec(", "eval(", "compile("):
            assert word not in source


class TestRoundTripProperties:
    @by_class
    @given(data=st.data())
    def test_dict_round_trip(
        self, cls: type[BaseConfig], data: st.DataObject
    ) -> None:
        """from_dict(to_dict()) gives back an equal config of the same class."""
        cfg = data.draw(strategies.configs_of(cls))

        back = cls.from_dict(cfg.to_dict())

        assert cfg == back
        assert cls is type(back)


class TestRobustnessProperties:
    @given(data=strategies.json_like())
    def test_root_from_dict_raises_only_config_error(self, data: Any) -> None:
        """Any JSON-like value gives a Qwen3VLConfig or a ConfigError."""
        try:
            # Real key names at the top read as the old flat layout, which
            # loads with a DeprecationWarning: a warning, not an exception.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                cfg = Qwen3VLConfig.from_dict(data)
        except ConfigError as e:
            assert_well_formed(e)
        else:
            assert isinstance(cfg, Qwen3VLConfig)

    @given(data=strategies.json_like())
    def test_section_from_dict_raises_only_config_error(
        self, data: Any
    ) -> None:
        """Any JSON-like value gives a GPUConfig or a ConfigError."""
        try:
            cfg = GPUConfig.from_dict(data)
        except ConfigError as e:
            assert_well_formed(e)
        else:
            assert isinstance(cfg, GPUConfig)


class TestInvalidLeafProperties:
    @given(case=strategies.config_dicts_with_a_bad_leaf())
    def test_from_dict_reports_the_bad_leaf(
        self, case: tuple[dict[str, Any], str]
    ) -> None:
        """One invalid value in a valid dict is reported at its dotted path."""
        data, path = case

        with pytest.raises(ConfigError) as info:
            Qwen3VLConfig.from_dict(data)

        assert path in info.value.paths

    @by_class
    @given(data=st.data())
    def test_every_class_reports_the_bad_leaf(
        self, cls: type[BaseConfig], data: st.DataObject
    ) -> None:
        """Each class's from_dict reports an invalid leaf at its path."""
        bad, path = data.draw(strategies.config_dicts_with_a_bad_leaf(cls))

        with pytest.raises(ConfigError) as info:
            cls.from_dict(bad)

        assert path in info.value.paths
