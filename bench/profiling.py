"""What a benchmark's processes spent while it timed them: CPU seconds per process (from /proc, so a
loaded machine's waiting does not count) and, on request, py-spy flame graphs.

EJOURNAL_BENCH_PROFILE=<folder>: `profiled(...)` runs `py-spy record --pid` on each named process
while its block runs and writes <folder>/<label>-<name>.svg (docs/perf/ holds the ones we read);
EJOURNAL_BENCH_PROFILE_FORMAT=raw writes collapsed stacks (<label>-<name>.txt) instead, to sum.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()  # fields from the 3rd (state) on


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields is not None and int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def cpu_seconds(pid: int, children: bool = False) -> float:
    """User + system CPU of a process (and, with `children`, of its live and reaped children, as a
    postmaster's backends are)."""
    fields = _stat(pid)
    if fields is None:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    if children:
        ticks += int(fields[13]) + int(fields[14])  # cutime, cstime (reaped children)
        for child in _children(pid):
            child_fields = _stat(child)
            if child_fields is not None:
                ticks += int(child_fields[11]) + int(child_fields[12])
    return ticks / TICKS


def thread_cpu(pid: int) -> dict[str, float]:
    """CPU seconds of each of a process's threads, summed by thread name (gRPC's core threads name
    themselves; Python threads are "python")."""
    found: dict[str, float] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            name = (task / "comm").read_text().strip()
            text = (task / "stat").read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        found[name] = found.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / TICKS
    return found


@contextmanager
def threads_used(pids: Mapping[str, int]) -> Iterator[dict[str, dict[str, float]]]:
    """Fills the yielded dict with each process's CPU seconds per thread name inside the block."""
    before = {name: thread_cpu(pid) for name, pid in pids.items()}
    spent: dict[str, dict[str, float]] = {}
    yield spent
    for name, pid in pids.items():
        after = thread_cpu(pid)
        spent[name] = {t: after[t] - before[name].get(t, 0.0) for t in after}


def print_threads(spent: Mapping[str, Mapping[str, float]], per: int) -> None:
    for process, threads in spent.items():
        busy = sorted(((s, t) for t, s in threads.items() if s > 0), reverse=True)
        parts = ", ".join(f"{t} {s / per * 1000:.2f} ms" for s, t in busy)
        print(f"    {process} by thread: {parts}", flush=True)


def postmaster_pid(data_dir: Path) -> int:
    return int((data_dir / "postmaster.pid").read_text().split()[0])


@contextmanager
def cpu_used(
    pids: Mapping[str, int], with_children: frozenset[str] = frozenset()
) -> Iterator[dict[str, float]]:
    """Fills the yielded dict with each process's CPU seconds spent inside the block."""
    before = {name: cpu_seconds(pid, name in with_children) for name, pid in pids.items()}
    spent: dict[str, float] = {}
    yield spent
    for name, pid in pids.items():
        spent[name] = cpu_seconds(pid, name in with_children) - before[name]


def print_cpu(spent: Mapping[str, float], per: int, what: str) -> None:
    parts = ", ".join(f"{name} {seconds / per * 1000:.2f} ms" for name, seconds in spent.items())
    print(f"  CPU per {what}: {parts} (total {sum(spent.values()) / per * 1000:.2f} ms)", flush=True)


@contextmanager
def profiled(label: str, pids: Mapping[str, int]) -> Iterator[None]:
    """py-spy flame graphs of `pids` while the block runs, if EJOURNAL_BENCH_PROFILE names a folder."""
    folder = os.environ.get("EJOURNAL_BENCH_PROFILE")
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not folder:
        yield
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    kind = os.environ.get("EJOURNAL_BENCH_PROFILE_FORMAT", "flamegraph")
    suffix = ".txt" if kind == "raw" else ".svg"
    recorders = [
        subprocess.Popen(
            [
                spy,
                "record",
                "--pid",
                str(pid),
                "--rate",
                "250",
                "--nonblocking",
                "--format",
                kind,
                "--output",
                str(Path(folder) / f"{label}-{name}{suffix}"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for name, pid in pids.items()
    ]
    try:
        yield
    finally:
        for recorder in recorders:
            recorder.send_signal(signal.SIGINT)  # py-spy writes its graph on SIGINT
        for recorder in recorders:
            recorder.wait(60)
