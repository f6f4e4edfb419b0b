#!/usr/bin/env python3
"""Ctrl-C stress for `./sandglass serve --demo` on a pty (session 10's hunt for a serve that once
ignored Ctrl-C). Each run: a fresh copy of the launcher beside the built jar (so the first-serve
path that writes the class-data archive runs every time, unless --archived), a free loopback port,
a unique data dir; ^C written to the pty after a random delay; optionally busy loops on every core
and a reader that stops draining the pty for a while before the ^C. Prints one line per run:
stopped?, seconds from ^C to the "stopping" line and to exit, the exit code. A run that has not
stopped 20 s after the ^C is diagnosed (process tree, signal masks, java's threads) and killed.

  python3 bench/sigint-stress.py --runs 10 --min 0.5 --max 60 [--load] [--stall 20] [--archived] [--root DIR]
"""
import argparse, os, pty, random, select, shutil, signal, socket, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_status(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            keep = ("Name", "State", "SigPnd", "ShdPnd", "SigBlk", "SigIgn", "SigCgt")
            return " ".join(l.strip().replace("\t", "=") for l in f if l.split(":")[0] in keep)
    except OSError:
        return "gone"


def children(pid):
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


def diagnose(pid, log):
    log.append(f"DIAG launcher {pid}: {proc_status(pid)}")
    for c in children(pid):
        log.append(f"DIAG child {c}: {proc_status(c)}")
        js = subprocess.run(["jstack", str(c)], capture_output=True, text=True, timeout=30)
        log.append(js.stdout[-20000:] + js.stderr[-2000:])
    log.append(subprocess.run(["ps", "-o", "pid,pgid,sid,tpgid,stat,wchan:30,cmd", "-s", str(pid)],
                              capture_output=True, text=True).stdout)


def one_run(args, n, root):
    run_dir = os.path.join(root, f"run{n}")
    os.makedirs(os.path.join(run_dir, "web", "target"))
    shutil.copy(os.path.join(args.root, "sandglass"), run_dir)
    os.symlink(os.path.join(args.root, "web", "target", "sandglass.jar"), os.path.join(run_dir, "web", "target", "sandglass.jar"))
    if args.archived:
        shutil.copy(os.path.join(args.root, "web", "target", "sandglass-serve.jsa"), os.path.join(run_dir, "web", "target"))
    port = free_port()
    cmd = [os.path.join(run_dir, "sandglass"), "serve", "--demo", "--data-dir", os.path.join(run_dir, "data"),
           "--listen", f"127.0.0.1:{port}"] + args.extra
    delay = random.uniform(args.min, args.max)
    pid, fd = pty.fork()
    if pid == 0:
        # As from a terminal's shell: SIGINT at its default, even if this script was started with it
        # ignored (a background job of a script: the launcher then keeps it ignored, as it should).
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.execv(cmd[0], cmd)
    t0 = time.monotonic()
    while time.monotonic() - t0 < 5:  # the ^C's delay counts from the launcher's exec, not the fork
        try:
            if b"sandglass" in open(f"/proc/{pid}/cmdline", "rb").read():
                break
        except OSError:
            pass
        time.sleep(0.0002)
    out = bytearray()
    t0 = time.monotonic()
    sent = None
    stall_from = delay - args.stall if args.stall else None
    stopping_at = None
    rc = None
    diag = []
    while True:
        now = time.monotonic() - t0
        if sent is None and now >= delay:
            os.write(fd, b"\x03")
            sent = now
        draining = not (stall_from is not None and sent is None and now >= stall_from)
        r, _, _ = select.select([fd] if draining else [], [], [], 0.05)
        if r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                chunk = b""
            out += chunk
            if stopping_at is None and b"sandglass: stopping" in out:
                stopping_at = now
        wpid, status = os.waitpid(pid, os.WNOHANG)
        if wpid:
            rc = os.waitstatus_to_exitcode(status)
            end = time.monotonic() - t0
            try:  # what is left in the pty
                while select.select([fd], [], [], 0.2)[0]:
                    chunk = os.read(fd, 65536)
                    if not chunk:
                        break
                    out += chunk
            except OSError:
                pass
            if stopping_at is None and b"sandglass: stopping" in out:
                stopping_at = end
            break
        if sent is not None and now - sent > args.timeout:
            diagnose(pid, diag)
            for c in children(pid):
                os.kill(c, signal.SIGKILL)
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            end = None
            break
    os.close(fd)
    leftovers = [f for f in os.listdir(os.path.join(run_dir, "web", "target")) if f.endswith(".tmp")]
    archived = os.path.exists(os.path.join(run_dir, "web", "target", "sandglass-serve.jsa"))
    stopped = end is not None
    line = (f"run {n:2d}: ^C at {delay:6.2f}s  stopped={'yes' if stopped else 'NO '}"
            f"  stopping-line={'%.2fs' % (stopping_at - sent) if stopping_at is not None and sent is not None else '-':>7}"
            f"  exit={'%.2fs' % (end - sent) if stopped and sent is not None else ('before ^C' if stopped else '-'):>8}"
            f"  rc={rc}  archive={'kept' if archived else 'none'}  tmp-left={len(leftovers)}  out={len(out)}B")
    print(line, flush=True)
    if not stopped or args.verbose:
        sys.stdout.write(out.decode(errors="replace")[-3000:] + "\n" + "\n".join(diag) + "\n")
    return stopped


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=10)
    p.add_argument("--min", type=float, default=0.5)
    p.add_argument("--max", type=float, default=60)
    p.add_argument("--load", action="store_true", help="a busy loop on every core during the runs")
    p.add_argument("--stall", type=float, default=0, help="stop draining the pty this many s before the ^C")
    p.add_argument("--timeout", type=float, default=20)
    p.add_argument("--archived", action="store_true", help="use the built archive (the SharedArchiveFile path)")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--root", default=HERE, help="a checkout (its launcher and built jar) to test, e.g. an older one")
    p.add_argument("--verbose", action="store_true")
    p.add_argument("extra", nargs="*", help="more serve arguments (after --)")
    args = p.parse_args()
    random.seed(args.seed)
    root = tempfile.mkdtemp(prefix="sandglass-sigint-")
    burners = []
    if args.load:
        for _ in range(os.cpu_count() or 2):
            burners.append(subprocess.Popen([sys.executable, "-c", "while True: pass"]))
    failed = 0
    try:
        for n in range(args.runs):
            failed += not one_run(args, n, root)
    finally:
        for b in burners:
            b.kill()
            b.wait()
        shutil.rmtree(root, ignore_errors=True)
    print(f"{args.runs} runs, {failed} did not stop within {args.timeout:.0f} s of the ^C")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
