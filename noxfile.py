"""Development sessions: ``nox -s tests``, ``nox -s lint``, ``nox -s typecheck``."""

from __future__ import annotations

import os

import nox


nox.options.sessions = ["tests", "lint", "typecheck"]
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_external_run = True
nox.options.default_venv_backend = "uv|virtualenv"

PYPROJECT = nox.project.load_toml("pyproject.toml")


def _group(name: str) -> list[str]:
    return list(nox.project.dependency_groups(PYPROJECT, name))


@nox.session
def tests(session: nox.Session) -> None:
    """Install the package as users do (not editable) and run the quick suite."""
    session.install(".", *_group("tests"))
    session.run("pytest", *session.posargs)


@nox.session
def robustness(session: nox.Session) -> None:
    """Kill saves, fuzz the entry points and run the bad-input catalogue."""
    session.install(".", *_group("tests"))
    # More Hypothesis examples than the quick default, unless the caller
    # chose a profile.
    profile = os.environ.get("HYPOTHESIS_PROFILE", "thorough")
    session.run(
        "pytest",
        "-m",
        "(crash or fuzzprops or catalogue) and not slow",
        *session.posargs,
        env={"HYPOTHESIS_PROFILE": profile},
    )


@nox.session
def lint(session: nox.Session) -> None:
    """Check style and formatting with ruff."""
    session.install(*_group("lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """Type-check the package, the typing examples and tools/ with mypy --strict."""
    session.install(".", *_group("typing"))
    session.run("mypy")


@nox.session
def golden(session: nox.Session) -> None:
    """Rewrite tests/golden/ from the presets; read the diff before committing."""
    session.install(".", *_group("tests"))
    session.run(
        "pytest", "tests/test_presets.py", env={"REGENERATE_GOLDEN": "1"}
    )


@nox.session
def interop(session: nox.Session) -> None:
    """Check the Hugging Face export and the integration against transformers."""
    session.install(".", *_group("interop"))
    session.run("pytest", "-m", "interop", *session.posargs)


@nox.session(name="interop-vllm")
def interop_vllm(session: nox.Session) -> None:
    """Check the parallel rules and the vLLM export against vLLM itself, on the CPU."""
    session.install(".", *_group("vllm"))
    session.run("pytest", "-m", "vllm", *session.posargs)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the manual with MkDocs in strict mode; the reference pages come from the code."""
    session.install(".", *_group("docs"))
    session.run("mkdocs", "build", "--strict", "--site-dir", "site")


@nox.session
def fuzz(session: nox.Session) -> None:
    """Fuzz every entry point with atheris: ``nox -s fuzz -- 100000`` inputs each."""
    session.install(".", "atheris")
    session.run("python", "fuzz/run_all.py", *session.posargs)


@nox.session
def bench_estimate(session: nox.Session) -> None:
    """Time `qwen3vl estimate --model` against counting a meta-device transformers model."""
    session.install(".", *_group("interop"))
    session.run("python", "benchmarks/estimate_speed.py", *session.posargs)


@nox.session(name="bench-memory")
def bench_memory(session: nox.Session) -> None:
    """Print the memory plan beside the peak memory of a real prefill (CPU, or ``-- --device cuda``)."""
    session.install(".", *_group("interop"))
    session.run("python", "benchmarks/memory.py", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Time qwen3vl beside pydantic, msgspec, OmegaConf and transformers."""
    session.install(".", *_group("bench"))
    session.run("python", "benchmarks/run.py", *session.posargs)
