"""Tests for the JSON Schema of configuration files (qwen3vl._json_schema)."""

from __future__ import annotations

import itertools
import json
import re
import string

import attrs
import pytest
import qwen3vl

from hypothesis import example, given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from qwen3vl import ConfigError, GPUConfig, Qwen3VLConfig
from qwen3vl._converters import to_file_data
from qwen3vl._fields import fields_of, section, setting
from qwen3vl._formats import dumps, loads, read_document
from qwen3vl._json_schema import json_schema
from qwen3vl._units import parse_size
from qwen3vl._validators import integer, size

from helpers import CONFIG_CLASSES, ROOT, SECTION_CLASSES
from strategies import (
    configs_of,
    file_dicts_with_one_junk_leaf,
    file_dicts_with_one_leaf_changed,
)


PRESETS = sorted((ROOT / "presets").rglob("*.toml"))

# Built once per class: compiling the validator is most of a check's cost.
VALIDATORS = {
    cls: Draft202012Validator(json_schema(cls)) for cls in CONFIG_CLASSES
}

SIZE_PATTERN = re.compile(size(le=1).json_schema()["oneOf"][1]["pattern"])


def _schema_accepts(cls: type, data: object) -> bool:
    return VALIDATORS[cls].is_valid(data)


def _loads(cls: type, data: object) -> bool:
    try:
        cls.from_dict(data)
    except ConfigError:
        return False
    return True


def _objects(node: object):
    """Yield every subschema of `node` that describes an object."""
    if isinstance(node, dict):
        if node.get("type") == "object":
            yield node
        for value in node.values():
            yield from _objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _objects(value)


class TestSchemaDocument:
    @pytest.mark.parametrize("cls", CONFIG_CLASSES)
    def test_is_a_valid_draft_2020_12_schema(self, cls):
        """The schema of every config class is itself valid draft 2020-12."""
        Draft202012Validator.check_schema(json_schema(cls))

    def test_config_schema_is_the_roots(self):
        """qwen3vl.config_schema() is the schema of Qwen3VLConfig."""
        assert json_schema(Qwen3VLConfig) == qwen3vl.config_schema()

    def test_dialect_and_id(self):
        """The schema names draft 2020-12 and an id on a host that never resolves."""
        schema = qwen3vl.config_schema()

        assert (
            "https://json-schema.org/draft/2020-12/schema" == schema["$schema"]
        )
        assert "https://qwen3vl.invalid/schema/config-1.json" == schema["$id"]

    def test_a_section_is_named_by_its_class(self):
        """A section's own schema has its class name in its id and no $defs."""
        schema = json_schema(GPUConfig)

        assert "https://qwen3vl.invalid/schema/GPUConfig.json" == schema["$id"]
        assert "$defs" not in schema

    def test_one_def_per_section_class(self):
        """$defs has one entry per section, titled and described by its class."""
        defs = qwen3vl.config_schema()["$defs"]

        assert [c.__name__ for c in SECTION_CLASSES] == list(defs)
        for cls in SECTION_CLASSES:
            summary = cls.__doc__.strip().splitlines()[0]
            assert cls.__name__ == defs[cls.__name__]["title"]
            assert summary == defs[cls.__name__]["description"]

    def test_sections_refer_to_their_defs(self):
        """Each section field is a $ref to its class's entry, with its description."""
        properties = qwen3vl.config_schema()["properties"]

        for name, info in fields_of(Qwen3VLConfig).items():
            if info.section is not None:
                assert {
                    "description": info.description,
                    "$ref": f"#/$defs/{info.section.__name__}",
                } == properties[name]

    def test_no_object_takes_unknown_keys(self):
        """Every object in the schema, the root and each section, forbids unknown keys."""
        objects = list(_objects(qwen3vl.config_schema()))

        assert 1 + len(SECTION_CLASSES) == len(objects)
        assert all(o["additionalProperties"] is False for o in objects)

    @pytest.mark.parametrize("cls", CONFIG_CLASSES)
    def test_every_field_with_its_description(self, cls):
        """Each field is a property, in order, described as its metadata says."""
        properties = json_schema(cls)["properties"]

        assert list(fields_of(cls)) == list(properties)
        for name, info in fields_of(cls).items():
            assert info.description == properties[name]["description"]

    @pytest.mark.parametrize("cls", CONFIG_CLASSES)
    def test_defaults_are_written_as_files_write_them(self, cls):
        """Each field's default is the value a saved default config holds."""
        properties = json_schema(cls)["properties"]
        written = to_file_data(cls())

        for name, prop in properties.items():
            if "$ref" not in prop:
                assert written[name] == prop["default"]

    def test_nothing_is_required(self):
        """Files may leave out any key, config_version included."""
        schema = qwen3vl.config_schema()

        assert [] == [o for o in _objects(schema) if "required" in o]
        assert _schema_accepts(Qwen3VLConfig, {})

    def test_is_plain_json(self):
        """The schema survives a strict JSON round trip unchanged."""
        schema = qwen3vl.config_schema()

        assert schema == json.loads(json.dumps(schema, allow_nan=False))

    def test_each_call_returns_a_new_dict(self):
        """Changing a returned schema does not change the next one."""
        first = qwen3vl.config_schema()
        first["properties"].clear()

        assert qwen3vl.config_schema()["properties"]

    def test_section_classes_with_one_name_are_refused(self):
        """Two section classes that share a name would share a $defs entry."""
        first = attrs.make_class(
            "Part",
            {"x": setting(1, "X.", integer(ge=0, le=9))},
            frozen=True,
        )
        second = attrs.make_class(
            "Part",
            {"y": setting(1, "Y.", integer(ge=0, le=9))},
            frozen=True,
        )
        whole = attrs.make_class(
            "Whole",
            {"a": section(first, "A."), "b": section(second, "B.")},
            frozen=True,
        )

        with pytest.raises(TypeError, match="'Part'"):
            json_schema(whole)


class TestValueKinds:
    def test_integer(self):
        """An integer field is a bounded integer."""
        prop = qwen3vl.config_schema()["properties"]["num_hidden_layers"]

        assert {"type": "integer", "minimum": 1, "maximum": 1024} == {
            k: prop[k] for k in ("type", "minimum", "maximum")
        }

    def test_number_with_exclusive_bounds(self):
        """A float field says which bounds are exclusive."""
        props = qwen3vl.config_schema()["$defs"]["OptimizationConfig"][
            "properties"
        ]

        assert {
            "type": "number",
            "minimum": 0.0,
            "exclusiveMaximum": 1.0,
        } == {
            k: v
            for k, v in props["sparsity_ratio"].items()
            if k not in ("default", "description")
        }

    def test_size_is_bytes_or_a_string_with_a_unit(self):
        """A size is a bounded integer or a string with a unit, and says so."""
        prop = qwen3vl.config_schema()["$defs"]["CPUConfig"]["properties"][
            "l1_cache_size"
        ]
        as_int, as_text = prop["oneOf"]

        assert "32KiB" == prop["default"]
        assert {"type": "integer", "minimum": 1, "maximum": 1024**3} == as_int
        assert "string" == as_text["type"]
        assert "cannot check" in as_text["description"]
        assert "<= 1GiB" in as_text["description"]

    def test_enum(self):
        """An enum field lists its choices."""
        prop = qwen3vl.config_schema()["$defs"]["MemoryConfig"]["properties"][
            "compression_level"
        ]

        assert ["low", "medium", "high"] == prop["enum"]
        assert "string" == prop["type"]

    def test_capability_is_a_pair(self):
        """The compute capability is an array of two bounded integers."""
        prop = qwen3vl.config_schema()["$defs"]["GPUConfig"]["properties"][
            "gpu_compute_capability"
        ]

        assert [6, 1] == prop["default"]
        assert 2 == prop["minItems"] == prop["maxItems"]
        assert [
            {"type": "integer", "minimum": 1, "maximum": 15},
            {"type": "integer", "minimum": 0, "maximum": 9},
        ] == prop["prefixItems"]

    def test_int_tuple(self):
        """An increasing int tuple is an array of bounded, distinct integers."""
        prop = qwen3vl.config_schema()["properties"][
            "vision_deepstack_visual_indexes"
        ]

        assert [5, 11, 17] == prop["default"]
        assert {"type": "integer", "minimum": 0, "maximum": 1023} == prop[
            "items"
        ]
        assert (0, 64) == (prop["minItems"], prop["maxItems"])
        assert prop["uniqueItems"] is True

    def test_name(self):
        """A name has a pattern, and no newline slips past Python's `$`."""
        validator = Draft202012Validator(qwen3vl.config_schema())

        assert validator.is_valid({"hardware_target": "cpu_only"})
        assert not validator.is_valid({"hardware_target": "cpu_only\n"})
        assert not validator.is_valid({"hardware_target": "-x"})

    def test_config_version_is_bounded_not_const(self):
        """config_version is an integer from 1 to the current version."""
        prop = qwen3vl.config_schema()["properties"]["config_version"]

        assert (1, 1) == (prop["minimum"], prop["maximum"])
        assert "const" not in prop


class TestSizePattern:
    def test_units_are_exactly_those_parse_size_knows(self):
        """Every spelling of one to three letters is a unit to both or to neither."""
        letters = string.ascii_letters
        for n in (1, 2, 3):
            for unit in map("".join, itertools.product(letters, repeat=n)):
                try:
                    parse_size(f"1{unit}")
                except ValueError:
                    known = False
                else:
                    known = True
                assert known == bool(SIZE_PATTERN.search(f"1{unit}")), unit

    def test_spaces_are_pythons(self):
        """The pattern's spaces are exactly the characters Python's \\s matches."""
        space = re.compile(r"\s")
        for code in range(0x110000):
            char = chr(code)
            expected = bool(space.fullmatch(char)) or "0" <= char <= "9"
            assert expected == bool(SIZE_PATTERN.search(f"{char}1GiB")), code

    @given(
        st.text(
            alphabet="0123456789.  \t\n\u3000\ufeffbBkKiImMgGtTpPx",
            max_size=14,
        )
    )
    @example("1.5B")
    @example("6 GiB ")
    @example("1" * 20 + ".5KiB")
    def test_agrees_with_parse_size(self, text):
        """A string parse_size reads matches; one that matches fails only on whole bytes."""
        try:
            parse_size(text)
        except ValueError as e:
            error: str | None = str(e)
        else:
            error = None
        matches = bool(SIZE_PATTERN.search(text))

        if error is None:
            assert matches
        elif matches:
            assert "not a whole number of bytes" in error


class TestFilesValidate:
    @pytest.mark.parametrize(
        "path", PRESETS, ids=[f"{p.parent.name}/{p.name}" for p in PRESETS]
    )
    def test_preset(self, path):
        """Every preset's settings are valid under the schema."""
        data, _, _ = read_document(path)
        # A hardware preset's [machine] table describes the machine, and
        # is no setting (qwen3vl._presets.read_preset leaves it out).
        data.pop("machine", None)

        VALIDATORS[Qwen3VLConfig].validate(data)

    def test_there_are_presets(self):
        """The preset glob finds the files (the test above is not vacuous)."""
        assert 7 <= len(PRESETS)

    @pytest.mark.parametrize("cls", CONFIG_CLASSES)
    def test_default(self, cls):
        """The default config, as files hold it and as to_dict gives it, is valid."""
        VALIDATORS[cls].validate(to_file_data(cls()))
        VALIDATORS[cls].validate(cls().to_dict())

    @pytest.mark.parametrize("cls", CONFIG_CLASSES)
    @given(data=st.data())
    def test_generated(self, cls, data):
        """Any valid config, as files hold it and as to_dict gives it, is valid."""
        config = data.draw(configs_of(cls))

        VALIDATORS[cls].validate(to_file_data(config))
        VALIDATORS[cls].validate(config.to_dict())

    @pytest.mark.parametrize("fmt", ["json", "yaml", "toml"])
    @given(config=configs_of(Qwen3VLConfig))
    def test_saved_text(self, fmt, config):
        """What a saved file reads back as is valid, in every format."""
        data, _ = loads(dumps(to_file_data(config), fmt), fmt)

        VALIDATORS[Qwen3VLConfig].validate(data)


class TestSchemaAgreesWithLoading:
    # A JSON Schema judges each value on its own, so the schema refuses a
    # dict exactly when from_dict does only for changes to one field that no
    # cross-field rule can turn: valid values go only to fields no rule
    # reads.  tests/strategies.py lists the violations a schema cannot see
    # and leaves them out; TestKnownLimits below pins them down.

    @pytest.mark.parametrize("cls", CONFIG_CLASSES)
    @given(data=st.data())
    def test_one_leaf_changed(self, cls, data):
        """With one leaf changed, the schema accepts iff from_dict does, as expected."""
        changed, path, valid = data.draw(file_dicts_with_one_leaf_changed(cls))

        assert valid == _schema_accepts(cls, changed), path
        assert valid == _loads(cls, changed), path

    @pytest.mark.parametrize("cls", CONFIG_CLASSES)
    @given(data=st.data())
    def test_never_stricter_than_loading(self, cls, data):
        """Whatever junk one leaf holds, if from_dict accepts it, so does the schema."""
        changed, path = data.draw(file_dicts_with_one_junk_leaf(cls))

        if _loads(cls, changed):
            assert _schema_accepts(cls, changed), path


#: Valid under the schema, refused by from_dict: what JSON Schema cannot say.
LIMITS = {
    "cross-field rule": {
        "memory_config": {
            "memory_pool_size": "8GiB",
            "gpu_memory_size": "6GiB",
        }
    },
    "rule across the root and a section": {
        "vision_patch_size": 16,
        "vision_image_size": 448,
        "serving_config": {"max_image_pixels": 1000},
    },
    "GPUs that do not split the model": {
        "parallel_config": {"tensor_parallel_size": 3}
    },
    "bound of a size with a unit": {"cpu_config": {"l1_cache_size": "2GiB"}},
    "whole bytes of a size with a unit": {
        "cpu_config": {"l1_cache_size": "1.5B"}
    },
    "order of an increasing list": {
        "vision_deepstack_visual_indexes": [11, 5]
    },
    "integral float for an integer": {"num_hidden_layers": 32.0},
}


class TestKnownLimits:
    @pytest.mark.parametrize("data", LIMITS.values(), ids=list(LIMITS))
    def test_schema_accepts_what_loading_refuses(self, data):
        """Each documented limit is real: the schema accepts and from_dict refuses."""
        assert _schema_accepts(Qwen3VLConfig, data)
        assert not _loads(Qwen3VLConfig, data)
