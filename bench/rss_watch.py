#!/usr/bin/env python3
"""Samples the resident memory of processes every few seconds and prints per-minute figures.

Usage: bench/rss_watch.py SECONDS EVERY NAME=PID [NAME=PID ...]

Reads VmRSS of each process from /proc/PID/status every EVERY seconds for SECONDS, then prints
per minute the mean VmRSS of each (MiB) and the ratio of each later process to the first, the
mean and the max over the whole time, how many samples each later process was above the first,
and the peak (VmHWM: the most the process ever held, start-up included). The first process is
the reference (Prometheus in bench/scrape.sh). A process that is gone stops the sampling.
"""
import sys
import time


def status(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024.0
    return 0.0


def main(argv):
    seconds, every = float(argv[1]), float(argv[2])
    procs = [a.split("=", 1) for a in argv[3:]]
    names = [n for n, _ in procs]
    rows = []  # (elapsed seconds, [MiB per process])
    start = time.monotonic()
    while True:
        now = time.monotonic() - start
        if now > seconds + every / 2:
            break
        try:
            rows.append((now, [status(p, "VmRSS") for _, p in procs]))
        except OSError:
            break
        time.sleep(max(0.0, every * (len(rows)) - (time.monotonic() - start)))
    if not rows:
        print("rss_watch: no samples")
        return
    try:
        hwm = [status(p, "VmHWM") for _, p in procs]
    except OSError:
        hwm = None
    print(f"VmRSS every {every:g} s over {seconds / 60:.0f} min ({len(rows)} samples), per-minute means in MiB"
          f" and the ratio to {names[0]}:")
    head = f"{'minute':>6} " + " ".join(f"{n[:28]:>28}" for n in names) + " " + " ".join(f"{'ratio ' + n[:12]:>18}" for n in names[1:])
    print(head)
    minutes = max(1, round(seconds / 60))
    # The sample at the very end belongs to the last minute.
    minute_of = lambda t: min(int(t // 60), minutes - 1)
    for m in range(minutes):
        inside = [v for t, v in rows if minute_of(t) == m]
        if not inside:
            continue
        means = [sum(v[i] for v in inside) / len(inside) for i in range(len(names))]
        print(f"{m + 1:>6} " + " ".join(f"{x:>28.1f}" for x in means) + " "
              + " ".join(f"{x / means[0]:>18.2f}" for x in means[1:]))
    means = [sum(v[i] for _, v in rows) / len(rows) for i in range(len(names))]
    maxes = [max(v[i] for _, v in rows) for i in range(len(names))]
    print(f"{'mean':>6} " + " ".join(f"{x:>28.1f}" for x in means) + " " + " ".join(f"{x / means[0]:>18.2f}" for x in means[1:]))
    print(f"{'max':>6} " + " ".join(f"{x:>28.1f}" for x in maxes) + " " + " ".join(f"{x / maxes[0]:>18.2f}" for x in maxes[1:]))
    for i, n in enumerate(names[1:], 1):
        above = sum(1 for _, v in rows if v[i] > v[0])
        print(f"{n}: above {names[0]} in {above} of {len(rows)} samples")
    if hwm:
        print("peak VmHWM MiB: " + ", ".join(f"{n} {x:.1f}" for n, x in zip(names, hwm))
              + "; ratio " + ", ".join(f"{n} {x / hwm[0]:.2f}" for n, x in zip(names[1:], hwm[1:])))


if __name__ == "__main__":
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        sys.exit(1)
    main(sys.argv)
