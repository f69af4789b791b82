"""
Fuzzing properties: hostile bytes, text and patches give a config or a ConfigError.

Every property here feeds an entry point input that nobody wrote on purpose
(random bytes, valid files with random damage, junk values under real
dotted paths) and accepts exactly two outcomes: a valid config or a
well-formed `ConfigError` that names where the problem came from.  Any
other exception is an escape.  The properties are marked ``fuzzprops`` and
run in ``nox -s robustness``; the examples fuzzing found run everywhere.
The coverage-guided counterparts, for long runs, are the atheris harnesses
in ``fuzz/`` (``nox -s fuzz``).
"""

from __future__ import annotations

import datetime as dt
import decimal
import fractions
import math
import pathlib
import types
import warnings

from collections import UserDict
from collections.abc import Callable
from typing import Any

import pytest

from hypothesis import example, given, settings
from hypothesis import strategies as st
from qwen3vl import (
    BaseConfig,
    ConfigError,
    Qwen3VLConfig,
    apply_updates,
    load_config,
)
from qwen3vl._converters import to_file_data
from qwen3vl._formats import MAX_DEPTH, dumps, loads
from qwen3vl._overrides import leaf_fields
from qwen3vl._sources import CONFIG_FILES_VARIABLE, env_name

import strategies

from helpers import (
    CONFIG_CLASSES,
    SLOW_EXAMPLES,
    SUFFIXES,
    assert_well_formed,
    by_format,
)


# Building valid configs is the slow part of an example: the properties
# that draw several per example run fewer.
PATCHES = settings(max_examples=120)
CHAINS = LAYERS = SLOW_EXAMPLES


# -- the two accepted outcomes --------------------------------------------


def config_or_config_error(
    call: Callable[[], BaseConfig], cls: type, source: str | None
) -> BaseConfig | None:
    """Return what `call` makes (a `cls`), or None after a good ConfigError."""
    try:
        # A warning is not an escape: files and data without config_version
        # load as the old layout with a DeprecationWarning, and load_config
        # warns of a hardware_target that looks misspelt.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            made = call()
    except ConfigError as e:
        assert_well_formed(e, source)
        return None
    assert cls is type(made)
    # What came out is valid through and through: it survives its own
    # dict form unchanged.
    assert made == cls.from_dict(made.to_dict())
    return made


# -- bytes for the file loaders -------------------------------------------

_COMMON_TOKENS = (
    b"\x00",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\x80",
    b"\xc3",
    b"\xed\xa0\x80",  # a UTF-16 surrogate spelled in UTF-8: not valid UTF-8
    b"\n",
    b"\r\n",
    b"\t",
    b" ",
    b"#",
    b"9" * 4400,  # over Python's 4300-digit int limit
    b"[" * 40,
    b"{" * 40,
    b"1e999",
    b"-0",
    b"0x1F",
)
_TOKENS = {
    "json": (
        b"{",
        b"}",
        b"[",
        b"]",
        b",",
        b":",
        b'"',
        b"\\",
        b"\\u0000",
        b"\\ud800",
        b"NaN",
        b"-Infinity",
        b"null",
        b"true",
        b'"num_hidden_layers": 1,',
        b'"gpu_config": [],',
        b'{"a": 1, "a": 2}',
    ),
    "yaml": (
        b": ",
        b"- ",
        b"? ",
        b"&a ",
        b"*a",
        b"<<: *a",
        b"!!python/object/apply:os.system ['true']",
        b"!!binary AAAA",
        b"!!set {a}",
        b"!custom x",
        b"%YAML 1.1\n",
        b"---\n",
        b"...\n",
        b"|\n",
        b">-\n",
        b"'",
        b'"',
        b"~",
        b"no",
        b"on",
        b"0755",
        b"1:20",
        b".nan",
        b"-.inf",
        b"2001-12-14",
        b"[1, 2]: x",
        b"{",
    ),
    "toml": (
        b"[",
        b"]",
        b"[[",
        b"]]",
        b"[gpu_config]\n",
        b"[[memory_config]]\n",
        b" = ",
        b'"""',
        b"'''",
        b"{",
        b"}",
        b",",
        b"inf",
        b"nan",
        b"1979-05-27T07:32:00Z",
        b"07:32:00",
        b"1_000",
        b"0o755",
        b"a.b.c = 1\n",
        b"num_hidden_layers = 1\nnum_hidden_layers = 2\n",
    ),
}


def _tokens(fmt: str) -> st.SearchStrategy[bytes]:
    return st.sampled_from(_COMMON_TOKENS + _TOKENS[fmt]) | st.binary(
        max_size=8
    )


def _value_spans(data: bytes, fmt: str) -> list[tuple[int, int]]:
    """Where the values are: after ': ' (JSON, YAML) or ' = ' (TOML)."""
    sep = b" = " if fmt == "toml" else b": "
    spans = []
    start = 0
    for line in data.split(b"\n"):
        at = line.find(sep)
        if at >= 0:
            spans.append((start + at + len(sep), start + len(line)))
        start += len(line) + 1
    return spans


@st.composite
def mutated(draw: st.DrawFn, base: bytes, fmt: str) -> bytes:
    """`base` with one to four random edits: flips, tokens, cuts, copies."""
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(
            st.sampled_from(
                (
                    "flip",
                    "insert",
                    "delete",
                    "duplicate",
                    "truncate",
                    "value",
                    "swap lines",
                )
            )
        )
        if kind == "flip" and data:
            at = min(at, len(data) - 1)
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "insert":
            data[at:at] = draw(_tokens(fmt))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        elif kind == "duplicate":
            chunk = data[at : at + draw(st.integers(1, 256))]
            where = draw(st.integers(0, len(data)))
            data[where:where] = chunk
        elif kind == "truncate":
            del data[at:]
        elif kind == "value":
            spans = _value_spans(bytes(data), fmt)
            if spans:
                lo, hi = draw(st.sampled_from(spans))
                data[lo:hi] = draw(_tokens(fmt))
        elif kind == "swap lines":
            lines = bytes(data).split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            data = bytearray(b"\n".join(lines))
    return bytes(data)


def canonical_bytes(fmt: str) -> st.SearchStrategy[bytes]:
    """The canonical file text of a valid config, as UTF-8 bytes."""
    return strategies.qwen3vl_configs().map(
        lambda cfg: dumps(to_file_data(cfg), fmt).encode()
    )


def mutated_files(fmt: str) -> st.SearchStrategy[bytes]:
    """Valid canonical files of `fmt` with random damage."""
    return canonical_bytes(fmt).flatmap(lambda base: mutated(base, fmt))


# Characters that make up the formats' syntax, so that random text gets
# past the first byte of the parser now and then.
_SYNTAX = "{}[]:,\"'=.\n -#&*!|>?~01239aeflnrstu_\\\t"


def text_bytes() -> st.SearchStrategy[bytes]:
    """Bytes made from text: several encodings, and syntax-heavy text."""
    texts = st.text() | st.text(alphabet=_SYNTAX, max_size=200)
    encodings = st.sampled_from(
        ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "latin-1")
    )
    return st.builds(
        lambda text, encoding: text.encode(encoding, "replace"),
        texts,
        encodings,
    )


def any_bytes(fmt: str) -> st.SearchStrategy[bytes]:
    """Random bytes, bytes from text, and damaged valid files of `fmt`."""
    return st.one_of(
        st.binary(max_size=1024), text_bytes(), mutated_files(fmt)
    )


def _is_plain(value: Any, depth: int = 0) -> bool:
    """Whether `value` is plain data: str keys, known leaves, bounded depth."""
    if depth > MAX_DEPTH:
        return False
    if isinstance(value, dict):
        return all(
            type(k) is str and _is_plain(v, depth + 1)
            for k, v in value.items()
        )
    if isinstance(value, list):
        return all(_is_plain(v, depth + 1) for v in value)
    # TOML has dates and times; fields refuse them later, by path.
    leaves = (str, int, float, bool, dt.date, dt.time)
    return value is None or isinstance(value, leaves)


@pytest.mark.fuzzprops
class TestFileLoaders:
    @by_format
    @given(data=st.data())
    def test_any_bytes_give_a_config_or_config_error(
        self, folder: pathlib.Path, fmt: str, data: st.DataObject
    ) -> None:
        """Any bytes in a file of each format load or raise a ConfigError."""
        raw = data.draw(any_bytes(fmt), label="file bytes")
        path = folder / f"fuzz{SUFFIXES[fmt]}"
        path.write_bytes(raw)

        config_or_config_error(
            lambda: Qwen3VLConfig.from_file(path), Qwen3VLConfig, str(path)
        )

    @by_format
    @given(data=st.data())
    def test_loads_gives_plain_data_or_config_error(
        self, fmt: str, data: st.DataObject
    ) -> None:
        """`loads` on any text gives plain, bounded data or a ConfigError."""
        raw = data.draw(any_bytes(fmt), label="bytes")
        errors = data.draw(st.sampled_from(("replace", "surrogateescape")))
        texts = [
            raw.decode("utf-8", errors),
            # Lone surrogates too, which no decoded file holds.
            data.draw(st.text(st.characters(exclude_categories=()))),
        ]
        for text in texts:
            try:
                parsed, lines = loads(text, fmt, "fuzz")
            except ConfigError as e:
                assert_well_formed(e, "fuzz")
                continue
            assert _is_plain(parsed)
            assert all(
                type(k) is str and type(n) is int and n >= 1
                for k, n in lines.items()
            )

    @by_format
    @LAYERS
    @given(data=st.data())
    def test_load_config_reads_damaged_files_as_a_layer(
        self, folder: pathlib.Path, fmt: str, data: st.DataObject
    ) -> None:
        """Damaged files given to load_config give a config or a ConfigError."""
        raw = data.draw(any_bytes(fmt), label="file bytes")
        path = folder / f"layer{SUFFIXES[fmt]}"
        path.write_bytes(raw)

        # No single source: presets and the file may both be named.
        config_or_config_error(
            lambda: load_config(path, env=False), Qwen3VLConfig, None
        )


class TestFoundByFuzzing:
    @pytest.mark.parametrize(
        ("name", "text"),
        [
            ("top.json", "0"),
            ("top.json", "[1]"),
            ("top.json", '"x"'),
            ("top.yaml", "x"),
            ("top.yaml", "- a\n"),
        ],
    )
    def test_load_config_refuses_a_file_that_is_not_a_mapping(
        self, tmp_path: pathlib.Path, name: str, text: str
    ) -> None:
        """A file whose top level is not a mapping is a ConfigError in load_config too."""
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")

        with pytest.raises(ConfigError) as from_file:
            Qwen3VLConfig.from_file(path)
        with pytest.raises(ConfigError) as loaded:
            load_config(path, env=False)

        assert_well_formed(from_file.value, str(path))
        assert_well_formed(loaded.value, str(path))

    def test_override_that_is_a_huge_integer(self) -> None:
        """An override list item that is a 5001-digit int is a ConfigError."""
        with pytest.raises(ConfigError) as caught:
            load_config(env=False, overrides=[10**5000])

        assert_well_formed(caught.value, "override")


@pytest.mark.fuzzprops
class TestPathArguments:
    @example(name="\x00")
    @example(name="\ud800")
    @given(name=st.text(st.characters(exclude_categories=()), max_size=20))
    def test_any_file_name_gives_a_config_error(
        self, folder: pathlib.Path, name: str
    ) -> None:
        """Any (missing) file name gives a ConfigError naming it, not OSError."""
        path = str(folder / "absent") + name + ".json"
        for load in (
            lambda: Qwen3VLConfig.from_file(path),
            lambda: load_config(path, env=False),
            lambda: load_config(env={CONFIG_FILES_VARIABLE: path}),
        ):
            with pytest.raises(ConfigError) as caught:
                load()
            assert_well_formed(caught.value, None)


# -- the environment and overrides ---------------------------------------

_LEAVES = sorted(leaf_fields())
_TEXTS = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)


def _value_text() -> st.SearchStrategy[str]:
    """Text an environment value or an override may hold: mostly near misses."""
    return st.one_of(
        _TEXTS,
        st.sampled_from(
            ("", "6GiB", "1e3", "true", "no", "32", "3.7", "8.9", "[8, 9]")
        ),
        strategies.json_like().map(_as_text),
    )


def _as_text(value: Any) -> str:
    """`value` written as Python would, or many digits where it cannot."""
    try:
        return repr(value)
    except ValueError:  # an int over the 4300-digit limit
        return "9" * 5000


def environments() -> st.SearchStrategy[dict[str, str]]:
    """``QWEN3VL_*`` variables, real and not, to any text."""
    names = st.one_of(
        st.sampled_from([env_name(p) for p in _LEAVES]),
        _TEXTS.map(lambda t: "QWEN3VL_" + t),
        _TEXTS,
    )
    return st.dictionaries(names, _value_text(), max_size=4)


def override_lists() -> st.SearchStrategy[list[Any]]:
    """``"dotted.path=value"`` items, near misses, and items that are not text."""
    items = st.one_of(
        st.builds(
            lambda path, sep, text: f"{path}{sep}{text}",
            st.sampled_from(_LEAVES) | _TEXTS,
            st.sampled_from(("=", "=", " = ", ":", "")),
            _value_text(),
        ),
        strategies.json_like(),
    )
    return st.lists(items, max_size=4)


@pytest.mark.fuzzprops
class TestEnvironmentAndOverrides:
    @given(
        env=environments(),
        overrides=st.one_of(
            st.none(), override_lists(), strategies.junk_patches()
        ),
    )
    def test_any_environment_and_overrides(
        self, env: dict[str, str], overrides: Any
    ) -> None:
        """Junk variables and overrides give a config or a ConfigError."""
        config_or_config_error(
            lambda: load_config(env=env, overrides=overrides),
            Qwen3VLConfig,
            None,
        )


# -- patches built from real paths ----------------------------------------


def _paths(cls: type) -> list[str]:
    return [path for path, _ in strategies._leaves(cls)]


def _deep(depth: int, leaf: Any, as_list: bool) -> Any:
    for _ in range(depth):
        leaf = [leaf] if as_list else {"gpu_config": leaf}
    return leaf


class _Opaque:
    """An object no validator knows."""


_PYTHON_VALUES = (
    (8, 9),
    ("1", "2", "3"),
    frozenset({1, 2}),
    {1, 2},
    b"6GiB",
    bytearray(b"true"),
    1j,
    decimal.Decimal("NaN"),
    decimal.Decimal("6.5"),
    fractions.Fraction(1, 3),
    dt.date(2024, 1, 1),
    math.inf,
    -math.nan,
    _Opaque(),
    type,
    print,
    range(3),
    types.MappingProxyType({"use_tensor_cores": False}),
    UserDict({"num_threads": 2}),
    UserDict({"no_such_key": 2}),
)


def junk_values() -> st.SearchStrategy[Any]:
    """JSON-like junk, deep nesting, and Python values no file can hold."""
    return st.one_of(
        strategies.json_like(),
        st.builds(
            _deep,
            st.integers(MAX_DEPTH - 2, 300),
            strategies.json_like(),
            st.booleans(),
        ),
        st.sampled_from(_PYTHON_VALUES),
        st.lists(st.sampled_from(_PYTHON_VALUES), max_size=3).map(tuple),
    )


def _key_variants(path: str) -> st.SearchStrategy[str]:
    """`path` as written, or as a near miss: case, spaces, dots, old names."""
    last = path.rsplit(".", 1)[-1]
    return st.sampled_from(
        (
            path,
            path,
            path,
            path.upper(),
            f" {path}",
            f"{path} ",
            f"{path}.",
            f".{path}",
            path.replace(".", ".."),
            path.replace(".", "__"),
            last,  # a section field at the top: the old flat layout
            f"{path}.extra",  # deeper than the schema
        )
    )


@st.composite
def spelled(draw: st.DrawFn, path: str, value: Any) -> dict[str, Any]:
    """``{path: value}`` nested for a random prefix, dotted for the rest."""
    parts = path.split(".")
    cut = draw(st.integers(0, len(parts) - 1))
    patch: dict[str, Any] = {".".join(parts[cut:]): value}
    for part in reversed(parts[:cut]):
        patch = {part: patch}
    return patch


def _merge(into: dict[str, Any], patch: dict[str, Any]) -> None:
    for key, value in patch.items():
        if isinstance(into.get(key), dict) and isinstance(value, dict):
            _merge(into[key], value)
        else:
            into[key] = value


@st.composite
def real_path_patches(draw: st.DrawFn, cls: type) -> dict[str, Any]:
    """A patch for `cls`: real dotted paths (near misses too), junk values."""
    patch: dict[str, Any] = {}
    paths = _paths(cls)
    for _ in range(draw(st.integers(1, 6))):
        path = draw(st.sampled_from(paths))
        key = draw(_key_variants(path))
        value = draw(junk_values())
        if draw(st.booleans()):
            # Junk below the path: a mapping where the path is a leaf, or
            # real key names where the path is a section.
            value = draw(
                st.dictionaries(
                    st.sampled_from(paths) | st.text(max_size=6),
                    junk_values(),
                    min_size=1,
                    max_size=3,
                )
            )
        _merge(patch, draw(spelled(key, value)))
    return patch


@pytest.mark.fuzzprops
class TestPatches:
    @PATCHES
    @given(data=st.data())
    def test_real_paths_with_junk_give_a_config_or_config_error(
        self, data: st.DataObject
    ) -> None:
        """Junk under real dotted paths, any spelling: a config or ConfigError."""
        cls = data.draw(st.sampled_from(CONFIG_CLASSES))
        cfg = data.draw(strategies.configs_of(cls), label="config")
        patch = data.draw(real_path_patches(cls), label="patch")

        config_or_config_error(lambda: apply_updates(cfg, patch), cls, "patch")

    @CHAINS
    @given(data=st.data())
    def test_a_refused_patch_changes_nothing_in_a_chain(
        self, data: st.DataObject
    ) -> None:
        """In a chain of good and junk patches each refusal leaves the config."""
        cfg = data.draw(strategies.qwen3vl_configs(), label="config")
        steps = data.draw(
            st.lists(
                strategies.patches() | real_path_patches(Qwen3VLConfig),
                min_size=1,
                max_size=5,
            ),
            label="patches",
        )
        for patch in steps:
            before = cfg.to_dict()
            made = config_or_config_error(
                lambda c=cfg, p=patch: apply_updates(c, p),
                Qwen3VLConfig,
                "patch",
            )
            if made is None:
                assert before == cfg.to_dict()
            else:
                cfg = made
        assert cfg == Qwen3VLConfig.from_dict(cfg.to_dict())

    @given(
        patch=st.dictionaries(
            st.sampled_from(_paths(Qwen3VLConfig)),
            st.sampled_from(_PYTHON_VALUES),
            min_size=1,
            max_size=4,
        )
    )
    def test_python_values_no_file_can_hold(
        self, patch: dict[str, Any]
    ) -> None:
        """Tuples, sets, bytes, Decimals and objects: a config or ConfigError."""
        config_or_config_error(
            lambda: apply_updates(Qwen3VLConfig(), patch),
            Qwen3VLConfig,
            "patch",
        )
