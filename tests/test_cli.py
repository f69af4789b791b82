"""Tests for the qwen3vl command as it stands: printing the defaults."""

from __future__ import annotations

import subprocess
import sys

import pytest

from qwen3vl import Qwen3VLConfig
from qwen3vl._cli import main
from qwen3vl._converters import structure
from qwen3vl._formats import loads


class TestMain:
    @pytest.mark.parametrize("fmt", ["toml", "yaml", "json"])
    def test_prints_the_default_config(self, capsys, fmt):
        """The output parses back to the default configuration."""
        assert 0 == main(["--format", fmt])

        data, _ = loads(capsys.readouterr().out, fmt)
        assert Qwen3VLConfig() == structure(data, Qwen3VLConfig)

    def test_default_format_is_toml(self, capsys):
        """Without --format the output is TOML."""
        main([])

        assert capsys.readouterr().out.startswith("config_version = 1\n")

    def test_bad_option_exits_2(self, capsys):
        """An unknown format is a usage error with exit code 2."""
        with pytest.raises(SystemExit) as info:
            main(["--format", "ini"])

        assert 2 == info.value.code
        assert "invalid choice" in capsys.readouterr().err

    def test_python_dash_m(self):
        """`python -m qwen3vl` runs the command in a real process."""
        result = subprocess.run(
            [sys.executable, "-m", "qwen3vl"],
            capture_output=True,
            text=True,
            check=False,
        )

        assert 0 == result.returncode
        assert "[gpu_config]" in result.stdout
        assert "" == result.stderr
