#!/usr/bin/env python3
"""Fifty heavy range queries at once against a running Sandglass (issue 15 item 1): every client
sends its query at the same moment; prints each outcome (HTTP status and error type) and, from
/proc, the server's resident memory sampled every 50 ms while they run. Exit 1 when any answer
is other than 200/422/503 or the server died."""
import argparse, collections, json, threading, time, urllib.error, urllib.parse, urllib.request

p = argparse.ArgumentParser()
p.add_argument("--url", required=True)
p.add_argument("--pid", type=int, required=True, help="the server's java process")
p.add_argument("--clients", type=int, default=50)
p.add_argument("--start", type=int, default=1763596800)
p.add_argument("--hours", type=float, default=6)
p.add_argument("--step", default="15")
a = p.parse_args()

SHAPES = [  # the README's heavy mix: each reads every sandbox's raw samples over 6 h at step 15 s
    "rate(microsandbox_network_bytes_received[5m])",
    "quantile_over_time(0.99, microsandbox_cpu_utilization_ratio[10m])",
    "max_over_time(microsandbox_memory_usage_bytes[30m])",
    "sum by (sandbox_name) (rate(microsandbox_disk_bytes_written[1m]))",
    "{__name__=~\"microsandbox_.*\"}",
]

def rss_kb(key="VmRSS"):
    with open("/proc/%d/status" % a.pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0

outcomes = collections.Counter()
times = []
lock = threading.Lock()
go = threading.Event()

def client(i):
    q = SHAPES[i % len(SHAPES)]
    body = urllib.parse.urlencode({"query": q, "start": a.start, "end": int(a.start + a.hours * 3600), "step": a.step}).encode()
    go.wait()
    t0 = time.time()
    try:
        with urllib.request.urlopen(a.url + "/api/v1/query_range", data=body, timeout=300) as r:
            status, kind = r.status, "success"
            r.read()
    except urllib.error.HTTPError as e:
        status = e.code
        try:
            d = json.loads(e.read())
            kind = d.get("errorType", "?") + (": " + d.get("error", "")[:60] if status not in (422,) else "")
        except Exception:
            kind = "unreadable"
    except Exception as e:
        status, kind = 0, type(e).__name__
    with lock:
        outcomes[(status, kind if status != 200 else "success")] += 1
        times.append(time.time() - t0)

threads = [threading.Thread(target=client, args=(i,)) for i in range(a.clients)]
for t in threads:
    t.start()
before = rss_kb()
peak = before
samples = []
go.set()
t0 = time.time()
while any(t.is_alive() for t in threads):
    try:
        kb = rss_kb()
    except FileNotFoundError:
        break
    peak = max(peak, kb)
    samples.append(kb)
    time.sleep(0.05)
for t in threads:
    t.join()
wall = time.time() - t0
alive = True
try:
    after = rss_kb()
except FileNotFoundError:
    alive, after = False, 0
print("%d heavy range queries at once (%s h at step %s s): all answered in %.1f s" % (a.clients, a.hours, a.step, wall))
for (status, kind), n in sorted(outcomes.items()):
    print("  %3d x HTTP %d %s" % (n, status, kind))
print("  resident: %d MiB before, peak %d MiB while they ran (sampled every 50 ms), %d MiB right after; server %s"
      % (before // 1024, peak // 1024, after // 1024, "alive" if alive else "DEAD"))
bad = [s for (s, _) in outcomes if s not in (200, 422, 503)]
raise SystemExit(1 if bad or not alive else 0)
