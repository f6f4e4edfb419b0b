#!/usr/bin/env python3
"""Load against a running Sandglass: CLIENTS threads mixing cheap and expensive queries for
DURATION seconds while it collects a demo fleet; prints a table of latencies and outcomes, and
whether ingest kept up (collections done against collections due)."""
import argparse, json, random, threading, time, urllib.error, urllib.parse, urllib.request

p = argparse.ArgumentParser()
p.add_argument("--url", required=True)
p.add_argument("--clients", type=int, default=32)
p.add_argument("--duration", type=float, default=60)
p.add_argument("--expensive-share", type=float, default=0.1)
p.add_argument("--interval", type=float, default=1.0, help="the server's --collect-interval in seconds")
a = p.parse_args()

CHEAP = [
    "microsandbox_memory_usage_bytes{sandbox_name=\"sbx-%04d\"}",
    "sum(microsandbox_memory_usage_bytes)",
    "rate(microsandbox_network_bytes_received{sandbox_name=\"sbx-%04d\"}[1m])",
    "count(microsandbox_uptime_seconds)",
]
EXPENSIVE = [  # every sandbox, every sample of the last 5-10 minutes, at a 1 s step: max-samples or the timeout
    ("range", "quantile_over_time(0.99, microsandbox_cpu_utilization_ratio[10m])"),
    ("range", "sum by (sandbox_name) (rate(microsandbox_network_bytes_received[5m]))"),
    ("instant", "{__name__=~\"microsandbox_.+\"}[10m]"),
]

def metric(name):
    body = urllib.request.urlopen(a.url + "/metrics", timeout=30).read().decode()
    return sum(float(l.split()[-1]) for l in body.splitlines() if l.startswith(name + " ") or l.startswith(name + "{"))

results = {"cheap": [], "expensive": []}
outcomes = {"cheap": {}, "expensive": {}}
lock = threading.Lock()
stop_at = time.time() + a.duration

def client(seed):
    rnd = random.Random(seed)
    while time.time() < stop_at:
        kind = "expensive" if rnd.random() < a.expensive_share else "cheap"
        now = time.time()
        if kind == "cheap":
            q = rnd.choice(CHEAP)
            if "%04d" in q:
                q = q % rnd.randrange(1024)
            path = "/api/v1/query?" + urllib.parse.urlencode({"query": q, "time": now})
        else:
            shape, q = rnd.choice(EXPENSIVE)
            if shape == "range":
                path = "/api/v1/query_range?" + urllib.parse.urlencode({"query": q, "start": now - 600, "end": now, "step": 1})
            else:
                path = "/api/v1/query?" + urllib.parse.urlencode({"query": q, "time": now})
        t0 = time.perf_counter()
        try:
            r = urllib.request.urlopen(a.url + path, timeout=300)
            r.read()
            out = "200"
        except urllib.error.HTTPError as e:
            body = e.read().decode(errors="replace")
            try:
                err = json.loads(body).get("errorType", "?") + ": " + json.loads(body).get("error", "")[:60]
            except ValueError:
                err = body[:60]
            out = "%d %s" % (e.code, err)
        except Exception as e:
            out = "client error " + type(e).__name__
        ms = (time.perf_counter() - t0) * 1000
        with lock:
            results[kind].append(ms)
            outcomes[kind][out] = outcomes[kind].get(out, 0) + 1

def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] if xs else float("nan")

c0 = metric("sandglass_ingest_collections_total")
f0 = metric("sandglass_ingest_failures_total")
t_start = time.time()
threads = [threading.Thread(target=client, args=(i,)) for i in range(a.clients)]
for t in threads: t.start()
for t in threads: t.join()
elapsed = time.time() - t_start
c1 = metric("sandglass_ingest_collections_total")
f1 = metric("sandglass_ingest_failures_total")
rss = metric("process_resident_memory_bytes")

print("%d clients for %.0f s (%.0f%% expensive)" % (a.clients, elapsed, a.expensive_share * 100))
print("| queries | count | p50 ms | p99 ms | max ms | outcomes |")
print("|---|---|---|---|---|---|")
for kind in ("cheap", "expensive"):
    xs = results[kind]
    oc = ", ".join("%s x%d" % (k, v) for k, v in sorted(outcomes[kind].items(), key=lambda kv: -kv[1]))
    print("| %s | %d | %.1f | %.1f | %.1f | %s |" % (kind, len(xs), pct(xs, 0.5), pct(xs, 0.99), max(xs) if xs else float("nan"), oc))
due = elapsed / a.interval
print("ingest: %d collections in %.0f s (%.0f due at %.1f s), %d failed; resident memory %.0f MB"
      % (c1 - c0, elapsed, due, a.interval, f1 - f0, rss / 1e6))
missed = max(0, round(due) - int(c1 - c0) - 1)
print("collections missed: %d" % missed)
