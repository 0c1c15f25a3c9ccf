#!/usr/bin/env python3
"""Medians and spread of the bench CSVs: summarize.py deploy FILE."""
import csv, re, statistics, sys
from collections import defaultdict

def q(xs, p):
    xs = sorted(xs)
    k = (len(xs) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)

def deploy(path):
    rows = list(csv.DictReader(open(path)))
    by = defaultdict(list); ph = defaultdict(lambda: defaultdict(list))
    for r in rows:
        by[r["method"]].append(float(r["ms"]))
        for k, v in re.findall(r"(\w+)=([\d.]+)", r["phases"]):
            ph[r["method"]][k].append(float(v))
    base = statistics.median(by["by-hand"]) if by["by-hand"] else None
    print(f"{'method':8} {'n':>3} {'median':>8} {'p25':>8} {'p75':>8} {'min':>8} {'max':>8}  ratio  phases (medians)")
    for m in ("by-hand", "lib", "we", "we-nocds", "we-daemon"):
        xs = by.get(m)
        if not xs:
            continue
        med = statistics.median(xs)
        phs = " ".join(f"{k}={statistics.median(v):.1f}" for k, v in ph[m].items())
        ratio = f"{med / base:.2f}x" if base else "-"
        print(f"{m:8} {len(xs):3d} {med:8.1f} {q(xs,.25):8.1f} {q(xs,.75):8.1f} {min(xs):8.1f} {max(xs):8.1f}  {ratio:5}  {phs}")
    # Paired ratios (same round), less sensitive to load drifting during the run.
    rounds = defaultdict(dict)
    for r in rows:
        rounds[r["round"]][r["method"]] = float(r["ms"])
    for m in ("lib", "we", "we-nocds", "we-daemon"):
        rs = [v[m] / v["by-hand"] for v in rounds.values() if m in v and "by-hand" in v]
        if rs:
            print(f"paired {m}/by-hand: median {statistics.median(rs):.2f}x (p25 {q(rs,.25):.2f}, p75 {q(rs,.75):.2f}, n={len(rs)})")

if __name__ == "__main__":
    globals()[sys.argv[1]](*sys.argv[2:])
