#!/usr/bin/env python3
"""Serves N scrape targets of M series each on one loopback port, for bench/scrape.sh.

Target i is /metrics?target=i: M series in Prometheus text 0.0.4 (counters that move on every
request, gauges that wander), as an exporter of a busy host would. Loopback only.
"""
import argparse
import random
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--targets", type=int, default=100)
    ap.add_argument("--series", type=int, default=1000)
    args = ap.parse_args()
    lock = threading.Lock()
    counts = [0] * args.targets
    # Series text per target: 10 metric names x (series/10) label values.
    names = ["bench_requests_total", "bench_bytes_total", "bench_errors_total", "bench_latency_seconds_sum",
             "bench_latency_seconds_count", "bench_queue_depth", "bench_memory_bytes", "bench_cpu_ratio",
             "bench_open_files", "bench_temperature_celsius"]
    per = max(1, args.series // len(names))
    keys = [f'{n}{{shard="{j}",zone="z{j % 7}"}}' for n in names for j in range(per)]

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            q = parse_qs(urlparse(self.path).query)
            t = int(q.get("target", ["0"])[0]) % args.targets
            with lock:
                counts[t] += 1
                c = counts[t]
            rnd = random.Random(t * 1000003 + c)
            lines = []
            for i, k in enumerate(keys):
                v = c * (i + 1) if i % 10 < 5 else rnd.random() * 1000
                lines.append(f"{k} {v}\n")
            body = "".join(lines).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
