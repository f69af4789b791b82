"""
The bad-input catalogue: each row through every entry point that can see it.

Every run must end in a `ConfigError` (nothing else escapes), with a
problem at the row's path whose message matches the row's pattern and that
names where the input came from, and must stay under `MEMORY_LIMIT` as
`tracemalloc` sees it (Python allocations only; see catalogue_runner.py).

The runs are marked ``catalogue`` and run in ``nox -s robustness``; the
checks of the table itself run everywhere.

Speed is not asserted here: timed assertions in unit tests are flaky, so
each row's slowest wall time is recorded in `WALL_TIMES`, and
benchmarks/catalogue.py measures and prints them against the 100 ms target.
"""

from __future__ import annotations

import collections
import re

import pytest

from qwen3vl import ConfigError, Qwen3VLConfig

from catalogue_runner import (
    BIG_FILE_BYTES,
    MEMORY_LIMIT,
    ROWS,
    Workspace,
    cases,
    entry_points,
    expectation,
    problems_at,
    run_case,
)
from helpers import CONFIG_CLASSES


#: Row id -> its slowest wall time over the entry points run, in seconds.
WALL_TIMES: dict[str, float] = {}

CASES = cases()
REFUSED = [(row, entry) for row, entry in CASES if row.accept is None]
ACCEPTED = [(row, entry) for row, entry in CASES if row.accept is not None]


def _ids(pairs: list) -> list[str]:
    return [f"{row.id}:{entry}" for row, entry in pairs]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Workspace:
    """One folder for the whole catalogue: the 100 MB file is made once."""
    return Workspace(tmp_path_factory.mktemp("catalogue"))


def _record(row_id: str, seconds: float) -> None:
    WALL_TIMES[row_id] = max(WALL_TIMES.get(row_id, 0.0), seconds)


@pytest.mark.catalogue
class TestRefused:
    @pytest.mark.parametrize(("row", "entry"), REFUSED, ids=_ids(REFUSED))
    def test_row(self, workspace, row, entry):
        """The input ends in a ConfigError at its path, naming its source."""
        outcome, source = run_case(row, entry, workspace)
        _record(row.id, outcome.seconds)
        path, message = expectation(row, entry)

        assert isinstance(outcome.error, ConfigError), repr(outcome.error)
        found = problems_at(outcome.error, path)
        assert found, f"no problem at {path!r}: {outcome.error.paths}"
        assert any(re.search(message, p.message) for p in found), [
            p.message[:300] for p in found
        ]
        assert source in [p.source for p in found]
        assert MEMORY_LIMIT > outcome.peak
        assert () == outcome.warnings


@pytest.mark.catalogue
class TestAccepted:
    @pytest.mark.parametrize(("row", "entry"), ACCEPTED, ids=_ids(ACCEPTED))
    def test_row(self, workspace, row, entry):
        """The input loads, as the documentation promises."""
        outcome, _ = run_case(row, entry, workspace)
        _record(row.id, outcome.seconds)

        assert None is outcome.error
        assert row.accept is not None
        assert row.accept(outcome.result)
        assert MEMORY_LIMIT > outcome.peak
        assert () == outcome.warnings


class TestTable:
    def test_ids_are_unique(self):
        """Each row has its own id."""
        counts = collections.Counter(row.id for row in ROWS)

        assert [] == [row_id for row_id, n in counts.items() if n > 1]

    def test_every_row_reaches_an_entry_point(self):
        """No row is left without an entry point to run through."""
        assert [] == [row.id for row in ROWS if not entry_points(row)]

    def test_every_entry_point_is_exercised(self):
        """The table runs through every entry point of the library."""
        seen = {entry for _, entry in CASES}

        assert {
            "from_dict",
            "from_file.json",
            "from_file.yaml",
            "from_file.toml",
            "load_config.json",
            "load_config.yaml",
            "load_config.toml",
            "load_config.QWEN3VL_CONFIG",
            "load_config.env",
            "load_config.overrides",
            "load_config.overrides_list",
            "apply_updates",
            "from_pretrained.json",
            "from_pretrained.yaml",
            "from_pretrained.toml",
            "from_pretrained.config_json",
            "from_pretrained.model_id",
            "from_pretrained.path",
        } <= seen

    def test_every_cross_field_rule_has_a_row(self):
        """Each rule of each config class is broken by at least one row."""
        declared = {
            f"{cls.__name__}:{','.join(rule.fields)}"
            for cls in CONFIG_CLASSES
            for rule in cls.__qwen3vl_rules__
        }
        covered = {row.rule for row in ROWS if row.rule is not None}

        assert declared == covered

    @pytest.mark.parametrize(
        "row",
        [row for row in ROWS if row.rule is not None],
        ids=lambda row: row.id,
    )
    def test_a_rule_row_breaks_only_its_rule(self, row):
        """Every problem of a rule row is at a field its rule reads."""
        cls_name, fields = row.rule.split(":")
        prefix = {
            "Qwen3VLConfig": "",
            "MemoryConfig": "memory_config.",
            "CPUConfig": "cpu_config.",
            "OptimizationConfig": "optimization_config.",
            "RopeScalingConfig": "rope_scaling_config.",
            "QuantizationConfig": "quantization_config.",
        }[cls_name]
        allowed = [prefix + field for field in fields.split(",")]
        with pytest.raises(ConfigError) as info:
            Qwen3VLConfig.from_dict(row.data)

        assert [] == [
            p.path
            for p in info.value.problems
            if not any(
                p.path == a or p.path.startswith(a + ".") for a in allowed
            )
        ]

    def test_the_big_file_is_100_megabytes_and_sparse(self, workspace):
        """The oversized file is 100 MB long yet takes no disk."""
        path = workspace.special("big", "json")
        info = path.stat()

        assert BIG_FILE_BYTES == info.st_size
        assert 1024 * 1024 > info.st_blocks * 512

    def test_a_row_is_shown_by_its_id(self):
        """A row's repr is its id, not its (possibly enormous) input."""
        row = ROWS[0]

        assert f"Row({row.id!r})" == repr(row)
