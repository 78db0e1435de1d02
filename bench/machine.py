"""CPU accounting from /proc: a process tree, the whole machine, and load from other processes."""
import os
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")


def _proc_stat(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            text = fh.read()
    except OSError:
        return None
    # The command name is in parentheses and may hold spaces: split after it.
    return text[text.rindex(")") + 2:].split()


def children_of(pid: int) -> list[int]:
    """Live direct children of ``pid`` (gunicorn's workers of its master)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _proc_stat(int(entry))
            if fields and int(fields[1]) == pid:
                found.append(int(entry))
    return sorted(found)


def tree_cpu_seconds(pid: int) -> float:
    """CPU time of a process, its reaped children and its live children (one level)."""
    total = 0
    fields = _proc_stat(pid)
    if fields:
        # After the name: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
        total += sum(int(fields[i]) for i in (11, 12, 13, 14))
    for child in children_of(pid):
        child_fields = _proc_stat(child)
        if child_fields:
            total += sum(int(child_fields[i]) for i in (11, 12))
    return total / CLK_TCK


def machine_cpu() -> tuple[float, float]:
    """(busy, idle) seconds of all CPUs since boot, from /proc/stat."""
    with open("/proc/stat") as fh:
        values = [int(v) for v in fh.readline().split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values[:8]) - idle) / CLK_TCK, idle / CLK_TCK



def own_cpu_seconds() -> float:
    """CPU time of this process (all threads)."""
    return time.process_time()


class Meter:
    """Machine CPU over a stretch of time, split into ours and everybody else's.

    ``ours`` is a callable giving the CPU seconds used so far by the processes
    under test (this process, a server tree, load generators); whatever else
    the machine did meanwhile is load from other processes.
    """

    def __init__(self, ours=own_cpu_seconds):
        self.ours = ours
        self.wall0 = time.monotonic()
        self.busy0, self.idle0 = machine_cpu()
        self.ours0 = ours()

    def read(self) -> dict:
        busy, idle = machine_cpu()
        wall = time.monotonic() - self.wall0
        capacity = (busy - self.busy0) + (idle - self.idle0)
        ours = self.ours() - self.ours0
        other = max(0.0, (busy - self.busy0) - ours)
        return {"wall_s": wall, "capacity_s": capacity, "ours_s": ours, "other_s": other,
                "other_share": other / capacity if capacity else 0.0,
                "idle_share": (idle - self.idle0) / capacity if capacity else 0.0}


def background_load(seconds: float = 1.0) -> float:
    """Share of the whole machine busy with other processes over ``seconds`` (this one sleeps)."""
    meter = Meter()
    time.sleep(seconds)
    return meter.read()["other_share"]


def wait_for_quiet(max_wait: float, threshold: float = 0.15, sample: float = 1.0) -> tuple[float, float]:
    """Wait up to ``max_wait`` s for other processes to use under ``threshold`` of the machine.

    Returns (load seen last, seconds waited). Never fails: a busy machine is
    reported, not hidden.
    """
    began = time.monotonic()
    load = background_load(sample)
    while load > threshold and time.monotonic() - began < max_wait:
        load = background_load(sample)
    return load, time.monotonic() - began
