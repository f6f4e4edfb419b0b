package dev.sandglass.ingest.agent;

import dev.sandglass.ingest.source.Schedulers;
import dev.sandglass.storage.jobs.KeptTasks;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/** Polls every agent at its own interval on one shared thread (agents answer in milliseconds). */
public final class AgentPoller implements AutoCloseable {
    /** Keeps an Error (out of heap) from cancelling an agent's schedule: sandglass_loop_*{loop="agent"}. */
    public static final dev.sandglass.storage.jobs.LoopGuard GUARD = dev.sandglass.storage.jobs.LoopGuard.named("agent");
    private final List<AgentSource> agents;
    private ScheduledExecutorService pool;

    public AgentPoller(List<AgentSource> agents) {
        this.agents = List.copyOf(agents);
    }

    public synchronized void start() {
        if (pool != null || agents.isEmpty()) {
            return;
        }
        pool = Schedulers.daemon("sandglass-agents", 1);
        for (AgentSource a : agents) {
            KeptTasks.atFixedRate(pool, GUARD, a::pollOnce, 0, a.intervalMs());
        }
    }

    @Override
    public void close() {
        ScheduledExecutorService p;
        synchronized (this) {
            p = pool;
            pool = null;
        }
        Schedulers.stop(p);
    }
}
