"""
The bad-input catalogue: hostile and mistaken inputs, and what each gets.

Each `Row` is one input, written in every form an entry point can take: a
dict for `Qwen3VLConfig.from_dict`, a JSON, YAML or TOML file for
`from_file`, `load_config` and `from_pretrained` (a folder holding
``qwen3vl.<format>``), a Hugging Face ``config.json``, environment
variables and overrides for `load_config`, a patch for `apply_updates`.
`entry_points` lists the forms a row has; `prepare` builds one of them in a
`Workspace` and returns the call to make; `measure` makes it, timing it
without tracing and then measuring its `tracemalloc` peak in a second call.

Shared by tests/test_catalogue.py, which asserts what each row gets, and
benchmarks/catalogue.py, which prints each row's slowest time and peak.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import itertools
import json
import os
import pathlib
import re
import signal
import threading
import time
import tracemalloc
import warnings

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import attrs
import tomli_w
import yaml

from qwen3vl import ConfigError, Problem, Qwen3VLConfig, apply_updates
from qwen3vl import load_config as _load_config


FORMATS = ("json", "yaml", "toml")

#: How deep the deeply nested inputs go.
DEPTH = 100_000

#: Size of the oversized config file (a sparse file: no disk is used).
BIG_FILE_BYTES = 100 * 1024 * 1024

#: What one run may allocate, as `tracemalloc` sees it: Python objects only,
#: not the C buffers of libyaml.  Reading any file peaks near 1 MiB (the
#: read buffer), the 100 000-deep inputs under 8 MiB, and the one-megabyte
#: key or variable name near 37 MiB (difflib's index of the text, made to
#: suggest a name).  64 MiB leaves room for another Python version without
#: letting an expansion (an alias bomb, a copy per level of nesting) pass.
MEMORY_LIMIT = 64 * 1024 * 1024

#: The wall-time target of the issue; the benchmark reports against it.
TIME_TARGET = 0.100

#: A timed run that takes this long is taken for a hang and stopped: ten
#: times the target, five times the slowest row (a one-megabyte key).  The
#: traced run, several times slower by nature, gets twenty times as long; it
#: only runs once the timed run has come back.
HANG_SECONDS = 1.0
TRACED_HANG_SECONDS = 20 * HANG_SECONDS

ENV_PREFIX = "QWEN3VL_"
MODEL_ID = "Qwen/Qwen3-VL-8B-Instruct"
COMMIT = "0123456789abcdef0123456789abcdef01234567"


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


# -- building inputs -------------------------------------------------------


def env_name(path: str) -> str:
    """Return the environment variable of dotted `path`."""
    return ENV_PREFIX + path.upper().replace(".", "__")


def deep_list(depth: int) -> list[Any]:
    """Return a list nested `depth` levels deep."""
    root: list[Any] = []
    inner = root
    for _ in range(depth - 1):
        nested: list[Any] = []
        inner.append(nested)
        inner = nested
    return root


def deep_dict(key: str, depth: int, leaf: object = 1) -> dict[str, Any]:
    """Return ``{key: {key: ... leaf}}`` nested `depth` levels deep."""
    value: Any = leaf
    for _ in range(depth):
        value = {key: value}
    return value


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


#: A real Hugging Face config.json (Qwen3-VL-4B-Instruct's architecture).
HF_BASE: dict[str, Any] = {
    "model_type": "qwen3_vl",
    "tie_word_embeddings": True,
    "text_config": {
        "hidden_size": 2560,
        "intermediate_size": 9728,
        "num_hidden_layers": 36,
        "num_attention_heads": 32,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "max_position_embeddings": 262144,
        "rope_scaling": {
            "mrope_interleaved": True,
            "mrope_section": [24, 20, 20],
            "rope_type": "default",
        },
        "rope_theta": 5000000,
        "vocab_size": 151936,
    },
    "vision_config": {
        "depth": 24,
        "hidden_size": 1024,
        "intermediate_size": 4096,
        "num_heads": 16,
        "out_hidden_size": 2560,
        "deepstack_visual_indexes": [5, 11, 17],
    },
}

#: The Mixture-of-Experts form of `HF_BASE`, as dotted changes.
HF_MOE = {
    "model_type": "qwen3_vl_moe",
    "text_config.num_experts": 8,
    "text_config.num_experts_per_tok": 2,
    "text_config.moe_intermediate_size": 768,
}


def hf_json(changes: Mapping[str, Any] | None = None) -> str:
    """Return `HF_BASE` with dotted `changes` as config.json text."""
    data = copy.deepcopy(HF_BASE)
    for dotted, value in (changes or {}).items():
        *parents, last = dotted.split(".")
        target = data
        for part in parents:
            target = target[part]
        target[last] = value
    return json.dumps(data)


def value_row(  # noqa: PLR0913 - a row has this many independent forms
    id: str,  # noqa: A002 - the rows' own name for it
    description: str,
    data: Mapping[str, Any],
    path: PathSpec,
    message: str,
    *,
    formats: Sequence[str] = FORMATS,
    files: Mapping[str, str | bytes] | None = None,
    text: str | bool | None = None,
    hf: str | None = None,
    expect: Mapping[str, tuple[PathSpec, str]] | None = None,
    accept: Callable[[Any], bool] | None = None,
    rule: str | None = None,
) -> Row:
    """
    Return the row of a value that every form can carry.

    `data` (without ``config_version``) becomes the dict and the files (each
    of `formats`, with ``config_version = 1``) and the patch.  `text` gives
    the environment and ``path=value`` forms: a string for the one leaf of
    `data`, or true to write every leaf with `as_text`.
    """
    full = {"config_version": 1, **data}
    written = {fmt: dump(full, fmt) for fmt in formats}
    written.update(files or {})
    env = args = None
    if text is not None and text is not False:
        pairs = list(leaves(data))
        if isinstance(text, str):
            assert 1 == len(pairs), id
            pairs = [(pairs[0][0], text)]
        else:
            pairs = [(p, as_text(v)) for p, v in pairs]
        env = {env_name(p): v for p, v in pairs}
        args = [f"{p}={v}" for p, v in pairs]
    return Row(
        id=id,
        description=description,
        path=path,
        message=message,
        data=full,
        files=written,
        patch=dict(data),
        env=env,
        args=args,
        hf=hf,
        expect=expect or {},
        accept=accept,
        rule=rule,
    )


def yaml_row(
    id: str,  # noqa: A002 - the rows' own name for it
    description: str,
    body: str,
    path: PathSpec,
    message: str,
) -> Row:
    """Return the row of an input only YAML can write."""
    return Row(
        id=id,
        description=description,
        path=path,
        message=message,
        files={"yaml": "config_version: 1\n" + body},
    )


def env_row(
    id: str,  # noqa: A002 - the rows' own name for it
    description: str,
    env: Mapping[str, str],
    path: PathSpec,
    message: str,
) -> Row:
    """Return the row of environment values, also given as overrides."""
    args = None
    if path:
        (value,) = env.values()
        args = [f"{path}={value}"]
    return Row(
        id=id,
        description=description,
        path=path,
        message=message,
        env=env,
        args=args,
    )


def encoded(texts: Mapping[str, str], encoding: str, bom: bytes = b"") -> dict:
    """Return each of `texts` encoded, with `bom` in front."""
    return {fmt: bom + text.encode(encoding) for fmt, text in texts.items()}


# -- the inputs themselves -------------------------------------------------

R_INT = r"expected an integer >= 1 and <= 1024"
R_RATIO = r"expected a number >= 0\.0 and < 1\.0"
R_DEEP = r"nested deeper than 32 levels|exceeded maximum nesting depth"

DOCS = {
    "json": '{"config_version": 1, "num_hidden_layers": 36}',
    "yaml": "config_version: 1\nnum_hidden_layers: 36\n",
    "toml": "config_version = 1\nnum_hidden_layers = 36\n",
}
RATIO = {
    "json": '{{"config_version": 1, "optimization_config": {{"sparsity_ratio": {}}}}}',
    "yaml": "config_version: 1\noptimization_config:\n  sparsity_ratio: {}\n",
    "toml": "config_version = 1\n[optimization_config]\nsparsity_ratio = {}\n",
}
LAYERS = {
    "json": '{{"config_version": 1, "num_hidden_layers": {}}}',
    "yaml": "config_version: 1\nnum_hidden_layers: {}\n",
    "toml": "config_version = 1\nnum_hidden_layers = {}\n",
}
TARGET = {
    "json": '{{"config_version": 1, "hardware_target": "{}"}}',
    "yaml": 'config_version: 1\nhardware_target: "{}"\n',
    "toml": 'config_version = 1\nhardware_target = "{}"\n',
}


def _fill(template: Mapping[str, str], *values: str) -> dict[str, str]:
    """Return `template` with one value per format put in."""
    return {
        fmt: template[fmt].format(v)
        for fmt, v in zip(FORMATS, values, strict=True)
    }


DIGITS_5000 = "1" * 5000
BIG_INT = 10**4999 + 1  # 5 000 digits
MEGABYTE_KEY = "k" * 1_000_000
DOTTED_DEEP = "gpu_config." + "a." * DEPTH + "b"

ALIAS_BOMB = """\
config_version: 1
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


def nested(opening: str, closing: str, depth: int, leaf: str = "") -> str:
    """Return `leaf` inside `depth` pairs of `opening` and `closing`."""
    return opening * depth + leaf + closing * depth


DEEP_LIST = nested("[", "]", DEPTH)
DEEP_ARRAYS = {
    "json": '{"config_version": 1, "mrope_section": ' + DEEP_LIST + "}",
    "yaml": "config_version: 1\nmrope_section: " + DEEP_LIST + "\n",
    "toml": "config_version = 1\nmrope_section = " + DEEP_LIST + "\n",
}
DEEP_TABLES = {
    "json": '{"config_version": 1, "gpu_config": '
    + nested('{"a": ', "}", DEPTH, "1")
    + "}",
    "yaml": "config_version: 1\ngpu_config: "
    + nested("{a: ", "}", DEPTH, "1")
    + "\n",
    "toml": "config_version = 1\ngpu_config = "
    + nested("{a = ", "}", DEPTH, "1")
    + "\n",
}
PAST_LIMIT = 40
PAST_THE_LIMIT = {
    "json": '{"config_version": 1, "gpu_config": '
    + nested('{"a": ', "}", PAST_LIMIT, "1")
    + "}",
    "yaml": "config_version: 1\ngpu_config:\n"
    + "".join("  " * (i + 1) + "a:\n" for i in range(PAST_LIMIT))
    + "  " * (PAST_LIMIT + 1)
    + "b: 1\n",
    "toml": "config_version = 1\ngpu_config = "
    + nested("{a = ", "}", PAST_LIMIT, "1")
    + "\n",
}
DEEP_GPU = re.compile(r"gpu_config(\.a)+")


def _cyclic_mapping() -> dict[str, Any]:
    patch: dict[str, Any] = {}
    patch["memory_config"] = patch
    return patch


def _cyclic_list() -> dict[str, Any]:
    loop: list[Any] = []
    loop.append(loop)
    return {"mrope_section": loop}


MOE = {
    "num_experts": 8,
    "num_experts_per_tok": 2,
    "moe_intermediate_size": 768,
    "optimization_config": {
        "use_moe": True,
        "moe_num_experts": 8,
        "moe_top_k": 2,
    },
}


def moe(**changes: Any) -> dict[str, Any]:
    """Return the consistent MoE input with root or switch `changes`."""
    data = copy.deepcopy(MOE)
    for key, value in changes.items():
        if key.startswith("switch_"):
            data["optimization_config"][key.removeprefix("switch_")] = value
        else:
            data[key] = value
    return data


ROOT = "Qwen3VLConfig"
R_EXPERTS = f"{ROOT}:num_experts,num_experts_per_tok,moe_intermediate_size,optimization_config"
NAN = float("nan")
INF = float("inf")
UTC = dt.UTC


def _rows() -> list[Row]:  # noqa: PLR0915 - the table itself
    rows: list[Row] = []
    add = rows.append

    # YAML tags: only the plain scalar, list and mapping tags are read.
    add(
        yaml_row(
            "yaml-python-object-apply",
            "a YAML python tag that would run a command",
            "hardware_target: !!python/object/apply:os.system ['echo qwen3vl-pwned']\n",
            "hardware_target",
            r"YAML tag 'python/object/apply:os\.system' is not allowed",
        )
    )
    add(
        yaml_row(
            "yaml-python-name",
            "a YAML python tag naming a function, on an int field",
            "cpu_config:\n  num_threads: !!python/name:os.system ''\n",
            "cpu_config.num_threads",
            r"YAML tag 'python/name:os\.system' is not allowed",
        )
    )
    add(
        Row(
            "yaml-python-document",
            "a YAML python tag on the whole document",
            "",
            r"YAML tag 'python/object/new:subprocess\.Popen' is not allowed",
            files={
                "yaml": "--- !!python/object/new:subprocess.Popen [['true']]\n"
            },
        )
    )
    add(
        yaml_row(
            "yaml-binary",
            "a !!binary scalar",
            "hardware_target: !!binary aGVsbG8=\n",
            "hardware_target",
            r"YAML tag 'binary' is not allowed",
        )
    )
    add(
        yaml_row(
            "yaml-timestamp",
            "an explicit !!timestamp",
            "hardware_target: !!timestamp 2001-12-14\n",
            "hardware_target",
            r"YAML tag 'timestamp' is not allowed",
        )
    )
    add(
        yaml_row(
            "yaml-set",
            "a !!set where a section belongs",
            "gpu_config: !!set {use_tensor_cores, use_mixed_precision}\n",
            "gpu_config",
            r"YAML tag 'set' is not allowed",
        )
    )
    add(
        yaml_row(
            "yaml-custom-tag",
            "an application tag (!custom)",
            "hardware_target: !custom x\n",
            "hardware_target",
            r"YAML tag '!custom' is not allowed",
        )
    )

    # YAML aliases.
    add(
        Row(
            "yaml-alias-bomb",
            "billion laughs: nine levels of nine aliases",
            "b[0]",
            r"YAML aliases \(\*name\) are not allowed",
            files={"yaml": ALIAS_BOMB},
        )
    )
    add(
        yaml_row(
            "yaml-recursive-alias",
            "a mapping that holds an alias of itself",
            "gpu_config: &loop\n  again: *loop\n",
            "gpu_config.again",
            r"YAML aliases \(\*name\) are not allowed",
        )
    )
    add(
        yaml_row(
            "yaml-recursive-list-alias",
            "a list that holds an alias of itself",
            "mrope_section: &loop [*loop]\n",
            "mrope_section[0]",
            r"YAML aliases \(\*name\) are not allowed",
        )
    )
    add(
        yaml_row(
            "yaml-merge-key",
            "a merge key (<<: *anchor)",
            "shared: &shared\n  use_tensor_cores: false\n"
            "gpu_config:\n  <<: *shared\n",
            "gpu_config",
            r"keys must be strings",
        )
    )

    # Nesting.
    python_deep_list = {"mrope_section": deep_list(DEPTH)}
    add(
        Row(
            "nesting-100k-lists",
            "lists nested 100 000 deep (JSON [[[...]]], TOML arrays, YAML flow)",
            "",
            R_DEEP,
            data={"config_version": 1, **python_deep_list},
            files=DEEP_ARRAYS,
            patch=python_deep_list,
            hf=DEEP_ARRAYS["json"],
            expect={
                "python": (
                    "mrope_section",
                    r"expected a list of exactly 3 integers",
                )
            },
        )
    )
    python_deep_dict = {"gpu_config": deep_dict("a", DEPTH)}
    deep_dict_expect = {
        "from_dict": ("gpu_config.a", r"unknown key 'a'"),
        "apply_updates": ("gpu_config.a", r"unknown key 'a'"),
        "load_config.overrides": (DEEP_GPU, r"nested deeper than 32 levels"),
    }
    add(
        Row(
            "nesting-100k-mappings",
            "mappings nested 100 000 deep (JSON objects, TOML inline tables, YAML flow)",
            "",
            R_DEEP,
            data={"config_version": 1, **python_deep_dict},
            files=DEEP_TABLES,
            patch=python_deep_dict,
            hf=DEEP_TABLES["json"],
            expect=deep_dict_expect,
        )
    )
    python_past = {"gpu_config": deep_dict("a", PAST_LIMIT)}
    add(
        Row(
            "nesting-past-the-limit",
            f"mappings nested {PAST_LIMIT} deep, past the limit of 32 but within every parser's",
            "",
            r"nested deeper than 32 levels",
            data={"config_version": 1, **python_past},
            files=PAST_THE_LIMIT,
            patch=python_past,
            hf=PAST_THE_LIMIT["json"],
            expect={
                "yaml": (DEEP_GPU, r"nested deeper than 32 levels"),
                **deep_dict_expect,
            },
        )
    )
    add(
        Row(
            "nesting-100k-dotted-key",
            "one dotted key 100 000 parts long",
            DEEP_GPU,
            r"nested deeper than 32 levels",
            data={"config_version": 1, DOTTED_DEEP: 1},
            patch={DOTTED_DEEP: 1},
            args=[f"{DOTTED_DEEP}=1"],
            expect={
                "from_dict": (DOTTED_DEEP, r"unknown key"),
                "apply_updates": ("gpu_config.a", r"unknown key 'a'"),
            },
        )
    )

    for name, description, text in (
        (
            "nesting-100k-toml-dotted-key",
            "a TOML dotted key 100 000 parts long (gpu_config.a.a...a = 1)",
            "config_version = 1\ngpu_config" + ".a" * DEPTH + " = 1\n",
        ),
        (
            "nesting-100k-toml-table-header",
            "a TOML table header 100 000 parts long ([gpu_config.a.a...a])",
            "config_version = 1\n[gpu_config" + ".a" * DEPTH + "]\nb = 1\n",
        ),
    ):
        add(
            Row(
                name,
                description,
                "",
                r"nested deeper than 32 levels",
                files={"toml": text},
            )
        )

    # Paths that are not config files.
    for kind, description, message in (
        (
            "big",
            "a 100 MB file (sparse)",
            rf"is {BIG_FILE_BYTES} bytes; config files are limited to 4194304 bytes",
        ),
        ("fifo", "a FIFO", r"is not a regular file"),
        ("folder", "a folder", r"is a folder, not a file"),
        (
            "dev-zero",
            "a symbolic link x.yaml -> /dev/zero",
            r"is not a regular file",
        ),
        ("missing", "a file that is not there", r"no such file"),
        (
            "loop",
            "a symbolic link to itself",
            r"cannot open: Too many levels of symbolic links",
        ),
        (
            "suffix",
            "a suffix that names no format (.ini)",
            r"cannot tell the format from the suffix '\.ini'",
        ),
    ):
        add(Row(f"path-{kind}", description, "", message, special=kind))
    add(
        Row(
            "pretrained-fifo-link",
            "from_pretrained given a symbolic link to a FIFO",
            "",
            r"not a folder; from_pretrained takes a model folder",
            hub="fifo-link",
        )
    )
    add(
        Row(
            "hub-link-outside-cache",
            "a cached snapshot whose config.json links outside the model's cache folder",
            "",
            r"outside the model's cache folder .*; refusing to read it",
            hub="outside",
        )
    )
    add(
        Row(
            "hub-blob-fifo",
            "a cached snapshot whose config.json links to a FIFO blob",
            "",
            r"is not a regular file",
            hub="blob-fifo",
        )
    )
    add(
        Row(
            "hub-link-loop",
            "a cached snapshot whose config.json is a link to itself",
            "",
            r"Too many levels of symbolic links|symbolic link loop|links to itself",
            hub="link-loop",
        )
    )
    add(
        Row(
            "hub-ref-fifo",
            "a cache whose refs/main is a FIFO",
            "",
            r"refs/main: is not a regular file",
            hub="ref-fifo",
        )
    )

    # Duplicate keys.
    dup_top = {
        "json": '{"config_version": 1, "num_hidden_layers": 36, "num_hidden_layers": 40}',
        "yaml": "config_version: 1\nnum_hidden_layers: 36\nnum_hidden_layers: 40\n",
        "toml": "config_version = 1\nnum_hidden_layers = 36\nnum_hidden_layers = 40\n",
    }
    add(
        Row(
            "duplicate-key",
            "the same key twice at the top",
            "",
            r"duplicate key 'num_hidden_layers'",
            files=dup_top,
            hf=dup_top["json"],
            expect={"toml": ("", r"not valid TOML: Cannot overwrite a value")},
        )
    )
    dup_section = {
        "json": '{"config_version": 1, "gpu_config": {"use_tensor_cores": true, "use_tensor_cores": false}}',
        "yaml": "config_version: 1\ngpu_config:\n  use_tensor_cores: true\n  use_tensor_cores: false\n",
        "toml": "config_version = 1\n[gpu_config]\nuse_tensor_cores = true\nuse_tensor_cores = false\n",
    }
    add(
        Row(
            "duplicate-key-in-section",
            "the same key twice in a section",
            "",
            r"duplicate key 'use_tensor_cores'",
            files=dup_section,
            expect={
                "yaml": ("gpu_config", r"duplicate key 'use_tensor_cores'"),
                "toml": ("", r"not valid TOML: Cannot overwrite a value"),
            },
        )
    )
    add(
        Row(
            "duplicate-toml-table",
            "a TOML table declared twice",
            "",
            r"not valid TOML: Cannot declare \('gpu_config',\) twice",
            files={
                "toml": "config_version = 1\n[gpu_config]\nuse_tensor_cores = true\n"
                "[gpu_config]\nuse_mixed_precision = true\n"
            },
        )
    )
    add(
        Row(
            "duplicate-dotted-and-nested",
            "one field set as a dotted key and in a mapping of one patch",
            "gpu_config.use_tensor_cores",
            r"set twice in one patch \(as a dotted key and a mapping\)",
            patch={
                "gpu_config.use_tensor_cores": True,
                "gpu_config": {"use_tensor_cores": False},
            },
        )
    )

    # Keys that are not strings.
    add(
        Row(
            "key-integer",
            "an integer key",
            "1",
            r"keys must be strings \(got 1, an integer\)",
            data={"config_version": 1, 1: 2},
            files={"yaml": "config_version: 1\n1: 2\n"},
            patch={1: 2},
            expect={"yaml": ("", r"keys must be strings")},
        )
    )
    add(
        Row(
            "key-null",
            "a null key in a section",
            "gpu_config.None",
            r"keys must be strings \(got None, null\)",
            data={"config_version": 1, "gpu_config": {None: True}},
            files={"yaml": "config_version: 1\ngpu_config:\n  null: true\n"},
            patch={"gpu_config": {None: True}},
            expect={"yaml": ("gpu_config", r"keys must be strings")},
        )
    )
    add(
        Row(
            "key-boolean",
            "a boolean key (YAML 1.1 yes) in a section",
            "gpu_config.True",
            r"keys must be strings \(got True, a boolean\)",
            data={"config_version": 1, "gpu_config": {True: True}},
            files={"yaml": "config_version: 1\ngpu_config:\n  yes: true\n"},
            patch={"gpu_config": {True: True}},
            expect={"yaml": ("gpu_config", r"keys must be strings")},
        )
    )
    add(
        Row(
            "key-sequence",
            "a list (tuple) as a key",
            "gpu_config.('a', 'b')",
            r"keys must be strings \(got \('a', 'b'\), a tuple\)",
            data={"config_version": 1, "gpu_config": {("a", "b"): True}},
            files={
                "yaml": "config_version: 1\ngpu_config:\n  ? [a, b]\n  : true\n"
            },
            patch={"gpu_config": {("a", "b"): True}},
            expect={"yaml": ("gpu_config", r"keys must be strings")},
        )
    )
    add(
        Row(
            "key-5000-digit-integer",
            "a 5 000-digit integer as a key (str() of it raises ValueError)",
            re.compile(r"gpu_config\..*"),
            r"keys must be strings",
            data={"config_version": 1, "gpu_config": {BIG_INT: True}},
            patch={"gpu_config": {BIG_INT: True}},
        )
    )

    # YAML 1.1 readings nobody means.
    for word, kind in (
        ("no", "a boolean"),
        ("on", "a boolean"),
        ("0755", "an integer"),
        ("1:20", "an integer"),
    ):
        name = word.replace(":", "-")
        message = rf"'{re.escape(word)}' is read as {kind} only by YAML 1\.1"
        add(
            yaml_row(
                f"yaml11-{name}-for-a-string",
                f"YAML 1.1's {word} for a string field",
                f"hardware_target: {word}\n",
                "hardware_target",
                message,
            )
        )
        add(
            yaml_row(
                f"yaml11-{name}-for-an-int",
                f"YAML 1.1's {word} for an int field",
                f"cpu_config:\n  num_threads: {word}\n",
                "cpu_config.num_threads",
                message,
            )
        )
    add(
        Row(
            "yaml11-quoted-is-text",
            "ACCEPTED: YAML 1.1's no, quoted, is the text 'no'",
            files={"yaml": "config_version: 1\nhardware_target: 'no'\n"},
            accept=lambda c: c.hardware_target == "no",
        )
    )

    # Encodings.
    add(
        Row(
            "utf8-bom",
            "ACCEPTED: a UTF-8 byte order mark",
            files=encoded(DOCS, "utf-8", b"\xef\xbb\xbf"),
            hf=b"\xef\xbb\xbf" + hf_json().encode(),
            accept=lambda c: c.num_hidden_layers == 36,
        )
    )
    for name, encoding, bom in (
        ("utf16-le", "utf-16-le", b"\xff\xfe"),
        ("utf16-be", "utf-16-be", b"\xfe\xff"),
    ):
        add(
            Row(
                name,
                f"{encoding.upper()} with its byte order mark",
                "",
                r"is UTF-16 text; save it as UTF-8",
                files=encoded(DOCS, encoding, bom),
                hf=bom + hf_json().encode(encoding),
            )
        )
    add(
        Row(
            "utf16-no-bom",
            "UTF-16-LE without a byte order mark",
            "",
            r"not valid (JSON|YAML|TOML)",
            files=encoded(DOCS, "utf-16-le"),
            hf=hf_json().encode("utf-16-le"),
        )
    )
    for name, junk in (
        ("invalid-utf8", b"\xff"),
        ("utf8-surrogate", b"\xed\xa0\x80"),
    ):
        files = {
            fmt: text.encode().replace(b"x-y", b"x" + junk + b"y")
            for fmt, text in _fill(TARGET, "x-y", "x-y", "x-y").items()
        }
        add(
            Row(
                name,
                f"bytes {junk!r} in a string: not UTF-8",
                "",
                rf"is not valid UTF-8 \(byte {junk[0]:#04x} at offset \d+\)",
                files=files,
                hf=files["json"],
            )
        )

    # NaN and the infinities.
    add(
        Row(
            "nan",
            "NaN: JSON NaN, YAML .nan, TOML nan, float('nan'), 'nan' text",
            "optimization_config.sparsity_ratio",
            rf"{R_RATIO} \(got '?nan'?, a",
            data={
                "config_version": 1,
                "optimization_config": {"sparsity_ratio": NAN},
            },
            files=_fill(RATIO, "NaN", ".nan", "nan"),
            patch={"optimization_config.sparsity_ratio": NAN},
            env={"QWEN3VL_OPTIMIZATION_CONFIG__SPARSITY_RATIO": "nan"},
            args=["optimization_config.sparsity_ratio=nan"],
            hf=hf_json().replace("5000000", "NaN"),
            expect={
                "json": ("", r"NaN is not a number a config may hold"),
                "hf": ("", r"NaN is not a number a config may hold"),
            },
        )
    )
    add(
        Row(
            "negative-infinity",
            "-infinity: JSON -Infinity, YAML -.inf, TOML -inf, float('-inf'), '-inf' text",
            "optimization_config.sparsity_ratio",
            rf"{R_RATIO} \(got '?-inf'?, a",
            data={
                "config_version": 1,
                "optimization_config": {"sparsity_ratio": -INF},
            },
            files=_fill(RATIO, "-Infinity", "-.inf", "-inf"),
            patch={"optimization_config": {"sparsity_ratio": -INF}},
            env={"QWEN3VL_OPTIMIZATION_CONFIG__SPARSITY_RATIO": "-inf"},
            args=["optimization_config.sparsity_ratio=-inf"],
            hf=hf_json().replace("5000000", "-Infinity"),
            expect={
                "json": ("", r"-Infinity is not a number a config may hold"),
                "hf": ("", r"-Infinity is not a number a config may hold"),
            },
        )
    )
    add(
        Row(
            "infinity-by-overflow",
            "1e999, which every parser reads as infinity",
            "optimization_config.sparsity_ratio",
            rf"{R_RATIO} \(got inf, a float\)",
            data={
                "config_version": 1,
                "optimization_config": {"sparsity_ratio": INF},
            },
            files=_fill(RATIO, "1e999", "1e999", "1e999"),
            patch={"optimization_config": {"sparsity_ratio": INF}},
            env={"QWEN3VL_OPTIMIZATION_CONFIG__SPARSITY_RATIO": "1e999"},
            args=["optimization_config.sparsity_ratio=1e999"],
            hf=hf_json().replace("5000000", "1e999"),
            expect={
                "hf": (
                    "text_config.rope_theta",
                    r"expected a number > 0\.0 .* \(got inf, a float\)",
                )
            },
        )
    )
    add(
        Row(
            "nan-for-an-int",
            "NaN for an int field",
            "num_hidden_layers",
            rf"{R_INT} \(got '?nan'?, a",
            data={"config_version": 1, "num_hidden_layers": NAN},
            files={
                "yaml": LAYERS["yaml"].format(".nan"),
                "toml": LAYERS["toml"].format("nan"),
            },
            patch={"num_hidden_layers": NAN},
            env={"QWEN3VL_NUM_HIDDEN_LAYERS": "nan"},
            args=["num_hidden_layers=nan"],
        )
    )

    # Huge numbers.
    add(
        Row(
            "integer-5000-digits",
            "a 5 000-digit integer for an int field",
            "num_hidden_layers",
            r"\b5000 digits\b|<= 1024",
            data={"config_version": 1, "num_hidden_layers": BIG_INT},
            files=_fill(LAYERS, DIGITS_5000, DIGITS_5000, DIGITS_5000),
            patch={"num_hidden_layers": BIG_INT},
            env={"QWEN3VL_NUM_HIDDEN_LAYERS": DIGITS_5000},
            args=[f"num_hidden_layers={DIGITS_5000}"],
            hf=hf_json().replace(
                '"num_hidden_layers": 36',
                f'"num_hidden_layers": {DIGITS_5000}',
            ),
            expect={
                "json": ("", r"\b5000 digits\b"),
                "toml": ("", r"\b5000 digits\b"),
                "hf": ("", r"\b5000 digits\b"),
            },
        )
    )
    add(
        Row(
            "hex-integer-5000-digits",
            "a TOML hexadecimal integer of 5 000 digits (not limited by int())",
            "num_hidden_layers",
            rf"{R_INT} \(got <integer of about \d+ digits>, an integer\)",
            files={"toml": LAYERS["toml"].format("0x" + "F" * 5000)},
        )
    )
    add(
        value_row(
            "size-5000-digits",
            "a size of 5 000 digits and a unit",
            {"memory_config": {"cpu_memory_size": DIGITS_5000 + "GiB"}},
            "memory_config.cpu_memory_size",
            r"expected a size such as '6GiB'",
            text=DIGITS_5000 + "GiB",
        )
    )

    # TOML dates and times (YAML reads the same plain text as a timestamp).
    yaml_timestamp = r"YAML tag 'timestamp' is not allowed"
    add(
        value_row(
            "toml-date",
            "a TOML date for a string field",
            {"hardware_target": dt.date(1979, 5, 27)},
            "hardware_target",
            r"\(got datetime\.date\(1979, 5, 27\), date\)",
            formats=("yaml", "toml"),
            expect={"yaml": ("hardware_target", yaml_timestamp)},
        )
    )
    add(
        value_row(
            "toml-offset-datetime",
            "a TOML offset date-time for a number field",
            {
                "optimization_config": {
                    "sparsity_ratio": dt.datetime(
                        1979, 5, 27, 7, 32, tzinfo=UTC
                    )
                }
            },
            "optimization_config.sparsity_ratio",
            r"\(got datetime\.datetime\(1979, 5, 2",
            formats=("yaml", "toml"),
            expect={
                "yaml": ("optimization_config.sparsity_ratio", yaml_timestamp)
            },
        )
    )
    add(
        value_row(
            "toml-local-datetime",
            "a TOML local date-time for a string field",
            {"hardware_target": dt.datetime(1979, 5, 27, 7, 32)},  # noqa: DTZ001 - TOML's local date-time
            "hardware_target",
            r"\(got datetime\.datetime\(1979, 5, 2",
            formats=("yaml", "toml"),
            expect={"yaml": ("hardware_target", yaml_timestamp)},
        )
    )
    add(
        value_row(
            "toml-local-time",
            "a TOML local time for an int field",
            {"num_hidden_layers": dt.time(7, 32)},
            "num_hidden_layers",
            rf"{R_INT} \(got datetime\.time\(7, 32\), time\)",
            formats=("toml",),
            files={"yaml": LAYERS["yaml"].format("07:32:00")},
            expect={
                "yaml": (
                    "num_hidden_layers",
                    rf"{R_INT} \(got '07:32:00', a string\)",
                )
            },
        )
    )

    # Types.
    add(
        value_row(
            "true-for-an-int",
            "true for an int field",
            {"num_hidden_layers": True},
            "num_hidden_layers",
            rf"{R_INT} \(got '?[Tt]rue'?, a",
            text="true",
            hf=hf_json({"text_config.num_hidden_layers": True}),
            expect={
                "hf": (
                    "text_config.num_hidden_layers",
                    rf"{R_INT} \(got True, a boolean\)",
                )
            },
        )
    )
    add(
        value_row(
            "string-for-an-int",
            '"32" in a file for an int field',
            {"num_hidden_layers": "32"},
            "num_hidden_layers",
            rf"{R_INT} \(got '32', a string\)",
            hf=hf_json({"text_config.num_hidden_layers": "32"}),
            expect={
                "hf": (
                    "text_config.num_hidden_layers",
                    rf"{R_INT} \(got '32', a string\)",
                )
            },
        )
    )
    add(
        value_row(
            "fraction-for-an-int",
            "3.7 for an int field",
            {"num_hidden_layers": 3.7},
            "num_hidden_layers",
            rf"{R_INT} \(got '?3\.7'?, a",
            text="3.7",
            hf=hf_json({"text_config.num_hidden_layers": 3.7}),
            expect={
                "hf": (
                    "text_config.num_hidden_layers",
                    rf"{R_INT} \(got 3\.7, a float\)",
                )
            },
        )
    )
    add(
        value_row(
            "whole-float-for-an-int",
            "32.0 for an int field",
            {"num_hidden_layers": 32.0},
            "num_hidden_layers",
            rf"{R_INT} \(got '?32\.0'?, a",
            text="32.0",
            hf=hf_json({"text_config.num_hidden_layers": 32.0}),
            expect={
                "hf": (
                    "text_config.num_hidden_layers",
                    rf"{R_INT} \(got 32\.0, a float\)",
                )
            },
        )
    )
    add(
        value_row(
            "int-for-a-boolean",
            "1 for a boolean field",
            {"gpu_config": {"use_tensor_cores": 1}},
            "gpu_config.use_tensor_cores",
            r"expected true or false \(got 1, an integer\)",
        )
    )
    add(
        value_row(
            "string-for-a-boolean",
            '"false" for a boolean field',
            {"gpu_config": {"use_tensor_cores": "false"}},
            "gpu_config.use_tensor_cores",
            r"expected true or false \(got 'false', a string\)",
        )
    )

    # Sizes: cpu, ssd and cache sizes start at 1 byte; gpu_memory_size and
    # memory_pool_size may be 0 by design.
    for name, path, value, text, message in (
        (
            "cpu-memory-zero",
            "memory_config.cpu_memory_size",
            0,
            "0",
            r"expected a size >= 1 B",
        ),
        (
            "ssd-memory-zero",
            "memory_config.ssd_memory_size",
            0,
            "0",
            r"expected a size >= 1 B",
        ),
        (
            "l1-cache-zero",
            "cpu_config.l1_cache_size",
            0,
            "0",
            r"expected a size >= 1 B",
        ),
        (
            "cpu-memory-negative",
            "memory_config.cpu_memory_size",
            -1,
            "-1",
            r"expected a size >= 1 B",
        ),
        (
            "gpu-memory-negative",
            "memory_config.gpu_memory_size",
            -1,
            "-1",
            r"expected a size >= 0 B",
        ),
        (
            "memory-pool-negative",
            "memory_config.memory_pool_size",
            -1,
            "-1",
            r"expected a size >= 0 B",
        ),
        (
            "size-negative-with-unit",
            "memory_config.cpu_memory_size",
            "-1GiB",
            "-1GiB",
            r"expected a size such as '6GiB'",
        ),
        (
            "size-unknown-unit",
            "memory_config.cpu_memory_size",
            "6 XB",
            "6 XB",
            r"unknown size unit 'XB'",
        ),
        (
            "size-fraction-of-a-byte",
            "memory_config.cpu_memory_size",
            "1.5 B",
            "1.5 B",
            r"the size is not a whole number of bytes",
        ),
        (
            "size-without-unit",
            "memory_config.cpu_memory_size",
            "1024",
            None,
            r"expected a unit after the number",
        ),
    ):
        section, field = path.split(".")
        add(
            value_row(
                name,
                f"{value!r} for {field}",
                {section: {field: value}},
                path,
                message,
                text=text,
            )
        )
    add(
        value_row(
            "gpu-memory-zero",
            "ACCEPTED: gpu_memory_size 0 (a CPU-only machine) with memory_pool_size 0",
            {"memory_config": {"gpu_memory_size": 0, "memory_pool_size": 0}},
            "",
            "",
            text=True,
            accept=lambda c: c.memory_config.gpu_memory_size == 0,
        )
    )

    # Cross-field rules: each input breaks one rule and nothing else.
    def rule_row(  # noqa: PLR0913 - the columns of one table row
        name: str,
        rule: str,
        data: Mapping[str, Any],
        path: str,
        message: str,
        *,
        hf: Mapping[str, Any] | None = None,
        hf_expect: tuple[str, str] | None = None,
    ) -> Row:
        expect = {}
        if hf is not None:
            expect["hf"] = hf_expect or ("text_config." + path, message)
        return value_row(
            f"rule-{name}",
            f"breaks {rule.split(':', maxsplit=1)[0]}'s rule over {rule.split(':')[1]}",
            data,
            path,
            message,
            text=True,
            hf=None if hf is None else hf_json(hf),
            expect=expect,
            rule=rule,
        )

    add(
        rule_row(
            "full-capacity",
            f"{ROOT}:preserve_full_capacity,num_hidden_layers,num_attention_heads",
            {"num_hidden_layers": 16},
            "num_hidden_layers",
            r"expected at least 32 layers while preserve_full_capacity is true",
        )
    )
    add(
        rule_row(
            "hidden-size-by-heads",
            f"{ROOT}:hidden_size,num_attention_heads",
            {"hidden_size": 4100},
            "hidden_size",
            r"must be divisible by num_attention_heads \(32\)",
            hf={
                "text_config.hidden_size": 2562,
                "vision_config.out_hidden_size": 2562,
            },
        )
    )
    add(
        rule_row(
            "vision-hidden-size-by-heads",
            f"{ROOT}:vision_hidden_size,vision_num_attention_heads",
            {"vision_hidden_size": 1150},
            "vision_hidden_size",
            r"must be divisible by vision_num_attention_heads \(16\)",
            hf={"vision_config.hidden_size": 1000},
            hf_expect=(
                "vision_config.hidden_size",
                r"must be divisible by vision_num_attention_heads \(16\)",
            ),
        )
    )
    add(
        rule_row(
            "image-by-patch",
            f"{ROOT}:vision_image_size,vision_patch_size",
            {"vision_image_size": 450},
            "vision_image_size",
            r"must be divisible by vision_patch_size \(14\)",
        )
    )
    add(
        rule_row(
            "key-value-heads",
            f"{ROOT}:num_attention_heads,num_key_value_heads",
            {"num_key_value_heads": 5},
            "num_key_value_heads",
            r"must divide num_attention_heads \(32\)",
            hf={"text_config.num_key_value_heads": 5},
        )
    )
    add(
        rule_row(
            "head-dim-even",
            f"{ROOT}:head_dim,mrope_section",
            {"head_dim": 127},
            "head_dim",
            r"must be even: rotary embeddings turn pairs of dimensions",
            hf={"text_config.head_dim": 127},
        )
    )
    add(
        rule_row(
            "mrope-sum",
            f"{ROOT}:head_dim,mrope_section",
            {"mrope_section": [24, 20, 21]},
            "mrope_section",
            r"must add up to head_dim / 2 \(64\)",
            hf={"text_config.rope_scaling.mrope_section": [24, 20, 21]},
            hf_expect=(
                "text_config.rope_scaling.mrope_section",
                r"must add up to head_dim / 2 \(64\)",
            ),
        )
    )
    add(
        rule_row(
            "vision-out-hidden-size",
            f"{ROOT}:vision_out_hidden_size,hidden_size",
            {"vision_out_hidden_size": 2048},
            "vision_out_hidden_size",
            r"must be 0 or equal to hidden_size",
            hf={"vision_config.out_hidden_size": 2048},
            hf_expect=(
                "vision_config.out_hidden_size",
                r"must be 0 or equal to hidden_size \(2560\)",
            ),
        )
    )
    add(
        rule_row(
            "deepstack-layers",
            f"{ROOT}:vision_deepstack_visual_indexes,vision_num_hidden_layers",
            {"vision_deepstack_visual_indexes": [5, 11, 30]},
            "vision_deepstack_visual_indexes",
            r"must name layers below vision_num_hidden_layers \(24\)",
            hf={"vision_config.deepstack_visual_indexes": [5, 11, 30]},
            hf_expect=(
                "vision_config.deepstack_visual_indexes",
                r"must name layers below vision_num_hidden_layers \(24\)",
            ),
        )
    )
    add(
        rule_row(
            "one-expert",
            R_EXPERTS,
            {"num_experts": 1},
            "num_experts",
            r"must be 0 \(a dense model\) or at least 2",
            hf={**HF_MOE, "text_config.num_experts": 1},
            hf_expect=("text_config.num_experts", r"expected an integer >= 2"),
        )
    )
    add(
        rule_row(
            "experts-per-token",
            R_EXPERTS,
            moe(num_experts_per_tok=9),
            "num_experts_per_tok",
            r"must be 1 to num_experts \(8\)",
            hf={**HF_MOE, "text_config.num_experts_per_tok": 9},
            hf_expect=(
                "text_config.num_experts_per_tok",
                r"must be at most moe_num_experts \(8\)",
            ),
        )
    )
    add(
        rule_row(
            "expert-width",
            R_EXPERTS,
            moe(moe_intermediate_size=0),
            "moe_intermediate_size",
            r"must be at least 1 in a mixture-of-experts model",
            hf={**HF_MOE, "text_config.moe_intermediate_size": 0},
        )
    )
    add(
        rule_row(
            "experts-need-moe",
            R_EXPERTS,
            moe(switch_use_moe=False),
            "optimization_config.use_moe",
            r"must be true while num_experts is 8",
        )
    )
    add(
        rule_row(
            "experts-count-switch",
            R_EXPERTS,
            moe(switch_moe_num_experts=4),
            "optimization_config.moe_num_experts",
            r"must equal num_experts \(8\)",
        )
    )
    add(
        rule_row(
            "experts-top-k-switch",
            R_EXPERTS,
            moe(switch_moe_top_k=3),
            "optimization_config.moe_top_k",
            r"must equal num_experts_per_tok \(2\)",
        )
    )
    add(
        value_row(
            "moe-consistent",
            "ACCEPTED: a consistent mixture-of-experts model",
            MOE,
            "",
            "",
            text=True,
            hf=hf_json(HF_MOE),
            accept=lambda c: c.num_experts == 8,
        )
    )
    add(
        rule_row(
            "top-k-within-experts",
            "OptimizationConfig:moe_num_experts,moe_top_k",
            {"optimization_config": {"moe_top_k": 5}},
            "optimization_config.moe_top_k",
            r"must be at most moe_num_experts \(4\)",
        )
    )
    add(
        rule_row(
            "pool-fits-on-gpu",
            "MemoryConfig:memory_pool_size,gpu_memory_size",
            {"memory_config": {"memory_pool_size": "8GiB"}},
            "memory_config.memory_pool_size",
            r"must not exceed gpu_memory_size \(6GiB\) \(got 8GiB\)",
        )
    )
    add(
        rule_row(
            "l2-below-l1",
            "CPUConfig:l1_cache_size,l2_cache_size,l3_cache_size",
            {"cpu_config": {"l1_cache_size": "512KiB"}},
            "cpu_config.l2_cache_size",
            r"must be at least l1_cache_size \(512KiB\)",
        )
    )
    add(
        rule_row(
            "l3-below-l2",
            "CPUConfig:l1_cache_size,l2_cache_size,l3_cache_size",
            {"cpu_config": {"l2_cache_size": "8MiB"}},
            "cpu_config.l3_cache_size",
            r"must be at least l2_cache_size \(8MiB\)",
        )
    )

    # Typos: the message suggests the nearest name.
    for name, data, path, message, variable, suggestion in (
        (
            "typo-top-level-key",
            {"num_hiden_layers": 36},
            "num_hiden_layers",
            r"unknown key 'num_hiden_layers'; did you mean 'num_hidden_layers'\?",
            "QWEN3VL_NUM_HIDEN_LAYERS",
            "QWEN3VL_NUM_HIDDEN_LAYERS",
        ),
        (
            "typo-section-key",
            {"gpu_config": {"use_tensor_core": True}},
            "gpu_config.use_tensor_core",
            r"unknown key 'use_tensor_core'; did you mean 'use_tensor_cores'\?",
            "QWEN3VL_GPU_CONFIG__USE_TENSOR_CORE",
            "QWEN3VL_GPU_CONFIG__USE_TENSOR_CORES",
        ),
        (
            "typo-section-name",
            {"gpu_confg": {"use_tensor_cores": True}},
            "gpu_confg",
            r"unknown key 'gpu_confg'; did you mean 'gpu_config'\?",
            "QWEN3VL_GPU_CONFG__USE_TENSOR_CORES",
            "QWEN3VL_GPU_CONFIG__USE_TENSOR_CORES",
        ),
        (
            "key-in-the-wrong-section",
            {"gpu_config": {"num_threads": 8}},
            "gpu_config.num_threads",
            r"unknown key 'num_threads'; it belongs in cpu_config",
            "QWEN3VL_GPU_CONFIG__NUM_THREADS",
            "QWEN3VL_CPU_CONFIG__NUM_THREADS",
        ),
        (
            "flat-key-with-config-version",
            {"num_threads": 8},
            "num_threads",
            r"unknown key 'num_threads'; it belongs in cpu_config",
            "QWEN3VL_NUM_THREADS",
            "QWEN3VL_CPU_CONFIG__NUM_THREADS",
        ),
    ):
        row = value_row(
            name,
            f"{path} (a typo or a misplaced key)",
            data,
            path,
            message,
            text=True,
            expect={
                "load_config.env": (
                    "",
                    rf"unknown variable '{variable}'; did you mean '{suggestion}'\?",
                )
            },
        )
        add(attrs.evolve(row, env={variable: as_text(next(leaves(data))[1])}))
    add(
        value_row(
            "typo-choice",
            "flash_attention2 for attention_implementation",
            {"gpu_config": {"attention_implementation": "flash_attention2"}},
            "gpu_config.attention_implementation",
            r"\(got 'flash_attention2', a string\); did you mean 'flash_attention_2'\?",
            text=True,
        )
    )
    add(
        value_row(
            "typo-level",
            "agressive for optimization_level",
            {"optimization_level": "agressive"},
            "optimization_level",
            r"\(got 'agressive', a string\); did you mean 'aggressive'\?",
            text=True,
        )
    )

    # Sections given something else.
    add(
        value_row(
            "list-for-a-section",
            "a list where a section belongs",
            {"gpu_config": [1, 2]},
            "gpu_config",
            r"expected a mapping of settings",
            text=True,
            hf=hf_json({"text_config": [1, 2]}),
            expect={
                "hf": ("text_config", r"expected a mapping \(got list\)"),
                "load_config.env": (
                    "",
                    r"unknown variable 'QWEN3VL_GPU_CONFIG'",
                ),
            },
        )
    )
    add(
        value_row(
            "text-for-a-section",
            "a string where a section belongs",
            {"gpu_config": "fast"},
            "gpu_config",
            r"expected a mapping of settings",
            text=True,
            expect={
                "load_config.env": (
                    "",
                    r"unknown variable 'QWEN3VL_GPU_CONFIG'",
                )
            },
        )
    )
    add(
        Row(
            "list-for-the-document",
            "a list where the whole configuration belongs",
            "",
            r"expected a mapping of settings",
            data=[1, 2],
            files={"json": "[1, 2]", "yaml": "- 1\n- 2\n"},
            patch=[1, 2],
            hf="[1, 2]",
            expect={
                "apply_updates": ("", r"expected a mapping patch"),
                "load_config.overrides": (
                    "",
                    r"expected 'dotted\.path=value' \(got 1, an integer\)",
                ),
            },
        )
    )

    pairs = [["config_version", 1], ["num_hidden_layers", 40]]
    for name, description, data, files, skip, extra in (
        (
            "text-for-the-document",
            "a string where the whole configuration belongs",
            "just text",
            {"json": '"just text"', "yaml": "just text\n"},
            (),
            {
                "load_config.overrides": (
                    "",
                    r"overrides must be a mapping or a list",
                )
            },
        ),
        (
            "null-for-the-document",
            "null where the whole configuration belongs",
            None,
            {"json": "null", "yaml": "--- null\n"},
            ("load_config.overrides",),  # overrides=None is no overrides
            {},
        ),
        (
            "empty-list-for-the-document",
            "an empty list where the whole configuration belongs",
            [],
            {"json": "[]", "yaml": "[]\n"},
            ("load_config.overrides",),  # overrides=[] is no overrides
            {},
        ),
        (
            "pairs-for-the-document",
            "a list of [key, value] pairs where the whole configuration belongs",
            pairs,
            {
                "json": json.dumps(pairs),
                "yaml": "- [config_version, 1]\n- [num_hidden_layers, 40]\n",
            },
            (),
            {
                "load_config.overrides": (
                    "",
                    r"expected 'dotted\.path=value' \(got \['config_version', 1\], a list\)",
                )
            },
        ),
    ):
        add(
            Row(
                name,
                description,
                "",
                r"expected a mapping of settings",
                data=data,
                files=files,
                patch=data,
                hf=files["json"],
                skip=skip,
                expect={
                    "apply_updates": ("", r"expected a mapping patch"),
                    **extra,
                },
            )
        )

    # Patches: cycles and more depth than the schema has.
    cyclic = _cyclic_mapping()
    add(
        Row(
            "cyclic-patch",
            "a patch that contains itself (p['memory_config'] = p)",
            "memory_config.memory_config",
            r"unknown key 'memory_config'; it belongs in the top level",
            data=cyclic,
            patch=cyclic,
            expect={
                "load_config.overrides": (
                    re.compile(r"memory_config(\.memory_config)+"),
                    r"nested deeper than 32 levels",
                )
            },
        )
    )
    cyclic_list = _cyclic_list()
    add(
        Row(
            "cyclic-list",
            "a list that contains itself, for mrope_section",
            "mrope_section",
            r"expected a list of exactly 3 integers",
            data=cyclic_list,
            patch=cyclic_list,
        )
    )
    add(
        value_row(
            "deeper-than-the-schema",
            "a mapping under a leaf (gpu_config.use_tensor_cores.enabled)",
            {"gpu_config": {"use_tensor_cores": {"enabled": True}}},
            "gpu_config.use_tensor_cores",
            r"expected true or false \(got \{'enabled': '?(True|true)'?\}, a mapping\)",
            text=True,
            expect={
                "load_config.env": (
                    "",
                    (
                        r"unknown variable 'QWEN3VL_GPU_CONFIG__USE_TENSOR_CORES__ENABLED'; "
                        r"did you mean 'QWEN3VL_GPU_CONFIG__USE_TENSOR_CORES'\?"
                    ),
                )
            },
        )
    )
    add(
        Row(
            "dotted-deeper-than-the-schema",
            "a dotted key under a leaf (gpu_config.use_tensor_cores.enabled)",
            "gpu_config.use_tensor_cores",
            r"expected true or false \(got \{'enabled': True\}, a mapping\)",
            patch={"gpu_config.use_tensor_cores.enabled": True},
        )
    )

    # Environment values that the strict grammar refuses.
    for name, path, value, message in (
        (
            "env-integer-hex",
            "num_hidden_layers",
            "0x20",
            rf"{R_INT} \(got '0x20', a string\)",
        ),
        (
            "env-integer-underscore",
            "num_hidden_layers",
            "1_000",
            rf"{R_INT} \(got '1_000', a string\)",
        ),
        (
            "env-integer-empty",
            "num_hidden_layers",
            "",
            rf"{R_INT} \(got '', a string\)",
        ),
        (
            "env-integer-blank",
            "num_hidden_layers",
            "   ",
            rf"{R_INT} \(got '   ', a string\)",
        ),
        (
            "env-number-comma",
            "optimization_config.sparsity_ratio",
            "0,4",
            rf"{R_RATIO} \(got '0,4', a string\)",
        ),
        (
            "env-boolean-yes",
            "gpu_config.use_tensor_cores",
            "yes",
            r"expected true, false, 1 or 0 \(got 'yes', a string\)",
        ),
        (
            "env-capability-comma",
            "gpu_config.gpu_compute_capability",
            "8,6",
            r"written like 8\.6 \(got '8,6', a string\)",
        ),
        (
            "env-list-semicolons",
            "mrope_section",
            "24;20;20",
            r"written like 24,20,20 \(got '24;20;20', a string\)",
        ),
        (
            "env-choice",
            "gpu_config.attention_implementation",
            "flash",
            r"expected one of 'flash_attention_2', 'sdpa', 'eager' \(got 'flash', a string\)",
        ),
        (
            "env-name-with-spaces",
            "hardware_target",
            "my box!",
            r"expected a name of 1 to 128 letters",
        ),
        (
            "env-name-with-nul",
            "hardware_target",
            "box\x00rm",
            r"expected a name of 1 to 128 letters",
        ),
    ):
        add(
            env_row(
                name,
                f"{value!r} for {path}",
                {env_name(path): value},
                path,
                message,
            )
        )
    add(
        env_row(
            "env-megabyte-value",
            "a value one million characters long for hardware_target",
            {"QWEN3VL_HARDWARE_TARGET": "x" * 1_000_000},
            "hardware_target",
            r"expected a name of 1 to 128 letters",
        )
    )
    for name, variable, message in (
        (
            "env-unknown-flat",
            "QWEN3VL_NUM_WORKERS",
            r"did you mean 'QWEN3VL_CPU_CONFIG__NUM_WORKERS'\?",
        ),
        (
            "env-unknown-typo",
            "QWEN3VL_HIDDEN_SIZ",
            r"did you mean 'QWEN3VL_HIDDEN_SIZE'\?",
        ),
        (
            "env-unknown-section",
            "QWEN3VL_GPU_CONFIG",
            r"unknown variable 'QWEN3VL_GPU_CONFIG'",
        ),
        (
            "env-unknown-nothing-near",
            "QWEN3VL_FOO",
            r"^unknown variable 'QWEN3VL_FOO'$",
        ),
        (
            "env-unknown-lower-case",
            "QWEN3VL_num_hidden_layers",
            r"unknown variable 'QWEN3VL_num_hidden_layers'",
        ),
        (
            "env-unknown-megabyte-name",
            ENV_PREFIX + "X" * 1_000_000,
            r"unknown variable 'QWEN3VL_XXX",
        ),
    ):
        add(
            env_row(
                name,
                f"unknown variable {variable[:40]}",
                {variable: "1"},
                "",
                message,
            )
        )

    # Very long text.
    add(
        Row(
            "megabyte-key",
            "a key one million characters long",
            MEGABYTE_KEY,
            r"unknown key 'kkk",
            data={"config_version": 1, MEGABYTE_KEY: 1},
            files={
                "json": json.dumps({"config_version": 1, MEGABYTE_KEY: 1}),
                "yaml": f"config_version: 1\n{MEGABYTE_KEY}: 1\n",
                "toml": f"config_version = 1\n{MEGABYTE_KEY} = 1\n",
            },
            patch={MEGABYTE_KEY: 1},
            args=[f"{MEGABYTE_KEY}=1"],
            expect={
                "yaml": ("", r"not valid YAML: could not find expected ':'")
            },
        )
    )

    # Text that does not parse.
    truncated = {
        "json": '{"config_version": 1, "num_hidden_layers": ',
        "yaml": "config_version: 1\nnum_hidden_layers: [36\n",
        "toml": "config_version = 1\nnum_hidden_layers = \n",
    }
    add(
        Row(
            "truncated-document",
            "a document cut off in the middle",
            "",
            r"not valid (JSON|YAML|TOML): ",
            files=truncated,
            hf=truncated["json"],
        )
    )
    return rows


ROWS: tuple[Row, ...] = tuple(_rows())


# -- entry points ----------------------------------------------------------

#: Entry points that take the input as Python data.
PYTHON = ("from_dict", "apply_updates", "load_config.overrides")
#: Entry points that take the input as text values.
TEXT = ("load_config.env", "load_config.overrides_list")
#: The formats each special path kind is tried in.
SPECIAL_FORMATS = {"suffix": ("ini",)}


def entry_points(row: Row) -> list[str]:
    """Return the entry points that can see `row`, in a fixed order."""
    points = []
    if row.data is not ABSENT:
        points.append("from_dict")
    if row.special is not None:
        formats = SPECIAL_FORMATS.get(row.special, FORMATS)
        for fmt in formats:
            points += [f"from_file.{fmt}", f"load_config.{fmt}"]
        points.append("load_config.QWEN3VL_CONFIG")
        points += [
            f"from_pretrained.{fmt}" for fmt in formats if fmt in FORMATS
        ]
        if "json" in formats:
            points.append("from_pretrained.config_json")
    for fmt in FORMATS:
        if fmt in row.files:
            points += [
                f"from_file.{fmt}",
                f"load_config.{fmt}",
                f"from_pretrained.{fmt}",
            ]
    if row.env is not None:
        points.append("load_config.env")
    if row.patch is not ABSENT:
        points += ["apply_updates", "load_config.overrides"]
    if row.args is not None:
        points.append("load_config.overrides_list")
    if row.hf is not None:
        points.append("from_pretrained.config_json")
    if row.hub == "fifo-link":
        points.append("from_pretrained.path")
    elif row.hub is not None:
        points.append("from_pretrained.model_id")
    return [p for p in points if p not in row.skip]


def cases() -> list[tuple[Row, str]]:
    """Return every ``(row, entry point)`` pair of the catalogue."""
    return [(row, entry) for row in ROWS for entry in entry_points(row)]


def group_of(entry: str) -> str:
    """Return the group of `entry`: python, text, hf or files."""
    if entry in PYTHON:
        return "python"
    if entry in TEXT:
        return "text"
    if entry == "from_pretrained.config_json":
        return "hf"
    return "files"


def expectation(row: Row, entry: str) -> tuple[PathSpec, str]:
    """Return the path and message pattern `row` must get from `entry`."""
    fmt = entry.rpartition(".")[2]
    for key in (entry, fmt, group_of(entry)):
        if key in row.expect:
            return row.expect[key]
    return row.path, row.message


def path_matches(spec: PathSpec, path: str) -> bool:
    """Tell whether the problem path `path` is the one `spec` expects."""
    if isinstance(spec, re.Pattern):
        return spec.fullmatch(path) is not None
    return spec == path


def problems_at(error: ConfigError, spec: PathSpec) -> list[Problem]:
    """Return the problems of `error` at the path `spec` expects."""
    return [p for p in error.problems if path_matches(spec, p.path)]


# -- the workspace ---------------------------------------------------------


class Workspace:
    """The files and folders the catalogue's runs read, under one folder."""

    def __init__(self, root: pathlib.Path) -> None:
        self.root = root
        self._count = itertools.count()
        self._special: dict[tuple[str, str], pathlib.Path] = {}

    def folder(self, hint: str) -> pathlib.Path:
        """Return a new empty folder."""
        path = self.root / f"{next(self._count):05d}-{hint}"
        path.mkdir()
        return path

    def special(self, kind: str, fmt: str) -> pathlib.Path:
        """Return the path of `kind` with the suffix of `fmt`, made once."""
        key = (kind, fmt)
        if key not in self._special:
            folder = self.root / "special"
            folder.mkdir(exist_ok=True)
            path = folder / f"{kind}.{fmt}"
            if kind == "big":
                with path.open("wb") as f:
                    f.truncate(BIG_FILE_BYTES)
            elif kind == "fifo":
                os.mkfifo(path)
            elif kind == "folder":
                path.mkdir()
            elif kind == "dev-zero":
                path = folder / f"x.{fmt}"
                path.symlink_to("/dev/zero")
            elif kind == "loop":
                path.symlink_to(path.name)
            elif kind == "suffix":
                path.write_text(DOCS["json"], encoding="utf-8")
            self._special[key] = path
        return self._special[key]

    def hub(self, kind: str) -> tuple[str, str | None]:
        """Lay out a Hugging Face cache for `kind`; return it and the source."""
        cache = self.folder(f"hub-{kind}")
        repo = cache / ("models--" + MODEL_ID.replace("/", "--"))
        blob = repo / "blobs" / f"blob-{COMMIT}"
        blob.parent.mkdir(parents=True)
        snapshot = repo / "snapshots" / COMMIT
        snapshot.mkdir(parents=True)
        (repo / "refs").mkdir()
        link = snapshot / "config.json"
        source: str | None = None
        if kind == "outside":
            outside = cache / "elsewhere" / "config.json"
            outside.parent.mkdir()
            outside.write_text(hf_json(), encoding="utf-8")
            link.symlink_to(outside)
        elif kind == "link-loop":
            link.symlink_to(link.name)
        else:
            if kind == "blob-fifo":
                os.mkfifo(blob)
                source = str(link)
            else:
                blob.write_text(hf_json(), encoding="utf-8")
            link.symlink_to(os.path.relpath(blob, snapshot))
        if kind == "ref-fifo":
            os.mkfifo(repo / "refs" / "main")
        else:
            (repo / "refs" / "main").write_text(COMMIT, encoding="ascii")
        return str(cache), source


def _write(path: pathlib.Path, content: str | bytes) -> None:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


def _with_hub_cache(
    cache: str, call: Callable[[], object]
) -> Callable[[], object]:
    """Return `call` run with HF_HUB_CACHE set to `cache`, then restored."""

    def run() -> object:
        saved = os.environ.get("HF_HUB_CACHE")
        os.environ["HF_HUB_CACHE"] = cache
        try:
            return call()
        finally:
            if saved is None:
                del os.environ["HF_HUB_CACHE"]
            else:
                os.environ["HF_HUB_CACHE"] = saved

    return run


def _env_source(row: Row) -> str:
    assert row.env is not None
    if len(row.env) == 1:
        return next(iter(row.env))
    path, _ = expectation(row, "load_config.env")
    assert isinstance(path, str)
    return env_name(path)


def prepare(
    row: Row, entry: str, workspace: Workspace
) -> tuple[Callable[[], object], str | None]:
    """
    Build `row` for `entry` in `workspace`.

    Returns the call to make and the source its problem must name: the
    file, the variable, ``override``, ``patch``, or `None` (a dict, or a
    model folder that was never read).
    """
    kind, _, fmt = entry.partition(".")
    if entry == "from_dict":
        return lambda: Qwen3VLConfig.from_dict(row.data), None
    if entry == "apply_updates":
        base = Qwen3VLConfig()
        return lambda: apply_updates(base, row.patch), "patch"
    if entry == "load_config.overrides":
        return lambda: _load_config(env=False, overrides=row.patch), "override"
    if entry == "load_config.overrides_list":
        args = list(row.args or ())
        return lambda: _load_config(env=False, overrides=args), "override"
    if entry == "load_config.env":
        env = dict(row.env or {})
        return lambda: _load_config(env=env), _env_source(row)
    if entry == "from_pretrained.model_id":
        cache, source = workspace.hub(row.hub or "")
        call = _with_hub_cache(
            cache, lambda: Qwen3VLConfig.from_pretrained(MODEL_ID)
        )
        return call, source
    if entry == "from_pretrained.path":
        link = workspace.folder(row.id) / "model"
        link.symlink_to(workspace.special("fifo", "json"))
        return lambda: Qwen3VLConfig.from_pretrained(str(link)), None
    if kind == "from_pretrained":
        folder = workspace.folder(row.id)
        name = "config.json" if fmt == "config_json" else f"qwen3vl.{fmt}"
        target = folder / name
        if row.special is not None:
            real = "json" if fmt == "config_json" else fmt
            target.symlink_to(workspace.special(row.special, real))
        else:
            content = row.hf if fmt == "config_json" else row.files[fmt]
            assert content is not None
            _write(target, content)
        return lambda: Qwen3VLConfig.from_pretrained(str(folder)), str(target)
    if fmt == "QWEN3VL_CONFIG":
        assert row.special is not None
        first = SPECIAL_FORMATS.get(row.special, FORMATS)[-1]
        path = str(workspace.special(row.special, first))
        env = {"QWEN3VL_CONFIG": path}
        return lambda: _load_config(env=env), path
    if row.special is not None:
        path = str(workspace.special(row.special, fmt))
    else:
        file = workspace.folder(row.id) / f"config.{fmt}"
        _write(file, row.files[fmt])
        path = str(file)
    if kind == "from_file":
        return lambda: Qwen3VLConfig.from_file(path), path
    return lambda: _load_config(path, env=False), path


# -- running ---------------------------------------------------------------


class Hang(BaseException):
    """A run went on past `HANG_SECONDS`: taken for a hang."""


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise `Hang` in the block after `seconds` (main thread, POSIX only)."""
    if (
        threading.current_thread() is not threading.main_thread()
        or not hasattr(signal, "SIGALRM")
    ):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        msg = f"no answer after {seconds} s"
        raise Hang(msg)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@attrs.frozen(eq=False)
class Outcome:
    """
    What one run of one entry point gave.

    Attributes:
        result: What the call returned (`None` when it raised).
        error: What it raised, or `None`.
        seconds: The slowest wall time of the timed calls.
        peak: The `tracemalloc` peak of one more call, in bytes.
        warnings: The warnings of the first call.
    """

    result: object
    error: BaseException | None
    seconds: float
    peak: int
    warnings: tuple[str, ...]


def measure(call: Callable[[], object], repeat: int = 1) -> Outcome:
    """Run `call` `repeat` times timed, then once traced; return the outcome."""
    result: object = None
    error: BaseException | None = None
    caught: list[warnings.WarningMessage] = []
    slowest = 0.0
    for attempt in range(max(1, repeat)):
        with (
            _deadline(HANG_SECONDS),
            warnings.catch_warnings(record=True) as seen,
        ):
            warnings.simplefilter("always")
            start = time.perf_counter()
            try:
                value: object = call()
                failure: BaseException | None = None
            except Exception as e:  # noqa: BLE001 - the escape is the finding
                value, failure = None, e
            elapsed = time.perf_counter() - start
        slowest = max(slowest, elapsed)
        if attempt == 0:
            result, error, caught = value, failure, list(seen)
    return Outcome(
        result=result,
        error=error,
        seconds=slowest,
        peak=traced_peak(call),
        warnings=tuple(f"{w.category.__name__}: {w.message}" for w in caught),
    )


def traced_peak(call: Callable[[], object]) -> int:
    """Return the `tracemalloc` peak, in bytes, of one call of `call`."""
    tracing = tracemalloc.is_tracing()
    if not tracing:
        tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        with _deadline(TRACED_HANG_SECONDS), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with contextlib.suppress(Exception):
                call()
        return max(0, tracemalloc.get_traced_memory()[1] - before)
    finally:
        if not tracing:
            tracemalloc.stop()


def run_case(
    row: Row, entry: str, workspace: Workspace, repeat: int = 1
) -> tuple[Outcome, str | None]:
    """Build and run `row` through `entry`; return the outcome and source."""
    call, source = prepare(row, entry, workspace)
    return measure(call, repeat), source


def verdict(row: Row, entry: str, outcome: Outcome, source: str | None) -> str:
    """Return ``"ok"``, or what is wrong with `outcome`, in a few words."""
    error = outcome.error
    if row.accept is not None:
        if error is not None:
            return f"refused: {type(error).__name__}: {short(str(error), 120)}"
        return "ok" if row.accept(outcome.result) else "loaded, check failed"
    if error is None:
        return "accepted silently"
    if not isinstance(error, ConfigError):
        return f"{type(error).__name__} escaped: {short(str(error), 120)}"
    path, message = expectation(row, entry)
    found = problems_at(error, path)
    if not found:
        return f"no problem at {path!r}; got {[short(p.path, 60) for p in error.problems]}"
    if not any(re.search(message, p.message) for p in found):
        return f"message {short(found[0].message, 160)!r} does not match {message!r}"
    if not any(p.source == source for p in found):
        return f"source {found[0].source!r}, expected {source!r}"
    if outcome.peak >= MEMORY_LIMIT:
        return f"peak {outcome.peak} bytes"
    return "ok"


def short(text: str, limit: int = 100) -> str:
    """Return `text` cut to its head and tail, saying how long it was."""
    if len(text) <= limit:
        return text
    half = limit // 2
    return f"{text[:half]}…{text[-half:]} ({len(text)} characters)"
