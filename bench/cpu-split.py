#!/usr/bin/env python3
"""CPU time of the machine split by process kind over a window, for the allocation benchmarks.

  cpu-split.py START_EPOCH_MS SECONDS

Sleeps until START_EPOCH_MS + 1 s, samples every process's user+system time (/proc/PID/stat)
and the machine's (/proc/stat), sleeps SECONDS - 2, samples again, and prints one line:
  cpu window_s=.. busy_cpus=.. java_cpus=.. postgres_cpus=.. other_cpus=.. kernel_other_cpus=..
where *_cpus is CPU seconds per wall second (2.00 = both CPUs of a 2-CPU machine all the time).
busy_cpus is the machine's total (all of user, nice, system, irq, softirq, steal); the kinds are
by command: java = the benchmark's AllocWorker JVMs, postgres = every PostgreSQL server
process (backends, WAL writer, checkpointer...), other = the rest; kernel_other_cpus is
what the machine spent that no process's own counters hold (interrupts, kernel threads' work
not in /proc/PID/stat of a live process, processes that exited in the window).
"""
import os
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def procs():
    out = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                s = f.read()
        except OSError:
            continue
        comm = s[s.index("(") + 1:s.rindex(")")]
        fields = s[s.rindex(")") + 2:].split()
        if comm == "java":
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    if b"kr.codeb.bench.AllocWorker" not in f.read():
                        comm = "java (not a worker)"
            except OSError:
                continue
        out[pid] = (comm, int(fields[11]) + int(fields[12]))
    return out


def machine():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + v[4]
    return sum(v[:8]) - idle


def kind(comm):
    if comm == "java":
        return "java"
    if comm.startswith("postgres") or comm.startswith("postmaster"):
        return "postgres"
    return "other"


def main():
    start_ms, seconds = int(sys.argv[1]), float(sys.argv[2])
    delay = (start_ms + 1000) / 1000 - time.time()
    if delay > 0:
        time.sleep(delay)
    t0, m0, p0 = time.monotonic(), machine(), procs()
    time.sleep(max(1.0, seconds - 2))
    t1, m1, p1 = time.monotonic(), machine(), procs()
    wall = t1 - t0
    sums = {"java": 0, "postgres": 0, "other": 0}
    for pid, (comm, ticks) in p1.items():
        before = p0.get(pid)
        d = ticks - (before[1] if before and before[0] == comm else 0)
        sums[kind(comm)] += d
    busy = (m1 - m0) / TICK / wall
    per = {k: v / TICK / wall for k, v in sums.items()}
    print("cpu window_s=%.1f busy_cpus=%.2f java_cpus=%.2f postgres_cpus=%.2f other_cpus=%.2f"
          " kernel_other_cpus=%.2f" % (wall, busy, per["java"], per["postgres"], per["other"],
                                        busy - sum(per.values())))


if __name__ == "__main__":
    main()
