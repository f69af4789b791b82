"""Shared pytest configuration: Hypothesis profiles and fixtures."""

from __future__ import annotations

import importlib
import os
import pathlib
import sys
import warnings

from types import ModuleType

import pytest

from hypothesis import HealthCheck, settings


# "tests" keeps `pytest` and `nox -s tests` quick; HYPOTHESIS_PROFILE=thorough
# (which `nox -s robustness` sets) tries five times as many examples. Shared
# runners are slow now and then: no deadline, and no complaint about it.
settings.register_profile(
    "tests",
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough",
    settings.get_profile("tests"),
    max_examples=500,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "tests"))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """A folder shared by the tests of one file, for Hypothesis examples."""
    # Hypothesis refuses function-scoped fixtures such as tmp_path, and
    # every example may overwrite the same files.
    return tmp_path_factory.mktemp("files")


@pytest.fixture
def no_gpu_tools(monkeypatch, tmp_path):
    """Hide NVML and every nvidia-smi, so fake trees see no GPU."""
    monkeypatch.setitem(sys.modules, "pynvml", None)
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


# -- the interop tests' packages (``nox -s interop`` installs them) ---------


@pytest.fixture(scope="session")
def transformers() -> ModuleType:
    """transformers itself; the interop session installs it."""
    with warnings.catch_warnings():
        # Without torch, transformers says so once, as a warning.
        warnings.simplefilter("ignore")
        return importlib.import_module("transformers")


@pytest.fixture(scope="session")
def torch() -> ModuleType:
    """torch itself; the interop session installs its CPU build."""
    return importlib.import_module("torch")
