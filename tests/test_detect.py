"""Tests for host detection: CPU, memory and cgroup limits on fake trees."""

from __future__ import annotations

import pathlib
import textwrap

import pytest
import qwen3vl

from qwen3vl import GiB, KiB, MiB
from qwen3vl.hardware import HardwareProfile, detect_hardware
from qwen3vl.hardware import _detect as detect

from helpers import write_file


def cpuinfo(
    model: str | None,
    flags: str,
    topology: list[tuple[int, int]] | None,
) -> str:
    """Build a /proc/cpuinfo with one block per (package, core) entry."""
    cpus = topology or [(0, i) for i in range(4)]
    blocks = []
    for cpu, (package, core) in enumerate(cpus):
        lines = [f"processor\t: {cpu}"]
        if model is not None:
            lines.append(f"model name\t: {model}")
        if topology is not None:
            lines += [f"physical id\t: {package}", f"core id\t\t: {core}"]
        lines.append(f"flags\t\t: {flags}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n\n"


I5 = "Intel(R) Core(TM) i5-10210U CPU @ 1.60GHz"
I5_FLAGS = (
    "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
    "mmx fxsr sse sse2 ss ht tm pbe syscall nx lm pni pclmulqdq ssse3 fma "
    "cx16 sse4_1 sse4_2 movbe popcnt aes xsave avx f16c rdrand avx2 bmi1 "
    "bmi2 erms invpcid adx smap clflushopt"
)
# 4 cores / 8 threads: CPUs 0-3 are cores 0-3, CPUs 4-7 their siblings.
I5_TOPOLOGY = [(0, core) for core in range(4)] * 2
XEON = "Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz"
XEON_FLAGS = I5_FLAGS + " avx512f avx512dq avx512cd avx512bw avx512vl"
# Two sockets of two cores with two threads each.
XEON_TOPOLOGY = [(0, 0), (0, 1), (1, 0), (1, 1)] * 2
AARCH64_CPUINFO = "".join(
    textwrap.dedent(f"""\
        processor\t: {cpu}
        BogoMIPS\t: 50.00
        Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 cpuid asimdrdm
        CPU implementer\t: 0x41
        CPU architecture: 8
        CPU variant\t: 0x3
        CPU part\t: 0xd0c
        CPU revision\t: 1

        """)
    for cpu in range(4)
)
MEMINFO = textwrap.dedent("""\
    MemTotal:       16318496 kB
    MemFree:         9000000 kB
    MemAvailable:   12000000 kB
    Buffers:          200000 kB
    HugePages_Total:       0
    Hugepagesize:       2048 kB
""")
MEM_TOTAL, MEM_AVAILABLE = 16318496 * KiB, 12000000 * KiB


def make_caches(root: pathlib.Path, sizes: list[tuple[int, str, str]]):
    """Write cpu0's cache indexes from (level, type, size) triples."""
    for i, (level, kind, size) in enumerate(sizes):
        base = f"sys/devices/system/cpu/cpu0/cache/index{i}"
        write_file(root, f"{base}/level", f"{level}\n")
        write_file(root, f"{base}/type", f"{kind}\n")
        write_file(root, f"{base}/size", f"{size}\n")


I5_CACHES = [
    (1, "Data", "32K"),
    (1, "Instruction", "32K"),
    (2, "Unified", "256K"),
    (3, "Unified", "6144K"),
]


def make_topology(root: pathlib.Path, cores: list[tuple[int, int]]):
    """Write sysfs topology files, one CPU per (package, core) pair."""
    for cpu, (package, core) in enumerate(cores):
        base = f"sys/devices/system/cpu/cpu{cpu}/topology"
        write_file(root, f"{base}/physical_package_id", f"{package}\n")
        write_file(root, f"{base}/core_id", f"{core}\n")


@pytest.fixture
def i5(tmp_path):
    """Return a fake root for the specification's i5-10210U laptop."""
    root = tmp_path / "root"
    write_file(root, "proc/cpuinfo", cpuinfo(I5, I5_FLAGS, I5_TOPOLOGY))
    write_file(root, "proc/meminfo", MEMINFO)
    make_caches(root, I5_CACHES)
    return root


def run(root, affinity=frozenset(range(8)), folder=None):
    """Detect the fake host at `root` with the given CPU affinity."""
    return detect._detect(root, affinity=affinity, folder=folder)


@pytest.mark.usefixtures("no_gpu_tools")
class TestCpu:
    def test_i5_laptop(self, i5):
        """The i5-10210U reads as 4 cores, 8 threads, AVX2 and its caches."""
        profile = run(i5)

        assert (
            HardwareProfile(
                cpu_model=I5,
                physical_cores=4,
                logical_cpus=8,
                l1d_cache_bytes=32 * KiB,
                l2_cache_bytes=256 * KiB,
                l3_cache_bytes=6 * MiB,
                simd="avx2",
                memory_total_bytes=MEM_TOTAL,
                memory_available_bytes=MEM_AVAILABLE,
                gpus=(),
                disk=None,
                source="detected",
            )
            == profile
        )

    def test_xeon_with_avx512_over_two_sockets(self, tmp_path):
        """avx512f means AVX-512; cores on both sockets are counted."""
        write_file(
            tmp_path, "proc/cpuinfo", cpuinfo(XEON, XEON_FLAGS, XEON_TOPOLOGY)
        )

        profile = run(tmp_path)

        assert ("avx512", 4, 8) == (
            profile.simd,
            profile.physical_cores,
            profile.logical_cpus,
        )

    @pytest.mark.parametrize(
        ("affinity", "physical", "logical"),
        [
            (frozenset({0, 4}), 1, 2),  # two threads of one core
            (frozenset({0, 1}), 2, 2),
            (frozenset({3}), 1, 1),
        ],
    )
    def test_affinity_limits_cores_and_cpus(
        self, i5, affinity, physical, logical
    ):
        """Only the CPUs this process may run on count."""
        profile = run(i5, affinity=affinity)

        assert (physical, logical) == (
            profile.physical_cores,
            profile.logical_cpus,
        )

    def test_aarch64_is_scalar_with_sysfs_cores(self, tmp_path):
        """ARM's asimd is none of our sets; cores come from sysfs topology."""
        write_file(tmp_path, "proc/cpuinfo", AARCH64_CPUINFO)
        make_topology(tmp_path, [(0, core) for core in range(4)])

        profile = run(tmp_path, affinity=frozenset(range(4)))

        assert (None, "scalar", 4, 4) == (
            profile.cpu_model,
            profile.simd,
            profile.physical_cores,
            profile.logical_cpus,
        )

    @pytest.mark.parametrize(
        ("flags", "simd"),
        [
            ("fpu sse sse2 sse4_1 sse4_2 avx", "sse"),
            ("fpu sse2", "sse"),
            ("fpu sse", "sse"),
            ("fpu vme de pse", "scalar"),
            ("", "scalar"),
        ],
    )
    def test_simd_from_flags(self, tmp_path, flags, simd):
        """The widest set among the flags is reported; none is scalar."""
        write_file(tmp_path, "proc/cpuinfo", cpuinfo("x", flags, None))

        assert simd == run(tmp_path).simd

    def test_sysfs_topology_when_cpuinfo_lacks_it(self, tmp_path):
        """Without physical id and core id, sysfs topology gives the cores."""
        write_file(tmp_path, "proc/cpuinfo", cpuinfo(I5, I5_FLAGS, None))
        make_topology(tmp_path, I5_TOPOLOGY)

        assert 4 == run(tmp_path).physical_cores

    def test_cores_unknown_when_no_topology(self, tmp_path):
        """Without any topology the core count is unknown, not guessed."""
        write_file(tmp_path, "proc/cpuinfo", cpuinfo(I5, I5_FLAGS, None))

        profile = run(tmp_path)

        assert (None, 8) == (profile.physical_cores, profile.logical_cpus)

    def test_cores_unknown_when_topology_misses_a_usable_cpu(self, tmp_path):
        """A usable CPU without topology makes the count unknown."""
        write_file(
            tmp_path, "proc/cpuinfo", cpuinfo(I5, I5_FLAGS, I5_TOPOLOGY)
        )

        assert None is run(tmp_path, affinity=frozenset({0, 9})).physical_cores

    def test_unknown_affinity_counts_every_cpu_listed(self, i5):
        """Without an affinity every CPU in cpuinfo counts towards cores."""
        profile = run(i5, affinity=None)

        assert (4, None) == (profile.physical_cores, profile.logical_cpus)

    @pytest.mark.parametrize(
        ("text", "size"),
        [
            ("32K", 32 * KiB),
            ("1024K", MiB),
            ("6M", 6 * MiB),
            ("1G", GiB),
            ("512", 512),
            ("6 M", None),
            ("32KB", None),
            ("", None),
            ("-1K", None),
        ],
    )
    def test_cache_sizes(self, text, size):
        """sysfs cache sizes use K, M and G for powers of 1024."""
        assert size == detect._parse_size(text)

    def test_unified_level_one_cache_counts_as_data(self, tmp_path):
        """A unified L1 holds data too; only instruction caches are skipped."""
        make_caches(
            tmp_path, [(1, "Instruction", "64K"), (1, "Unified", "48K")]
        )

        assert 48 * KiB == run(tmp_path).l1d_cache_bytes


@pytest.mark.usefixtures("no_gpu_tools")
class TestCgroup:
    @pytest.mark.parametrize(
        ("cpu_max", "logical", "physical"),
        [
            ("max 100000\n", 8, 4),
            ("200000 100000\n", 2, 2),
            ("150000 100000\n", 2, 2),  # a part of a CPU is a whole one
            ("50000 100000\n", 1, 1),
            ("garbage\n", 8, 4),
        ],
    )
    def test_v2_cpu_quota(self, i5, cpu_max, logical, physical):
        """cgroup v2 cpu.max caps the CPUs, and the cores with them."""
        write_file(i5, "sys/fs/cgroup/cpu.max", cpu_max)

        profile = run(i5)

        assert (logical, physical) == (
            profile.logical_cpus,
            profile.physical_cores,
        )

    @pytest.mark.parametrize("mount", ["cpu", "cpu,cpuacct"])
    @pytest.mark.parametrize(("quota", "logical"), [("300000", 3), ("-1", 8)])
    def test_v1_cpu_quota(self, i5, mount, quota, logical):
        """cgroup v1 cfs quota over period caps the CPUs; -1 is no limit."""
        write_file(i5, f"sys/fs/cgroup/{mount}/cpu.cfs_quota_us", f"{quota}\n")
        write_file(i5, f"sys/fs/cgroup/{mount}/cpu.cfs_period_us", "100000\n")

        assert logical == run(i5).logical_cpus

    def test_own_group_and_its_parents_all_bind(self, i5):
        """The tightest limit on the way from this group to the root wins."""
        write_file(i5, "proc/self/cgroup", "0::/outer/inner\n")
        write_file(i5, "sys/fs/cgroup/outer/cpu.max", "300000 100000\n")
        write_file(i5, "sys/fs/cgroup/outer/inner/cpu.max", "max 100000\n")
        write_file(i5, "sys/fs/cgroup/other/cpu.max", "100000 100000\n")

        assert 3 == run(i5).logical_cpus

    def test_v1_own_group_is_found_from_proc_self_cgroup(self, i5):
        """A v1 controller's group comes from its line in /proc/self/cgroup."""
        write_file(
            i5,
            "proc/self/cgroup",
            "4:memory:/job/7\n2:cpu,cpuacct:/job/7\n0::/\n",
        )
        write_file(
            i5, "sys/fs/cgroup/cpu,cpuacct/job/7/cpu.cfs_quota_us", "200000"
        )
        write_file(
            i5, "sys/fs/cgroup/cpu,cpuacct/job/7/cpu.cfs_period_us", "100000"
        )
        write_file(
            i5, "sys/fs/cgroup/memory/job/7/memory.limit_in_bytes", str(GiB)
        )
        write_file(i5, "sys/fs/cgroup/memory/job/7/memory.usage_in_bytes", "0")

        profile = run(i5)

        assert (2, GiB, GiB) == (
            profile.logical_cpus,
            profile.memory_total_bytes,
            profile.memory_available_bytes,
        )

    def test_v2_memory_limit(self, i5):
        """memory.max caps the total, and memory.current what is left."""
        write_file(i5, "sys/fs/cgroup/memory.max", f"{4 * GiB}\n")
        write_file(i5, "sys/fs/cgroup/memory.current", f"{GiB}\n")

        profile = run(i5)

        assert (4 * GiB, 3 * GiB) == (
            profile.memory_total_bytes,
            profile.memory_available_bytes,
        )

    def test_v2_memory_without_limit(self, i5):
        """memory.max "max" leaves the machine's figures."""
        write_file(i5, "sys/fs/cgroup/memory.max", "max\n")
        write_file(i5, "sys/fs/cgroup/memory.current", f"{GiB}\n")

        profile = run(i5)

        assert (MEM_TOTAL, MEM_AVAILABLE) == (
            profile.memory_total_bytes,
            profile.memory_available_bytes,
        )

    def test_v1_memory_limit(self, i5):
        """memory.limit_in_bytes caps the total, usage what is left."""
        write_file(
            i5, "sys/fs/cgroup/memory/memory.limit_in_bytes", str(2 * GiB)
        )
        write_file(
            i5, "sys/fs/cgroup/memory/memory.usage_in_bytes", str(GiB // 2)
        )

        profile = run(i5)

        assert (2 * GiB, 3 * GiB // 2) == (
            profile.memory_total_bytes,
            profile.memory_available_bytes,
        )

    def test_v1_unlimited_is_ignored(self, i5):
        """cgroup v1's huge "unlimited" value is no limit."""
        write_file(
            i5,
            "sys/fs/cgroup/memory/memory.limit_in_bytes",
            "9223372036854771712\n",
        )
        write_file(i5, "sys/fs/cgroup/memory/memory.usage_in_bytes", str(GiB))

        profile = run(i5)

        assert (MEM_TOTAL, MEM_AVAILABLE) == (
            profile.memory_total_bytes,
            profile.memory_available_bytes,
        )

    def test_limit_above_the_machine_changes_nothing(self, i5):
        """A limit larger than the RAM leaves the RAM's figures."""
        write_file(i5, "sys/fs/cgroup/memory.max", f"{64 * GiB}\n")
        write_file(i5, "sys/fs/cgroup/memory.current", f"{GiB}\n")

        profile = run(i5)

        assert (MEM_TOTAL, MEM_AVAILABLE) == (
            profile.memory_total_bytes,
            profile.memory_available_bytes,
        )

    def test_usage_above_the_limit_leaves_nothing(self, i5):
        """A group over its limit has no memory available, not less."""
        write_file(i5, "sys/fs/cgroup/memory.max", f"{GiB}\n")
        write_file(i5, "sys/fs/cgroup/memory.current", f"{2 * GiB}\n")

        assert 0 == run(i5).memory_available_bytes


@pytest.mark.usefixtures("no_gpu_tools")
class TestMissing:
    def test_empty_root_is_all_unknown(self, tmp_path):
        """With nothing to read, everything is unknown and nothing raises."""
        assert HardwareProfile(gpus=(), source="detected") == run(
            tmp_path, affinity=None
        )

    def test_garbage_everywhere_is_unknown(self, tmp_path):
        """Files that do not parse give unknowns, not exceptions."""
        write_file(tmp_path, "proc/cpuinfo", "no colons here\n\x00\xff\n")
        write_file(tmp_path, "proc/meminfo", "MemTotal: lots\nMemAvailable:\n")
        write_file(tmp_path, "proc/self/cgroup", "::::\nnonsense\n")
        write_file(tmp_path, "sys/fs/cgroup/cpu.max", "a b\n")
        write_file(tmp_path, "sys/fs/cgroup/memory.max", "-\n")
        write_file(tmp_path, "sys/fs/cgroup/cpu/cpu.cfs_quota_us", "x\n")
        write_file(tmp_path, "sys/fs/cgroup/cpu/cpu.cfs_period_us", "0\n")
        make_caches(tmp_path, [(1, "Data", "lots"), (2, "Unified", "")])
        make_topology(tmp_path, [(0, 0)])
        write_file(
            tmp_path,
            "sys/devices/system/cpu/cpu0/topology/core_id",
            "zero\n",
        )

        assert HardwareProfile(
            logical_cpus=2, gpus=(), source="detected"
        ) == run(tmp_path, affinity=frozenset({0, 1}))

    def test_folders_where_files_should_be(self, tmp_path):
        """A file that cannot be read (here a folder) is unknown."""
        for path in ("proc/cpuinfo", "proc/meminfo", "sys/fs/cgroup/cpu.max"):
            (tmp_path / path).mkdir(parents=True)

        assert HardwareProfile(
            logical_cpus=1, gpus=(), source="detected"
        ) == run(tmp_path, affinity=frozenset({0}))

    def test_each_call_reads_afresh(self, i5):
        """Nothing is cached: a changed file shows in the next call."""
        before = run(i5).memory_available_bytes
        write_file(i5, "sys/fs/cgroup/memory.max", f"{GiB}\n")
        write_file(i5, "sys/fs/cgroup/memory.current", "0\n")

        assert (MEM_AVAILABLE, GiB) == (before, run(i5).memory_available_bytes)


class TestThisHost:
    def test_detects_something_real(self):
        """On any host there is at least one CPU and some memory."""
        profile = detect_hardware()

        assert "detected" == profile.source
        assert None is not profile.logical_cpus
        assert 1 <= profile.logical_cpus
        assert None is not profile.memory_total_bytes
        assert 0 < profile.memory_total_bytes
        assert None is not profile.memory_available_bytes
        assert profile.memory_total_bytes >= profile.memory_available_bytes
        if profile.physical_cores is not None:
            assert profile.logical_cpus >= profile.physical_cores

    def test_is_exported(self):
        """detect_hardware is public in qwen3vl and qwen3vl.hardware."""
        from qwen3vl import hardware

        assert (detect_hardware, detect_hardware) == (
            qwen3vl.detect_hardware,
            hardware.detect_hardware,
        )
