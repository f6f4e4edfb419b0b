#!/usr/bin/env python3
"""Splits a process's resident memory so a bench figure is explained, not guessed.

Usage: bench/rss_split.py NAME PID [DATA_DIR] [--java]

Prints VmRSS as RssAnon + RssFile + RssShmem (/proc/PID/status; and the peak, VmHWM), the file part by mapping
(/proc/PID/smaps: Rss summed per kind of file; files under DATA_DIR by their path there, with
numbered names as '*', so a store's cycle files or a TSDB's blocks add up per directory; files
deleted but still mapped are counted apart), and with --java the anonymous part as the Java heap
(the Rss of the mappings inside the heap's reserved range, from `jcmd PID GC.heap_info`) and the
rest, with the JVM's own account of that rest when it runs with -XX:NativeMemoryTracking=summary
(`jcmd PID VM.native_memory summary`: committed, not resident, per category).
"""
import os
import re
import subprocess
import sys


def mib(kb):
    return kb / 1024.0


def status(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmHWM", "VmRSS", "RssAnon", "RssFile", "RssShmem"):
                out[k] = int(v.split()[0])
    return out


def mappings(pid):
    """(start, end, path, rss_kb) per mapping; path '' for anonymous memory."""
    maps = []
    head = re.compile(r"^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$")
    cur = None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            m = head.match(line)
            if m:
                cur = [int(m.group(1), 16), int(m.group(2), 16), m.group(3).strip(), 0]
                maps.append(cur)
            elif line.startswith("Rss:") and cur is not None:
                cur[3] = int(line.split()[1])
    return maps


def kind(path, data_dir):
    """A label for a mapped file: what it is, or where in the data dir."""
    deleted = path.endswith(" (deleted)")
    p = path[: -len(" (deleted)")] if deleted else path
    if data_dir and p.startswith(data_dir.rstrip("/") + "/"):
        rel = p[len(data_dir.rstrip("/")) + 1:]
        parts = rel.split("/")
        # Numbered names (cycle files, chunk files, ULID block dirs) collapse to '*'.
        parts = ["*" if re.search(r"\d{3}", x) and not x.startswith("metadata") else x for x in parts]
        base = parts[-1]
        if base == "*" and "." in rel.split("/")[-1]:
            parts[-1] = "*." + rel.split("/")[-1].rsplit(".", 1)[1]
        label = "/".join(parts)
    elif p.endswith(".jsa"):
        label = "class-data archive (.jsa)"
    elif p.endswith(".jar"):
        label = "jars"
    elif p.endswith("/lib/modules"):
        label = "JDK modules image"
    elif ".so" in os.path.basename(p):
        label = "libjvm.so" if "libjvm.so" in p else "shared libraries (.so)"
    elif p.startswith("["):
        label = p
    else:
        label = "executable" if os.path.basename(p) and os.access(p, os.X_OK) else "other: " + p
    return label + (" (deleted, still mapped)" if deleted else "")


def heap_range(pid):
    """The Java heap's reserved address range from GC.heap_info, or None."""
    try:
        out = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    addrs = [int(a, 16) for a in re.findall(r"0x([0-9a-f]+)", out)]
    return (min(addrs), max(addrs)) if addrs else None


def nmt(pid):
    """(category, committed KB) from VM.native_memory summary, largest first; [] without NMT."""
    try:
        out = subprocess.run(["jcmd", str(pid), "VM.native_memory", "summary"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    cats = re.findall(r"^-\s+(.+?) \(reserved=\d+KB, committed=(\d+)KB\)", out, re.M)
    return sorted(((c.strip(), int(k)) for c, k in cats), key=lambda x: -x[1])


def main(argv):
    java = "--java" in argv
    args = [a for a in argv if a != "--java"]
    if len(args) < 2:
        sys.exit("usage: rss_split.py NAME PID [DATA_DIR] [--java]")
    name, pid = args[0], int(args[1])
    data_dir = os.path.realpath(args[2]) if len(args) > 2 else None
    st = status(pid)
    maps = mappings(pid)
    print(f"{name}: VmRSS {mib(st['VmRSS']):.1f} MiB = RssAnon {mib(st['RssAnon']):.1f} + RssFile {mib(st['RssFile']):.1f}"
          f" + RssShmem {mib(st['RssShmem']):.1f} (peak VmHWM {mib(st['VmHWM']):.1f})")
    files = {}
    for start, end, path, rss in maps:
        if path and not path.startswith("[") and rss:
            k = kind(path, data_dir)
            n, kb, paths = files.get(k, (0, 0, set()))
            paths.add(path)
            files[k] = (n, kb + rss, paths)
    parts = [f"{k} {mib(kb):.1f} ({len(ps)} file{'s' if len(ps) != 1 else ''})"
             for k, (n, kb, ps) in sorted(files.items(), key=lambda x: -x[1][1]) if kb >= 256]
    small = sum(kb for k, (n, kb, ps) in files.items() if kb < 256)
    print("  file-backed MiB: " + "; ".join(parts) + (f"; the rest {mib(small):.1f}" if small else ""))
    if java:
        hr = heap_range(pid)
        anon = [(s, e, r) for s, e, p, r in maps if not p or p == "[heap]" or p.startswith("[anon")]
        if hr:
            heap = sum(r for s, e, r in anon if hr[0] <= s < hr[1])
            print(f"  anonymous MiB: Java heap {mib(heap):.1f} resident, outside the heap {mib(st['RssAnon'] - heap):.1f}")
        cats = [(c, kb) for c, kb in nmt(pid) if c != "Java Heap"]
        if cats:
            print("  NMT committed outside the heap, MiB: " + "; ".join(f"{c} {mib(kb):.1f}" for c, kb in cats if kb >= 512))


if __name__ == "__main__":
    main(sys.argv[1:])
