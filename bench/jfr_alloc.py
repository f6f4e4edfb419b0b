#!/usr/bin/env python3
"""Aggregates a JFR recording's allocation samples by site (JDK 17's `jfr` has no allocation view).

Usage: bench/jfr_alloc.py FILE.jfr [--thread NAME] [--top N] [--depth D]

Reads jdk.ObjectAllocationSample events (`jfr print --json`), optionally only those of threads
whose name contains NAME (the seal runs on `sandglass-storage-jobs`), and prints the sampled
bytes (the events' weights: an estimate of all bytes allocated, not only the sampled objects)
by thread, by allocated class, by allocating site (the first frame outside java.*/jdk.*/sun.*,
with the class allocated) and by the D frames under the allocation.
"""
import collections
import json
import subprocess
import sys


def frames(ev):
    st = ev.get("stackTrace") or {}
    out = []
    for f in st.get("frames") or []:
        m = f.get("method") or {}
        t = (m.get("type") or {}).get("name", "?")
        out.append(f"{t}.{m.get('name', '?')}:{f.get('lineNumber', '?')}")
    return out


def app_frame(fs):
    for f in fs:
        if not f.startswith(("java.", "jdk.", "sun.")):
            return f
    return fs[0] if fs else "?"


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__, file=sys.stderr)
        sys.exit(1)
    path, thread, top, depth = args[0], None, 15, 4
    i = 1
    while i < len(args):
        if args[i] == "--thread":
            thread = args[i + 1]
        elif args[i] == "--top":
            top = int(args[i + 1])
        elif args[i] == "--depth":
            depth = int(args[i + 1])
        i += 2
    raw = subprocess.run(["jfr", "print", "--json", "--stack-depth", "12", "--events", "jdk.ObjectAllocationSample", path],
                         check=True, capture_output=True, text=True).stdout
    events = json.loads(raw)["recording"]["events"]
    by_thread, by_class, by_site, by_stack = (collections.Counter() for _ in range(4))
    total = 0
    for ev in events:
        v = ev["values"]
        tname = (v.get("eventThread") or {}).get("javaName") or "?"
        if thread and thread not in tname:
            continue
        w = v.get("weight", 0)
        cls = (v.get("objectClass") or {}).get("name", "?")
        fs = frames(v)
        total += w
        by_thread[tname] += w
        by_class[cls] += w
        by_site[f"{app_frame(fs)}  [{cls}]"] += w
        by_stack[" < ".join(fs[:depth])] += w
    mb = lambda b: b / 1048576.0
    print(f"allocation samples{' of threads ~' + thread if thread else ''}: {mb(total):.1f} MiB sampled weight")
    for title, c in (("by thread", by_thread), ("by class", by_class), ("by site (first frame outside the JDK)", by_site),
                     (f"by the {depth} frames under the allocation", by_stack)):
        print(f"-- {title}")
        for k, w in c.most_common(top):
            print(f"{mb(w):10.1f} MiB {100.0 * w / max(1, total):5.1f}%  {k}")


if __name__ == "__main__":
    main()
