# ruff: noqa: INP001 - scripts run from this folder, not a package
"""
Structured inputs built from fuzz bytes: values, patches, file texts.

libFuzzer mutates bytes; `Draw` reads those bytes as a stream of choices,
so that a mutation changes a choice (another key, another kind of value)
and coverage guides the choices.  Keys are mostly the schema's own names
and dotted paths, values mostly the near misses that validators must
refuse (sizes, choices, huge and special numbers), so that inputs get past
the parsers into the validators and the cross-field rules.

Import after `_harness.instrumented()`: it imports qwen3vl.
"""

from __future__ import annotations

import collections
import datetime as dt
import decimal
import fractions
import math
import types

from typing import Any

import atheris

from qwen3vl import (
    CPUConfig,
    GPUConfig,
    MemoryConfig,
    OptimizationConfig,
    PowerManagementConfig,
    Qwen3VLConfig,
    list_presets,
)
from qwen3vl._converters import to_file_data
from qwen3vl._fields import fields_of
from qwen3vl._formats import dumps
from qwen3vl._overrides import leaf_fields
from qwen3vl._sources import env_name


CLASSES: tuple[type, ...] = (
    Qwen3VLConfig,
    MemoryConfig,
    CPUConfig,
    GPUConfig,
    PowerManagementConfig,
    OptimizationConfig,
)
FORMATS = ("json", "yaml", "toml")
SUFFIXES = (".json", ".yaml", ".yml", ".toml", ".JSON", ".ini", "")


def _paths(cls: type, prefix: str = "") -> list[str]:
    """Every dotted path under `cls`, sections included."""
    found = []
    for name, info in fields_of(cls).items():
        found.append(prefix + name)
        if info.section is not None:
            found += _paths(info.section, f"{prefix}{name}.")
    return found


PATHS = {cls: _paths(cls) for cls in CLASSES}
ALL_KEYS = sorted({p for paths in PATHS.values() for p in paths})
LEAVES = sorted(leaf_fields())
ENV_NAMES = [env_name(p) for p in LEAVES]


def _presets() -> list[Qwen3VLConfig]:
    names = list_presets()
    found = [Qwen3VLConfig()]
    for level in names.levels:
        found.append(Qwen3VLConfig.from_preset(level))
        found += [
            Qwen3VLConfig.from_preset(level, target)
            for target in names.hardware_targets
        ]
    return found


PRESETS = _presets()
CONFIGS: list[Any] = [
    *PRESETS,
    *(
        getattr(cfg, name)
        for cfg in PRESETS[:4]
        for name in fields_of(Qwen3VLConfig)
        if fields_of(Qwen3VLConfig)[name].section is not None
    ),
]
DICTS: list[dict[str, Any]] = [
    form(cfg)
    for cfg in CONFIGS
    for form in (to_file_data, lambda c: c.to_dict())
]


def canonical_files(fmt: str) -> list[bytes]:
    """The canonical `fmt` text of every preset, and partial files."""
    texts = [dumps(to_file_data(cfg), fmt).encode() for cfg in PRESETS]
    texts += [
        dumps(
            {
                "num_hidden_layers": 64,
                "gpu_config": {"use_tensor_cores": False},
            },
            fmt,
        ).encode(),
        dumps({"memory_config": {"gpu_memory_size": "24GiB"}}, fmt).encode(),
        b"",
    ]
    return texts


def _strings() -> list[str]:
    """Texts that fields may almost accept: sizes, choices, names, numbers."""
    found = {
        "",
        " ",
        "6GiB",
        "6 GiB",
        "6GB",
        "6gib",
        "1.5TiB",
        "0.5B",
        "1e3",
        "1e3GiB",
        "-1GiB",
        "+1GiB",
        "6XB",
        "6PiB",
        "1024TiB",
        "1025TiB",
        "true",
        "false",
        "True",
        "yes",
        "no",
        "on",
        "null",
        "~",
        "none",
        "32",
        "3.7",
        "-1",
        "0",
        "0x10",
        "0o755",
        "1_000",
        "1:20",
        "nan",
        "NaN",
        "inf",
        "-inf",
        "Infinity",
        "8.9",
        "8,9",
        "[8, 9]",
        "[8,",
        "1,2,3",
        "[]",
        "{}",
        "auto",
        "auto ",
        "AUTO",
        "9" * 4400,
        "1" + "0" * 400 + "GiB",
        "\x00",
        "\ud800",
        "\ufeff6GiB",
        "x" * 129,
        "-x",
        "a b",
        "é",
        "\u0431\u0430\u043b\u0430\u043d\u0441ed",
    }
    for info in leaf_fields().values():
        found.update(getattr(info.validator, "choices", ()))
    names = list_presets()
    found.update(names.levels)
    found.update(names.hardware_targets)
    found.update(ALL_KEYS)
    return sorted(found)


STRINGS = _strings()
EDGY_INTS = (
    0,
    1,
    -1,
    2,
    3,
    7,
    8,
    31,
    32,
    33,
    64,
    127,
    128,
    1023,
    1024,
    1025,
    4096,
    2**31,
    2**32,
    2**53,
    2**53 + 1,
    2**63,
    2**64,
    -(2**63) - 1,
    1024**5,
    1024**5 + 1,
    10**30,
)
#: How many items or keys a wide container holds.
WIDE_COUNTS = (100, 5_000, 100_000)

SPECIAL_FLOATS = (
    math.nan,
    -math.nan,
    math.inf,
    -math.inf,
    0.0,
    -0.0,
    0.5,
    1.0,
    1e-05,
    1e-300,
    5e-324,
    1e308,
    1.7976931348623157e308,
    125.0,
    125.00000000000001,
    0.1 + 0.2,
)


class _Opaque:
    """An object no validator knows."""


PYTHON_VALUES = (
    (8, 9),
    ("1", "2", "3"),
    frozenset({1, 2}),
    b"6GiB",
    bytearray(b"true"),
    1j,
    decimal.Decimal("NaN"),
    decimal.Decimal("6.5"),
    fractions.Fraction(1, 3),
    dt.date(2024, 1, 1),
    dt.time(7, 32),
    _Opaque(),
    range(3),
    types.MappingProxyType({"use_tensor_cores": False}),
    collections.UserDict({"num_threads": 2}),
)
ODD_KEYS: tuple[Any, ...] = (
    1,
    0,
    None,
    True,
    1.5,
    ("gpu_config",),
    b"gpu_config",
)


class Draw:
    """Choices read from fuzz bytes; out of bytes, every choice is the first."""

    def __init__(self, data: bytes, *, python: bool = True) -> None:
        self.fdp = atheris.FuzzedDataProvider(data)
        self.python = python  # whether values no file can hold may appear
        self.budget = 48  # nodes per input, so that inputs stay small

    def number(self, hi: int) -> int:
        """A number in ``[0, hi]``."""
        return self.fdp.ConsumeIntInRange(0, hi)

    def chance(self) -> bool:
        """True or false."""
        return self.fdp.ConsumeBool()

    def pick(self, items: Any) -> Any:
        """One of `items`."""
        return items[self.number(len(items) - 1)]

    def text(self, most: int = 24) -> str:
        """Any text, lone surrogates included, up to `most` characters."""
        return self.fdp.ConsumeUnicode(self.number(most))

    def raw(self, most: int) -> bytes:
        """Up to `most` bytes."""
        return self.fdp.ConsumeBytes(self.number(most))

    def key(self, paths: list[str]) -> Any:
        """A key: a real one (maybe mangled), junk text, or not a string."""
        choice = self.number(9)
        if choice <= 4:
            return self.pick(paths)
        if choice == 5:
            path = self.pick(paths)
            return self.pick(
                (
                    path.upper(),
                    f" {path}",
                    f"{path}.",
                    f".{path}",
                    path.replace(".", ".."),
                    path.replace(".", "__"),
                    path.rsplit(".", 1)[-1],
                    f"{path}.{self.pick(ALL_KEYS)}",
                )
            )
        if choice == 6:
            return self.pick(ALL_KEYS)
        if choice == 7 and self.python:
            return self.pick(ODD_KEYS)
        return self.text(16)

    def value(self, paths: list[str], depth: int = 0) -> Any:
        """Any value: scalars, near misses, lists, mappings, deep nests."""
        if self.budget <= 0 or self.fdp.remaining_bytes() == 0:
            return None
        self.budget -= 1
        choice = self.number(16)
        if choice == 0:
            return None
        if choice == 1:
            return self.chance()
        if choice == 2:
            return self.fdp.ConsumeInt(9)
        if choice == 3:
            return self.pick(EDGY_INTS) * self.pick((1, -1))
        if choice == 4:
            return self.pick((1, -1)) * 10 ** self.number(5000)
        if choice == 5:
            return self.fdp.ConsumeRegularFloat()
        if choice == 6:
            return self.pick(SPECIAL_FLOATS)
        if choice in (7, 8):
            return self.pick(STRINGS)
        if choice == 9:
            return self.text()
        if choice == 10:
            return [
                self.value(paths, depth + 1) for _ in range(self.number(4))
            ]
        if choice in (11, 12):
            return self.mapping(paths, depth + 1)
        if choice == 13:
            leaf = self.value(paths, depth + 1)
            for _ in range(self.number(300)):
                leaf = [leaf] if self.chance() else {self.pick(ALL_KEYS): leaf}
            return leaf
        if choice == 14 and self.python:
            return self.pick(PYTHON_VALUES)
        if choice == 15:
            # Wide rather than deep: one container with many items or
            # distinct keys, each the same value (issue 13: work must stay
            # linear in the number of keys).
            count = self.pick(WIDE_COUNTS)
            item = self.value(paths, depth + 1)
            if self.chance():
                return [item] * count
            stem = self.pick(ALL_KEYS)
            return {f"{stem}{i}": item for i in range(count)}
        return self.pick(STRINGS)

    def mapping(self, paths: list[str], depth: int = 0) -> dict[Any, Any]:
        """A mapping of real and junk keys to any values."""
        return {
            self.key(paths): self.value(paths, depth + 1)
            for _ in range(self.number(6))
        }

    def patch(self, paths: list[str]) -> Any:
        """A patch: real paths, spelled dotted or nested, to any values."""
        if self.number(15) == 0:
            return self.value(paths)  # not even a mapping
        patch: dict[Any, Any] = {}
        for _ in range(self.number(6) + 1):
            key = self.key(paths)
            value = self.value(paths)
            if type(key) is str and "." in key and self.chance():
                # Nested for the first `cut` parts, dotted for the rest.
                parts = key.split(".")
                cut = self.number(len(parts) - 1)
                if cut:
                    value = {".".join(parts[cut:]): value}
                    for part in reversed(parts[1:cut]):
                        value = {part: value}
                    key = parts[0]
            _merge(patch, {key: value})
        return patch

    def edited(self, base: dict[str, Any], paths: list[str]) -> dict[str, Any]:
        """A copy of `base` with up to four leaves set, deleted or added."""
        data = _copy(base)
        for _ in range(self.number(4)):
            path = self.key(paths)
            parts = path.split(".") if type(path) is str else [path]
            node = data
            for part in parts[:-1]:
                child = node.get(part) if isinstance(node, dict) else None
                if not isinstance(child, dict):
                    break
                node = child
            else:
                if self.number(3) == 0:
                    node.pop(parts[-1], None)
                else:
                    node[parts[-1]] = self.value(paths)
        return data


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _merge(into: dict[Any, Any], patch: dict[Any, Any]) -> None:
    for key, value in patch.items():
        if isinstance(into.get(key), dict) and isinstance(value, dict):
            _merge(into[key], value)
        else:
            into[key] = value


FILE_TOKENS = {
    "json": [
        b"{",
        b"}",
        b"[",
        b"]",
        b",",
        b":",
        b'"',
        b"\\u0000",
        b"\\ud800",
        b"NaN",
        b"-Infinity",
        b"null",
        b"true",
        b"1e999",
    ],
    "yaml": [
        b": ",
        b"- ",
        b"? ",
        b"&a ",
        b"*a",
        b"<<: ",
        b"!!python/object:x",
        b"!!binary ",
        b"!!set ",
        b"!x ",
        b"%YAML 1.1\n",
        b"---\n",
        b"...\n",
        b"|\n",
        b">-\n",
        b"~",
        b"no",
        b"on",
        b"0755",
        b"1:20",
        b".nan",
        b"-.inf",
        b"2001-12-14",
        b"{",
        b"[",
    ],
    "toml": [
        b"[",
        b"]",
        b"[[",
        b"]]",
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
        b"0x1F",
    ],
}
COMMON_TOKENS = [
    b"\x00",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\x80",
    b"\xed\xa0\x80",
    b"\t",
    b"9" * 64,
    b"GiB",
    b"TiB",
]


def file_tokens(fmt: str) -> list[bytes]:
    """A libFuzzer dictionary for `fmt`: syntax, near misses, key names."""
    keys = [k.rsplit(".", 1)[-1].encode() for k in ALL_KEYS]
    return FILE_TOKENS[fmt] + COMMON_TOKENS + sorted(set(keys))
