package dev.sandglass.web.api;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * When the start-up warm-up has done its job, and the CPU it may spend at most. Done means: the
 * rounds have stopped getting faster (two in a row none 10% faster than the fastest before, after
 * at least {@link #MIN_ROUNDS}) and the JIT compilers have caught up. The second half is what
 * timing alone missed: the compilers work from a queue, and with the queue long the JVM raises
 * the bar for the optimising compiler, so rounds looked level while the query path still ran the
 * quick compiler's code, and the first real queries paid for the optimising compilation (JFR
 * showed 2-6 s of it during the eight reference queries).
 *
 * <p>Caught up is read from the CPU the rest of the process spent while the rounds ran (the
 * rounds: the warm-up thread and the engine's helper threads): a compiler at work takes a share
 * of the cores comparable to the rounds' (all are runnable on a 2-core machine, loaded or not),
 * the collector and the garbage collector a small fraction. The JIT's own compile-time counter
 * only moves when a compilation ends, so a round shorter than one large optimising compile looked
 * quiet while it ran. The window is at least {@link #WINDOW_NANOS} of the rounds' CPU, whatever
 * their length.
 *
 * <p>A budget bounds the rounds' own CPU: past it they stop whether or not the JIT has caught up
 * (on a machine so loaded that the compilers lag far behind, the first queries pay the rest rather
 * than start-up paying without bound).
 */
final class WarmupConvergence {
    static final int MIN_ROUNDS = 4;
    /** The rounds' CPU over which the others' share is judged. */
    static final long WINDOW_NANOS = 150_000_000L;
    /** The others' CPU, as a share of the rounds' over a window, below which the compilers are idle. */
    static final double QUIET_SHARE = 0.35;

    private long best = Long.MAX_VALUE;
    private int rounds;
    private int steady;
    private long windowOwn = -1;
    private long windowOther = -1;
    private boolean quiet;
    private final long startOwn;
    private final long budgetNanos;

    /** Rounds that may take {@code budgetNanos} of this thread's CPU from now at most. */
    WarmupConvergence(long budgetNanos) {
        this(ownCpuNanos(), budgetNanos);
    }

    /** {@code ownCpu}: this thread's CPU at the start, as {@link #after} is given it (-1: unknown). */
    WarmupConvergence(long ownCpu, long budgetNanos) {
        this.startOwn = ownCpu;
        this.budgetNanos = budgetNanos;
    }

    /**
     * After a round that took {@code roundNanos} of wall time; {@code ownCpu} and {@code otherCpu}
     * are this thread's and the rest of the process's CPU so far (-1: the JVM does not tell; then
     * only the times decide). Returns whether to stop.
     */
    boolean after(long roundNanos, long ownCpu, long otherCpu) {
        rounds++;
        // Level: not 10% faster than the fastest round so far (a faster round is still compiling).
        steady = best != Long.MAX_VALUE && roundNanos >= best - best / 10 ? steady + 1 : 0;
        best = Math.min(best, roundNanos);
        if (ownCpu < 0 || otherCpu < 0) {
            quiet = true;
        } else if (windowOwn < 0) {
            windowOwn = ownCpu;
            windowOther = otherCpu;
        } else if (ownCpu - windowOwn >= WINDOW_NANOS) {
            quiet = otherCpu - windowOther < QUIET_SHARE * (ownCpu - windowOwn);
            windowOwn = ownCpu;
            windowOther = otherCpu;
        }
        boolean spent = ownCpu >= 0 && startOwn >= 0 && ownCpu - startOwn >= budgetNanos;
        return spent || (rounds >= MIN_ROUNDS && steady >= 2 && quiet);
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * The CPU this thread and the query engine's helper threads (named {@code sandglass-parallel},
     * which decode series for it) have spent so far, or -1: the work of the rounds themselves.
     */
    static long ownCpuNanos() {
        if (!THREADS.isCurrentThreadCpuTimeSupported()) {
            return -1;
        }
        long sum = THREADS.getCurrentThreadCpuTime();
        long self = Thread.currentThread().getId();
        for (java.lang.management.ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t != null && t.getThreadId() != self && t.getThreadName().startsWith("sandglass-parallel")) {
                sum += Math.max(0, THREADS.getThreadCpuTime(t.getThreadId()));
            }
        }
        return sum;
    }

    /** The process's CPU so far less {@code ownCpu}, or -1. */
    static long otherCpuNanos(long ownCpu) {
        if (ownCpu < 0 || !(ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os)) {
            return -1;
        }
        long all = os.getProcessCpuTime();
        return all < 0 ? -1 : all - ownCpu;
    }

    /** Reads the clocks and calls {@link #after(long, long, long)}. */
    boolean afterRound(long roundNanos) {
        long own = ownCpuNanos();
        return after(roundNanos, own, otherCpuNanos(own));
    }
}
