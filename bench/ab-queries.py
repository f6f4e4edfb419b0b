#!/usr/bin/env python3
# Usage: python3 bench/ab-queries.py CHECKOUT_A CHECKOUT_B [ROUNDS]   (default 15; needs bench/compare.sh's
#   imported reference store in /tmp/sandglass-bench/sg-data: run compare.sh once first)
# A/B of the eight reference range queries: two serves (checkouts A and B) on copies of the same
# imported reference store, queries alternated A/B per round; prints per-query medians and B/A.
import subprocess, sys, time, os, shutil, statistics, urllib.request, urllib.parse, tempfile, socket, signal
a, b, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 15
src = "/tmp/sandglass-bench/sg-data"
start = 1763596800; end = start + 6 * 3600 - 1
Q = ["rate(microsandbox_disk_bytes_written[5m])",
     "sum by (sandbox_name) (rate(microsandbox_network_bytes_received[1m]))",
     "increase(microsandbox_network_bytes_sent[1h])",
     "resets(microsandbox_uptime_seconds[1h])",
     "max_over_time(microsandbox_memory_usage_bytes[10m])",
     "topk(10, avg_over_time(microsandbox_cpu_utilization_ratio[5m]))",
     "sum(microsandbox_memory_usage_bytes) / sum(microsandbox_memory_limit_bytes)",
     "quantile_over_time(0.95, microsandbox_cpu_utilization_ratio[5m])"]
def port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p
work = tempfile.mkdtemp(prefix="s9ab.")
procs = {}; ports = {}
for name, co in (("A", a), ("B", b)):
    d = os.path.join(work, name); shutil.copytree(src, d)
    ports[name] = port()
    procs[name] = subprocess.Popen([co + "/sandglass", "serve", "--data-dir", d, "--retention", "100y", "--listen", "127.0.0.1:%d" % ports[name],
                                    "--msb-home", os.path.join(work, "noreg")], stdout=open(os.path.join(work, name + ".log"), "w"), stderr=subprocess.STDOUT)
def get(name, q):
    url = "http://127.0.0.1:%d/api/v1/query_range?" % ports[name] + urllib.parse.urlencode({"query": q, "start": start, "end": end, "step": 60})
    t0 = time.perf_counter(); urllib.request.urlopen(url, timeout=60).read(); return (time.perf_counter() - t0) * 1000
try:
    for name in ports:
        for _ in range(600):
            try:
                urllib.request.urlopen("http://127.0.0.1:%d/-/ready" % ports[name], timeout=1).read(); break
            except Exception:
                time.sleep(0.2)
    time.sleep(8)  # the start-up warm-ups
    for _ in range(5):
        for q in Q:
            get("A", q); get("B", q)
    t = {n: [[] for _ in Q] for n in ports}
    for r in range(rounds):
        order = ("A", "B") if r % 2 == 0 else ("B", "A")
        for i, q in enumerate(Q):
            for n in order:
                t[n][i].append(get(n, q))
    print("%-8s %8s %8s %6s  %s" % ("", "A ms", "B ms", "B/A", "query (medians of %d rounds, alternated)" % rounds))
    for i, q in enumerate(Q):
        ma, mb = statistics.median(t["A"][i]), statistics.median(t["B"][i])
        print("%-8s %8.1f %8.1f %6.2f  %s" % ("range", ma, mb, mb / ma, q))
finally:
    for p in procs.values():
        p.send_signal(signal.SIGTERM)
    for p in procs.values():
        p.wait(timeout=30)
    shutil.rmtree(work, ignore_errors=True)
