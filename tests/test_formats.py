"""Tests for reading and writing JSON, YAML and TOML files, safely."""

from __future__ import annotations

import errno
import json
import os
import pathlib
import socket
import stat
import tomllib
import tracemalloc

import attrs
import pytest
import qwen3vl._formats as formats_module
import qwen3vl._limits as limits_module
import qwen3vl._prescan as prescan_module
import qwen3vl._yaml as yaml_module
import yaml

from hypothesis import assume, given
from hypothesis import strategies as st
from qwen3vl import (
    BaseConfig,
    ConfigError,
    GiB,
    GPUConfig,
    KiB,
    MiB,
    Problem,
    Qwen3VLConfig,
    TiB,
)
from qwen3vl._converters import to_file_data
from qwen3vl._formats import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_ITEMS,
    _check_shape,
    dumps,
    format_of,
    loads,
    read_document,
    write_atomic,
)

import strategies

from helpers import (
    DISK_EXAMPLES,
    FORMATS,
    SLOW_EXAMPLES,
    SUFFIXES,
    by_class,
    refusal,
)


#: Every suffix a config file may have, ".yml" included.
SUFFIX_SPELLINGS = [".json", ".yaml", ".yml", ".toml"]

NON_DEFAULT = Qwen3VLConfig.from_dict(
    {
        "num_hidden_layers": 16,
        "preserve_full_capacity": False,
        "hardware_target": "rtx-4090.box_1",
        "optimization_level": "aggressive",
        "memory_config": {
            "memory_pool_size": 1000,
            "gpu_memory_size": "24GiB",
            "cpu_memory_size": "1.5TiB",
            "compression_level": "high",
            "swap_threshold": 0.1 + 0.2,
            "enable_memory_swapping": False,
        },
        "cpu_config": {
            "num_workers": 0,
            "l3_cache_size": "1.5MiB",
            "simd_instruction_set": "avx512",
        },
        "gpu_config": {
            "gpu_compute_capability": [8, 9],
            "attention_implementation": "sdpa",
            "use_tensor_cores": False,
            "memory_bandwidth_gbps": 1008,
        },
        "power_management_config": {
            "thermal_constraint": 83.5,
            "adaptation_frequency": 1e-05,
        },
        "optimization_config": {
            "use_moe": False,
            "moe_num_experts": 8,
            "moe_top_k": 8,
            "sparsity_ratio": 0.0,
        },
    }
)
CONFIGS = {"default": Qwen3VLConfig(), "non_default": NON_DEFAULT}


def problems_of(caught: pytest.ExceptionInfo[ConfigError]) -> list[Problem]:
    """Return the problems of a caught `ConfigError`."""
    return list(caught.value.problems)


def only_problem(caught: pytest.ExceptionInfo[ConfigError]) -> Problem:
    """Return the one problem of a caught `ConfigError`."""
    problems = problems_of(caught)
    assert 1 == len(problems), problems
    return problems[0]


def load_error(path, data: bytes | str) -> Problem:
    """Write `data` to `path`, load it, and return the one problem."""
    if isinstance(data, str):
        data = data.encode()
    path.write_bytes(data)
    problems = refusal(Qwen3VLConfig.from_file, path).problems
    assert 1 == len(problems), problems
    return problems[0]


def load_errors(path, text: str) -> list[tuple[str, int | None]]:
    """Write `text` to `path`, load it, and return (path, line) per problem."""
    path.write_text(text, encoding="utf-8")
    problems = refusal(Qwen3VLConfig.from_file, path).problems
    assert {str(path)} == {p.source for p in problems}
    return [(p.path, p.line) for p in problems]


def parse_file(path, fmt: str) -> dict:
    """Parse a written file with the plain standard parser for `fmt`."""
    text = path.read_text(encoding="utf-8")
    if fmt == "json":
        return json.loads(text)
    if fmt == "yaml":
        return yaml.safe_load(text)
    return tomllib.loads(text)


def names_in(folder) -> list[str]:
    """Return the sorted names of the entries in `folder`."""
    return sorted(entry.name for entry in folder.iterdir())


def schema_keys(cls: type) -> list[str]:
    """Return the field names of `cls` in definition order."""
    return [f.name for f in attrs.fields(cls)]


class TestFormatOf:
    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            ("a.json", "json"),
            ("a.yaml", "yaml"),
            ("a.yml", "yaml"),
            ("a.toml", "toml"),
            ("A.JSON", "json"),
            ("a.YaML", "yaml"),
            ("a.YML", "yaml"),
            ("a.Toml", "toml"),
            ("dir.d/a.b.toml", "toml"),
        ],
    )
    def test_suffix_names_the_format(self, name, expected):
        """The suffix, in any case, decides the format."""
        assert expected == format_of(name)

    @pytest.mark.parametrize(
        "name", ["a.ini", "a", "a.json.bak", "a.txt", "json", ".json"]
    )
    def test_unknown_suffix_is_a_config_error(self, name):
        """A name without a known suffix is a ConfigError naming the file."""
        with pytest.raises(ConfigError) as caught:
            format_of(name)
        problem = only_problem(caught)
        assert name == problem.source
        assert "" == problem.path
        assert ".json, .yaml, .yml, .toml" in problem.message


class TestRoundTrip:
    @pytest.mark.parametrize("suffix", SUFFIX_SPELLINGS)
    @pytest.mark.parametrize("config", CONFIGS.values(), ids=list(CONFIGS))
    def test_saved_file_loads_back_equal(self, tmp_path, config, suffix):
        """A saved config loads back equal to itself."""
        path = tmp_path / f"config{suffix}"
        config.save_to_file(path)
        assert config == Qwen3VLConfig.from_file(path)

    @pytest.mark.parametrize("suffix", SUFFIX_SPELLINGS)
    @pytest.mark.parametrize("config", CONFIGS.values(), ids=list(CONFIGS))
    def test_load_then_save_reproduces_bytes(self, tmp_path, config, suffix):
        """Loading a saved file and saving it again gives the same bytes."""
        first = tmp_path / f"first{suffix}"
        second = tmp_path / f"second{suffix}"
        config.save_to_file(first)
        Qwen3VLConfig.from_file(first).save_to_file(second)
        assert first.read_bytes() == second.read_bytes()

    @pytest.mark.parametrize("suffix", SUFFIX_SPELLINGS)
    def test_saving_is_canonical(self, tmp_path, suffix):
        """Equal configs, made different ways, are saved as the same bytes."""
        first = tmp_path / f"first{suffix}"
        second = tmp_path / f"second{suffix}"
        Qwen3VLConfig().save_to_file(first)
        Qwen3VLConfig.from_dict(
            {"memory_config": {"gpu_memory_size": 6 * GiB}}
        ).save_to_file(second)
        assert first.read_bytes() == second.read_bytes()
        assert first.read_bytes().endswith(b"\n")

    @pytest.mark.parametrize("suffix", SUFFIX_SPELLINGS)
    @pytest.mark.parametrize("config", CONFIGS.values(), ids=list(CONFIGS))
    def test_written_in_schema_order(self, tmp_path, config, suffix):
        """Keys are written in the order the schema defines the fields."""
        path = tmp_path / f"config{suffix}"
        config.save_to_file(path)
        data = parse_file(path, format_of(path))
        assert schema_keys(Qwen3VLConfig) == list(data)
        for field in attrs.fields(Qwen3VLConfig):
            if attrs.has(field.type):
                assert schema_keys(field.type) == list(data[field.name])

    @pytest.mark.parametrize(
        ("suffix", "lines"),
        [
            (
                ".toml",
                [
                    'memory_pool_size = "2GiB"',
                    'ssd_memory_size = "50GiB"',
                    'l1_cache_size = "32KiB"',
                    'l3_cache_size = "6MiB"',
                    'shared_memory_per_block = "48KiB"',
                ],
            ),
            (
                ".json",
                [
                    '"memory_pool_size": "2GiB"',
                    '"ssd_memory_size": "50GiB"',
                    '"l1_cache_size": "32KiB"',
                    '"l3_cache_size": "6MiB"',
                    '"shared_memory_per_block": "48KiB"',
                ],
            ),
            (
                ".yaml",
                [
                    "memory_pool_size: 2GiB",
                    "ssd_memory_size: 50GiB",
                    "l1_cache_size: 32KiB",
                    "l3_cache_size: 6MiB",
                    "shared_memory_per_block: 48KiB",
                ],
            ),
        ],
    )
    def test_sizes_written_with_iec_units(self, tmp_path, suffix, lines):
        """Sizes are written in the largest exact IEC unit."""
        path = tmp_path / f"config{suffix}"
        Qwen3VLConfig().save_to_file(path)
        written = [
            line.strip().rstrip(",")
            for line in path.read_text(encoding="utf-8").splitlines()
        ]
        for line in lines:
            assert line in written

    @pytest.mark.parametrize(
        ("suffix", "line"),
        [
            (".json", '"gpu_compute_capability": [8, 9]'),
            (".yaml", "gpu_compute_capability: [8, 9]"),
        ],
    )
    def test_capability_written_as_a_pair(self, tmp_path, suffix, line):
        """The compute capability is written as a one-line ``[major, minor]``."""
        path = tmp_path / f"config{suffix}"
        NON_DEFAULT.save_to_file(path)
        written = [
            line.strip().rstrip(",")
            for line in path.read_text(encoding="utf-8").splitlines()
        ]
        assert line in written

    @pytest.mark.parametrize("suffix", SUFFIX_SPELLINGS)
    def test_capability_parses_as_a_list(self, tmp_path, suffix):
        """Any parser reads the written compute capability as two integers."""
        path = tmp_path / f"config{suffix}"
        NON_DEFAULT.save_to_file(path)
        data = parse_file(path, format_of(path))
        assert [8, 9] == data["gpu_config"]["gpu_compute_capability"]

    @pytest.mark.parametrize(
        ("suffix", "pool", "cpu", "l3"),
        [
            (
                ".toml",
                "memory_pool_size = 1000",
                'cpu_memory_size = "1536GiB"',
                'l3_cache_size = "1536KiB"',
            ),
            (
                ".json",
                '"memory_pool_size": 1000',
                '"cpu_memory_size": "1536GiB"',
                '"l3_cache_size": "1536KiB"',
            ),
            (
                ".yaml",
                "memory_pool_size: 1000",
                "cpu_memory_size: 1536GiB",
                "l3_cache_size: 1536KiB",
            ),
        ],
    )
    def test_inexact_sizes_written_as_bytes(
        self, tmp_path, suffix, pool, cpu, l3
    ):
        """A size no IEC unit divides is written as plain bytes."""
        path = tmp_path / f"config{suffix}"
        NON_DEFAULT.save_to_file(path)
        written = [
            line.strip().rstrip(",")
            for line in path.read_text(encoding="utf-8").splitlines()
        ]
        assert pool in written
        assert cpu in written
        assert l3 in written

    @pytest.mark.parametrize("suffix", [".JSON", ".Yaml", ".YML", ".TOML"])
    def test_suffix_is_case_insensitive(self, tmp_path, suffix):
        """An upper-case suffix saves and loads in its format."""
        path = tmp_path / f"CONFIG{suffix}"
        NON_DEFAULT.save_to_file(path)
        fmt = {".json": "json", ".toml": "toml"}.get(suffix.lower(), "yaml")
        assert "rtx-4090.box_1" == parse_file(path, fmt)["hardware_target"]
        assert NON_DEFAULT == Qwen3VLConfig.from_file(path)

    def test_json_file_is_json(self, tmp_path):
        """A ``.json`` file holds JSON that the standard library reads."""
        path = tmp_path / "config.json"
        Qwen3VLConfig().save_to_file(path)
        data = json.loads(path.read_text(encoding="utf-8"))
        assert 32 == data["num_hidden_layers"]
        assert [6, 1] == data["gpu_config"]["gpu_compute_capability"]

    @pytest.mark.parametrize("suffix", SUFFIX_SPELLINGS)
    def test_section_round_trip(self, tmp_path, suffix):
        """A section saves and loads on its own, like the root."""
        section = GPUConfig(
            gpu_compute_capability=(8, 0), attention_implementation="eager"
        )
        path = tmp_path / f"gpu{suffix}"
        section.save_to_file(path)
        assert section == GPUConfig.from_file(path)
        data = parse_file(path, format_of(path))
        assert schema_keys(GPUConfig) == list(data)
        assert "48KiB" == data["shared_memory_per_block"]

    @pytest.mark.parametrize("suffix", SUFFIX_SPELLINGS)
    def test_path_may_be_a_string(self, tmp_path, suffix):
        """`save_to_file` and `from_file` accept a plain string path."""
        path = str(tmp_path / f"config{suffix}")
        NON_DEFAULT.save_to_file(path)
        assert NON_DEFAULT == Qwen3VLConfig.from_file(path)

    @pytest.mark.parametrize("name", ["config.ini", "config", "config.txt"])
    def test_unknown_suffix_on_load(self, tmp_path, name):
        """Loading a file with an unknown suffix is a ConfigError naming it."""
        path = tmp_path / name
        path.write_text("{}", encoding="utf-8")
        with pytest.raises(ConfigError) as caught:
            Qwen3VLConfig.from_file(path)
        problem = only_problem(caught)
        assert str(path) == problem.source
        assert "suffix" in problem.message
        assert str(path) in str(caught.value)

    @SLOW_EXAMPLES
    @given(
        swap=st.floats(min_value=0.0, max_value=1.0, exclude_min=True),
        bandwidth=st.floats(
            min_value=0.0, max_value=100_000.0, exclude_min=True
        ),
        pool=st.integers(min_value=1, max_value=6 * GiB),
        fmt=st.sampled_from(FORMATS),
    )
    def test_any_values_survive_the_text(self, swap, bandwidth, pool, fmt):
        """Floats and sizes survive dumping and loading in every format."""
        config = Qwen3VLConfig.from_dict(
            {
                "memory_config": {
                    "swap_threshold": swap,
                    "memory_pool_size": pool,
                },
                "gpu_config": {"memory_bandwidth_gbps": bandwidth},
            }
        )
        data, _ = loads(dumps(to_file_data(config), fmt), fmt)
        assert config == Qwen3VLConfig.from_dict(data)


class TestRoundTripProperties:
    @by_class
    @pytest.mark.parametrize("fmt", FORMATS)
    @given(data=st.data())
    def test_text_round_trip(
        self, cls: type[BaseConfig], fmt: str, data: st.DataObject
    ) -> None:
        """Dumping the file data as text and loading it back is lossless."""
        cfg = data.draw(strategies.configs_of(cls))

        loaded, _ = loads(dumps(to_file_data(cfg), fmt), fmt)

        assert cfg == cls.from_dict(loaded)

    @by_class
    @DISK_EXAMPLES
    @given(data=st.data())
    def test_file_round_trip(
        self, cls: type[BaseConfig], folder: pathlib.Path, data: st.DataObject
    ) -> None:
        """save_to_file then from_file gives back an equal config, per format."""
        cfg = data.draw(strategies.configs_of(cls))

        for fmt in FORMATS:
            path = folder / f"round-trip-{cls.__name__}{SUFFIXES[fmt]}"
            cfg.save_to_file(path)

            assert cfg == cls.from_file(path), fmt

    @pytest.mark.parametrize("fmt", FORMATS)
    @DISK_EXAMPLES
    @given(cfg=strategies.qwen3vl_configs())
    def test_saving_is_canonical(
        self, fmt: str, folder: pathlib.Path, cfg: Qwen3VLConfig
    ) -> None:
        """Saving twice, or saving what was loaded, gives identical bytes."""
        first = folder / f"canonical-1{SUFFIXES[fmt]}"
        second = folder / f"canonical-2{SUFFIXES[fmt]}"

        cfg.save_to_file(first)
        written = first.read_bytes()
        cfg.save_to_file(first)
        Qwen3VLConfig.from_file(first).save_to_file(second)

        assert written == first.read_bytes()
        assert written == second.read_bytes()


class TestPartialFiles:
    @pytest.mark.parametrize(
        ("suffix", "text"),
        [
            (
                ".json",
                (
                    '{"num_hidden_layers": 48,\n'
                    ' "gpu_config": {"use_tensor_cores": false},\n'
                    ' "memory_config": {"gpu_memory_size": "8GB"}}\n'
                ),
            ),
            (
                ".yaml",
                (
                    "num_hidden_layers: 48\n"
                    "gpu_config:\n  use_tensor_cores: false\n"
                    "memory_config:\n  gpu_memory_size: 8GB\n"
                ),
            ),
            (
                ".toml",
                (
                    "num_hidden_layers = 48\n"
                    "[gpu_config]\nuse_tensor_cores = false\n"
                    '[memory_config]\ngpu_memory_size = "8GB"\n'
                ),
            ),
        ],
    )
    def test_missing_keys_keep_defaults(self, tmp_path, suffix, text):
        """Keys a file leaves out keep their defaults."""
        path = tmp_path / f"partial{suffix}"
        path.write_text(text, encoding="utf-8")
        default = Qwen3VLConfig()
        expected = attrs.evolve(
            default,
            num_hidden_layers=48,
            gpu_config=attrs.evolve(
                default.gpu_config, use_tensor_cores=False
            ),
            memory_config=attrs.evolve(
                default.memory_config, gpu_memory_size=8 * GiB
            ),
        )
        assert expected == Qwen3VLConfig.from_file(path)

    @pytest.mark.parametrize(
        ("name", "text"),
        [
            ("empty.json", "{}"),
            ("empty.toml", ""),
            ("comment.toml", "# nothing to see\n"),
            ("empty.yaml", ""),
            ("empty.yml", "\n\n"),
            ("comment.yaml", "# nothing to see\n"),
            ("sections.json", '{"gpu_config": {}, "cpu_config": {}}'),
        ],
    )
    def test_empty_file_gives_defaults(self, tmp_path, name, text):
        """A file that sets nothing gives the default config."""
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        assert Qwen3VLConfig() == Qwen3VLConfig.from_file(path)

    def test_section_from_partial_file(self, tmp_path):
        """A section's `from_file` reads only that section's keys."""
        path = tmp_path / "gpu.toml"
        path.write_text(
            'attention_implementation = "sdpa"\n'
            "gpu_compute_capability = [7, 5]\n",
            encoding="utf-8",
        )
        expected = GPUConfig(
            attention_implementation="sdpa", gpu_compute_capability=(7, 5)
        )
        assert expected == GPUConfig.from_file(path)

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ('{"memory_config": {"ssd_memory_size": 1024}}', KiB),
            ('{"memory_config": {"ssd_memory_size": "1 MB"}}', MiB),
            ('{"memory_config": {"ssd_memory_size": "1.5TiB"}}', 3 * TiB // 2),
            ('{"memory_config": {"ssd_memory_size": "2tb"}}', 2 * TiB),
        ],
    )
    def test_sizes_in_files(self, tmp_path, text, expected):
        """Sizes in files may be bytes or strings with any known unit."""
        path = tmp_path / "config.json"
        path.write_text(text, encoding="utf-8")
        config = Qwen3VLConfig.from_file(path)
        assert expected == config.memory_config.ssd_memory_size


class TestSafeReading:
    def test_missing_file(self, tmp_path):
        """A file that does not exist is a ConfigError naming it."""
        path = tmp_path / "absent.json"
        with pytest.raises(ConfigError) as caught:
            Qwen3VLConfig.from_file(path)
        problem = only_problem(caught)
        assert str(path) == problem.source
        assert problem.line is None
        assert "no such file" in problem.message

    def test_missing_folder(self, tmp_path):
        """A file in a folder that does not exist is a ConfigError."""
        path = tmp_path / "absent" / "config.yaml"
        with pytest.raises(ConfigError) as caught:
            Qwen3VLConfig.from_file(path)
        assert str(path) == only_problem(caught).source

    def test_directory(self, tmp_path):
        """A folder with a config name is a ConfigError, not an OSError."""
        path = tmp_path / "folder.json"
        path.mkdir()
        with pytest.raises(ConfigError) as caught:
            Qwen3VLConfig.from_file(path)
        problem = only_problem(caught)
        assert str(path) == problem.source
        assert "folder" in problem.message

    def test_fifo_does_not_hang(self, tmp_path):
        """A named pipe is refused at once instead of waiting for a writer."""
        path = tmp_path / "pipe.json"
        os.mkfifo(path)
        with pytest.raises(ConfigError) as caught:
            Qwen3VLConfig.from_file(path)
        problem = only_problem(caught)
        assert str(path) == problem.source
        assert "not a regular file" in problem.message

    @pytest.mark.parametrize("device", ["/dev/null", "/dev/zero"])
    def test_device_behind_a_symlink(self, tmp_path, device):
        """A link to a device, even with a config name, is refused."""
        path = tmp_path / "device.json"
        path.symlink_to(device)
        with pytest.raises(ConfigError) as caught:
            Qwen3VLConfig.from_file(path)
        problem = only_problem(caught)
        assert str(path) == problem.source
        assert "not a regular file" in problem.message

    def test_symlink_to_a_regular_file_is_read(self, tmp_path):
        """A link to a regular config file is followed."""
        target = tmp_path / "real.yaml"
        target.write_text("num_hidden_layers: 64\n", encoding="utf-8")
        link = tmp_path / "link.yaml"
        link.symlink_to(target)
        assert 64 == Qwen3VLConfig.from_file(link).num_hidden_layers

    def test_file_over_the_size_limit(self, tmp_path, monkeypatch):
        """A file larger than MAX_FILE_BYTES is refused, naming the limit."""
        monkeypatch.setattr(formats_module, "MAX_FILE_BYTES", 64)
        path = tmp_path / "big.json"
        text = '{"hardware_target": "' + "x" * 80 + '"}'
        problem = load_error(path, text)
        assert str(path) == problem.source
        assert "64 bytes" in problem.message

    def test_file_at_the_size_limit(self, tmp_path, monkeypatch):
        """A file of exactly MAX_FILE_BYTES is read."""
        text = '{"hardware_target": "abc"}'
        monkeypatch.setattr(formats_module, "MAX_FILE_BYTES", len(text))
        path = tmp_path / "fits.json"
        path.write_text(text, encoding="utf-8")
        assert "abc" == Qwen3VLConfig.from_file(path).hardware_target

    def test_default_size_limit(self):
        """Config files are limited to a few MiB and 32 levels of nesting."""
        assert 4 * MiB == MAX_FILE_BYTES
        assert 32 == MAX_DEPTH

    @pytest.mark.parametrize(
        ("suffix", "text"),
        [
            (".json", '{"cpu_config": {"num_threads": 2}}'),
            (".yaml", "cpu_config:\n  num_threads: 2\n"),
            (".toml", "[cpu_config]\nnum_threads = 2\n"),
        ],
    )
    def test_utf8_byte_order_mark_is_accepted(self, tmp_path, suffix, text):
        """A UTF-8 byte order mark at the start is skipped."""
        path = tmp_path / f"cpu{suffix}"
        path.write_bytes(b"\xef\xbb\xbf" + text.encode())
        assert 2 == Qwen3VLConfig.from_file(path).cpu_config.num_threads

    @pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
    def test_utf16_is_refused(self, tmp_path, encoding):
        """UTF-16 text, with a byte order mark, is refused as not UTF-8."""
        path = tmp_path / "config.json"
        data = '{"num_hidden_layers": 32}'.encode(encoding)
        if encoding != "utf-16":
            bom = b"\xff\xfe" if encoding.endswith("le") else b"\xfe\xff"
            data = bom + data
        problem = load_error(path, data)
        assert str(path) == problem.source
        assert "UTF" in problem.message

    @pytest.mark.parametrize("suffix", [".json", ".yaml", ".toml"])
    def test_invalid_utf8_is_refused_with_line(self, tmp_path, suffix):
        """Bytes that are not UTF-8 are refused with the line they are on."""
        path = tmp_path / f"config{suffix}"
        data = b"# first\n# second\n# bad \xff\xfe here\n"
        if suffix == ".json":
            data = b'{\n"hardware_target":\n"bad\xc3("\n}'
        problem = load_error(path, data)
        assert str(path) == problem.source
        assert 3 == problem.line
        assert "UTF-8" in problem.message

    @pytest.mark.parametrize(
        "text",
        [
            '{"num_hidden_layers": 32, "num_hidden_layers": 48}',
            (
                '{"gpu_config": {"use_tensor_cores": true,\n'
                '                "use_tensor_cores": true}}'
            ),
        ],
    )
    def test_json_duplicate_keys(self, tmp_path, text):
        """A key written twice in one JSON object is refused."""
        path = tmp_path / "dup.json"
        problem = load_error(path, text)
        assert str(path) == problem.source
        assert "duplicate key" in problem.message

    @pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
    def test_json_nan_and_infinity(self, tmp_path, constant):
        """JSON's non-standard NaN and infinities are refused."""
        path = tmp_path / "nan.json"
        text = f'{{"memory_config": {{"swap_threshold": {constant}}}}}'
        problem = load_error(path, text)
        assert str(path) == problem.source
        assert constant.lstrip("-") in problem.message

    @pytest.mark.parametrize(
        ("text", "line"),
        [
            ('{\n  "num_hidden_layers": 32,\n  oops\n}\n', 3),
            ('{\n  "num_hidden_layers": 32,\n}\n', 3),
            ("", 1),
            ('{"a": 1}\n\n{"b": 2}\n', 3),
            ("{\n\n\n\n", 5),
        ],
    )
    def test_json_syntax_error_line(self, tmp_path, text, line):
        """A JSON syntax error names the line it is on."""
        path = tmp_path / "broken.json"
        problem = load_error(path, text)
        assert str(path) == problem.source
        assert line == problem.line
        assert problem.message.startswith("not valid JSON")

    @pytest.mark.parametrize("depth", [MAX_DEPTH + 5, 100, 100_000])
    def test_json_nested_too_deep(self, tmp_path, depth):
        """JSON nested deeper than MAX_DEPTH is refused, however deep."""
        path = tmp_path / "deep.json"
        text = '{"a": ' * depth + "1" + "}" * depth
        problem = load_error(path, text)
        assert str(path) == problem.source
        assert f"deeper than {MAX_DEPTH}" in problem.message

    def test_json_huge_integer(self, tmp_path):
        """A JSON integer with thousands of digits is a ConfigError."""
        path = tmp_path / "huge.json"
        problem = load_error(path, '{"num_threads": ' + "9" * 5000 + "}")
        assert str(path) == problem.source

    @pytest.mark.parametrize(
        "text", ["[]", "42", '"text"', "null", "[1, 2]", "true"]
    )
    def test_json_top_level_must_be_an_object(self, tmp_path, text):
        """A JSON document that is not an object is a ConfigError."""
        path = tmp_path / "list.json"
        problem = load_error(path, text)
        assert str(path) == problem.source
        assert "mapping" in problem.message

    @pytest.mark.parametrize(
        ("text", "line"),
        [
            ("num_hidden_layers = 32\nhidden_size = \n", 2),
            ("a = 1\n\n\n[gpu_config\n", 4),
            ('hardware_target = "unterminated\n', 1),
        ],
    )
    def test_toml_syntax_error_line(self, tmp_path, text, line):
        """A TOML syntax error names the line it is on."""
        path = tmp_path / "broken.toml"
        problem = load_error(path, text)
        assert str(path) == problem.source
        assert line == problem.line
        assert problem.message.startswith("not valid TOML")
        assert "(at line" not in problem.message

    @pytest.mark.parametrize(
        ("text", "line"),
        [
            ("num_hidden_layers = 32\nnum_hidden_layers = 48\n", 2),
            (
                (
                    "[gpu_config]\nuse_tensor_cores = true\n\n"
                    "[gpu_config]\nuse_mixed_precision = true\n"
                ),
                4,
            ),
        ],
    )
    def test_toml_duplicate_key(self, tmp_path, text, line):
        """A key or table declared twice in TOML is refused with its line."""
        path = tmp_path / "dup.toml"
        problem = load_error(path, text)
        assert str(path) == problem.source
        assert line == problem.line

    @pytest.mark.parametrize(
        ("text", "path"),
        [
            ("hardware_target = 2001-12-14\n", "hardware_target"),
            (
                "[cpu_config]\nnum_threads = 07:32:00\n",
                "cpu_config.num_threads",
            ),
            (
                "[memory_config]\nmemory_pool_size = 1979-05-27T07:32:00Z\n",
                "memory_config.memory_pool_size",
            ),
            (
                (
                    "[power_management_config]\n"
                    "thermal_constraint = 1979-05-27T07:32:00\n"
                ),
                "power_management_config.thermal_constraint",
            ),
        ],
    )
    def test_toml_dates_reaching_a_field(self, tmp_path, text, path):
        """A TOML date or time where a field expects a value is a ConfigError."""
        file = tmp_path / "date.toml"
        problem = load_error(file, text)
        assert path == problem.path
        assert str(file) == problem.source

    def test_toml_nested_too_deep(self, tmp_path):
        """TOML arrays nested past the limit, even very deep, are refused."""
        path = tmp_path / "deep.toml"
        problem = load_error(path, "a = " + "[" * 100_000 + "\n")
        assert str(path) == problem.source
        assert f"deeper than {MAX_DEPTH}" in problem.message

    def test_toml_huge_integer(self, tmp_path):
        """A TOML integer with thousands of digits is a ConfigError."""
        path = tmp_path / "huge.toml"
        problem = load_error(path, "[cpu_config]\nnum_threads = " + "9" * 5000)
        assert str(path) == problem.source

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            (
                (
                    "memory_config:\n"
                    "  gpu_memory_size: &size 6GiB\n"
                    "  cpu_memory_size: *size\n"
                ),
                [("memory_config.cpu_memory_size", 3)],
            ),
            (
                (
                    "gpu_config: &gpu\n"
                    "  use_tensor_cores: false\n"
                    "cpu_config:\n"
                    "  num_threads: 2\n"
                    "power_management_config: *gpu\n"
                ),
                [("power_management_config", 5)],
            ),
        ],
    )
    def test_yaml_aliases(self, tmp_path, text, expected):
        """YAML aliases are refused at the key that holds them."""
        path = tmp_path / "alias.yaml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError) as caught:
            Qwen3VLConfig.from_file(path)
        problems = problems_of(caught)
        assert expected == [(p.path, p.line) for p in problems]
        assert {str(path)} == {p.source for p in problems}
        assert all("alias" in p.message for p in problems)

    def test_yaml_merge_keys(self, tmp_path):
        """A YAML merge key (``<<``) is refused, not merged."""
        text = "memory_config: &m {}\ncpu_config:\n  <<: *m\n"
        problem = load_error(tmp_path / "merge.yaml", text)
        assert "cpu_config" == problem.path
        assert 3 == problem.line

    @pytest.mark.parametrize(
        ("value", "tag"),
        [
            ("!!python/object/apply:os.system ['echo hi']", "python/object"),
            ("!!python/name:os.system", "python/name"),
            ("!!binary aGVsbG8=", "binary"),
            ("2001-12-14", "timestamp"),
            ("2001-12-14t21:59:43.10-05:00", "timestamp"),
            ("!!set {a: null}", "set"),
            ("!!omap [a: 1]", "omap"),
            ("!local value", "!local"),
            ("!<tag:example.com,2000:x> value", "example.com"),
        ],
    )
    def test_yaml_tags(self, tmp_path, value, tag):
        """Tags other than YAML's standard scalars and collections are refused."""
        path = tmp_path / "tags.yaml"
        text = f"num_hidden_layers: 32\nhardware_target: {value}\n"
        problem = load_error(path, text)
        assert "hardware_target" == problem.path
        assert 2 == problem.line
        assert str(path) == problem.source
        assert tag in problem.message

    def test_yaml_tags_run_no_code(self, tmp_path, monkeypatch):
        """A Python object tag is never constructed."""
        called = []
        monkeypatch.setattr(os, "system", called.append)
        path = tmp_path / "evil.yaml"
        load_error(path, "a: !!python/object/apply:os.system ['echo hi']\n")
        assert [] == called

    @pytest.mark.parametrize(
        ("key", "line"),
        [
            ("1", 2),
            ("yes", 2),
            ("null", 2),
            ("~", 2),
            ("true", 2),
            ("1.5", 2),
            ("? [a, b]\n", 2),
            ("? {a: 1}\n", 2),
        ],
    )
    def test_yaml_non_string_keys(self, tmp_path, key, line):
        """Keys that YAML reads as numbers, booleans, null or lists are refused."""
        path = tmp_path / "keys.yaml"
        problem = load_error(path, f"num_hidden_layers: 32\n{key}: 1\n")
        assert "" == problem.path
        assert line == problem.line
        assert str(path) == problem.source
        assert "keys must be strings" in problem.message

    def test_yaml_quoted_keys_are_strings(self, tmp_path):
        """A quoted key is a string, so it is only an unknown key."""
        problems = load_errors(tmp_path / "keys.yaml", "'yes': 1\n")
        assert [("yes", 1)] == problems

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            (
                "vocab_size: 2\nnum_hidden_layers: 32\nnum_hidden_layers: 48\n",
                [("", 3)],
            ),
            (
                (
                    "gpu_config:\n"
                    "  use_tensor_cores: true\n"
                    "  use_mixed_precision: true\n"
                    "  use_tensor_cores: false\n"
                ),
                [("gpu_config", 4)],
            ),
        ],
    )
    def test_yaml_duplicate_keys(self, tmp_path, text, expected):
        """A key written twice in one YAML mapping is refused at its line."""
        path = tmp_path / "dup.yaml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError) as caught:
            Qwen3VLConfig.from_file(path)
        problems = problems_of(caught)
        assert expected == [(p.path, p.line) for p in problems]
        assert "duplicate key" in problems[0].message

    @pytest.mark.parametrize(
        ("section", "key", "value"),
        [
            ("gpu_config", "use_tensor_cores", "no"),
            ("gpu_config", "use_tensor_cores", "on"),
            ("gpu_config", "use_tensor_cores", "yes"),
            ("gpu_config", "use_tensor_cores", "Off"),
            ("gpu_config", "use_tensor_cores", "YES"),
            ("cpu_config", "num_threads", "0755"),
            ("cpu_config", "num_threads", "1:20"),
            ("cpu_config", "num_threads", "1_000"),
            ("cpu_config", "num_threads", "0b101"),
            ("power_management_config", "thermal_constraint", "1:20.5"),
            ("power_management_config", "thermal_constraint", "1_0.5"),
        ],
    )
    def test_yaml_11_surprises(self, tmp_path, section, key, value):
        """Values only YAML 1.1 reads as bools or numbers are refused."""
        path = tmp_path / "surprise.yaml"
        text = f"num_hidden_layers: 32\n{section}:\n  {key}: {value}\n"
        problem = load_error(path, text)
        assert f"{section}.{key}" == problem.path
        assert 3 == problem.line
        assert str(path) == problem.source
        assert repr(value) in problem.message
        assert "YAML 1.1" in problem.message

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("true", True),
            ("false", False),
            ("True", True),
            ("FALSE", False),
            ("1e3", 1000.0),
            ("1E3", 1000.0),
            ("1.5e-3", 0.0015),
            ("2.5e+2", 250.0),
            ("-1e-2", -0.01),
            (".5", 0.5),
            ("12", 12),
            ("-7", -7),
            ("0", 0),
            ("'no'", "no"),
            ('"0755"', "0755"),
            ("'1e3'", "1e3"),
            ("null", None),
        ],
    )
    def test_yaml_12_scalars(self, value, expected):
        """Plain scalars are read as YAML 1.2 reads them."""
        data, _ = loads(f"a: {value}\n", "yaml")
        assert {"a": expected} == data
        assert type(expected) is type(data["a"])

    @pytest.mark.parametrize(
        ("text", "field", "expected"),
        [
            (
                "power_management_config:\n  thermal_constraint: 1e2\n",
                "thermal_constraint",
                100.0,
            ),
            (
                "power_management_config:\n  adaptation_frequency: 1.5e-3\n",
                "adaptation_frequency",
                0.0015,
            ),
            (
                "power_management_config:\n  power_constraint: 5E-1\n",
                "power_constraint",
                0.5,
            ),
        ],
    )
    def test_yaml_exponents_fill_float_fields(
        self, tmp_path, text, field, expected
    ):
        """A plain ``1e2`` in a YAML file sets a float field to 100.0."""
        path = tmp_path / "power.yaml"
        path.write_text(text, encoding="utf-8")
        config = Qwen3VLConfig.from_file(path)
        assert expected == getattr(config.power_management_config, field)

    @pytest.mark.parametrize(
        ("text", "line"),
        [
            ("a: [1, 2\nb: 3\n", 2),
            ("vocab_size: 2\na: b: c\n", 2),
            ("a:\n  - 1\n - 2\n", 3),
            ('a: "unterminated\n\n', 3),
        ],
    )
    def test_yaml_syntax_error_line(self, tmp_path, text, line):
        """A YAML syntax error names the line it is on."""
        path = tmp_path / "broken.yaml"
        problem = load_error(path, text)
        assert str(path) == problem.source
        assert line == problem.line
        assert problem.message.startswith("not valid YAML")

    @pytest.mark.parametrize("depth", [MAX_DEPTH + 5, 100_000])
    def test_yaml_nested_too_deep(self, tmp_path, depth):
        """YAML nested deeper than MAX_DEPTH is refused, however deep."""
        path = tmp_path / "deep.yaml"
        problem = load_error(path, "a: " + "[" * depth + "]" * depth + "\n")
        assert str(path) == problem.source
        assert "nest" in problem.message

    @pytest.mark.parametrize("text", ["- 1\n- 2\n", "just text\n", "42\n"])
    def test_yaml_top_level_must_be_a_mapping(self, tmp_path, text):
        """A YAML document that is not a mapping is a ConfigError."""
        path = tmp_path / "list.yaml"
        problem = load_error(path, text)
        assert str(path) == problem.source
        assert "mapping" in problem.message

    def test_yaml_value_error_carries_the_line(self, tmp_path):
        """A bad value in YAML names its dotted path and the key's line."""
        path = tmp_path / "bad.yaml"
        problem = load_error(path, "gpu_config:\n  use_tensor_cores: 3\n")
        assert "gpu_config.use_tensor_cores" == problem.path
        assert 2 == problem.line
        assert str(path) == problem.source
        assert f"[{path}:2]" in str(problem)

    def test_yaml_every_problem_has_its_line(self, tmp_path):
        """Several bad values in YAML are reported at once, each at its line."""
        text = (
            "num_hidden_layers: 32\n"
            "gpu_config:\n"
            "  use_tensor_cores: 3\n"
            "cpu_config:\n"
            "  num_threads: many\n"
            "  l1_cache_size: 1.3B\n"
            "  num_treads: 2\n"
            "optimization_level: fast\n"
        )
        assert [
            ("cpu_config.l1_cache_size", 6),
            ("cpu_config.num_threads", 5),
            ("cpu_config.num_treads", 7),
            ("gpu_config.use_tensor_cores", 3),
            ("optimization_level", 8),
        ] == load_errors(tmp_path / "bad.yaml", text)

    def test_yaml_rule_error_points_at_the_section(self, tmp_path):
        """A cross-field problem on an unwritten key points at its section."""
        text = "num_threads_x: 1\nmemory_config:\n  gpu_memory_size: 1GiB\n"
        problems = load_errors(tmp_path / "rule.yaml", text)
        assert ("memory_config.memory_pool_size", 2) in problems

    @pytest.mark.parametrize(
        ("name", "text"),
        [
            (
                "bad.json",
                '{\n  "gpu_config": {\n    "use_tensor_cores": 3\n}}',
            ),
            ("bad.toml", "[gpu_config]\nuse_tensor_cores = 3\n"),
        ],
    )
    def test_json_and_toml_value_errors_carry_the_file(
        self, tmp_path, name, text
    ):
        """A bad value in JSON or TOML names the file but no line."""
        path = tmp_path / name
        problem = load_error(path, text)
        assert "gpu_config.use_tensor_cores" == problem.path
        assert str(path) == problem.source
        assert problem.line is None
        assert f"[{path}]" in str(problem)

    @pytest.mark.parametrize("suffix", SUFFIX_SPELLINGS)
    def test_read_document_returns_its_source(self, tmp_path, suffix):
        """`read_document` gives the data, the line map and the file name."""
        path = tmp_path / f"doc{suffix}"
        GPUConfig().save_to_file(path)
        data, lines, source = read_document(path)
        assert str(path) == source
        assert [6, 1] == data["gpu_compute_capability"]
        if format_of(path) == "yaml":
            assert 1 == lines["gpu_compute_capability"]
        else:
            assert {} == lines


class TestDepthCheck:
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
                _check_shape(data, "f.json")
        else:
            _check_shape(data, "f.json")


class TestAtomicSave:
    def test_keeps_permissions_of_an_existing_file(self, tmp_path):
        """Saving over a file keeps its permission bits."""
        path = tmp_path / "config.toml"
        path.write_text("# old\n", encoding="utf-8")
        path.chmod(0o600)
        NON_DEFAULT.save_to_file(path)
        assert 0o600 == stat.S_IMODE(path.stat().st_mode)
        assert NON_DEFAULT == Qwen3VLConfig.from_file(path)

    @pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
    def test_new_file_follows_the_umask(self, tmp_path, umask):
        """A new file gets 0o666 less the umask."""
        path = tmp_path / "config.json"
        old = os.umask(umask)
        try:
            Qwen3VLConfig().save_to_file(path)
        finally:
            os.umask(old)
        assert 0o666 & ~umask == stat.S_IMODE(path.stat().st_mode)

    def test_symlink_is_kept_and_target_replaced(self, tmp_path):
        """Saving through a link replaces the target and keeps the link."""
        real = tmp_path / "real"
        real.mkdir()
        target = real / "config.yaml"
        target.write_text("num_hidden_layers: 64\n", encoding="utf-8")
        link = tmp_path / "link.yaml"
        link.symlink_to(target)
        NON_DEFAULT.save_to_file(link)
        assert link.is_symlink()
        assert target == link.readlink()
        assert NON_DEFAULT == Qwen3VLConfig.from_file(target)
        assert ["config.yaml"] == names_in(real)

    def test_replaces_a_longer_file_completely(self, tmp_path):
        """A shorter config replaces a longer file with nothing left over."""
        path = tmp_path / "gpu.json"
        path.write_text("{" + " " * 10_000 + "}", encoding="utf-8")
        GPUConfig().save_to_file(path)
        assert GPUConfig() == GPUConfig.from_file(path)
        assert path.read_text(encoding="utf-8").endswith("}\n")

    def test_short_writes_are_completed(self, tmp_path, monkeypatch):
        """A write that takes only a few bytes at a time still writes all."""
        real_write = os.write

        def trickle(fd, data):
            return real_write(fd, bytes(data[:7]))

        monkeypatch.setattr(formats_module.os, "write", trickle)
        path = tmp_path / "config.toml"
        NON_DEFAULT.save_to_file(path)
        monkeypatch.undo()
        assert NON_DEFAULT == Qwen3VLConfig.from_file(path)

    @pytest.mark.parametrize("failing", ["write", "fsync", "replace"])
    @pytest.mark.parametrize("exists", [True, False], ids=["over", "new"])
    def test_failure_leaves_the_old_file(
        self, tmp_path, monkeypatch, failing, exists
    ):
        """If writing fails, the old file is intact and no temp file is left."""
        path = tmp_path / "config.json"
        old = b'{"num_hidden_layers": 64}\n'
        if exists:
            path.write_bytes(old)

        def fail(*_args, **_kwargs):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(formats_module.os, failing, fail)
        with pytest.raises(OSError) as caught:
            NON_DEFAULT.save_to_file(path)
        monkeypatch.undo()
        assert errno.ENOSPC == caught.value.errno
        assert not isinstance(caught.value, ConfigError)
        if exists:
            assert old == path.read_bytes()
            assert ["config.json"] == names_in(tmp_path)
        else:
            assert [] == names_in(tmp_path)

    def test_interrupt_leaves_no_temp_file(self, tmp_path, monkeypatch):
        """Even a KeyboardInterrupt mid-save removes the temporary file."""
        path = tmp_path / "config.yaml"
        path.write_text("num_threads: 2\n", encoding="utf-8")

        def interrupt(*_args, **_kwargs):
            raise KeyboardInterrupt

        monkeypatch.setattr(formats_module.os, "fsync", interrupt)
        with pytest.raises(KeyboardInterrupt):
            Qwen3VLConfig().save_to_file(path)
        monkeypatch.undo()
        assert ["config.yaml"] == names_in(tmp_path)
        assert "num_threads: 2\n" == path.read_text(encoding="utf-8")

    def test_folder_fsync_refused_is_tolerated(self, tmp_path, monkeypatch):
        """A file system that cannot fsync a folder still saves the file."""
        real_fsync = os.fsync

        def fsync(fd):
            if stat.S_ISDIR(os.fstat(fd).st_mode):
                raise OSError(errno.EINVAL, "Invalid argument")
            real_fsync(fd)

        monkeypatch.setattr(formats_module.os, "fsync", fsync)
        path = tmp_path / "config.toml"
        NON_DEFAULT.save_to_file(path)
        monkeypatch.undo()
        assert NON_DEFAULT == Qwen3VLConfig.from_file(path)

    @pytest.mark.parametrize("name", ["config.ini", "config", "config.yaml~"])
    def test_unknown_suffix_writes_nothing(self, tmp_path, name):
        """An unknown suffix on save is a ConfigError before anything is written."""
        path = tmp_path / name
        with pytest.raises(ConfigError) as caught:
            Qwen3VLConfig().save_to_file(path)
        assert str(path) == only_problem(caught).source
        assert [] == names_in(tmp_path)

    def test_missing_folder_is_an_os_error(self, tmp_path):
        """Saving into a folder that does not exist raises FileNotFoundError."""
        path = tmp_path / "absent" / "config.json"
        with pytest.raises(FileNotFoundError):
            Qwen3VLConfig().save_to_file(path)
        assert [] == names_in(tmp_path)

    def test_write_atomic_writes_utf8(self, tmp_path):
        """`write_atomic` writes the text as UTF-8 and leaves no temp file."""
        path = tmp_path / "note.json"
        write_atomic(path, '{"name": "café"}\n')
        assert '{"name": "café"}\n'.encode() == path.read_bytes()
        assert ["note.json"] == names_in(tmp_path)


SAMPLE = {"a": 1, "b": {"c": [6, 1], "d": "x"}, "e": True, "f": 0.5}


class TestLoadsDumps:
    @pytest.mark.parametrize(
        ("fmt", "expected"),
        [
            (
                "json",
                (
                    "{\n"
                    '  "a": 1,\n'
                    '  "b": {\n'
                    '    "c": [6, 1],\n'
                    '    "d": "x"\n'
                    "  },\n"
                    '  "e": true,\n'
                    '  "f": 0.5\n'
                    "}\n"
                ),
            ),
            ("yaml", "a: 1\nb:\n  c: [6, 1]\n  d: x\ne: true\nf: 0.5\n"),
        ],
    )
    def test_dumps_layout(self, fmt, expected):
        """JSON and YAML are indented, with short lists kept on one line."""
        assert expected == dumps(SAMPLE, fmt)

    @pytest.mark.parametrize(
        "text", ["1e3", "-2.5E-3", ".5", "1.5", "0755", "no", "1:20", "null"]
    )
    def test_yaml_quotes_text_that_reads_as_something_else(self, text):
        """A string that looks like a number or keyword comes back a string."""
        written = dumps({"hardware_target": text}, "yaml")

        assert {"hardware_target": text} == loads(written, "yaml")[0]

    def test_dumps_toml(self):
        """TOML is written with scalars first and sub-tables after them."""
        text = dumps(SAMPLE, "toml")
        assert text.startswith("a = 1\ne = true\nf = 0.5\n\n[b]\n")
        assert SAMPLE == tomllib.loads(text)

    @pytest.mark.parametrize("fmt", FORMATS)
    def test_loads_reads_dumps(self, fmt):
        """What `dumps` writes, `loads` reads back equal, in every format."""
        text = dumps(SAMPLE, fmt)
        assert text.endswith("\n")
        data, _ = loads(text, fmt)
        assert SAMPLE == data

    @pytest.mark.parametrize("fmt", FORMATS)
    def test_dumps_keeps_non_ascii(self, fmt):
        """Non-ASCII text is written as itself, not escaped."""
        text = dumps({"name": "café ü"}, fmt)
        assert "café ü" in text
        assert {"name": "café ü"} == loads(text, fmt)[0]

    def test_json_dumps_empty_mapping(self):
        """An empty mapping is written as ``{}``."""
        assert "{}\n" == dumps({}, "json")
        assert '{\n  "a": {}\n}\n' == dumps({"a": {}}, "json")

    def test_json_dumps_refuses_nan(self):
        """NaN is never written to a JSON file."""
        with pytest.raises(ValueError):
            dumps({"a": float("nan")}, "json")

    def test_yaml_line_map(self):
        """YAML gives the 1-based line of every dotted key."""
        _, lines = loads(dumps(SAMPLE, "yaml"), "yaml")
        assert 1 == lines["a"]
        assert 2 == lines["b"]
        assert 3 == lines["b.c"]
        assert 4 == lines["b.d"]
        assert 5 == lines["e"]
        assert 6 == lines["f"]

    @pytest.mark.parametrize("fmt", ["json", "toml"])
    def test_no_line_map_for_json_and_toml(self, fmt):
        """JSON and TOML parsers give no positions, so the map is empty."""
        assert {} == loads(dumps(SAMPLE, fmt), fmt)[1]

    @pytest.mark.parametrize("fmt", FORMATS)
    def test_loads_error_names_the_source(self, fmt):
        """A parse error carries the given source name."""
        with pytest.raises(ConfigError) as caught:
            loads("{[: = \n", fmt, "inline")
        assert "inline" == only_problem(caught).source

    @pytest.mark.parametrize("fmt", FORMATS)
    def test_loads_refuses_duplicates(self, fmt):
        """Each format refuses a key written twice."""
        text = {
            "json": '{"a": 1, "a": 2}',
            "yaml": "a: 1\na: 2\n",
            "toml": "a = 1\na = 2\n",
        }[fmt]
        with pytest.raises(ConfigError):
            loads(text, fmt)

    @pytest.mark.parametrize("fmt", ["ini", "JSON", ""])
    def test_unknown_format_name(self, fmt):
        """An unknown format name is a programming error, a ValueError."""
        with pytest.raises(ValueError, match="unknown format"):
            loads("{}", fmt)
        with pytest.raises(ValueError, match="unknown format"):
            dumps({}, fmt)


# -- issue 13: bounded work, tags, special files, smaller things ------------


def _fill(head: str, unit: str, tail: str = "") -> str:
    """`head`, `unit` as many times as fit in MAX_FILE_BYTES, then `tail`."""
    return (
        head
        + unit * ((MAX_FILE_BYTES - len(head) - len(tail)) // len(unit))
        + tail
    )


def _lines(make, count: int) -> str:
    """`make(i)` for each i, as many as fit in MAX_FILE_BYTES of text."""
    parts, size = [], 0
    for i in range(count):
        part = make(i)
        size += len(part)
        if size > MAX_FILE_BYTES:
            break
        parts.append(part)
    return "".join(parts)


#: Files just under the size limit that hold millions of keys or items, or
#: many small lists and mappings: each took seconds and hundreds of MiB.
HOSTILE = {
    "yaml-2M-item-list": lambda: _fill("mlp_only_layers:\n", "- 1\n"),
    "yaml-2M-item-flow-list": lambda: _fill(
        "mlp_only_layers: [", "1,", "1]\n"
    ),
    "yaml-many-keys": lambda: _lines(lambda i: f"k{i}: 1\n", 600_000),
    "yaml-many-small-lists": lambda: _fill("a:\n", "- [1]\n"),
    "yaml-many-empty-mappings": lambda: _fill("a: [", "{}, ", "{}]\n"),
    "yaml-refused-subtree": lambda: _fill("a: !!set\n", "  ? k\n"),
    "yaml-deep-subtree": lambda: _fill("a: " + "[" * 40, "1,", "1" + "]" * 40),
    "toml-400k-key-inline-table": lambda: (
        "a = {" + ",".join(f"k{i}=1" for i in range(400_000)) + "}\n"
    ),
    "toml-many-keys": lambda: _lines(lambda i: f"k{i} = 1\n", 600_000),
    "toml-2M-item-array": lambda: _fill("a = [", "1,", "1]\n"),
    "toml-many-small-arrays": lambda: _fill("a = [", "[1],", "[1]]\n"),
    "toml-many-tables": lambda: _lines(lambda i: f"[t{i}]\n", 600_000),
    "toml-array-of-tables": lambda: _fill("", "[[t]]\n"),
    "toml-dotted-keys": lambda: _lines(
        lambda i: f"x{i}" + ".a" * 30 + " = 1\n", 10_000
    ),
    "json-200k-key-object": lambda: (
        "{" + ",".join(f'"k{i}":1' for i in range(200_000)) + "}"
    ),
    "json-2M-item-list": lambda: _fill('{"mlp_only_layers": [', "1,", "1]}"),
    "json-many-empty-lists": lambda: _fill('{"a": [', "[],", "[]]}"),
    "json-many-empty-objects": lambda: _fill('{"a": [', "{},", "{}]}"),
    "json-many-strings": lambda: _fill('{"a": [', '"ab",', '"ab"]}'),
}


def _peak_of(call, *args):
    """Return what `call(*args)` returned or raised, and its tracemalloc peak."""
    tracemalloc.start()
    try:
        try:
            outcome = call(*args)
        except ConfigError as e:
            outcome = e
        return outcome, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.fixture(params=["libyaml", "python"])
def yaml_parser(request, monkeypatch):
    """Read YAML with libyaml's parser, then with PyYAML's pure-Python one."""
    if request.param == "python":
        monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    elif not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML without libyaml")
    return request.param


#: Plain data whose text is full of the punctuation the scans count.
_PUNCTUATED = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.text(",[]{}:=#'\"\\ .x", max_size=6),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.text("ab,[:.", min_size=1, max_size=3), inner, max_size=4
        )
    ),
    max_leaves=40,
)


def _items_and_depth(value: object) -> tuple[int, int]:
    """Count the keys and items in `value`, and its levels, by recursion."""
    if isinstance(value, dict | list):
        inner = [
            _items_and_depth(v)
            for v in (value.values() if isinstance(value, dict) else value)
        ]
        return (
            len(inner) + sum(n for n, _ in inner),
            1 + max((d for _, d in inner), default=0),
        )
    return 0, 0


def _limit_items(monkeypatch, limit: int) -> None:
    """Set MAX_ITEMS to `limit` wherever it is read."""
    for module in (formats_module, limits_module, prescan_module, yaml_module):
        monkeypatch.setattr(module, "MAX_ITEMS", limit)


class TestItemLimit:
    def test_the_limit(self):
        """Far above a config (about 100 settings, lists of up to 1024)."""
        assert 10_000 == MAX_ITEMS

    @pytest.mark.parametrize("name", sorted(HOSTILE))
    def test_hostile_file_is_refused_while_reading(self, tmp_path, name):
        """Millions of items are refused after MAX_ITEMS, in little memory."""
        path = tmp_path / f"hostile.{name.split('-')[0]}"
        path.write_text(HOSTILE[name](), encoding="utf-8")
        assert path.stat().st_size <= MAX_FILE_BYTES

        error, peak = _peak_of(Qwen3VLConfig.from_file, path)

        assert isinstance(error, ConfigError), error
        (problem,) = error.problems
        assert "" == problem.path
        assert str(path) == problem.source
        assert f"more than {MAX_ITEMS} keys and list items" in problem.message
        # A line: the reader stopped where it counted past the limit,
        # before the parser built the document.
        assert problem.line is not None
        # The text itself (4 MiB, read, decoded) is most of it.
        assert peak < 24 * MiB

    @pytest.mark.parametrize("fmt", FORMATS)
    def test_at_the_limit_is_read(self, fmt):
        """MAX_ITEMS keys and items load; one more is refused."""
        data = {"a": [0] * (MAX_ITEMS - 3), "b": {"c": 1}}
        text = dumps(data, fmt)
        assert data == loads(text, fmt)[0]
        data["b"]["d"] = 2
        (problem,) = refusal(loads, dumps(data, fmt), fmt, "f").problems
        assert f"more than {MAX_ITEMS} keys" in problem.message

    def test_yaml_stops_at_the_item_past_the_limit(self, yaml_parser):
        """The YAML reader counts as it reads: the line is the item's."""
        text = "mlp_only_layers:\n" + "- 1\n" * (MAX_ITEMS + 5)
        (problem,) = refusal(loads, text, "yaml", "f").problems
        # The key is item 1, so the item past the limit is list item 10 000.
        assert 1 + MAX_ITEMS == problem.line

    @pytest.mark.parametrize(
        ("fmt", "text"),
        [
            ("json", '{"a": "' + "," * 3 * MAX_ITEMS + '"}'),
            ("json", '{"a": "[{:\\"' + "[:" * MAX_ITEMS + '"}'),
            ("toml", 'a = "' + ",[=" * MAX_ITEMS + '"\n'),
            ("toml", "a = '" + ",[=" * MAX_ITEMS + "'\n"),
            ("toml", 'a = """\n' + ',[="' * MAX_ITEMS + '"""\n'),
            ("toml", "a = '''\n" + ",[=''" * MAX_ITEMS + "'''\n"),
            ("toml", "# " + ",[=." * MAX_ITEMS + "\na = 1\n"),
            (
                "toml",
                "a = ["
                + "1.5, " * (MAX_ITEMS // 2)
                + "]\n"
                + "".join(f"k{i} = 1.5\n" for i in range(MAX_ITEMS // 3)),
            ),
            ("yaml", "a: '" + ",[{:" * MAX_ITEMS + "'\n"),
        ],
    )
    def test_punctuation_in_text_is_not_counted(self, fmt, text):
        """Commas, brackets and colons in strings and comments are no items."""
        assert {"a"} <= set(loads(text, fmt)[0])

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ('a = """' + "x, " * MAX_ITEMS, "Unterminated string"),
            ("a = [1, 2}\nb = [" + "1, " * MAX_ITEMS + "]\n", "Unclosed"),
            ("a = 1 " + "2, " * MAX_ITEMS, "Expected newline"),
            ("a = 1\n@\n" + "b = [" + "1, " * MAX_ITEMS + "]\n", "Invalid"),
        ],
    )
    def test_broken_toml_keeps_its_parse_error(self, text, message):
        """Where the text cannot be TOML the scan stops; tomllib says why."""
        (problem,) = refusal(loads, text, "toml", "f").problems
        assert message in problem.message

    def test_json_keeps_its_depth_error(self, tmp_path):
        """A deep JSON nest is still refused as too deep, with its line."""
        path = tmp_path / "deep.json"
        problem = load_error(path, '{"a": ' * 100_000 + "1" + "}" * 100_000)
        assert f"deeper than {MAX_DEPTH}" in problem.message

    @given(data=_PUNCTUATED)
    def test_counts_agree_with_the_data(self, data):
        """JSON's scan and YAML's reader count exactly what the data holds."""
        count, depth = _items_and_depth(data)
        assume(depth < MAX_DEPTH - 1)
        with pytest.MonkeyPatch.context() as patch:
            for fmt in ("json", "yaml"):
                text = dumps({"d": data}, fmt)
                _limit_items(patch, count + 1)
                assert {"d": data} == loads(text, fmt)[0]
                _limit_items(patch, count)
                error = refusal(loads, text, fmt, "f")
                (problem,) = error.problems
                assert problem.line is not None, fmt

    def test_toml_counts_dotted_keys_by_part(self, monkeypatch):
        """A TOML dotted key may make a table per part: each part counts."""
        _limit_items(monkeypatch, 3)
        assert {"a": {"b": 1}, "c": 2} == loads("a.b = 1\nc = 2\n", "toml")[0]
        # Three keys (a, a.b, a.c), counted as four before parsing.
        text = "a.b = 1\na.c = 2\n"
        (problem,) = refusal(loads, text, "toml", "f").problems
        assert (2, "holds more than 3 keys") == (
            problem.line,
            problem.message[:22],
        )

    def test_shape_check_counts_every_key_and_item(self, monkeypatch):
        """The check of the parsed data is exact, whatever the parser did."""
        _limit_items(monkeypatch, 6)
        _check_shape({"a": [1, 2], "b": {"c": None, "d": []}}, "f")
        with pytest.raises(ConfigError, match="more than 6 keys"):
            _check_shape({"a": [1, 2], "b": {"c": None, "d": [1]}}, "f")


class TestYamlReading:
    @pytest.mark.parametrize(
        ("text", "path", "line", "words"),
        [
            ("!!map whatever text\n", "", 1, "'map' is for a mapping"),
            (
                "num_hidden_layers: 32\nmlp_only_layers: !!seq '1,2,3'\n",
                "mlp_only_layers",
                2,
                "'seq' is for a list, not for the text '1,2,3'",
            ),
            (
                "gpu_config: !!str {a: 1}\n",
                "gpu_config",
                1,
                "not for a mapping",
            ),
            ("a:\n  - !!map [1]\n", "a[0]", 2, "not for a list"),
            ("a: !!seq {b: 1}\n", "a", 1, "'seq' is for a list"),
            ("a: !!int [1]\n", "a", 1, "'int' is for one value"),
            ("a: !!null text\n", "a", 1, "'null' is for null"),
        ],
    )
    def test_tag_on_the_wrong_kind(self, yaml_parser, text, path, line, words):
        """A collection's tag on text, or a value's on a collection, is refused."""
        (problem,) = refusal(loads, text, "yaml", "f.yaml").problems
        assert (path, line, "f.yaml") == (
            problem.path,
            problem.line,
            problem.source,
        )
        assert words in problem.message

    def test_tagged_map_file_is_not_the_defaults(self, tmp_path):
        """A file of only ``!!map text`` was read as the defaults."""
        problem = load_error(tmp_path / "map.yaml", "!!map whatever text\n")
        assert 1 == problem.line

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("!!str 1e3", "1e3"),
            ("!!str 1.5", "1.5"),
            ("!!str 12", "12"),
            ("!!str true", "true"),
            ("!!float 1e3", 1000.0),
            ("1e3", 1000.0),
            ("!!null", None),
            ("!!null ~", None),
            ("!!seq [1]", [1]),
            ("!!map {b: 1}", {"b": 1}),
        ],
    )
    def test_explicit_tags_are_obeyed(self, yaml_parser, text, expected):
        """``!!str 1e3`` is the text '1e3', not the number 1000."""
        assert {"a": expected} == loads(f"a: {text}\n", "yaml")[0]

    def test_str_tag_reaches_validation_as_text(self, tmp_path):
        """The text '1e3' is then validated as any text would be."""
        path = tmp_path / "target.yaml"
        path.write_text("hardware_target: !!str 1e3\n", encoding="utf-8")
        loaded = Qwen3VLConfig.from_file(path)
        assert "1e3" == loaded.hardware_target

    def test_yaml_alias_in_a_list_has_its_line(self, yaml_parser):
        """An alias anywhere is refused where it is written."""
        text = "a: &x 1\nmlp_only_layers:\n  - 1\n  - *x\nb: [*x]\n"
        error = refusal(loads, text, "yaml", "f")
        assert [("b[0]", 5), ("mlp_only_layers[1]", 4)] == [
            (p.path, p.line) for p in error.problems
        ]

    def test_yaml_alias_as_a_key(self, yaml_parser):
        """An alias as a key is refused, not read as the anchored text."""
        (problem,) = refusal(
            loads, "a: &x k\nb:\n  *x : 1\n", "yaml", "f"
        ).problems
        assert ("b", 3) == (problem.path, problem.line)
        assert "alias" in problem.message

    @pytest.mark.parametrize("char", ["\x00", "\x07", "\ufffe"])
    def test_yaml_control_character_has_its_line(
        self, yaml_parser, tmp_path, char
    ):
        """A raw control character in YAML is refused with its line."""
        path = tmp_path / "nul.yaml"
        problem = load_error(path, f"a: 1\nb: 2\nc: x{char}y\n")
        assert 3 == problem.line
        assert f"#x{ord(char):04x}" in problem.message


class TestSavingRefusesSpecialFiles:
    @staticmethod
    def _special(tmp_path, kind):
        path = tmp_path / "target.json"
        if kind == "fifo":
            os.mkfifo(path)
        elif kind == "folder":
            path.mkdir()
        elif kind == "socket":
            server = socket.socket(socket.AF_UNIX)
            server.bind(os.path.relpath(path))  # short: sun_path is small
            server.close()
        elif kind == "/dev/null":
            path.symlink_to("/dev/null")
        elif kind == "link to a fifo":
            os.mkfifo(tmp_path / "fifo")
            path.symlink_to(tmp_path / "fifo")
        return path

    @pytest.mark.parametrize(
        "kind", ["fifo", "folder", "socket", "/dev/null", "link to a fifo"]
    )
    def test_refused_and_left_alone(self, tmp_path, monkeypatch, kind):
        """A FIFO, a folder, a socket or a device is not replaced by a file."""
        monkeypatch.chdir(tmp_path)
        path = self._special(tmp_path, kind)
        before = names_in(tmp_path), path.lstat(), path.stat()
        with pytest.raises(OSError) as caught:
            Qwen3VLConfig().save_to_file(path)
        assert not isinstance(caught.value, ConfigError)
        assert str(path) == caught.value.filename
        if kind == "folder":
            assert isinstance(caught.value, IsADirectoryError)
            assert "folder" in str(caught.value)
        else:
            assert "not a regular file" in str(caught.value)
        assert before == (names_in(tmp_path), path.lstat(), path.stat())

    def test_link_names_what_it_leads_to(self, tmp_path):
        """Through a link, the error names the link and its target."""
        path = self._special(tmp_path, "/dev/null")
        with pytest.raises(OSError) as caught:
            write_atomic(path, "{}\n")
        assert (str(path), "/dev/null") == (
            caught.value.filename,
            caught.value.filename2,
        )

    @pytest.mark.parametrize("name", ["a\x00.json", "\ud800.json"])
    def test_unusable_name_is_a_config_error(
        self, tmp_path, monkeypatch, name
    ):
        """A name no file can have is bad input, as it is for reading."""
        monkeypatch.chdir(tmp_path)
        for call in (Qwen3VLConfig().save_to_file, Qwen3VLConfig.from_file):
            (problem,) = refusal(call, name).problems
            assert "is not a usable file name" == problem.message
            assert repr(name) == problem.source
        assert [] == names_in(tmp_path)


class _BytesPath:
    """An os.PathLike[bytes]."""

    def __init__(self, path: bytes) -> None:
        self.path = path

    def __fspath__(self) -> bytes:
        return self.path


class TestPathsAndMessages:
    @pytest.mark.parametrize(
        "wrap", [bytes, _BytesPath], ids=["bytes", "pathlike"]
    )
    @pytest.mark.parametrize("suffix", [".json", ".yaml", ".toml"])
    def test_bytes_paths_are_file_names(self, tmp_path, wrap, suffix):
        """A bytes path is a file name, decoded as os.fsdecode does."""
        path = wrap(os.fsencode(tmp_path / f"b\xe9{suffix}"))
        assert suffix[1:] == format_of(path)
        NON_DEFAULT.save_to_file(path)
        assert NON_DEFAULT == Qwen3VLConfig.from_file(path)
        assert str(tmp_path / f"b\xe9{suffix}") == read_document(path)[2]

    def test_undecodable_bytes_path(self, tmp_path):
        """Bytes that are not UTF-8 still name the file they name."""
        path = os.fsencode(tmp_path) + b"/\xff.json"
        NON_DEFAULT.save_to_file(path)
        assert NON_DEFAULT == Qwen3VLConfig.from_file(path)

    def test_bytes_path_with_an_unknown_suffix(self, tmp_path):
        """The suffix of a bytes path is shown as text."""
        (problem,) = refusal(format_of, b"config.ini").problems
        assert "suffix '.ini'" in problem.message
        assert "config.ini" == problem.source

    @pytest.mark.parametrize("encoding", ["utf-32", "utf-32-le", "utf-32-be"])
    def test_utf32_is_named(self, tmp_path, encoding):
        """UTF-32 text is refused as UTF-32, not as UTF-16."""
        data = '{"num_hidden_layers": 32}'.encode(encoding)
        if encoding != "utf-32":
            bom = "\ufeff".encode(encoding)
            data = bom + data
        problem = load_error(tmp_path / "config.json", data)
        assert "is UTF-32 text; save it as UTF-8" == problem.message

    @pytest.mark.parametrize(
        ("text", "found"),
        [
            (
                '{"memory_config": {"swap_threshold": NaN}}',
                [("memory_config.swap_threshold", "NaN")],
            ),
            (
                '{"a": [1, -Infinity], "b": {"c": Infinity}}',
                [("a[1]", "-Infinity"), ("b.c", "Infinity")],
            ),
            ("NaN", [("", "NaN")]),
        ],
    )
    def test_json_nan_names_where_it_is(self, tmp_path, text, found):
        """JSON's NaN and infinities are refused at the dotted path where they sit."""
        path = tmp_path / "nan.json"
        path.write_text(text, encoding="utf-8")
        error = refusal(read_document, path)
        assert sorted(
            (where, f"{name} is not a number a config may hold")
            for where, name in found
        ) == sorted((p.path, p.message) for p in error.problems)
        assert {str(path)} == {p.source for p in error.problems}
