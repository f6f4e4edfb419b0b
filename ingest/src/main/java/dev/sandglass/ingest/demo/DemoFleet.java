package dev.sandglass.ingest.demo;

import dev.sandglass.ingest.registry.Layout;
import dev.sandglass.ingest.registry.RegistryLocator;
import dev.sandglass.ingest.registry.RegistryWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A simulated fleet that writes a real v3 registry for a private home, once a second, so the
 * demo exercises the same reader path as a real microsandbox host: idle, steady, bursty and batch
 * sandboxes; memory drifting toward limits; counters that reset on restarts; sandboxes that stop
 * (slot stale) and slots reused later by new ones.
 */
public final class DemoFleet implements AutoCloseable {
    private static final String[] ROLES = {"web", "api", "worker", "db", "cache", "build", "agent", "etl"};
    // By role, so even the default eight show every shape at once: a random draw left whole demo
    // fleets idle, and a page of idle sandboxes shows nothing worth looking at.
    private static final Profile[] PROFILES = {
        Profile.STEADY, Profile.BURSTY, Profile.BATCH, Profile.STEADY, Profile.IDLE, Profile.BATCH, Profile.BURSTY, Profile.IDLE};
    private static final long MIB = 1 << 20;
    private static final long PAGE = 4096;

    private final RegistryLocator locator;
    private final int size;
    private final Random rng;
    private RegistryWriter writer;
    private Sim[] sims;
    private ScheduledExecutorService ticker;
    private int nextId = 1;
    private int nextPid = 4000;

    private enum Profile { IDLE, STEADY, BURSTY, BATCH }

    /** One simulated sandbox in a slot. */
    private final class Sim {
        final int slot;
        int sandboxId;
        String name;
        int runId;
        Profile profile;
        int vcpus;
        long limit;
        long startedAt;
        long mem;
        double vcpuNs;
        long dr;
        long dw;
        long rx;
        long tx;
        long upperUsed;
        int busyFor;
        int ticks;
        boolean stopped;
        int downFor;

        Sim(int slot) {
            this.slot = slot;
        }
    }

    /** {@code home} is the private microsandbox home the demo's registry is derived from. */
    public DemoFleet(Path home, int sandboxes, long seed) {
        this(new RegistryLocator(home.toString(), "the demo's private home", RegistryLocator.DEFAULT_SHM), sandboxes, seed);
    }

    public DemoFleet(RegistryLocator locator, int sandboxes, long seed) {
        this.locator = locator;
        this.size = sandboxes;
        this.rng = new Random(seed);
    }

    public Path registryPath() {
        return locator.path();
    }

    public RegistryLocator locator() {
        return locator;
    }

    /** Creates the registry, starts every sandbox and ticks once a second. */
    public synchronized void start() {
        if (ticker != null) {
            return;
        }
        try {
            writer = RegistryWriter.create(locator.path(), Math.max(Layout.DEFAULT_CAPACITY, size));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the demo registry at " + locator.path() + ": " + e.getMessage(), e);
        }
        sims = new Sim[size];
        long now = System.currentTimeMillis();
        for (int i = 0; i < size; i++) {
            sims[i] = new Sim(i);
            boot(sims[i], now, true);
        }
        tick();
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sandglass-demo-fleet");
            t.setDaemon(true);
            return t;
        });
        // Guarded: the demo's registry writer must not stop for good on an Error (out of heap) either.
        dev.sandglass.storage.jobs.KeptTasks.atFixedRate(ticker, dev.sandglass.storage.jobs.LoopGuard.named("demo fleet"), this::tick, 1000, 1000);
    }

    private void boot(Sim s, long now, boolean fresh) {
        if (fresh) {
            s.sandboxId = nextId++;
            s.name = "sbx-" + ROLES[(s.sandboxId - 1) % ROLES.length] + "-" + String.format("%02d", s.sandboxId);
            s.profile = PROFILES[(s.sandboxId - 1) % PROFILES.length];
            s.vcpus = new int[] {1, 1, 2, 2, 4}[rng.nextInt(5)];
            s.limit = new long[] {512, 1024, 2048}[rng.nextInt(3)] * MIB;
            s.runId = 0;
            s.upperUsed = (64 + rng.nextInt(512)) * MIB;
        }
        s.runId++;
        // A sandbox started before the demo has been up a while; restarts start from zero.
        s.startedAt = fresh ? now - rng.nextInt(3_600_000) : now;
        s.mem = (60 + rng.nextInt(80)) * MIB / PAGE * PAGE;
        s.vcpuNs = 0;
        s.dr = (2 + rng.nextInt(38)) * MIB / PAGE * PAGE;
        s.dw = rng.nextInt(4) * MIB / PAGE * PAGE;
        s.rx = (1 + rng.nextInt(200)) * 1024L;
        s.tx = (1 + rng.nextInt(80)) * 1024L;
        s.stopped = false;
        int pid = nextPid++;
        if (fresh) {
            writer.activate(s.slot, s.sandboxId, s.runId, pid, s.startedAt, s.name);
        } else {
            writer.restart(s.slot, s.runId, pid, s.startedAt);
        }
    }

    private synchronized void tick() {
        long now = System.currentTimeMillis();
        for (Sim s : sims) {
            s.ticks++;
            if (s.stopped) {
                // A stopped sandbox's slot is reused by a new sandbox after a while.
                if (--s.downFor <= 0) {
                    writer.release(s.slot);
                    boot(s, now, true);
                } else {
                    continue;
                }
            } else if (rng.nextDouble() < 1.0 / 900) {
                boot(s, now, false); // restart: new run, counters reset
            } else if (rng.nextDouble() < 1.0 / 1800) {
                s.stopped = true;
                s.downFor = 30 + rng.nextInt(120);
                writer.stop(s.slot);
                continue;
            }
            step(s, now);
        }
    }

    private void step(Sim s, long now) {
        boolean busy = switch (s.profile) {
            case IDLE -> false;
            case STEADY -> true;
            case BURSTY -> {
                if (s.busyFor > 0) {
                    s.busyFor--;
                } else if (rng.nextDouble() < 0.01) {
                    s.busyFor = 5 + rng.nextInt(90);
                }
                yield s.busyFor > 0;
            }
            case BATCH -> (s.ticks / 300) % 3 == 0;
        };
        double base = switch (s.profile) {
            case IDLE -> 0.5;
            case STEADY -> 30.0 * s.vcpus;
            case BURSTY, BATCH -> 3.0;
        };
        double cpu = Math.min(100.0 * s.vcpus, base + (busy ? 75.0 * s.vcpus : 0) + Math.abs(rng.nextGaussian() * (0.3 + base * 0.05)));
        s.vcpuNs += cpu / 100.0 * 1e9;
        // Memory drifts up while busy and toward the limit over time; it never passes 97% of it.
        double drift = rng.nextGaussian() * 0.3 * MIB + (busy ? 0.8 * MIB : 0.02 * MIB);
        s.mem = (long) Math.max(48 * MIB, Math.min(s.limit * 0.97, s.mem + drift)) / PAGE * PAGE;
        // Even an idle sandbox talks a little (health checks, logs), as real ones do.
        s.rx += 40 + rng.nextInt(400);
        s.tx += 40 + rng.nextInt(200);
        if (rng.nextDouble() < 0.3) {
            s.dw += PAGE;
        }
        if (busy || rng.nextDouble() < 0.05) {
            int f = busy ? 4 : 1;
            s.dr += (long) rng.nextInt(64) * PAGE * f;
            s.dw += (long) rng.nextInt(128) * PAGE * f;
            s.rx += (60 + rng.nextInt(20_000)) * (busy ? 8L : 1L);
            s.tx += (60 + rng.nextInt(9_000)) * (busy ? 8L : 1L);
            s.upperUsed += rng.nextInt(32) * PAGE;
        }
        RegistryWriter.Sample x = new RegistryWriter.Sample();
        x.sampledAt = now;
        x.flags = Layout.F_CPU | Layout.F_MEMORY_USED | Layout.F_MEMORY_AVAILABLE | Layout.F_MEMORY_HOST_RESIDENT
                | Layout.F_UPPER_USED | Layout.F_UPPER_FREE | Layout.F_UPPER_HOST_ALLOCATED;
        x.memoryLimit = s.limit;
        x.vcpuTimeNs = (long) s.vcpuNs;
        x.cpuPercent = (float) cpu;
        x.memoryBytes = s.mem;
        x.memoryAvailable = s.limit - s.mem;
        x.memoryHostResident = s.mem + 24 * MIB;
        x.diskRead = s.dr;
        x.diskWrite = s.dw;
        x.netRx = s.rx;
        x.netTx = s.tx;
        long upperTotal = 4096 * MIB;
        x.upperUsed = Math.min(s.upperUsed, upperTotal);
        x.upperFree = upperTotal - x.upperUsed;
        x.upperHostAllocated = x.upperUsed + 16 * MIB;
        writer.writeSample(s.slot, x);
    }

    /** Stops ticking and removes the demo's registry file. */
    @Override
    public synchronized void close() {
        if (ticker != null) {
            ticker.shutdownNow();
            ticker = null;
        }
        if (writer != null) {
            try {
                writer.deleteFile();
            } catch (IOException ignored) {
                // best effort: /dev/shm is cleared on reboot anyway
            }
            writer = null;
        }
    }
}
