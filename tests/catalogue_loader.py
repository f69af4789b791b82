"""
Load the bad-input catalogue, tests/data/catalogue.toml, as `Row` objects.

The file holds one ``[[row]]`` per input.  Plain TOML values stand for
themselves (TOML has dates, times, ``nan`` and ``inf``); a table with one
key that starts with ``$`` is a value that TOML cannot write, or that would
be millions of characters long, and `expand` builds it:

- ``{ "$null" = true }``: `None`;
- ``{ "$tuple" = [a, b] }``: ``(a, b)``;
- ``{ "$pairs" = [[key, value], ...] }``: a dict whose keys need not be
  strings;
- ``{ "$repeat" = "ab", times = 3 }``: ``"ababab"``;
- ``{ "$join" = [part, ...] }``: the parts' text, joined;
- ``{ "$numbered" = '"k{}": 1', count = 3, sep = "," }``:
  ``'"k0": 1,"k1": 1,"k2": 1'`` (each item's ``{}`` is its number), for
  documents with many distinct keys or items;
- ``{ "$keys" = "k", count = 2, value = 1 }``: ``{"k0": 1, "k1": 1}``;
- ``{ "$list" = 0, count = 3 }``: ``[0, 0, 0]``;
- ``{ "$nest" = "[", close = "]", depth = 2, leaf = "x" }``: ``"[[x]]"``;
- ``{ "$nest_list" = 3 }``: ``[[[]]]``;
- ``{ "$nest_mapping" = "a", depth = 2, leaf = 1 }``: ``{"a": {"a": 1}}``;
- ``{ "$recursive_mapping" = "key" }``: a dict ``d`` with
  ``d["key"] is d``;
- ``{ "$recursive_list" = true }``: a list ``l`` with ``l[0] is l``;
- ``{ "$power" = 10, exponent = 3, plus = 1 }``: ``1001``;
- ``{ "$encode" = text, encoding = "utf-16-le", bom = true }``: the bytes
  of `text` (with ``latin-1``, ``"\\u00ff"`` is the byte ``0xff``, so any
  byte can be written);
- ``{ "$pattern" = 'regex' }``: a compiled pattern, which a problem's path
  must match whole;
- ``{ "$ref" = "docs.json" }``: the value at that dotted name of the
  ``[values]`` table;
- ``{ "$hf" = { changes }, replace = [old, new] }``: the text of the
  ``[hf_base]`` config.json with the nested `changes` merged in, then
  `old` replaced by `new`.

A row with ``value`` (the input as a mapping, without ``config_version``)
is written in every form from it, as `value_forms` says; its other keys add
to or replace those forms.  ``accept`` maps dotted paths to the values a
loaded config must hold.
"""

from __future__ import annotations

import copy
import functools
import json
import pathlib
import re
import tomllib

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import attrs
import tomli_w
import yaml


#: The catalogue itself.
CATALOGUE = pathlib.Path(__file__).parent / "data" / "catalogue.toml"

FORMATS = ("json", "yaml", "toml")
ENV_PREFIX = "QWEN3VL_"


class _Absent:
    """The marker of a form that a row does not have."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()

#: A path as a row expects it: exact, or a pattern the whole path matches.
PathSpec = str | re.Pattern[str]


@attrs.frozen(eq=False, repr=False)
class Row:
    """
    One input of the catalogue, in each form an entry point can take.

    Attributes:
        id: Short name, unique in the catalogue.
        description: What the input is, for people.
        path: The dotted path of the problem it must get (``""`` for the
            input as a whole), or a pattern for the whole path.
        message: A regular expression the problem's message must match.
        data: The input as Python data, for `from_dict`.
        files: Format (``json``, ``yaml``, ``toml``) -> file content.
        patch: The input as a patch, for `apply_updates` and for
            `load_config`'s ``overrides`` mapping.
        env: Environment variables for `load_config`.
        args: ``"dotted.path=value"`` overrides for `load_config`.
        hf: The content of a Hugging Face ``config.json``.
        special: A kind of path instead of file content: ``fifo``,
            ``folder``, ``dev-zero``, ``big``, ``missing``, ``loop``,
            ``suffix``.
        hub: A `from_pretrained` setup: ``outside``, ``blob-fifo``,
            ``ref-fifo``, ``link-loop`` (a cached model id), or
            ``fifo-link`` (a path).
        expect: Entry point, format or group -> (path, message) where they
            differ from `path` and `message`.
        accept: For inputs that must load: a check of the loaded config.
        rule: The cross-field rule the input breaks, as
            ``"Class:field,field"``.
        skip: Entry points for which the input means something valid
            (an empty list of overrides is no overrides).
    """

    id: str
    description: str
    path: PathSpec = ""
    message: str = ""
    data: Any = ABSENT
    files: Mapping[str, str | bytes] = attrs.field(factory=dict)
    patch: Any = ABSENT
    env: Mapping[str, str] | None = None
    args: Sequence[str] | None = None
    hf: str | bytes | None = None
    special: str | None = None
    hub: str | None = None
    expect: Mapping[str, tuple[PathSpec, str]] = attrs.field(factory=dict)
    accept: Callable[[Any], bool] | None = None
    rule: str | None = None
    skip: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"Row({self.id!r})"


# -- the forms of a value --------------------------------------------------


def env_name(path: str) -> str:
    """Return the environment variable of dotted `path`."""
    return ENV_PREFIX + path.upper().replace(".", "__")


def leaves(data: Mapping[str, Any], prefix: str = "") -> Iterator[tuple]:
    """Yield ``(dotted path, value)`` for every leaf of nested `data`."""
    for key, value in data.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, Mapping):
            yield from leaves(value, path)
        else:
            yield path, value


def as_text(value: object) -> str:
    """Return `value` as an environment variable or override writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ",".join(str(item) for item in value)
    return str(value)


def dump(data: Mapping[str, Any], fmt: str) -> str:
    """Return `data` as the text of a `fmt` file."""
    if fmt == "json":
        return json.dumps(data, allow_nan=False)
    if fmt == "yaml":
        return yaml.safe_dump(dict(data), sort_keys=False)
    return tomli_w.dumps(data)


def value_forms(
    value: Mapping[str, Any],
    formats: Sequence[str] = FORMATS,
    text: str | bool | None = None,
) -> dict[str, Any]:
    """
    Return the forms of a value that every form can carry.

    `value` (without ``config_version``) becomes the dict and the files
    (each of `formats`, with ``config_version = 1``) and the patch.  `text`
    gives the environment and ``path=value`` forms: a string for the one
    leaf of `value`, or true to write every leaf with `as_text`.
    """
    full = {"config_version": 1, **value}
    forms: dict[str, Any] = {
        "data": full,
        "files": {fmt: dump(full, fmt) for fmt in formats},
        "patch": dict(value),
    }
    if text is not None and text is not False:
        pairs = list(leaves(value))
        if isinstance(text, str):
            assert 1 == len(pairs), value
            pairs = [(pairs[0][0], text)]
        else:
            pairs = [(p, as_text(v)) for p, v in pairs]
        forms["env"] = {env_name(p): v for p, v in pairs}
        forms["args"] = [f"{p}={v}" for p, v in pairs]
    return forms


# -- the vocabulary --------------------------------------------------------


def _merge(target: dict[str, Any], changes: Mapping[str, Any]) -> None:
    """Merge nested `changes` into `target`; other values replace."""
    for key, value in changes.items():
        if isinstance(value, Mapping) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = value


def hf_json(changes: Mapping[str, Any] | None = None) -> str:
    """Return the catalogue's ``[hf_base]`` with nested `changes` as text."""
    data = copy.deepcopy(_document()["hf_base"])
    _merge(data, changes or {})
    return json.dumps(data)


def _nest_list(depth: int) -> list[Any]:
    root: list[Any] = []
    inner = root
    for _ in range(depth - 1):
        nested: list[Any] = []
        inner.append(nested)
        inner = nested
    return root


def _nest_mapping(key: str, depth: int, leaf: object) -> dict[str, Any]:
    value: Any = leaf
    for _ in range(depth):
        value = {key: value}
    return value


def _recursive_mapping(key: str) -> dict[str, Any]:
    loop: dict[str, Any] = {}
    loop[key] = loop
    return loop


def _recursive_list(_: object) -> list[Any]:
    loop: list[Any] = []
    loop.append(loop)
    return loop


def _power(base: int, exponent: int, plus: int = 0) -> int:
    return base**exponent + plus


def _encode(text: str, encoding: str, bom: bool = False) -> bytes:
    return (("\ufeff" if bom else "") + text).encode(encoding)


def _hf(changes: Mapping[str, Any], replace: Sequence[str] = ()) -> str:
    text = hf_json(changes)
    if replace:
        old, new = replace
        assert old in text, old
        text = text.replace(old, new)
    return text


#: Tag -> what builds the value from the tag's value and the other keys.
_TAGS: dict[str, Callable[..., Any]] = {
    "$null": lambda _: None,
    "$tuple": tuple,
    "$pairs": dict,
    "$repeat": lambda text, times: text * times,
    "$join": "".join,
    "$numbered": lambda template, count, sep="": sep.join(
        template.replace("{}", str(i)) for i in range(count)
    ),
    "$keys": lambda prefix, count, value: {
        f"{prefix}{i}": value for i in range(count)
    },
    "$list": lambda item, count: [item] * count,
    "$nest": lambda opening, close, depth, leaf="": (
        opening * depth + leaf + close * depth
    ),
    "$nest_list": _nest_list,
    "$nest_mapping": _nest_mapping,
    "$recursive_mapping": _recursive_mapping,
    "$recursive_list": _recursive_list,
    "$power": _power,
    "$encode": _encode,
    "$pattern": re.compile,
    "$hf": _hf,
    "$ref": lambda name: expand(value_of(name)),
}


def value_of(name: str) -> Any:
    """Return the raw ``[values]`` entry at dotted `name`."""
    found: Any = _document()["values"]
    for part in name.split("."):
        found = found[part]
    return found


def expand(value: Any) -> Any:
    """Return the Python value that a catalogue value stands for."""
    if isinstance(value, list):
        return [expand(item) for item in value]
    if not isinstance(value, dict):
        return value
    tags = [key for key in value if key.startswith("$")]
    if not tags:
        return {key: expand(item) for key, item in value.items()}
    (tag,) = tags
    options = {key: expand(v) for key, v in value.items() if key != tag}
    return _TAGS[tag](expand(value[tag]), **options)


def _accept(expected: Mapping[str, Any]) -> Callable[[Any], bool]:
    """Return a check that a config holds each of `expected`'s leaves."""
    wanted = dict(leaves(expected))

    def check(config: object) -> bool:
        for path, value in wanted.items():
            found: Any = config
            for part in path.split("."):
                found = getattr(found, part)
            if found != value:
                return False
        return True

    return check


# -- loading ---------------------------------------------------------------


@functools.cache
def _document() -> dict[str, Any]:
    with CATALOGUE.open("rb") as f:
        return tomllib.load(f)


#: The keys of a row that are not `Row` fields.
_VALUE_KEYS = ("value", "formats", "text")


def _row(entry: Mapping[str, Any]) -> Row:
    fields = {k: v for k, v in entry.items() if k not in _VALUE_KEYS}
    forms: dict[str, Any] = {}
    if "value" in entry:
        forms = value_forms(
            expand(entry["value"]),
            expand(entry.get("formats", FORMATS)),
            expand(entry.get("text")),
        )
    for key, raw in fields.items():
        value = expand(raw)
        if key == "files":
            forms["files"] = {**forms.get("files", {}), **value}
        elif key == "expect":
            forms[key] = {k: tuple(v) for k, v in value.items()}
        elif key == "accept":
            forms[key] = _accept(value)
        elif key == "skip":
            forms[key] = tuple(value)
        else:
            forms[key] = value
    return Row(**forms)


def load_rows() -> tuple[Row, ...]:
    """Return every row of the catalogue, in the file's order."""
    return tuple(_row(entry) for entry in _document()["row"])
