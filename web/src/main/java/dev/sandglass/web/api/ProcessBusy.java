package dev.sandglass.web.api;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Whether this process is busy now, by its own CPU time: over the time since the previous look
 * when that was recent (a tick of {@link IdleMemory} that found it busy, a second before) and over
 * a short probe taken at the look itself, so work that began just before the look counts too. Busy is at least {@code coreShare} of one core
 * in either. A server ingesting a stream of writes (remote write, OTLP, a scrape of many targets,
 * a backfill) is busy; one collecting a registry every second, or answering a push of one
 * sandbox fleet's collection a second, is not (a few percent of a core). The process's CPU covers
 * every source of work at once, where counting requests of each kind would miss one.
 */
public final class ProcessBusy implements BooleanSupplier {
    /** Waits {@code ms} milliseconds (a test passes one that moves its clocks instead). */
    public interface Pause {
        void pause(long ms) throws InterruptedException;
    }

    private final LongSupplier cpuNanos;
    private final LongSupplier wallNanos;
    private final Pause pause;
    private final long probeMs;
    private final double coreShare;
    /** A previous look older than this says nothing about now. */
    private static final long RECENT_NANOS = 2_000_000_000L;
    private long lastCpu;
    private long lastWall;

    public ProcessBusy(LongSupplier cpuNanos, LongSupplier wallNanos, Pause pause, long probeMs, double coreShare) {
        this.cpuNanos = cpuNanos;
        this.wallNanos = wallNanos;
        this.pause = pause;
        this.probeMs = probeMs;
        this.coreShare = coreShare;
        this.lastCpu = cpuNanos.getAsLong();
        this.lastWall = wallNanos.getAsLong();
    }

    /**
     * This JVM by its CPU time, a probe of 200 ms, busy from a quarter of a core; never busy where
     * the JVM cannot tell its CPU time (as before this check).
     */
    public static BooleanSupplier ofThisProcess() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (!(os instanceof com.sun.management.OperatingSystemMXBean sun) || sun.getProcessCpuTime() < 0) {
            return () -> false;
        }
        return new ProcessBusy(sun::getProcessCpuTime, System::nanoTime, Thread::sleep, 200, 0.25);
    }

    @Override
    public boolean getAsBoolean() {
        long cpu = cpuNanos.getAsLong();
        long wall = wallNanos.getAsLong();
        boolean busy = wall - lastWall <= RECENT_NANOS && busy(cpu - lastCpu, wall - lastWall);
        if (!busy) {
            try {
                pause.pause(probeMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true; // stopping: not a moment to collect
            }
            long cpu2 = cpuNanos.getAsLong();
            long wall2 = wallNanos.getAsLong();
            busy = busy(cpu2 - cpu, wall2 - wall);
            cpu = cpu2;
            wall = wall2;
        }
        lastCpu = cpu;
        lastWall = wall;
        return busy;
    }

    private boolean busy(long cpu, long wall) {
        return wall > 0 && cpu >= coreShare * wall;
    }
}
