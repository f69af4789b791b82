"""Tests for the qwen3vl command, in-process and as a real process."""

from __future__ import annotations

import io
import json
import os
import pathlib
import re
import subprocess
import sys

import attrs
import pytest
import qwen3vl.hardware

from qwen3vl import GiB, Qwen3VLConfig, apply_updates
from qwen3vl._cli import main
from qwen3vl._cli._machine import ranges as _ranges
from qwen3vl._cli._output import Out as _Out
from qwen3vl._cli._output import paint as _paint
from qwen3vl._converters import structure
from qwen3vl._formats import loads
from qwen3vl._switches import without_counterpart
from qwen3vl._units import human_size
from qwen3vl.hardware import (
    DiskInfo,
    GPUInfo,
    HardwareProfile,
    estimate_memory,
)

from helpers import CPU_ONLY, DATA, ROOT


TARGET = "intel_i5_10210u_nvidia_sm61_nvme"


@pytest.fixture(autouse=True)
def _quiet_machine(monkeypatch):
    """Detection returns a fixed, roomy machine, so outputs are stable."""
    roomy = HardwareProfile(
        cpu_model="test CPU",
        physical_cores=8,
        logical_cpus=16,
        simd="avx2",
        memory_total_bytes=256 * GiB,
        memory_available_bytes=200 * GiB,
        gpus=(
            GPUInfo(
                name="H100 SXM",
                compute_capability=(9, 0),
                memory_bytes=80 * GiB,
                memory_bandwidth_gbps=3352.0,
            ),
        ),
        disk=DiskInfo(path="/", kind="nvme", free_bytes=2048 * GiB),
    )
    monkeypatch.setattr(qwen3vl.hardware, "detect_hardware", lambda: roomy)
    monkeypatch.delenv("NO_COLOR", raising=False)
    for name in [n for n in os.environ if n.startswith("QWEN3VL_")]:
        monkeypatch.delenv(name)


def run(capsys, *argv):
    """Run the command in-process; return (exit code, stdout, stderr)."""
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


class TestShow:
    @pytest.mark.parametrize("fmt", ["toml", "yaml", "json"])
    def test_prints_the_default_config(self, capsys, fmt):
        """show prints the effective config, which parses back to the defaults."""
        code, out, _ = run(capsys, "show", "--format", fmt)

        data, _ = loads(out, fmt)
        assert 0 == code
        assert Qwen3VLConfig() == structure(data, Qwen3VLConfig)

    def test_layers_files_presets_and_overrides(self, capsys, tmp_path):
        """show takes files, a preset, a target and --set overrides."""
        path = tmp_path / "site.toml"
        path.write_text("config_version = 1\n[cpu_config]\nnum_threads = 6\n")

        _, out, _ = run(
            capsys,
            "show",
            str(path),
            "--preset",
            "minimal",
            "--hardware-target",
            "cpu_only",
            "--set",
            "vocab_size=1000",
            "--json",
        )

        data = json.loads(out)
        assert 6 == data["cpu_config"]["num_threads"]
        assert "minimal" == data["optimization_level"]
        assert "0" == str(data["memory_config"]["gpu_memory_size"])
        assert 1000 == data["vocab_size"]

    def test_environment_is_read_unless_told_not_to(self, capsys, monkeypatch):
        """QWEN3VL_* variables count; --no-env ignores them."""
        monkeypatch.setenv("QWEN3VL_VOCAB_SIZE", "1234")

        _, with_env, _ = run(capsys, "show", "--json")
        _, without, _ = run(capsys, "show", "--json", "--no-env")

        assert 1234 == json.loads(with_env)["vocab_size"]
        assert 152064 == json.loads(without)["vocab_size"]


class TestErrors:
    def test_bad_input_is_one_line_per_problem_and_exit_2(self, capsys):
        """Invalid input prints each problem on its own line, no traceback."""
        code, out, err = run(
            capsys,
            "show",
            "--set",
            "gpu_config.use_tensor_core=1",
            "--set",
            "vocab_size=x",
        )

        lines = err.splitlines()
        assert 2 == code
        assert "" == out
        assert 2 == len(lines)
        assert all(line.startswith("error: ") for line in lines)
        assert "did you mean 'use_tensor_cores'" in err
        assert "Traceback" not in err

    def test_missing_file(self, capsys, tmp_path):
        """A missing file is a usage error naming it."""
        code, _, err = run(capsys, "show", str(tmp_path / "nope.yaml"))

        assert 2 == code
        assert "no such file" in err

    def test_unknown_command_exits_2(self, capsys):
        """argparse's usage errors exit 2."""
        with pytest.raises(SystemExit) as info:
            main(["frobnicate"])

        assert 2 == info.value.code
        assert "invalid choice" in capsys.readouterr().err

    @pytest.mark.parametrize(
        "context",
        ["0", "-5", str(10**30), "67108865", "1e3", "x", "9" * 5000],
        ids=["0", "-5", "10**30", "2**26+1", "1e3", "x", "5000 digits"],
    )
    def test_context_out_of_range_is_a_usage_error(self, capsys, context):
        """--context takes 1 to 2**26 tokens, as max_position_embeddings."""
        with pytest.raises(SystemExit) as info:
            main(["estimate", "--no-env", f"--context={context}"])

        err = capsys.readouterr().err
        assert 2 == info.value.code
        assert "--context: expected an integer >= 1 and <= 67108864" in err
        assert "Traceback" not in err
        assert len(err) < 1000

    @pytest.mark.parametrize("context", ["1", "67108864"])
    def test_context_at_the_bounds(self, capsys, context):
        """Both ends of the range are taken."""
        code, out, _ = run(
            capsys, "estimate", "--no-env", "--context", context, "--json"
        )

        assert 0 == code
        assert int(context) == json.loads(out)["context_tokens"]

    def test_no_command_prints_help(self, capsys):
        """Without a command the help goes to stderr with exit 2."""
        code, _, err = run(capsys)

        assert 2 == code
        assert "COMMAND" in err


#: An error the i5 target's preset does not have, for check to find.
TENSOR_CORES = "gpu_config.use_tensor_cores=true"


class TestCheck:
    def test_findings_and_plan_against_a_target(self, capsys):
        """check lists findings and the memory plan, and exits 1 on errors."""
        code, out, _ = run(
            capsys, "check", "--hardware-target", TARGET, "--set", TENSOR_CORES
        )

        assert 1 == code
        assert f"Checked against target:{TARGET}." in out
        assert "error: gpu_config.use_tensor_cores" in out
        assert "Memory plan at fp32:" in out
        assert max(len(line) for line in out.splitlines()) <= 80

    def test_clean_config_exits_0(self, capsys):
        """A config that suits the machine exits 0."""
        code, out, _ = run(
            capsys,
            "check",
            "--set",
            "optimization_config.use_moe=false",
            "--set",
            "gpu_config.gpu_compute_capability=9.0",
            "--set",
            "gpu_config.memory_bandwidth_gbps=3352",
            "--set",
            "memory_config.gpu_memory_size=80GiB",
            "--set",
            "max_position_embeddings=4096",
        )

        assert 0 == code, out
        assert "0 error(s)" in out

    def test_json(self, capsys):
        """check --json gives findings and the plan as data."""
        code, out, _ = run(
            capsys,
            "check",
            "--json",
            "--hardware-target",
            TARGET,
            "--set",
            TENSOR_CORES,
        )

        data = json.loads(out)
        assert 1 == code
        assert f"target:{TARGET}" == data["machine"]
        assert "gpu_config.use_tensor_cores" in {
            f["path"] for f in data["findings"]
        }
        assert "fp32" == data["plan"]["dtype"]


class TestExplain:
    def test_settings_with_value_origin_and_description(self, capsys):
        """explain shows each named setting's value, origin and description."""
        code, out, _ = run(
            capsys,
            "explain",
            "gpu_config.use_tensor_cores",
            "--set",
            "gpu_config.use_tensor_cores=false",
        )

        assert 0 == code
        assert out.startswith(
            "gpu_config.use_tensor_cores = false  [override]\n"
        )
        assert "Use tensor cores" in out

    def test_sections_and_json(self, capsys):
        """A section name shows all of its settings; --json gives rows."""
        _, out, _ = run(capsys, "explain", "power_management_config", "--json")

        rows = json.loads(out)
        assert 5 == len(rows)
        assert {"path", "value", "origin", "description"} == set(rows[0])
        assert all(r["origin"] == "default" for r in rows)

    def test_serving_section_from_its_environment_variables(
        self, capsys, monkeypatch
    ):
        """serving_config's settings come from QWEN3VL_SERVING_CONFIG__..., as each section's do."""
        name = "QWEN3VL_SERVING_CONFIG__MAX_CONTEXT_TOKENS"
        monkeypatch.setenv(name, "8192")

        _, out, _ = run(capsys, "explain", "serving_config", "--json")

        rows = {r["path"]: r for r in json.loads(out)}
        assert [
            "serving_config.max_context_tokens",
            "serving_config.max_concurrent_sequences",
            "serving_config.kv_cache_dtype",
            "serving_config.online_quantization",
            "serving_config.max_images_per_prompt",
            "serving_config.max_videos_per_prompt",
            "serving_config.min_image_pixels",
            "serving_config.max_image_pixels",
        ] == list(rows)
        context = rows["serving_config.max_context_tokens"]
        assert (8192, f"env:{name}") == (context["value"], context["origin"])
        assert "0 means max_position_embeddings" in context["description"]

    def test_serving_rule_names_the_variable(self, capsys, monkeypatch):
        """An image bound below one vision token is refused where it was set."""
        name = "QWEN3VL_SERVING_CONFIG__MAX_IMAGE_PIXELS"
        monkeypatch.setenv(name, "100")

        code, _, err = run(capsys, "explain", "serving_config")

        assert 2 == code
        assert (
            "error: serving_config.max_image_pixels: must be 0 or at least"
            " 784, one vision token (vision_patch_size x"
            f" vision_spatial_merge_size, squared) (got 100) [{name}]\n"
        ) == err

    def test_parallel_section_from_its_environment_variables(
        self, capsys, monkeypatch
    ):
        """parallel_config's settings come from QWEN3VL_PARALLEL_CONFIG__..., as each section's do."""
        name = "QWEN3VL_PARALLEL_CONFIG__TENSOR_PARALLEL_SIZE"
        monkeypatch.setenv(name, "8")

        _, out, _ = run(capsys, "explain", "parallel_config", "--json")

        rows = {r["path"]: r for r in json.loads(out)}
        assert [
            "parallel_config.tensor_parallel_size",
            "parallel_config.pipeline_parallel_size",
            "parallel_config.data_parallel_size",
            "parallel_config.expert_parallel",
        ] == list(rows)
        tp = rows["parallel_config.tensor_parallel_size"]
        assert (8, f"env:{name}") == (tp["value"], tp["origin"])
        assert "GPUs that split every layer" in tp["description"]

    def test_parallel_rule_names_the_variable(self, capsys, monkeypatch):
        """A tensor-parallel size the model does not split into is refused where it was set."""
        name = "QWEN3VL_PARALLEL_CONFIG__TENSOR_PARALLEL_SIZE"
        monkeypatch.setenv(name, "64")

        code, _, err = run(capsys, "explain", "parallel_config")

        assert 2 == code
        assert (
            "error: parallel_config.tensor_parallel_size: vLLM cannot split"
            " the model over 64 GPUs: the attention heads (32) do not split"
            " into 64 equal parts; the vision heads (16) do not split into 64"
            " equal parts; the vision MLP's intermediate sizes (4304) do not"
            f" split into 64 equal parts (got 64) [{name}]\n"
        ) == err

    def test_unknown_setting(self, capsys):
        """A name that matches no setting is an error."""
        code, _, err = run(capsys, "explain", "gpu_config.nope")

        assert 2 == code
        assert "no setting matches" in err


class TestFiles:
    def test_diff(self, capsys, tmp_path):
        """diff lists the leaves that differ between two files."""
        a, b = tmp_path / "a.yaml", tmp_path / "b.toml"
        Qwen3VLConfig().save_to_file(a)
        Qwen3VLConfig(vocab_size=1000).save_to_file(b)

        _, out, _ = run(capsys, "diff", str(a), str(b))
        _, data, _ = run(capsys, "diff", str(a), str(b), "--json")

        assert "vocab_size: 152064 -> 1000\n" == out
        assert [
            {"path": "vocab_size", "old": 152064, "new": 1000}
        ] == json.loads(data)

    def test_diff_of_equal_files(self, capsys, tmp_path):
        """Equal files have no differences."""
        a = tmp_path / "a.json"
        Qwen3VLConfig().save_to_file(a)

        assert (0, "No differences.\n", "") == run(
            capsys, "diff", str(a), str(a)
        )

    def test_convert(self, capsys, tmp_path):
        """convert rewrites a file in the target's format."""
        source, target = tmp_path / "a.yaml", tmp_path / "b.toml"
        Qwen3VLConfig(vocab_size=1000).save_to_file(source)

        code, out, _ = run(capsys, "convert", str(source), str(target))

        assert 0 == code
        assert f"Wrote {target}\n" == out
        assert 1000 == Qwen3VLConfig.from_file(target).vocab_size


class TestInformation:
    def test_presets(self, capsys):
        """presets lists the levels and the targets."""
        _, out, _ = run(capsys, "presets")
        _, data, _ = run(capsys, "presets", "--json")

        assert "  minimal\n" in out
        assert "cpu_only" in json.loads(data)["hardware_targets"]

    def test_detect(self, capsys):
        """detect prints the machine, as text and as JSON."""
        _, out, _ = run(capsys, "detect")
        _, data, _ = run(capsys, "detect", "--json")

        assert "cpu_model: test CPU\n" in out
        assert [9, 0] == json.loads(data)["gpus"][0]["compute_capability"]

    def test_estimate(self, capsys):
        """estimate prints parameter counts and sizes per dtype."""
        _, out, _ = run(capsys, "estimate", "--context", "4096")
        _, data, _ = run(capsys, "estimate", "--json")

        assert out.startswith("Parameters: 8,252,243,200")
        assert "Stored weights (bfloat16): 15.4 GiB\n" in out
        assert 8_252_243_200 == json.loads(data)["total_params"]
        assert 2 * 8_252_243_200 == json.loads(data)["stored_weight_bytes"]
        assert 32768 == json.loads(data)["context_tokens"]

    def test_estimate_follows_serving_config(self, capsys):
        """The context, the sequences and quantizing on load come from serving_config."""
        serving = [
            "--set",
            "serving_config.max_context_tokens=2048",
            "--set",
            "serving_config.max_concurrent_sequences=3",
            "--set",
            "serving_config.online_quantization=nf4",
        ]
        _, out, _ = run(capsys, "estimate", *serving)
        _, data, _ = run(capsys, "estimate", *serving, "--json")

        config = apply_updates(
            Qwen3VLConfig(),
            {
                "serving_config": {
                    "max_context_tokens": 2048,
                    "max_concurrent_sequences": 3,
                    "online_quantization": "nf4",
                }
            },
        )
        e = estimate_memory(config)
        result = json.loads(data)
        assert "Loaded weights (bfloat16, nf4 on load): " in out
        assert "For 2,048 tokens x 3 sequence(s):" in out
        assert (2048, 3) == (result["context_tokens"], result["batch_size"])
        assert e.weight_bytes() == result["stored_weight_bytes"]
        assert e.activation_bytes("bf16") == result["activation_bytes"]["bf16"]
        assert "int8" not in result["activation_bytes"]

    def test_estimate_of_a_quantized_checkpoint(self, capsys, tmp_path):
        """estimate gives a quantized checkpoint's stored size, by its method."""
        path = tmp_path / "fp8.toml"
        config = Qwen3VLConfig.from_dict(
            {
                "quantization_config": {
                    "method": "fp8",
                    "bits": 8,
                    "weight_block_size": [128, 128],
                }
            }
        )
        config.save_to_file(path)
        _, out, _ = run(capsys, "estimate", str(path))
        _, data, _ = run(capsys, "estimate", str(path), "--json")

        stored = estimate_memory(config).weight_bytes()
        assert f"Stored weights (fp8, 8-bit): {human_size(stored)}\n" in out
        assert stored == json.loads(data)["stored_weight_bytes"]
        assert stored < json.loads(data)["weight_bytes"]["bf16"]

    def test_schema(self, capsys):
        """schema prints a JSON Schema document."""
        _, out, _ = run(capsys, "schema")

        assert (
            "https://json-schema.org/draft/2020-12/schema"
            == json.loads(out)["$schema"]
        )


class TestColour:
    class _Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    def test_colour_only_on_a_terminal(self):
        """Text is painted for a terminal and left plain otherwise."""
        assert "\033[31merror\033[0m" == _paint(
            "error", "error", self._Terminal()
        )
        assert "error" == _paint("error", "error", io.StringIO())

    def test_no_color_is_honoured(self, monkeypatch):
        """NO_COLOR turns colour off even on a terminal."""
        monkeypatch.setenv("NO_COLOR", "1")

        assert "error" == _paint("error", "error", self._Terminal())

    def test_layer_ranges(self):
        """Runs of layers print as one range."""
        assert "kv_cache, layers.0-2, layers.5, lm_head" == _ranges(
            [
                "kv_cache",
                "layers.0",
                "layers.1",
                "layers.2",
                "layers.5",
                "lm_head",
            ]
        )


# Every command, with and without --json; {a} {b} are config files, {c} a
# file to write.
EVERY_COMMAND = [
    ["show", "--no-env"],
    ["show", "--no-env", "--format", "json"],
    ["show", "--no-env", "--changes-only", "--set", "vocab_size=7"],
    ["check", "--no-env", "--hardware-target", TARGET],
    ["check", "--no-env", "--json"],
    ["fit", "--no-env", "--hardware-target", TARGET],
    ["fit", "--no-env", "--json"],
    ["explain", "--no-env"],
    ["explain", "--no-env", "--json"],
    ["diff", "{a}", "{b}"],
    ["diff", "{a}", "{b}", "--json"],
    ["convert", "{a}", "{c}"],
    ["convert", "{a}", "{c}", "--json"],
    ["convert", "{b}", "{c}", "--changes-only"],
    ["schema"],
    ["detect"],
    ["detect", "--json"],
    ["presets"],
    ["presets", "--json"],
    ["estimate", "--no-env", "--context", "1024"],
    ["estimate", "--no-env", "--json"],
]


@pytest.fixture
def every_command(request, tmp_path):
    """One of EVERY_COMMAND with its files laid out, as argv."""
    a, b = tmp_path / "a.yaml", tmp_path / "b.json"
    Qwen3VLConfig().save_to_file(a)
    Qwen3VLConfig(vocab_size=1000).save_to_file(b)
    c = tmp_path / "caf\u00e9.toml"  # a name beyond ASCII
    return [x.format(a=a, b=b, c=c) for x in request.param]


def _ids(argv):
    return " ".join(a for a in argv if "{" not in a)


@pytest.fixture
def exotic_machine(monkeypatch):
    """A machine whose CPU name is beyond ASCII."""
    machine = attrs.evolve(
        qwen3vl.hardware.detect_hardware(), cpu_model="Ryzen\u2122 9 \u00e9"
    )
    monkeypatch.setattr(qwen3vl.hardware, "detect_hardware", lambda: machine)


class TestStandardOutput:
    """ASCII-only, closed, a reader gone, full: never a traceback."""

    @pytest.mark.usefixtures("exotic_machine")
    @pytest.mark.parametrize(
        "every_command", EVERY_COMMAND, ids=_ids, indirect=True
    )
    def test_an_ascii_stdout(self, capsys, monkeypatch, every_command):
        """Each command writes ASCII: JSON escaped as JSON, text as \\u."""
        code, utf8, _ = run(capsys, *every_command)
        stream = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
        monkeypatch.setattr(sys, "stdout", stream)

        ascii_code = main(every_command)

        stream.flush()
        out = stream.buffer.getvalue().decode("ascii")  # type: ignore[attr-defined]
        assert (code, "") == (ascii_code, capsys.readouterr().err)
        if "--json" in every_command or every_command[0] == "schema":
            assert json.loads(utf8) == json.loads(out)
        else:
            expected = utf8.encode("ascii", "backslashreplace").decode()
            assert expected == out

    @pytest.mark.usefixtures("exotic_machine")
    def test_what_escapes_look_like(self, capsys, monkeypatch):
        """Text gets Python's escapes; JSON keeps its own, and stays JSON."""
        stream = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
        monkeypatch.setattr(sys, "stdout", stream)

        main(["detect"])
        main(["detect", "--json"])

        stream.flush()
        out = stream.buffer.getvalue().decode("ascii")  # type: ignore[attr-defined]
        assert "cpu_model: Ryzen\\u2122 9 \\xe9\n" in out
        assert '"cpu_model": "Ryzen\\u2122 9 \\u00e9",' in out

    @pytest.mark.parametrize(
        "every_command", EVERY_COMMAND, ids=_ids, indirect=True
    )
    def test_a_closed_stdout(self, capsys, monkeypatch, every_command):
        """Closed at start (sys.stdout is None): one error line, exit 1."""
        monkeypatch.setattr(sys, "stdout", None)

        code = main(every_command)

        err = capsys.readouterr().err
        assert 1 == code
        assert "error: cannot write to standard output: it is closed\n" == err
        if every_command[0] == "convert":  # nothing done: nobody would know
            assert not pathlib.Path(every_command[2]).exists()

    @pytest.mark.parametrize(
        "every_command", EVERY_COMMAND, ids=_ids, indirect=True
    )
    def test_a_reader_that_has_gone(self, capsys, monkeypatch, every_command):
        """A broken pipe: exit 1, quietly."""
        read, write = os.pipe()
        os.close(read)
        with os.fdopen(write, "w", encoding="utf-8") as stream:
            monkeypatch.setattr(sys, "stdout", stream)

            code = main(every_command)

            assert (1, "") == (code, capsys.readouterr().err)
            stream.write("what Python flushes at exit goes nowhere\n")

    def test_a_full_disk(self, capsys, monkeypatch):
        """A write that fails otherwise: one error line naming it, exit 1."""
        full = pathlib.Path("/dev/full")
        if not full.exists():  # pragma: no cover - not Linux
            pytest.skip("needs /dev/full")
        with full.open("w", encoding="utf-8") as stream:
            monkeypatch.setattr(sys, "stdout", stream)

            code = main(["schema"])

            assert 1 == code
            assert capsys.readouterr().err.startswith(
                "error: cannot write to standard output: [Errno 28]"
            )

    def test_out_escapes_what_the_encoding_lacks(self):
        """_Out writes a backslash escape where a character cannot go."""
        stream = io.TextIOWrapper(io.BytesIO(), encoding="latin-1")
        out = _Out(stream)

        out.write("caf\u00e9 \u2265 \U0001f600\n")

        stream.flush()
        got = stream.buffer.getvalue()  # type: ignore[attr-defined]
        assert b"caf\xe9 \\u2265 \\U0001f600\n" == got
        assert out.can_encode("caf\u00e9")
        assert not out.can_encode("\u2265")


class TestProcess:
    def test_console_script_and_python_dash_m(self):
        """The installed command and `python -m qwen3vl` run as real processes."""
        env = {"PATH": os.environ["PATH"], "NO_COLOR": "1"}
        for argv in (
            [sys.executable, "-m", "qwen3vl", "presets"],
            ["qwen3vl", "presets"],
        ):
            result = subprocess.run(
                argv, capture_output=True, text=True, check=False, env=env
            )

            assert 0 == result.returncode, result.stderr
            assert "Hardware targets:" in result.stdout

    @pytest.mark.parametrize(
        ("argv", "code", "needle"),
        [
            (["show", "--format", "yaml"], 0, "memory_config:\n"),
            (
                ["check", "--hardware-target", TARGET, "--set", TENSOR_CORES],
                1,
                "Memory plan at fp32:",
            ),
            (
                ["fit", "--hardware-target", TARGET],
                0,
                "Fitting changed nothing.",
            ),
            (["explain", "vocab_size"], 0, "vocab_size = 152064  [default]"),
            (["diff", "{a}", "{b}"], 0, "vocab_size: 152064 -> 1000"),
            (["convert", "{a}", "{c}"], 0, "Wrote "),
            (["schema"], 0, '"$schema"'),
            (["detect", "--json"], 0, '"logical_cpus"'),
            (["presets", "--json"], 0, '"levels"'),
            (
                ["estimate", "--context", "1024"],
                0,
                "Parameters: 8,252,243,200",
            ),
        ],
        ids=lambda v: v[0] if isinstance(v, list) else None,
    )
    def test_every_command_in_a_real_process(
        self, tmp_path, argv, code, needle
    ):
        """Each command runs as `python -m qwen3vl` with its exit code."""
        a, b, c = tmp_path / "a.yaml", tmp_path / "b.json", tmp_path / "c.toml"
        Qwen3VLConfig().save_to_file(a)
        Qwen3VLConfig(vocab_size=1000).save_to_file(b)
        args = [x.format(a=a, b=b, c=c) for x in argv]
        if args[0] not in ("diff", "convert", "schema", "detect", "presets"):
            args.append("--no-env")

        result = subprocess.run(
            [sys.executable, "-m", "qwen3vl", *args],
            capture_output=True,
            text=True,
            check=False,
            env={"PATH": os.environ["PATH"], "NO_COLOR": "1"},
        )

        assert code == result.returncode, result.stderr
        assert needle in result.stdout
        assert "Traceback" not in result.stderr

    def test_version_in_a_real_process(self):
        """qwen3vl --version runs as a real process."""
        result = subprocess.run(
            [sys.executable, "-m", "qwen3vl", "--version"],
            capture_output=True,
            text=True,
            check=False,
            env={"PATH": os.environ["PATH"]},
        )

        assert (0, f"qwen3vl {qwen3vl.__version__}\n", "") == (
            result.returncode,
            result.stdout,
            result.stderr,
        )

    def test_ascii_closed_and_broken_stdout_in_a_real_process(self):
        """PYTHONIOENCODING=ascii, >&- and a gone reader: no traceback."""
        env = {"PATH": os.environ["PATH"], "NO_COLOR": "1"}
        command = [sys.executable, "-m", "qwen3vl"]

        schema = subprocess.run(
            [*command, "schema"],
            capture_output=True,
            check=False,
            env={**env, "PYTHONIOENCODING": "ascii"},
        )
        closed = subprocess.run(
            ["/bin/sh", "-c", 'exec "$@" >&-', "sh", *command, "show"],
            capture_output=True,
            text=True,
            check=False,
            env=env,
        )
        read, write = os.pipe()
        os.close(read)
        try:
            broken = subprocess.run(
                [*command, "show", "--no-env"],
                stdout=write,
                stderr=subprocess.PIPE,
                text=True,
                check=False,
                env=env,
            )
        finally:
            os.close(write)

        assert (0, b"") == (schema.returncode, schema.stderr)
        assert "$schema" in json.loads(schema.stdout.decode("ascii"))
        assert (
            1,
            "error: cannot write to standard output: it is closed\n",
        ) == (
            closed.returncode,
            closed.stderr,
        )
        assert (1, "") == (broken.returncode, broken.stderr)

    def test_errors_in_a_real_process(self, tmp_path):
        """A bad file gives error lines and exit 2, with no traceback."""
        bad = tmp_path / "bad.yaml"
        bad.write_text(
            "config_version: 1\ngpu_config:\n  use_tensor_cores: 3\n"
        )

        result = subprocess.run(
            [sys.executable, "-m", "qwen3vl", "show", str(bad), "--no-env"],
            capture_output=True,
            text=True,
            check=False,
        )

        assert 2 == result.returncode
        assert (
            f"error: gpu_config.use_tensor_cores: expected true or false"
            f" (got 3, an integer) [{bad}:3]\n"
        ) == result.stderr


# -- issue 15: a model on the command line, and the rough edges ------------

MODEL = "Qwen3-VL-8B-Instruct"


@pytest.fixture
def model_folder(tmp_path, monkeypatch):
    """A model folder holding the real Qwen3-VL-8B config.json; cwd beside it."""
    folder = tmp_path / MODEL
    folder.mkdir()
    (folder / "config.json").write_bytes(
        (DATA / f"{MODEL}.config.json").read_bytes()
    )
    monkeypatch.chdir(tmp_path)
    return folder


class TestModel:
    def test_show_takes_a_model_folder(self, capsys, model_folder):
        """--model puts the checkpoint's architecture under everything else."""
        code, out, _ = run(
            capsys,
            "show",
            "--no-env",
            "--json",
            "--model",
            MODEL,
            "--set",
            "vocab_size=1000",
        )

        data = json.loads(out)
        expected = Qwen3VLConfig.from_pretrained(model_folder)
        assert 0 == code
        assert expected.hidden_size == data["hidden_size"]
        assert expected.num_hidden_layers == data["num_hidden_layers"]
        assert 1000 == data["vocab_size"]

    def test_a_config_json_path_and_its_origin(self, capsys, model_folder):
        """--model takes the config.json too; explain names the model."""
        path = str(model_folder / "config.json")

        code, out, _ = run(
            capsys, "explain", "--no-env", "--model", path, "hidden_size"
        )

        assert 0 == code
        assert out.startswith(f"hidden_size = 4096  [model:{path}]\n")

    def test_a_model_id_in_the_cache(self, capsys, tmp_path, monkeypatch):
        """--model finds a model id in the local Hugging Face cache."""
        commit = "0" * 40
        repo = tmp_path / "hub" / f"models--Qwen--{MODEL}"
        snapshot = repo / "snapshots" / commit
        snapshot.mkdir(parents=True)
        (snapshot / "config.json").write_bytes(
            (DATA / f"{MODEL}.config.json").read_bytes()
        )
        (repo / "refs").mkdir()
        (repo / "refs" / "main").write_text(commit, encoding="ascii")
        monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))

        code, out, _ = run(
            capsys, "explain", "--no-env", "--model", f"Qwen/{MODEL}", "--json"
        )

        rows = {r["path"]: r for r in json.loads(out)}
        assert 0 == code
        assert f"model:Qwen/{MODEL}" == rows["hidden_size"]["origin"]

    def test_estimate_counts_the_model(self, capsys, model_folder):
        """estimate --model counts the checkpoint, as estimate_memory does."""
        code, out, _ = run(
            capsys, "estimate", "--no-env", "--model", MODEL, "--json"
        )

        expected = estimate_memory(Qwen3VLConfig.from_pretrained(model_folder))
        assert 0 == code
        assert expected.total_params == json.loads(out)["total_params"]

    @pytest.mark.parametrize("command", ["check", "fit"])
    def test_check_and_fit_take_a_model(self, capsys, model_folder, command):
        """check and fit plan the model's memory on the machine."""
        code, out, _ = run(
            capsys,
            command,
            "--no-env",
            "--model",
            MODEL,
            "--hardware-target",
            TARGET,
            "--json",
        )

        data = json.loads(out)
        assert code in (0, 1)
        assert f"target:{TARGET}" == data["machine"]
        assert "layers.35" in {p["part"] for p in data["plan"]["placements"]}

    def test_convert_reads_a_file_on_top_of_the_model(
        self, capsys, model_folder, tmp_path
    ):
        """convert --model: the file's settings over the model's architecture."""
        source, target = tmp_path / "tweaks.toml", tmp_path / "full.yaml"
        source.write_text("config_version = 1\nvocab_size = 1000\n")

        code, _, _ = run(
            capsys, "convert", "--model", MODEL, str(source), str(target)
        )

        written = Qwen3VLConfig.from_file(target)
        assert 0 == code
        assert 4096 == written.hidden_size
        assert 1000 == written.vocab_size

    def test_changes_only_of_a_model_with_presets(self, capsys, model_folder):
        """show --changes-only prints what the files and --set change, no more."""
        code, out, _ = run(
            capsys,
            "show",
            "--no-env",
            "--model",
            MODEL,
            "--preset",
            "aggressive",
            "--hardware-target",
            TARGET,
            "--set",
            "cpu_config.num_threads=3",
            "--changes-only",
        )

        assert 0 == code
        assert "config_version = 1\n\n[cpu_config]\nnum_threads = 3\n" == out

    def test_convert_changes_only_against_the_model(
        self, capsys, model_folder, tmp_path
    ):
        """convert --changes-only writes what differs from the model's config."""
        full, target = tmp_path / "full.toml", tmp_path / "tweaks.json"
        config = Qwen3VLConfig.from_pretrained(model_folder)
        attrs.evolve(config, vocab_size=1000).save_to_file(full)

        code, _, _ = run(
            capsys,
            "convert",
            "--model",
            MODEL,
            "--changes-only",
            str(full),
            str(target),
        )

        assert 0 == code
        assert {"config_version": 1, "vocab_size": 1000} == json.loads(
            target.read_text()
        )


class TestModelWhereAFileGoes:
    @pytest.mark.parametrize(
        "argv",
        [
            ["show", "{x}"],
            ["check", "{x}"],
            ["fit", "{x}"],
            ["estimate", "{x}"],
            ["explain", "{x}"],
            ["convert", "{x}", "out.toml"],
            ["diff", "{x}", "{a}"],
            ["diff", "{a}", "{x}"],
        ],
        ids=" ".join,
    )
    @pytest.mark.parametrize("kind", ["config.json", "folder"])
    def test_names_model(self, capsys, model_folder, tmp_path, argv, kind):
        """A Hugging Face config.json or a folder gets one line naming --model."""
        x = model_folder / "config.json" if kind == "config.json" else MODEL
        a = tmp_path / "a.toml"
        Qwen3VLConfig().save_to_file(a)

        args = [s.format(x=x, a=a) for s in argv]
        if args[0] not in ("diff", "convert"):
            args.append("--no-env")

        code, out, err = run(capsys, *args)

        what = (
            "a Hugging Face config.json"
            if kind == "config.json"
            else "a folder"
        )
        assert (2, "") == (code, out)
        assert [f"error: {what}"] == [
            line[: len(what) + 7] for line in err.splitlines()
        ]
        assert "--model" in err
        assert f"[{x}]" in err
        assert not (tmp_path / "out.toml").exists()

    def test_other_problems_stay(self, capsys, model_folder):
        """Problems of the other sources are reported beside it."""
        code, _, err = run(
            capsys,
            "show",
            "--no-env",
            str(model_folder / "config.json"),
            "--set",
            "vocab_size=x",
        )

        assert 2 == code
        assert 2 == len(err.splitlines())
        assert "vocab_size: expected an integer" in err

    def test_a_config_of_ours_named_config_json_is_read(
        self, capsys, tmp_path
    ):
        """A file of ours called config.json is a config file, as ever."""
        path = tmp_path / "config.json"
        Qwen3VLConfig(vocab_size=1000).save_to_file(path)

        code, out, _ = run(capsys, "show", "--no-env", "--json", str(path))

        assert (0, 1000) == (code, json.loads(out)["vocab_size"])


class TestRoughEdges:
    def test_version(self, capsys):
        """qwen3vl --version prints the installed version."""
        with pytest.raises(SystemExit) as info:
            main(["--version"])

        assert 0 == info.value.code
        assert f"qwen3vl {qwen3vl.__version__}\n" == capsys.readouterr().out

    def test_set_null_resets_to_the_default(self, capsys):
        """--set PATH=null resets a setting to its default, under a preset too."""
        code, out, _ = run(
            capsys,
            "explain",
            "--no-env",
            "--preset",
            "aggressive",
            "--set",
            "optimization_config.sparsity_ratio=0.1",
            "--set",
            "optimization_config.sparsity_ratio=null",
            "--set",
            "vocab_size=null",
            "optimization_config.sparsity_ratio",
            "vocab_size",
        )

        assert 0 == code
        assert "optimization_config.sparsity_ratio = 0.5  [default]" in out
        assert "vocab_size = 152064  [default]" in out

    def test_set_null_resets_a_section(self, capsys):
        """--set SECTION=null resets a whole section, earlier --set included."""
        code, out, _ = run(
            capsys,
            "explain",
            "--no-env",
            "--set",
            "gpu_config.use_tensor_cores=false",
            "--set",
            "gpu_config=null",
            "gpu_config.use_tensor_cores",
        )

        assert 0 == code
        assert out.startswith(
            "gpu_config.use_tensor_cores = true  [default]\n"
        )

    def test_the_last_set_wins(self, capsys):
        """Of two --set of one path, the later counts, as before."""
        _, out, _ = run(
            capsys,
            "show",
            "--no-env",
            "--json",
            "--set",
            "vocab_size=null",
            "--set",
            "vocab_size=7",
        )

        assert 7 == json.loads(out)["vocab_size"]

    @pytest.mark.parametrize("fmt", ["yaml", "toml"])
    def test_json_with_another_format_is_a_usage_error(self, capsys, fmt):
        """show --json --format yaml is refused, not silently JSON."""
        with pytest.raises(SystemExit) as info:
            main(["show", "--json", "--format", fmt])

        captured = capsys.readouterr()
        assert 2 == info.value.code
        assert "" == captured.out
        assert f"--json: not allowed with --format {fmt}" in captured.err

    def test_json_with_format_json_is_json(self, capsys):
        """--json --format json agree, and print JSON."""
        code, out, _ = run(
            capsys, "show", "--no-env", "--json", "--format", "json"
        )

        assert (0, 1) == (code, json.loads(out)["config_version"])

    def test_detect_prints_readable_text(self, capsys):
        """detect writes GPUs and the disk for people, not as Python reprs."""
        _, out, _ = run(capsys, "detect")

        assert (
            "gpus:\n  - H100 SXM: compute capability 9.0, 80 GiB, 3352 GB/s\n"
        ) in out
        assert "disk: / (nvme, 2 TiB free)\n" in out
        assert "l1d_cache_bytes: unknown\n" in out
        assert "memory_total_bytes: 274877906944 (256 GiB)\n" in out
        for python in ("()", "{", "None", "'"):
            assert python not in out

    def test_detect_without_a_gpu(self, capsys, monkeypatch):
        """No GPU reads 'none'; a GPU of unknown figures its name alone."""
        bare = HardwareProfile(gpus=(), disk=DiskInfo(path="/x"))
        monkeypatch.setattr(qwen3vl.hardware, "detect_hardware", lambda: bare)
        _, none, _ = run(capsys, "detect")
        plain = attrs.evolve(bare, gpus=(GPUInfo(name="card"),))
        monkeypatch.setattr(qwen3vl.hardware, "detect_hardware", lambda: plain)
        _, one, _ = run(capsys, "detect")

        assert "gpus: none\n" in none
        assert "disk: /x (unknown, free space unknown)\n" in none
        assert "gpus:\n  - card\n" in one

    def test_explain_writes_sizes_as_show_does(self, capsys):
        """explain prints sizes with units, as files are written."""
        _, out, _ = run(
            capsys,
            "explain",
            "--no-env",
            "--set",
            "memory_config.memory_pool_size=64MiB",
            "memory_config.memory_pool_size",
            "gpu_config.gpu_compute_capability",
        )
        _, shown, _ = run(
            capsys,
            "show",
            "--no-env",
            "--set",
            "memory_config.memory_pool_size=64MiB",
        )

        assert 'memory_config.memory_pool_size = "64MiB"  [override]\n' in out
        assert 'memory_pool_size = "64MiB"\n' in shown
        assert "gpu_config.gpu_compute_capability = [6, 1]  [default]\n" in out

    def test_explain_json_keeps_bytes(self, capsys):
        """explain --json gives sizes as integers, for scripts."""
        _, out, _ = run(
            capsys,
            "explain",
            "--no-env",
            "--json",
            "memory_config.gpu_memory_size",
        )

        assert 6 * GiB == json.loads(out)[0]["value"]

    def test_diff_writes_sizes_as_show_does(self, capsys, tmp_path):
        """diff prints sizes with units; --json keeps bytes."""
        a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
        Qwen3VLConfig().save_to_file(a)
        config = Qwen3VLConfig.from_dict(
            {"memory_config": {"memory_pool_size": "64MiB"}}
        )
        config.save_to_file(b)

        _, out, _ = run(capsys, "diff", str(a), str(b))
        _, data, _ = run(capsys, "diff", str(a), str(b), "--json")

        assert 'memory_config.memory_pool_size: "2GiB" -> "64MiB"\n' == out
        assert 64 * 1024**2 == json.loads(data)[0]["new"]

    def test_explain_suggests_the_setting_meant(self, capsys):
        """A misspelt or sectionless setting gets 'did you mean', one line each."""
        code, _, err = run(
            capsys,
            "explain",
            "--no-env",
            "cpu_config.num_thread",
            "num_workers",
            "vocab_size",
        )

        assert 2 == code
        assert [
            (
                "error: no setting matches 'cpu_config.num_thread'; did you"
                " mean 'cpu_config.num_threads'?"
            ),
            (
                "error: no setting matches 'num_workers'; did you mean"
                " 'cpu_config.num_workers'?"
            ),
        ] == err.splitlines()

    def test_explain_reports_names_and_load_problems_together(self, capsys):
        """An unknown name and a bad --set are reported at once."""
        code, _, err = run(
            capsys, "explain", "--no-env", "gpu_confg", "--set", "vocab_size=x"
        )

        assert 2 == code
        assert "did you mean 'gpu_config'?" in err
        assert "vocab_size: expected an integer" in err

    @pytest.mark.parametrize(
        ("argv", "needles"),
        [
            (
                ["show", "--help"],
                ["--format {toml,yaml,json}", "toml (the default)"],
            ),
            (
                ["diff", "--help"],
                ["A  ", "the old values", "B  ", "the new values"],
            ),
            (["convert", "--help"], ["IN  ", "OUT  ", "--changes-only"]),
            (
                ["fit", "--help"],
                ["memory plan", "--output FILE", "no safe fix"],
            ),
        ],
        ids=lambda v: (
            v[0] if isinstance(v[0], str) and v[-1] == "--help" else None
        ),
    )
    def test_help_texts(self, capsys, monkeypatch, argv, needles):
        """Every argument has help text."""
        monkeypatch.setenv("COLUMNS", "200")
        with pytest.raises(SystemExit):
            main(argv)

        out = " ".join(capsys.readouterr().out.split())
        for needle in needles:
            assert " ".join(needle.split()) in out

    def test_convert_into_a_missing_folder(self, capsys, tmp_path):
        """The error names the missing folder, never the temporary file."""
        source = tmp_path / "a.toml"
        Qwen3VLConfig().save_to_file(source)
        target = tmp_path / "nope" / "b.yaml"

        code, out, err = run(capsys, "convert", str(source), str(target))

        assert (1, "") == (code, out)
        assert (
            f"error: cannot write {str(target)!r}: there is no folder"
            f" {str(tmp_path / 'nope')!r}\n"
        ) == err
        assert ".tmp" not in err

    def test_convert_onto_a_folder(self, capsys, tmp_path):
        """A folder in the way is named, and left alone."""
        source = tmp_path / "a.toml"
        Qwen3VLConfig().save_to_file(source)
        (tmp_path / "b.yaml").mkdir()

        code, _, err = run(
            capsys, "convert", str(source), str(tmp_path / "b.yaml")
        )

        assert 1 == code
        assert "is a folder, not a file" in err
        assert ".tmp" not in err

    def test_check_groups_the_switches_transformers_ignores(self, capsys):
        """The 'no transformers counterpart' infos are one entry listing them."""
        _, out, _ = run(capsys, "check", "--no-env", "--json")
        _, text, _ = run(capsys, "check", "--no-env")

        findings = json.loads(out)["findings"]
        ignored = [
            f["path"].rpartition(".")[2]
            for f in findings
            if "transformers has no counterpart" in f["message"]
        ]
        lines = text.splitlines()
        flat = " ".join(text.split())
        assert 15 == len(ignored)
        assert (
            "info: optimization_config: 15 switches transformers ignores"
            in lines
        )
        assert 1 == flat.count("has no counterpart")
        assert ", ".join(ignored) in flat
        # The counts are of findings, so they agree with --json.
        infos = sum(f["severity"] == "info" for f in findings)
        assert f" {infos} info(s).\n" in text

    def test_one_ignored_switch_stays_as_it_is(self, capsys):
        """A single such finding is printed as before."""
        sets = [
            f"--set=optimization_config.{name}=false"
            for name in without_counterpart(
                Qwen3VLConfig().optimization_config
            )[1:]
        ]

        _, text, _ = run(capsys, "check", "--no-env", *sets)

        assert "switches transformers ignores" not in text
        assert "transformers has no counterpart" in " ".join(text.split())


class TestFit:
    def test_fits_the_defaults_to_a_machine(self, capsys):
        """fit prints the fitted configuration, each change and why, the plan; exit 0."""
        code, out, _ = run(
            capsys, "fit", "--no-env", "--hardware-target", CPU_ONLY
        )

        assert 0 == code
        assert out.startswith("Fitted, where it differs from the defaults")
        assert "[serving_config]\nmax_context_tokens = 4096\n" in out
        assert "Fitting changed nothing." in out
        assert "Memory plan at fp32:" in out
        assert out.endswith(" info(s).\n")
        assert max(len(line) for line in out.splitlines()) <= 80

    def test_each_change_with_its_reason(self, capsys):
        """A context that does not fit is shortened, and the reason gives both sizes."""
        code, out, _ = run(
            capsys,
            "fit",
            "--no-env",
            "--hardware-target",
            TARGET,
            "--set",
            "serving_config.max_context_tokens=32768",
            "--set",
            TENSOR_CORES,
        )

        assert 0 == code
        assert "Fitting changed 2 setting(s):" in out
        assert "  gpu_config.use_tensor_cores: true -> false\n" in out
        assert "  serving_config.max_context_tokens: 32768 -> 6400\n" in out
        assert "because the KV cache and activations of 32,768 tokens" in out
        assert "max_context_tokens = 6400\n" in out

    def test_json_and_output(self, capsys, tmp_path):
        """--json gives the changes, the findings, the plan and the config; --output saves it whole."""
        saved = tmp_path / "fitted.toml"
        code, out, _ = run(
            capsys,
            "fit",
            "--no-env",
            "--hardware-target",
            TARGET,
            "--set",
            "serving_config.max_context_tokens=32768",
            "--json",
            "--output",
            str(saved),
        )

        data = json.loads(out)
        assert 0 == code
        assert data["fits"] is True
        assert [
            {
                "path": "serving_config.max_context_tokens",
                "old": 32768,
                "new": 6400,
            }
        ] == [
            {k: c[k] for k in ("path", "old", "new")} for c in data["changes"]
        ]
        assert 6400 == data["config"]["serving_config"]["max_context_tokens"]
        assert Qwen3VLConfig.from_file(saved) == Qwen3VLConfig.from_dict(
            data["config"]
        )

    def test_an_error_without_a_fix_exits_1(self, capsys):
        """Weights that fit nowhere have no safe fix: the error stays, exit 1."""
        code, out, _ = run(
            capsys,
            "fit",
            "--no-env",
            "--hardware-target",
            TARGET,
            "--set",
            "memory_config.ssd_memory_size=1GiB",
        )

        assert 1 == code
        assert "error: memory_config\n" in out
        assert "more than the tiers hold" in out


class TestChangesOnly:
    def test_show_prints_what_files_env_and_set_change(
        self, capsys, monkeypatch, tmp_path
    ):
        """The base is defaults, presets and the hardware layer."""
        site = tmp_path / "site.yaml"
        site.write_text("config_version: 1\nvocab_size: 1000\n")
        monkeypatch.setenv("QWEN3VL_CPU_CONFIG__NUM_WORKERS", "3")

        code, out, _ = run(
            capsys,
            "show",
            str(site),
            "--preset",
            "aggressive",
            "--hardware-target",
            "cpu_only",
            "--set",
            "gpu_config.use_tensor_cores=true",
            "--changes-only",
            "--format",
            "yaml",
        )

        assert 0 == code
        assert (
            "config_version: 1\nvocab_size: 1000\ncpu_config:\n"
            "  num_workers: 3\ngpu_config:\n  use_tensor_cores: true\n"
        ) == out

    def test_nothing_changed(self, capsys):
        """Without files, env or --set, only config_version is left."""
        _, out, _ = run(
            capsys, "show", "--no-env", "--preset", "minimal", "--changes-only"
        )

        assert "config_version = 1\n" == out

    def test_changes_reload_on_another_machine(self, capsys, tmp_path):
        """Saved changes layer over another target's presets."""
        _, out, _ = run(
            capsys,
            "show",
            "--no-env",
            "--hardware-target",
            TARGET,
            "--set",
            "cpu_config.num_threads=3",
            "--changes-only",
        )
        tweaks = tmp_path / "tweaks.toml"
        tweaks.write_text(out)

        config = qwen3vl.load_config(
            tweaks, hardware_target="cpu_only", env=False
        )

        assert 3 == config.cpu_config.num_threads
        assert 0 == config.memory_config.gpu_memory_size

    def test_convert_writes_only_the_changes(self, capsys, tmp_path):
        """convert --changes-only without --model: what differs from defaults."""
        source, target = tmp_path / "a.yaml", tmp_path / "b.toml"
        Qwen3VLConfig(vocab_size=1000).save_to_file(source)

        code, _, _ = run(
            capsys, "convert", "--changes-only", str(source), str(target)
        )

        assert 0 == code
        assert "config_version = 1\nvocab_size = 1000\n" == target.read_text()


class TestDocs:
    def test_the_install_line_of_the_integration_page_is_true(self):
        """docs/integration.md installs an extra pyproject.toml defines."""
        import tomllib

        text = (ROOT / "docs" / "integration.md").read_text(encoding="utf-8")
        extras = tomllib.loads((ROOT / "pyproject.toml").read_text())[
            "project"
        ]["optional-dependencies"]

        lines = re.findall(r"^pip install .*$", text, re.MULTILINE)
        assert ["pip install '.[transformers]'"] == [
            line.split("#")[0].strip() for line in lines
        ]
        assert "transformers" in extras
        assert "not on the Python package index" in text


class TestWarnings:
    @pytest.mark.filterwarnings("default")
    def test_a_warning_is_one_line(self, capsys, tmp_path):
        """A warning prints as one 'warning:' line, not as Python shows it."""
        path = tmp_path / "t.toml"
        path.write_text('config_version = 1\nhardware_target = "cpu_onl"\n')

        code, _, err = run(capsys, "show", "--no-env", str(path))

        assert 0 == code
        assert (
            f"warning: {path}: hardware_target 'cpu_onl' has no preset, so"
            " none was applied; did you mean 'cpu_only'?\n"
        ) == err
