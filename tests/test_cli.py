"""Tests for the qwen3vl command, in-process and as a real process."""

from __future__ import annotations

import io
import json
import os
import pathlib
import subprocess
import sys

import attrs
import pytest
import qwen3vl.hardware

from qwen3vl import GiB, Qwen3VLConfig
from qwen3vl._cli import _Out, _paint, _ranges, main
from qwen3vl._converters import structure
from qwen3vl._formats import loads
from qwen3vl._units import human_size
from qwen3vl.hardware import (
    DiskInfo,
    GPUInfo,
    HardwareProfile,
    estimate_memory,
)


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


class TestCheck:
    def test_findings_and_plan_against_a_target(self, capsys):
        """check lists findings and the memory plan, and exits 1 on errors."""
        code, out, _ = run(capsys, "check", "--hardware-target", TARGET)

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
            capsys, "check", "--json", "--hardware-target", TARGET
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
    ["check", "--no-env", "--hardware-target", TARGET],
    ["check", "--no-env", "--json"],
    ["explain", "--no-env"],
    ["explain", "--no-env", "--json"],
    ["diff", "{a}", "{b}"],
    ["diff", "{a}", "{b}", "--json"],
    ["convert", "{a}", "{c}"],
    ["convert", "{a}", "{c}", "--json"],
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
                ["check", "--hardware-target", TARGET],
                1,
                "Memory plan at fp32:",
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
