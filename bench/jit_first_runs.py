#!/usr/bin/env python3
"""Where a fresh serve's first query runs spend their CPU, from a bench/footprint.sh run with
MARKS=FILE and FP_JVM="-Xlog:jit+compilation=debug:file=JITLOG:uptime":
 1. per query: its first run's CPU (all threads), the JIT compiler threads' share and the minor
    page faults, beside the median of the later runs;
 2. what the compilers compiled during the first runs, by the highest tier each method had
    reached before them (never compiled, 1-3: C1, 4: C2), for Sandglass, Jackson, Netty/Vert.x.
Usage: python3 bench/jit_first_runs.py MARKS JITLOG
"""
import collections, re, statistics, sys

rows = [l.split() for l in open(sys.argv[1])]
runs = collections.defaultdict(list)
window = [None, None]
for a, b in zip(rows[0::2], rows[1::2]):  # "UPTIME minflt N majflt N cpu_ms N jit_ms N first|again start|end QUERY"
    q, kind = ' '.join(a[11:]), a[9]
    runs[(q, kind)].append((float(b[0]) - float(a[0]), int(b[2]) - int(a[2]), float(b[6]) - float(a[6]), float(b[8]) - float(a[8])))
    if kind == 'first':
        window = [window[0] if window[0] is not None else float(a[0]), float(b[0])]
print(f"{'query':44} first run: wall ms, CPU ms, JIT ms, faults | later runs (median): the same")
tot = [0.0] * 4
for q in dict.fromkeys(k[0] for k in runs):
    f, later = runs[(q, 'first')][0], runs[(q, 'again')]
    med = [statistics.median(x[j] for x in later) for j in range(4)]
    tot = [tot[0] + f[2], tot[1] + f[3], tot[2] + med[2], tot[3] + med[3]]
    print(f"{q[:44]:44} {f[0] * 1000:6.0f} {f[2]:5.0f} {f[3]:5.0f} {f[1]:6d} | {med[0] * 1000:6.0f} {med[2]:5.0f} {med[3]:5.0f} {med[1]:6.0f}")
print(f"the eight first runs: CPU {tot[0]:.0f} ms, of it the JIT's {tot[1]:.0f}; later runs (medians): {tot[2]:.0f}, of it {tot[3]:.0f}")

a, b = window
best, out, names = {}, collections.Counter(), collections.defaultdict(list)
for l in open(sys.argv[2]):
    m = re.match(r'\[([0-9.]+)s\]\s+(\d+)\s+([%sbn! ]*)\s+(\d)\s+(\S+)', l)
    if not m or ' made ' in l:
        continue
    t, tier, name = float(m.group(1)), int(m.group(4)), m.group(5)
    if t < a:
        best[name] = max(best.get(name, 0), tier)
    elif t <= b:
        grp = ('sandglass' if name.startswith('dev.sandglass') else 'jackson' if '.jackson.' in name
               else 'netty/vertx' if ('netty' in name or 'vertx' in name) else None)
        if grp:
            before = 'never compiled' if name not in best else f'tier {best[name]}'
            out[(grp, before, tier)] += 1
            names[(grp, before, tier)].append(name.rsplit('.', 1)[-1])
print(f"compiled during the first runs ({a:.2f}-{b:.2f} s of uptime): group, state before them, tier now: count")
for k, v in sorted(out.items()):
    ex = ' '.join(dict.fromkeys(names[k]))
    print(f"  {k[0]:12} {k[1]:15} -> tier {k[2]}: {v:4d}  {ex[:150] if k[0] != 'netty/vertx' else ''}")
