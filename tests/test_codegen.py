"""
The generated per-class functions agree with the validators they inline.

`qwen3vl._codegen` writes structure, check and replace functions whose
inline tests are shortcuts for the validators; these tests hold the
shortcuts, the precompiled copies, the construction without ``__init__``
and the helpers issue 8 made faster to what they replace.
"""

from __future__ import annotations

import decimal
import difflib
import math
import pickle
import threading

from typing import Any, ClassVar

import attrs
import pytest
import qwen3vl._prebuilt

from hypothesis import given, settings
from hypothesis import strategies as st
from qwen3vl import (
    ConfigError,
    CPUConfig,
    GPUConfig,
    MemoryConfig,
    OptimizationConfig,
    PowerManagementConfig,
    Qwen3VLConfig,
    apply_updates,
)
from qwen3vl import _validators as validators
from qwen3vl._codegen import compiled
from qwen3vl._errors import closest
from qwen3vl._fields import (
    FieldInfo,
    fields_of,
    rules_of,
    run_rules,
    section,
    setting,
)
from qwen3vl._formats import MAX_DEPTH, _check_depth
from qwen3vl._sections import BaseConfig
from qwen3vl._units import _UNITS, parse_size
from qwen3vl._validators import (
    Invalid,
    boolean,
    capability,
    int_tuple,
    integer,
    number,
    one_of,
    size,
)
from qwen3vl.exceptions import Problem

import strategies


CLASSES = (
    Qwen3VLConfig,
    MemoryConfig,
    CPUConfig,
    GPUConfig,
    PowerManagementConfig,
    OptimizationConfig,
)

LEAVES = [
    (cls, info)
    for cls in CLASSES
    for info in fields_of(cls).values()
    if info.validator is not None
]


# Validators with bounds no field of the schema has (open sides above all).
LEAVES += [
    (object, FieldInfo(repr(v), "", v, None, None))
    for v in (
        number(),
        number(ge=0.0),
        number(gt=-1.5),
        number(le=0.0),
        number(lt=2.0),
        number(ge=-1.0, lt=1.0),
        integer(ge=-(2**70), le=2**70),
        size(ge=0, le=2**60),
        boolean(),
        one_of(["a", "b"]),
        validators.name(),
        capability(major=(1, 9), minor=(0, 9)),
        int_tuple(ge=0, le=5, max_len=3, increasing=True),
    )
]


def _leaf_id(leaf: tuple[type, FieldInfo]) -> str:
    return f"{leaf[0].__name__}.{leaf[1].name}"


def _evaluate(info: FieldInfo, value: object, *, parse: bool) -> bool | None:
    """Evaluate the field's inline test on `value`; None if it has none."""
    names: dict[str, object] = {}

    def const(constant: object) -> str:
        name = f"_k{len(names)}"
        names[name] = constant
        return name

    assert info.validator is not None
    make = info.validator.fast_parse if parse else info.validator.fast_check
    expression = make("value", const)
    if expression is None:
        return None
    return bool(eval(expression, {**names, "value": value}))  # noqa: S307 - our own expression


def _edge_values(info: FieldInfo) -> list[object]:
    """Values at and around the bounds of `info`, and of the wrong kinds."""
    v = info.validator
    out: list[object] = [True, False, None, 0, -1, 1, 0.0, -0.0, "x", [], ()]
    out += [math.inf, -math.inf, math.nan, 2**53 + 1, 10**400, 1.5, "6GiB"]
    for bound in ("ge", "gt", "le", "lt"):
        b = getattr(v, bound, None)
        if b is not None:
            out += [b, b - 1, b + 1, float(b), math.nextafter(b, math.inf)]
            out += [math.nextafter(b, -math.inf), str(b)]
    choices = getattr(v, "choices", ())
    out += [
        *choices,
        *(c.upper() for c in choices),
        *(f"{c} " for c in choices),
    ]
    major = getattr(v, "major", None)
    if major is not None:
        out += [(major[0], 0), [major[0], 0], (major[1] + 1, 0), (True, 0)]
        out += [(major[0], 0, 0), (float(major[0]), 0)]
    return out


_ANY = st.one_of(
    strategies.json_like(),
    st.integers(),
    st.floats(),
    st.text(max_size=8),
    st.tuples(st.integers(-5, 20), st.integers(-5, 20)),
    st.lists(st.integers(-5, 300), max_size=5).map(tuple),
)


def _assert_shortcut_is_sound(info: FieldInfo, value: object) -> None:
    assert info.validator is not None
    if _evaluate(info, value, parse=False):
        info.validator.check(value)  # must not raise
    if _evaluate(info, value, parse=True):
        assert info.validator.parse(value) is value


class TestInlineTests:
    @pytest.mark.parametrize("leaf", LEAVES, ids=_leaf_id)
    def test_never_accept_what_the_validator_refuses(self, leaf):
        """An inline test that says yes means check passes and parse keeps the value."""
        _, info = leaf
        for value in _edge_values(info):
            _assert_shortcut_is_sound(info, value)

    @settings(max_examples=300)
    @given(data=st.data())
    def test_never_accept_what_the_validator_refuses_any_value(self, data):
        """The same for any value, valid or not."""
        _, info = data.draw(st.sampled_from(LEAVES))
        value = data.draw(st.one_of(_ANY, strategies.valid_values(info)))
        _assert_shortcut_is_sound(info, value)

    @pytest.mark.parametrize(
        "leaf", [x for x in LEAVES if x[0] is not object], ids=_leaf_id
    )
    def test_the_default_takes_the_shortcut_where_there_is_one(self, leaf):
        """The inline tests are no use if the usual value misses them."""
        cls, info = leaf
        default = getattr(cls(), info.name)
        accepted = _evaluate(info, default, parse=False)
        assert accepted in (True, None)


class TestGeneratedFunctions:
    @pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
    def test_built_in_classes_use_the_precompiled_functions(self, cls):
        """The shipped functions are the ones a first call uses."""
        prebuilt = qwen3vl._prebuilt.__file__
        for kind in ("structure", "check", "replace"):
            function = getattr(compiled(cls), kind)
            assert prebuilt == function.__code__.co_filename, kind

    def test_a_new_class_compiles_at_run_time(self):
        """A class the precompiled module does not know still works."""
        extra = _new_class("Extra")
        assert "<qwen3vl generated" in (
            compiled(extra).structure.__code__.co_filename
        )
        assert 5 == extra.from_dict({"depth": 5}).depth
        with pytest.raises(ConfigError) as info:
            extra.from_dict({"depth": 10, "width": 2})
        assert ["depth", "width"] == info.value.paths

    def test_a_class_with_its_own_validate_is_built_through_init(self):
        """Checks a subclass adds are never skipped by the fast construction."""

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
        config = Strict()
        with pytest.raises(ConfigError, match="on!"):
            apply_updates(config, {"use_tensor_cores": False})

    @settings(max_examples=50)
    @given(config=strategies.qwen3vl_configs())
    def test_check_finds_what_the_validators_find(self, config):
        """The generated check equals field-by-field validation plus the rules."""
        assert [] == compiled(Qwen3VLConfig).check(config)
        holder = config.gpu_config
        tampered = attrs.evolve(holder)
        object.__setattr__(tampered, "max_threads_per_block", True)
        object.__setattr__(tampered, "memory_bandwidth_gbps", -0.0)

        assert _reference_check(tampered) == compiled(GPUConfig).check(
            tampered
        )

    def test_check_reports_a_section_of_the_wrong_class(self):
        """A section swapped past validation is named, and its rules skipped."""
        config = attrs.evolve(Qwen3VLConfig())
        object.__setattr__(config, "optimization_config", CPUConfig())

        problems = compiled(Qwen3VLConfig).check(config)

        assert problems == _reference_check(config)
        assert ["optimization_config"] == [p.path for p in problems]

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
        assert 1.0 == built.memory_config.swap_threshold
        assert float is type(built.memory_config.swap_threshold)

    def test_invalid_defaults_are_not_taken_unchecked(self):
        """A class whose default is invalid is refused, not built, when a key is missing."""
        bad = attrs.make_class(
            "BadDefault",
            {"depth": setting(30, "A depth.", integer(ge=1, le=9))},
            bases=(BaseConfig,),
            frozen=True,
            slots=True,
        )
        root = attrs.make_class(
            "HoldsBadDefault",
            {"inner": section(bad, "A section.")},
            bases=(BaseConfig,),
            frozen=True,
            slots=True,
        )

        with pytest.raises(ConfigError, match="got 30"):
            bad.from_dict({})
        with pytest.raises(ConfigError, match="got 30"):
            root.from_dict({})
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

        with pytest.raises(ConfigError) as info:
            Qwen3VLConfig.from_dict({Key("gpu_config"): {}})
        assert "keys must be strings" in str(info.value)
        with pytest.raises(ConfigError) as info:
            GPUConfig.from_dict({Key("use_tensor_cores"): False})
        assert "keys must be strings" in str(info.value)

    def test_default_sections_are_shared(self):
        """A section left at its default is one shared, valid instance."""
        assert Qwen3VLConfig().gpu_config is Qwen3VLConfig().gpu_config
        assert (
            Qwen3VLConfig.from_dict({}).memory_config
            is Qwen3VLConfig().memory_config
        )
        assert GPUConfig() == Qwen3VLConfig().gpu_config

    def test_first_use_from_many_threads_agrees(self):
        """Threads racing to compile a new class all get the same function."""
        extra = _new_class("Raced")
        found: list[object] = []
        start = threading.Barrier(8)

        def first_use() -> None:
            start.wait()
            found.append(compiled(extra).structure)

        threads = [threading.Thread(target=first_use) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

        assert 8 == len(found)
        assert all(f is found[0] for f in found)


def _new_class(name: str) -> type:
    """A config class of one setting that no precompiled function knows."""
    return attrs.make_class(
        name,
        {"depth": setting(3, "A depth.", integer(ge=1, le=9))},
        bases=(BaseConfig,),
        frozen=True,
        slots=True,
    )


def _reference_check(obj: object) -> list[Problem]:
    """The straightforward check the generated one replaces."""
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
            message = (
                f"expected a {info.section.__name__} "
                f"(got {type(value).__name__})"
            )
            problems.append(Problem(name, message))
    if rules_of(cls):
        values = {name: getattr(obj, name) for name in fields_of(cls)}
        bad = {p.path for p in problems}
        problems.extend(run_rules(cls, values, bad))
    return problems


class TestDeferredWording:
    def test_the_message_is_worded_when_read(self):
        """Suggestions and paths are there when the error is read."""
        with pytest.raises(ConfigError) as info:
            Qwen3VLConfig.from_dict({"gpu_config": {"use_tensor_core": 1}})
        error = info.value

        assert ["gpu_config.use_tensor_core"] == error.paths
        assert "did you mean 'use_tensor_cores'?" in str(error)
        assert error.problems is error.problems  # worded once
        assert repr(error) == f"ConfigError({str(error)!r})"

    def test_args_hold_the_message_as_a_value_errors_do(self):
        """``error.args[0]`` is the message, as before the wording was deferred."""
        with pytest.raises(ConfigError) as info:
            Qwen3VLConfig.from_dict({"num_hidden_layer": 3})

        assert (str(info.value),) == info.value.args
        with pytest.raises(AttributeError):
            info.value.args = ("other",)

    def test_pickled_error_keeps_the_wording(self):
        """An error crossing processes arrives worded."""
        with pytest.raises(ConfigError) as info:
            Qwen3VLConfig.from_dict({"num_hidden_layer": 3})

        copy = pickle.loads(pickle.dumps(info.value))  # noqa: S301 - our own

        assert info.value.problems == copy.problems
        assert str(info.value) == str(copy)

    def test_wording_from_many_threads_agrees(self):
        """Threads reading one error at once see the same problems."""
        with pytest.raises(ConfigError) as info:
            Qwen3VLConfig.from_dict({"num_hidden_layer": 3, "x": 1})
        seen: list[tuple[Problem, ...]] = []
        start = threading.Barrier(6)

        def read() -> None:
            start.wait()
            seen.append(info.value.problems)

        threads = [threading.Thread(target=read) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

        assert all(s == seen[0] for s in seen)
        assert ["num_hidden_layer", "x"] == [p.path for p in seen[0]]


def _difflib_closest(word: str, names: list[str], cutoff: float) -> Any:
    found = difflib.get_close_matches(word, names, n=1, cutoff=cutoff)
    return found[0] if found else None


_NAMES = sorted({n for cls in CLASSES for n in fields_of(cls)})


class TestFasterHelpers:
    @settings(max_examples=500)
    @given(
        word=st.one_of(
            st.sampled_from(_NAMES).flatmap(
                lambda n: st.sampled_from(
                    [n, n[1:], n[:-1], n + "s", n.replace("_", ""), n.upper()]
                )
            ),
            st.text("abcdeimnorstu_", max_size=14),
        ),
        names=st.one_of(
            st.lists(st.sampled_from(_NAMES), max_size=30),
            st.lists(st.text("abc_", max_size=5), max_size=8),
        ),
        cutoff=st.sampled_from([0.0, 0.6, 0.7, 0.75, 0.8, 1.0]),
    )
    def test_closest_is_difflibs_answer(self, word, names, cutoff):
        """Same answer as difflib.get_close_matches(n=1), ties included."""
        assert _difflib_closest(word, names, cutoff) == closest(
            word, names, cutoff
        )

    @given(
        number=st.integers(0, 10**15 - 1),
        unit=st.sampled_from(sorted(_UNITS)),
        fraction=st.sampled_from(["", ".0", ".5", ".25"]),
    )
    def test_whole_sizes_parse_as_decimal_does(self, number, unit, fraction):
        """The integer shortcut gives what the exact Decimal sum gives."""
        text = f"{number}{fraction}{unit}"
        exact = decimal.Decimal(f"{number}{fraction}") * _UNITS[unit]
        if exact == exact.to_integral_value():
            assert int(exact) == parse_size(text)
        else:
            with pytest.raises(ValueError, match="whole number"):
                parse_size(text)

    @given(data=strategies.json_like(), extra=st.integers(0, 40))
    def test_depth_check_agrees_with_a_plain_walk(self, data, extra):
        """The level-by-level depth check refuses exactly the too deep."""
        for _ in range(extra):
            data = [data]

        def depth(value: object) -> int:
            if isinstance(value, dict):
                return 1 + max(map(depth, value.values()), default=-1)
            if isinstance(value, list):
                return 1 + max(map(depth, value), default=-1)
            return 0

        if depth(data) > MAX_DEPTH:
            with pytest.raises(ConfigError, match="nested deeper"):
                _check_depth(data, "f.json")
        else:
            _check_depth(data, "f.json")
