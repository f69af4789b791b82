"""Tests for host detection: fake /proc and /sys trees, fake nvidia-smi."""

from __future__ import annotations

import os
import pathlib
import sys
import textwrap
import time
import types

import pytest
import qwen3vl

from qwen3vl.hardware import (
    DiskInfo,
    GPUInfo,
    HardwareProfile,
    detect_hardware,
)
from qwen3vl.hardware import _detect as detect
from qwen3vl.hardware import _disks as disk_detect
from qwen3vl.hardware import _gpus as gpu_detect


KiB, MiB, GiB = 1024, 1024**2, 1024**3


def write(root: pathlib.Path, path: str, text: str) -> pathlib.Path:
    """Write `text` to `path` under `root`, making the folders on the way."""
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


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
        write(root, f"{base}/level", f"{level}\n")
        write(root, f"{base}/type", f"{kind}\n")
        write(root, f"{base}/size", f"{size}\n")


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
        write(root, f"{base}/physical_package_id", f"{package}\n")
        write(root, f"{base}/core_id", f"{core}\n")


@pytest.fixture
def no_gpu_tools(monkeypatch, tmp_path):
    """Hide NVML and every nvidia-smi, so fake trees see no GPU."""
    monkeypatch.setitem(sys.modules, "pynvml", None)
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


@pytest.fixture
def i5(tmp_path):
    """Return a fake root for the specification's i5-10210U laptop."""
    root = tmp_path / "root"
    write(root, "proc/cpuinfo", cpuinfo(I5, I5_FLAGS, I5_TOPOLOGY))
    write(root, "proc/meminfo", MEMINFO)
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
        write(
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
        write(tmp_path, "proc/cpuinfo", AARCH64_CPUINFO)
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
        write(tmp_path, "proc/cpuinfo", cpuinfo("x", flags, None))

        assert simd == run(tmp_path).simd

    def test_sysfs_topology_when_cpuinfo_lacks_it(self, tmp_path):
        """Without physical id and core id, sysfs topology gives the cores."""
        write(tmp_path, "proc/cpuinfo", cpuinfo(I5, I5_FLAGS, None))
        make_topology(tmp_path, I5_TOPOLOGY)

        assert 4 == run(tmp_path).physical_cores

    def test_cores_unknown_when_no_topology(self, tmp_path):
        """Without any topology the core count is unknown, not guessed."""
        write(tmp_path, "proc/cpuinfo", cpuinfo(I5, I5_FLAGS, None))

        profile = run(tmp_path)

        assert (None, 8) == (profile.physical_cores, profile.logical_cpus)

    def test_cores_unknown_when_topology_misses_a_usable_cpu(self, tmp_path):
        """A usable CPU without topology makes the count unknown."""
        write(tmp_path, "proc/cpuinfo", cpuinfo(I5, I5_FLAGS, I5_TOPOLOGY))

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
        write(i5, "sys/fs/cgroup/cpu.max", cpu_max)

        profile = run(i5)

        assert (logical, physical) == (
            profile.logical_cpus,
            profile.physical_cores,
        )

    @pytest.mark.parametrize("mount", ["cpu", "cpu,cpuacct"])
    @pytest.mark.parametrize(("quota", "logical"), [("300000", 3), ("-1", 8)])
    def test_v1_cpu_quota(self, i5, mount, quota, logical):
        """cgroup v1 cfs quota over period caps the CPUs; -1 is no limit."""
        write(i5, f"sys/fs/cgroup/{mount}/cpu.cfs_quota_us", f"{quota}\n")
        write(i5, f"sys/fs/cgroup/{mount}/cpu.cfs_period_us", "100000\n")

        assert logical == run(i5).logical_cpus

    def test_own_group_and_its_parents_all_bind(self, i5):
        """The tightest limit on the way from this group to the root wins."""
        write(i5, "proc/self/cgroup", "0::/outer/inner\n")
        write(i5, "sys/fs/cgroup/outer/cpu.max", "300000 100000\n")
        write(i5, "sys/fs/cgroup/outer/inner/cpu.max", "max 100000\n")
        write(i5, "sys/fs/cgroup/other/cpu.max", "100000 100000\n")

        assert 3 == run(i5).logical_cpus

    def test_v1_own_group_is_found_from_proc_self_cgroup(self, i5):
        """A v1 controller's group comes from its line in /proc/self/cgroup."""
        write(
            i5,
            "proc/self/cgroup",
            "4:memory:/job/7\n2:cpu,cpuacct:/job/7\n0::/\n",
        )
        write(i5, "sys/fs/cgroup/cpu,cpuacct/job/7/cpu.cfs_quota_us", "200000")
        write(
            i5, "sys/fs/cgroup/cpu,cpuacct/job/7/cpu.cfs_period_us", "100000"
        )
        write(i5, "sys/fs/cgroup/memory/job/7/memory.limit_in_bytes", str(GiB))
        write(i5, "sys/fs/cgroup/memory/job/7/memory.usage_in_bytes", "0")

        profile = run(i5)

        assert (2, GiB, GiB) == (
            profile.logical_cpus,
            profile.memory_total_bytes,
            profile.memory_available_bytes,
        )

    def test_v2_memory_limit(self, i5):
        """memory.max caps the total, and memory.current what is left."""
        write(i5, "sys/fs/cgroup/memory.max", f"{4 * GiB}\n")
        write(i5, "sys/fs/cgroup/memory.current", f"{GiB}\n")

        profile = run(i5)

        assert (4 * GiB, 3 * GiB) == (
            profile.memory_total_bytes,
            profile.memory_available_bytes,
        )

    def test_v2_memory_without_limit(self, i5):
        """memory.max "max" leaves the machine's figures."""
        write(i5, "sys/fs/cgroup/memory.max", "max\n")
        write(i5, "sys/fs/cgroup/memory.current", f"{GiB}\n")

        profile = run(i5)

        assert (MEM_TOTAL, MEM_AVAILABLE) == (
            profile.memory_total_bytes,
            profile.memory_available_bytes,
        )

    def test_v1_memory_limit(self, i5):
        """memory.limit_in_bytes caps the total, usage what is left."""
        write(i5, "sys/fs/cgroup/memory/memory.limit_in_bytes", str(2 * GiB))
        write(i5, "sys/fs/cgroup/memory/memory.usage_in_bytes", str(GiB // 2))

        profile = run(i5)

        assert (2 * GiB, 3 * GiB // 2) == (
            profile.memory_total_bytes,
            profile.memory_available_bytes,
        )

    def test_v1_unlimited_is_ignored(self, i5):
        """cgroup v1's huge "unlimited" value is no limit."""
        write(
            i5,
            "sys/fs/cgroup/memory/memory.limit_in_bytes",
            "9223372036854771712\n",
        )
        write(i5, "sys/fs/cgroup/memory/memory.usage_in_bytes", str(GiB))

        profile = run(i5)

        assert (MEM_TOTAL, MEM_AVAILABLE) == (
            profile.memory_total_bytes,
            profile.memory_available_bytes,
        )

    def test_limit_above_the_machine_changes_nothing(self, i5):
        """A limit larger than the RAM leaves the RAM's figures."""
        write(i5, "sys/fs/cgroup/memory.max", f"{64 * GiB}\n")
        write(i5, "sys/fs/cgroup/memory.current", f"{GiB}\n")

        profile = run(i5)

        assert (MEM_TOTAL, MEM_AVAILABLE) == (
            profile.memory_total_bytes,
            profile.memory_available_bytes,
        )

    def test_usage_above_the_limit_leaves_nothing(self, i5):
        """A group over its limit has no memory available, not less."""
        write(i5, "sys/fs/cgroup/memory.max", f"{GiB}\n")
        write(i5, "sys/fs/cgroup/memory.current", f"{2 * GiB}\n")

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
        write(tmp_path, "proc/cpuinfo", "no colons here\n\x00\xff\n")
        write(tmp_path, "proc/meminfo", "MemTotal: lots\nMemAvailable:\n")
        write(tmp_path, "proc/self/cgroup", "::::\nnonsense\n")
        write(tmp_path, "sys/fs/cgroup/cpu.max", "a b\n")
        write(tmp_path, "sys/fs/cgroup/memory.max", "-\n")
        write(tmp_path, "sys/fs/cgroup/cpu/cpu.cfs_quota_us", "x\n")
        write(tmp_path, "sys/fs/cgroup/cpu/cpu.cfs_period_us", "0\n")
        make_caches(tmp_path, [(1, "Data", "lots"), (2, "Unified", "")])
        make_topology(tmp_path, [(0, 0)])
        write(
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
        write(i5, "sys/fs/cgroup/memory.max", f"{GiB}\n")
        write(i5, "sys/fs/cgroup/memory.current", "0\n")

        assert (MEM_AVAILABLE, GiB) == (before, run(i5).memory_available_bytes)


def block_link(root, major, minor, target):
    """Link /sys/dev/block/major:minor to a device folder, as sysfs does."""
    link = root / "sys" / "dev" / "block" / f"{major}:{minor}"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(f"../../devices/{target}")


def block_device(root, path, *, partition=None, rotational=None):
    """Make a sysfs block device folder, with /sys/block and class links."""
    device = root / "sys" / "devices" / path
    device.mkdir(parents=True)
    name = device.name
    if partition is not None:
        write(device, "partition", f"{partition}\n")
    else:
        (root / "sys" / "block").mkdir(parents=True, exist_ok=True)
        (root / "sys" / "block" / name).symlink_to(device)
    if rotational is not None:
        write(device, "queue/rotational", f"{rotational}\n")
    (root / "sys" / "class" / "block").mkdir(parents=True, exist_ok=True)
    (root / "sys" / "class" / "block" / name).symlink_to(device)
    return device


class TestDisk:
    def test_nvme_partition(self, tmp_path):
        """A partition of an NVMe namespace is on an NVMe disk."""
        block_device(tmp_path, "pci0/nvme/nvme0/nvme0n1", rotational=0)
        block_device(
            tmp_path, "pci0/nvme/nvme0/nvme0n1/nvme0n1p2", partition=2
        )
        block_link(tmp_path, 259, 2, "pci0/nvme/nvme0/nvme0n1/nvme0n1p2")

        assert "nvme" == disk_detect._disk_kind(tmp_path, 259, 2)

    @pytest.mark.parametrize(
        ("rotational", "kind"),
        [("1", "hdd"), ("0", "ssd"), ("2", "unknown"), (None, "unknown")],
    )
    def test_sata_partition_by_rotational_flag(
        self, tmp_path, rotational, kind
    ):
        """Other disks are HDD or SSD by their whole disk's rotational flag."""
        block_device(tmp_path, "pci0/ata1/block/sda", rotational=rotational)
        block_device(tmp_path, "pci0/ata1/block/sda/sda1", partition=1)
        block_link(tmp_path, 8, 1, "pci0/ata1/block/sda/sda1")

        assert kind == disk_detect._disk_kind(tmp_path, 8, 1)

    def test_whole_disk_without_partitions(self, tmp_path):
        """A filesystem on a whole disk takes that disk's kind."""
        block_device(tmp_path, "virtio1/block/vdb", rotational=0)
        block_link(tmp_path, 254, 16, "virtio1/block/vdb")

        assert "ssd" == disk_detect._disk_kind(tmp_path, 254, 16)

    def test_device_mapper_on_nvme(self, tmp_path):
        """LUKS or LVM on an NVMe partition is on an NVMe disk."""
        block_device(tmp_path, "pci0/nvme0n1", rotational=0)
        block_device(tmp_path, "pci0/nvme0n1/nvme0n1p3", partition=3)
        dm = block_device(tmp_path, "virtual/block/dm-0", rotational=0)
        (dm / "slaves").mkdir()
        (dm / "slaves" / "nvme0n1p3").symlink_to(
            tmp_path / "sys/devices/pci0/nvme0n1/nvme0n1p3"
        )
        block_link(tmp_path, 252, 0, "virtual/block/dm-0")

        assert "nvme" == disk_detect._disk_kind(tmp_path, 252, 0)

    def test_device_mapper_on_a_spinning_partition(self, tmp_path):
        """Device mapper over a HDD partition is on a HDD."""
        block_device(tmp_path, "ata/sda", rotational=1)
        block_device(tmp_path, "ata/sda/sda2", partition=2)
        dm = block_device(tmp_path, "virtual/block/dm-1", rotational=0)
        (dm / "slaves").mkdir()
        (dm / "slaves" / "sda2").symlink_to(
            tmp_path / "sys/devices/ata/sda/sda2"
        )
        block_link(tmp_path, 252, 1, "virtual/block/dm-1")

        assert "hdd" == disk_detect._disk_kind(tmp_path, 252, 1)

    def test_no_block_device_is_unknown(self, tmp_path):
        """overlay, tmpfs and network filesystems have no block device."""
        assert "unknown" == disk_detect._disk_kind(tmp_path, 0, 42)

    def test_folder_links_to_its_device(self, tmp_path):
        """The folder's st_dev leads to the sysfs device of its disk."""
        folder = tmp_path / "offload"
        folder.mkdir()
        device = folder.stat().st_dev
        block_device(tmp_path, "pci0/nvme0n1", rotational=0)
        block_link(
            tmp_path, os.major(device), os.minor(device), "pci0/nvme0n1"
        )

        disk = disk_detect.detect_disk(tmp_path, str(folder))

        assert ("nvme", str(folder)) == (disk.kind, disk.path)
        assert None is not disk.free_bytes
        assert 0 < disk.free_bytes

    def test_free_bytes_are_statvfs_available_blocks(self, tmp_path):
        """Free space is what an unprivileged user may still write."""
        stats = os.statvfs(tmp_path)

        free = disk_detect.detect_disk(tmp_path, str(tmp_path)).free_bytes

        assert None is not free
        # Other processes write too; a few MiB either way is the same disk.
        assert abs(stats.f_bavail * stats.f_frsize - free) < 64 * MiB

    def test_folder_not_created_yet_uses_its_parent(self, tmp_path):
        """An offload folder to be created is judged by its existing parent."""
        folder = tmp_path / "not" / "yet"

        disk = disk_detect.detect_disk(tmp_path, str(folder))

        assert str(folder) == disk.path
        assert None is not disk.free_bytes

    def test_unusable_path_is_unknown(self, tmp_path):
        """A path the OS refuses gives an unknown disk, not an exception."""
        assert DiskInfo(path="bad\x00path") == disk_detect.detect_disk(
            tmp_path, "bad\x00path"
        )

    @pytest.mark.usefixtures("no_gpu_tools")
    def test_offload_folder_argument(self, tmp_path):
        """detect_hardware looks at the offload folder it is given."""
        disk = detect_hardware(offload_folder=tmp_path).disk

        assert None is not disk
        assert str(tmp_path) == disk.path

    @pytest.mark.usefixtures("no_gpu_tools")
    def test_default_is_the_working_directory(self, tmp_path, monkeypatch):
        """Without an offload folder the working directory's disk is used."""
        monkeypatch.chdir(tmp_path)

        disk = detect_hardware().disk

        assert None is not disk
        assert str(tmp_path) == disk.path


NVIDIA_SMI_1060 = "NVIDIA GeForce GTX 1060 6GB, 6.1, 6144\n"
NVIDIA_SMI_TWO = (
    "NVIDIA H100 80GB HBM3, 9.0, 81559\nNVIDIA A100-SXM4-40GB, 8.0, 40960\n"
)
GTX_1060 = GPUInfo(
    name="NVIDIA GeForce GTX 1060 6GB",
    compute_capability=(6, 1),
    memory_bytes=6 * GiB,
    memory_bandwidth_gbps=192.0,
)


@pytest.fixture
def fake_smi(monkeypatch, tmp_path):
    """Return a function that installs a fake nvidia-smi, alone on PATH."""
    monkeypatch.setitem(sys.modules, "pynvml", None)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    # Alone, so that a real nvidia-smi on a GPU host cannot answer instead.
    monkeypatch.setenv("PATH", str(bin_dir))

    def install(script: str) -> None:
        path = bin_dir / "nvidia-smi"
        text = f"#!/bin/sh\nPATH=/usr/bin:/bin\n{script}\n"
        path.write_text(text, encoding="utf-8")
        path.chmod(0o755)

    return install


def printing(output: str, status: int = 0) -> str:
    """Return a shell script body that prints `output` and exits."""
    return f"cat <<'EOF'\n{output}EOF\nexit {status}"


class TestNvidiaSmi:
    def test_one_gpu(self, fake_smi):
        """One CSV line is one GPU, with the bandwidth the table knows."""
        fake_smi(printing(NVIDIA_SMI_1060))

        assert (GTX_1060,) == detect_hardware().gpus

    def test_two_gpus(self, fake_smi, tmp_path):
        """Each line is a GPU, in nvidia-smi's order."""
        fake_smi(printing(NVIDIA_SMI_TWO))

        assert (
            GPUInfo("NVIDIA H100 80GB HBM3", (9, 0), 81559 * MiB, 3352.0),
            GPUInfo("NVIDIA A100-SXM4-40GB", (8, 0), 40 * GiB, 1555.0),
        ) == gpu_detect.detect_gpus(tmp_path, 2.0)

    def test_the_query_asked(self, fake_smi, tmp_path):
        """nvidia-smi is asked for name, capability and MiB, CSV, no header."""
        args = tmp_path / "args"
        fake_smi(f'echo "$@" > {args}\n' + printing(NVIDIA_SMI_1060))

        gpu_detect.detect_gpus(tmp_path, 2.0)

        assert (
            "--query-gpu=name,compute_cap,memory.total "
            "--format=csv,noheader,nounits\n"
        ) == args.read_text(encoding="utf-8")

    def test_unknown_figures(self, fake_smi, tmp_path):
        """[N/A] figures and unknown products leave the figures unknown."""
        fake_smi(printing("Future GPU, [N/A], [N/A]\n"))

        assert (GPUInfo("Future GPU"),) == gpu_detect.detect_gpus(
            tmp_path, 2.0
        )

    def test_garbage_lines_are_skipped(self, fake_smi, tmp_path):
        """Lines that are not name, capability and memory are skipped."""
        fake_smi(printing("Warning: something\n" + NVIDIA_SMI_1060 + "a, b\n"))

        assert (GTX_1060,) == gpu_detect.detect_gpus(tmp_path, 2.0)

    @pytest.mark.parametrize(
        "output",
        [
            (
                "NVIDIA-SMI has failed because it couldn't communicate with "
                "the NVIDIA driver.\n"
            ),
            "a, b\n",
            ", 8.0, 1024\n",
            "\n\n",
            "",
        ],
    )
    def test_garbage_is_unknown(self, fake_smi, tmp_path, output):
        """Output without a GPU line leaves the GPUs unknown, not none."""
        fake_smi(printing(output))

        assert None is gpu_detect.detect_gpus(tmp_path, 2.0)

    def test_failing_command_is_unknown(self, fake_smi, tmp_path):
        """A non-zero exit leaves the GPUs unknown, whatever it printed."""
        fake_smi(printing(NVIDIA_SMI_1060, status=1))

        assert None is gpu_detect.detect_gpus(tmp_path, 2.0)

    def test_hanging_command_is_unknown_and_no_hang(self, fake_smi, tmp_path):
        """A wedged nvidia-smi is given up on after the timeout."""
        fake_smi("exec sleep 30")
        start = time.monotonic()

        gpus = gpu_detect.detect_gpus(tmp_path, 0.3)

        assert None is gpus
        assert 5 > time.monotonic() - start

    def test_broken_executable_is_unknown(self, fake_smi, tmp_path):
        """A nvidia-smi that cannot be started leaves the GPUs unknown."""
        fake_smi("")
        (tmp_path / "bin" / "nvidia-smi").write_bytes(b"\x7fELF-broken")

        assert None is gpu_detect.detect_gpus(tmp_path, 2.0)

    @pytest.mark.usefixtures("fake_smi")
    def test_absent_is_no_gpu(self, tmp_path):
        """Without NVML, nvidia-smi or the driver there is no NVIDIA GPU."""
        assert () == gpu_detect.detect_gpus(tmp_path, 2.0)

    def test_detect_hardware_waits_two_seconds_at_most(self):
        """The real call gives nvidia-smi two seconds."""
        assert 2.0 == gpu_detect.NVIDIA_SMI_TIMEOUT


DRIVER_INFORMATION = textwrap.dedent("""\
    Model: \t\t NVIDIA GeForce RTX 3090
    IRQ:   \t\t 130
    GPU UUID: \t GPU-00000000-0000-0000-0000-000000000000
    Bus Location: \t 0000:01:00.0
    Device Minor: \t 0
""")


class TestDriver:
    @pytest.mark.usefixtures("fake_smi")
    def test_driver_names_the_gpus_without_tools(self, tmp_path):
        """Without NVML or nvidia-smi the driver's list names the GPUs."""
        gpus = tmp_path / "proc/driver/nvidia/gpus"
        write(gpus, "0000:01:00.0/information", DRIVER_INFORMATION)
        write(gpus, "0000:02:00.0/information", "unreadable\n")

        assert (
            GPUInfo("NVIDIA GeForce RTX 3090", memory_bandwidth_gbps=936.2),
            GPUInfo("NVIDIA GPU"),
        ) == gpu_detect.detect_gpus(tmp_path, 2.0)

    def test_driver_answers_when_nvidia_smi_fails(self, fake_smi, tmp_path):
        """A failing nvidia-smi does not hide the GPUs the driver lists."""
        fake_smi("exit 9")
        gpus = tmp_path / "proc/driver/nvidia/gpus"
        write(gpus, "0000:01:00.0/information", DRIVER_INFORMATION)

        assert (
            GPUInfo("NVIDIA GeForce RTX 3090", memory_bandwidth_gbps=936.2),
        ) == gpu_detect.detect_gpus(tmp_path, 2.0)

    def test_driver_without_gpus(self, fake_smi, tmp_path):
        """A loaded driver that lists no GPU means there is none."""
        fake_smi("exit 9")
        (tmp_path / "proc/driver/nvidia/gpus").mkdir(parents=True)

        assert () == gpu_detect.detect_gpus(tmp_path, 2.0)


class _NVMLError(Exception):
    pass


def fake_nvml(devices, *, init_error=False, calls=None):
    """Return a stand-in for the pynvml module over `devices` (dicts)."""
    calls = [] if calls is None else calls

    def need(device, key):
        if device.get(key) is None:
            raise _NVMLError(key)
        return device[key]

    def init():
        calls.append("init")
        if init_error:
            raise _NVMLError

    def memory(handle):
        return types.SimpleNamespace(total=need(handle, "total"))

    def max_clock(handle, clock):
        assert 2 == clock  # NVML_CLOCK_MEM
        return need(handle, "clock")

    return types.SimpleNamespace(
        NVMLError=_NVMLError,
        NVML_CLOCK_MEM=2,
        nvmlInit=init,
        nvmlShutdown=lambda: calls.append("shutdown"),
        nvmlDeviceGetCount=lambda: len(devices),
        nvmlDeviceGetHandleByIndex=lambda i: devices[i],
        nvmlDeviceGetName=lambda h: need(h, "name"),
        nvmlDeviceGetCudaComputeCapability=lambda h: need(h, "cc"),
        nvmlDeviceGetMemoryInfo=memory,
        nvmlDeviceGetMemoryBusWidth=lambda h: need(h, "bus"),
        nvmlDeviceGetMaxClockInfo=max_clock,
    )


H100_NVML = {
    "name": "NVIDIA H100 80GB HBM3",
    "cc": (9, 0),
    "total": 80 * GiB,
    "bus": 5120,
    "clock": 2619,
}


class TestNvml:
    def test_preferred_over_nvidia_smi(self, fake_smi, monkeypatch):
        """With pynvml importable, NVML answers and nvidia-smi is not asked."""
        fake_smi(printing(NVIDIA_SMI_1060))
        calls = []
        monkeypatch.setitem(
            sys.modules, "pynvml", fake_nvml([H100_NVML], calls=calls)
        )

        gpus = detect_hardware().gpus

        assert (
            GPUInfo("NVIDIA H100 80GB HBM3", (9, 0), 80 * GiB, 3352.3),
        ) == gpus
        assert ["init", "shutdown"] == calls

    def test_bandwidth_from_table_when_nvml_lacks_it(
        self, monkeypatch, tmp_path
    ):
        """Without bus width or clock, the table gives the bandwidth."""
        old = {**H100_NVML, "name": b"NVIDIA H100 PCIe", "bus": None}
        bare = {"name": None, "cc": None, "total": None, "bus": 1, "clock": 0}
        monkeypatch.setitem(sys.modules, "pynvml", fake_nvml([old, bare]))

        assert (
            GPUInfo("NVIDIA H100 PCIe", (9, 0), 80 * GiB, 2039.0),
            GPUInfo("NVIDIA GPU"),
        ) == gpu_detect.detect_gpus(tmp_path, 2.0)

    def test_nvml_without_driver_falls_back(
        self, fake_smi, monkeypatch, tmp_path
    ):
        """When nvmlInit fails, nvidia-smi is asked instead."""
        fake_smi(printing(NVIDIA_SMI_1060))
        monkeypatch.setitem(
            sys.modules, "pynvml", fake_nvml([], init_error=True)
        )

        assert (GTX_1060,) == gpu_detect.detect_gpus(tmp_path, 2.0)

    def test_nvml_with_no_devices(self, monkeypatch, tmp_path):
        """NVML that counts no device means no GPU."""
        monkeypatch.setenv("PATH", str(tmp_path))
        monkeypatch.setitem(sys.modules, "pynvml", fake_nvml([]))

        assert () == gpu_detect.detect_gpus(tmp_path, 2.0)


class TestBandwidthTable:
    @pytest.mark.parametrize(
        ("name", "gbps"),
        [
            ("NVIDIA H100 80GB HBM3", 3352.0),
            ("NVIDIA H100 PCIe", 2039.0),
            ("NVIDIA H200", 4800.0),
            ("NVIDIA A100-SXM4-80GB", 2039.0),
            ("NVIDIA A100 80GB PCIe", 2039.0),
            ("NVIDIA A100-PCIE-40GB", 1555.0),
            ("NVIDIA GeForce RTX 4090", 1008.0),
            ("NVIDIA GeForce RTX 3090", 936.2),
            ("NVIDIA GeForce RTX 3090 Ti", 1008.0),
            ("NVIDIA GeForce RTX 3080", 760.0),
            ("NVIDIA L4", 300.0),
            ("NVIDIA L40S", 864.0),
            ("Tesla T4", 320.0),
            ("Tesla V100-SXM2-16GB", 900.0),
            ("NVIDIA GeForce GTX 1060 6GB", 192.0),
            ("NVIDIA GeForce GTX 1060", 192.0),
            ("NVIDIA GeForce GTX 1060 5GB", None),
            ("NVIDIA GeForce RTX 2080", None),
        ],
    )
    def test_known_products(self, name, gbps):
        """Well-known products have their peak bandwidth; others none."""
        assert gbps == gpu_detect._known_bandwidth(name)


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
