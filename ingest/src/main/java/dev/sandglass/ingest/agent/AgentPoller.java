package dev.sandglass.ingest.agent;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Polls every agent at its own interval on one shared thread (agents answer in milliseconds). */
public final class AgentPoller implements AutoCloseable {
    private final List<AgentSource> agents;
    private ScheduledExecutorService pool;

    public AgentPoller(List<AgentSource> agents) {
        this.agents = List.copyOf(agents);
    }

    public synchronized void start() {
        if (pool != null || agents.isEmpty()) {
            return;
        }
        pool = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sandglass-agents");
            t.setDaemon(true);
            return t;
        });
        for (AgentSource a : agents) {
            pool.scheduleAtFixedRate(a::pollOnce, 0, a.intervalMs(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        ScheduledExecutorService p;
        synchronized (this) {
            p = pool;
            pool = null;
        }
        if (p != null) {
            p.shutdown();
            try {
                p.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
