#!/usr/bin/env python3
"""Where serve's time went in each pass of bench/protocols.sh, from a JFR recording of serve.

Run the bench with a recording and the pass times, e.g.
  SKIP_BUILD=1 SG_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/sg.jfr,settings=profile,jdk.Compilation#threshold=0ms,jdk.ExecutionSample#period=2ms" \
    BENCH_JAVA_OPTS="-Dbench.trace=true -Dbench.threads=true" bash bench/protocols.sh 30 2 3 > /tmp/bench.txt
then: python3 bench/protocols-profile.py /tmp/sg.jfr /tmp/bench.txt
For each of Sandglass's passes (the trace lines of the first receiver, Sandglass, warm-up included):
execution samples of its Java threads by what they were doing (the first matching frame of the
stack, in the order of CATEGORIES), the JIT's C2 compiles that started in the pass (count, wall
time, the largest), and the collector's pauses.
"""
import collections
import datetime
import json
import re
import subprocess
import sys

CATEGORIES = [
    ('series index: Chronicle Map put', r'net/openhft/chronicle/(map|hash)/'),
    ('series index: log, table, postings', r'dev/sandglass/storage/index/'),
    ('WAL (Chronicle Queue)', r'net/openhft/chronicle/(queue|wire|bytes)/|dev/sandglass/storage/wal/'),
    ('head: filing samples', r'dev/sandglass/storage/head/'),
    ('snappy', r'[Ss]nappy'),
    ('gzip', r'Inflater|GZIP'),
    ('series ref cache', r'SeriesRefCache'),
    ('remote-write decode', r'dev/sandglass/ingest/remote/'),
    ('OTLP decode', r'dev/sandglass/ingest/otlp/'),
    ('HTTP (Vert.x, Netty, body)', r'PooledBody|io/netty/|io/vertx/'),
]


def events(recording, kinds):
    out = subprocess.run(['jfr', 'print', '--json', '--stack-depth', '96', '--events', kinds, recording],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)['recording']['events']


def millis(iso):
    return datetime.datetime.fromisoformat(iso.replace('Z', '')[:26]).replace(tzinfo=datetime.timezone.utc).timestamp() * 1000


def duration_ms(s):
    m = re.match(r'PT(?:(\d+)M)?([\d.]+)S', s or '')
    return (int(m.group(1) or 0) * 60 + float(m.group(2))) * 1000 if m else 0.0


def category(frames):
    names = [f['method']['type']['name'] + '.' + f['method']['name'] for f in frames]
    for label, rx in CATEGORIES:
        if any(re.search(rx, n) for n in names):
            return label
    return 'other: ' + (names[0].split('/')[-1] if names else '?')


def main():
    recording, bench = sys.argv[1], sys.argv[2]
    passes, port = [], None
    for line in open(bench):
        if not line.startswith('trace '):
            continue
        f = line.split()
        url = f[1]
        port = port or url.split('/')[2]
        if url.split('/')[2] == port:
            passes.append(('/' + url.split('/', 3)[3] + ' ' + f[2], int(f[4]), int(f[6]), int(f[8])))
    evs = events(recording, 'jdk.ExecutionSample,jdk.Compilation,jdk.GarbageCollection')
    by_type = collections.defaultdict(list)
    for e in evs:
        by_type[e['type']].append((millis(e['values']['startTime']), e['values']))
    for name, a, b, c in passes:
        print(f'== {name}: {c - a} ms (first collection {b - a} ms)')
        counts = collections.Counter(category(v['stackTrace']['frames'] if v['stackTrace'] else [])
                                     for t, v in by_type['jdk.ExecutionSample'] if a <= t <= c)
        total = sum(counts.values())
        for label, n in counts.most_common(10):
            print(f'   {n:5d} {100 * n / max(total, 1):5.1f}%  {label}')
        c2 = [v for t, v in by_type['jdk.Compilation'] if a <= t <= c and v['compileLevel'] == 4]
        largest = sorted(c2, key=lambda v: -duration_ms(v['duration']))[:4]
        print(f'   C2 compiles started: {len(c2)}, {sum(duration_ms(v["duration"]) for v in c2):.0f} ms wall; largest: ' +
              ', '.join(f'{v["method"]["type"]["name"].split("/")[-1]}.{v["method"]["name"]} {duration_ms(v["duration"]):.0f} ms' for v in largest))
        gcs = [v for t, v in by_type['jdk.GarbageCollection'] if a <= t <= c]
        print(f'   collections: {len(gcs)}, pauses {sum(duration_ms(v["sumOfPauses"]) for v in gcs):.0f} ms' +
              ''.join(f'; {v["name"]} ({v["cause"]}) {duration_ms(v["sumOfPauses"]):.0f} ms' for v in gcs if duration_ms(v['sumOfPauses']) > 50))


if __name__ == '__main__':
    main()
