package dev.sandglass.query.sandbox;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Fan-out of latest points to subscribers: every interval with subscribers has one timer, and each
 * tick makes one read for all the sandboxes subscribed at that interval, however many
 * subscribers each has. An event is rendered once and handed to every subscriber of its sandbox.
 * A run change becomes a restart event before the point; a stop (or a sandbox no longer seen)
 * becomes a final stop event, after which its subscribers are ended and forgotten. A subscriber
 * that cancels is dropped at once; a sandbox or interval left without subscribers stops being read
 * at its next tick.
 *
 * @param <T> what an event is rendered to (e.g. the text of a server-sent event)
 */
public final class LatestHub<T> implements AutoCloseable {
    /** How long a stop must last before the stream ends (see {@link #update}). */
    public static final long STOP_GRACE_MS = 3000;

    public enum Kind { POINT, RESTART, STOP }

    /** {@code status} is null in a stop event when the sandbox is no longer seen at all. */
    public record Event(Kind kind, String name, SandboxStatus status, String oldRunId) {
    }

    /** Receives rendered events; called on the hub's thread, must not block. */
    public interface Subscriber<T> {
        void event(T rendered);

        /** No more events will come (the sandbox stopped or the hub closed). */
        void end();
    }

    /** Cancels a subscription; safe to call more than once. */
    public interface Subscription {
        void cancel();
    }

    private final class Topic {
        final List<Subscriber<T>> subscribers = new CopyOnWriteArrayList<>();
        String lastRun;
        boolean confirming;
    }

    private final class Group {
        final long intervalMs;
        final Map<String, Topic> topics = new ConcurrentHashMap<>();
        ScheduledFuture<?> timer;

        Group(long intervalMs) {
            this.intervalMs = intervalMs;
        }
    }

    private final SandboxViews views;
    private final Function<Event, T> render;
    private final LongSupplier clock;
    private final ScheduledExecutorService exec;
    private final Map<Long, Group> groups = new ConcurrentHashMap<>();
    private final AtomicLong reads = new AtomicLong();

    public LatestHub(SandboxViews views, Function<Event, T> render, LongSupplier clock) {
        this.views = views;
        this.render = render;
        this.clock = clock;
        this.exec = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sandglass-sandbox-stream");
            t.setDaemon(true);
            return t;
        });
    }

    /** Store reads made so far (one per tick of an interval with subscribers). */
    public long reads() {
        return reads.get();
    }

    /** Subscribers now, over all sandboxes and intervals. */
    public int subscribers() {
        int n = 0;
        for (Group g : groups.values()) {
            for (Topic t : g.topics.values()) {
                n += t.subscribers.size();
            }
        }
        return n;
    }

    /** Delivers events about {@code name} every {@code intervalMs}, starting one interval from now. */
    public Subscription subscribe(String name, long intervalMs, String currentRunId, Subscriber<T> s) {
        groups.compute(intervalMs, (k, g) -> {
            if (g == null) {
                g = new Group(intervalMs);
                Group group = g;
                g.timer = exec.scheduleAtFixedRate(() -> tick(group), intervalMs, intervalMs, TimeUnit.MILLISECONDS);
            }
            g.topics.compute(name, (n, t) -> {
                if (t == null) {
                    t = new Topic();
                    t.lastRun = currentRunId;
                }
                t.subscribers.add(s);
                return t;
            });
            return g;
        });
        return () -> {
            Group g = groups.get(intervalMs);
            if (g != null) {
                Topic t = g.topics.get(name);
                if (t != null) {
                    t.subscribers.remove(s);
                }
            }
        };
    }

    private void tick(Group g) {
        // Forget sandboxes without subscribers, and the timer when none is left (atomically with subscribe).
        for (String name : g.topics.keySet()) {
            g.topics.computeIfPresent(name, (n, t) -> t.subscribers.isEmpty() ? null : t);
        }
        groups.computeIfPresent(g.intervalMs, (k, cur) -> {
            if (cur == g && cur.topics.isEmpty()) {
                cur.timer.cancel(false);
                return null;
            }
            return cur;
        });
        if (g.topics.isEmpty()) {
            return;
        }
        Set<String> names = Set.copyOf(g.topics.keySet());
        Map<String, SandboxStatus> now;
        try {
            reads.incrementAndGet();
            now = views.latest(names, clock.getAsLong(), SandboxViews.STOPPED_AFTER_MS + g.intervalMs);
        } catch (RuntimeException e) {
            // The store failed this once (e.g. closing): try again next tick.
            return;
        }
        for (String name : names) {
            update(g, name, now.get(name), false);
        }
    }

    /**
     * Applies what a read found about one sandbox. A stop seen for the first time within
     * {@link #STOP_GRACE_MS} of the last sample is confirmed by a second read after that grace:
     * between a restart and the new run's first sample the collector marks the series stale too,
     * and a restart must not end the stream.
     */
    private void update(Group g, String name, SandboxStatus st, boolean confirmed) {
        Topic t = g.topics.get(name);
        if (t == null) {
            return;
        }
        if (st == null || !st.running()) {
            if (!confirmed && st != null && clock.getAsLong() - st.lastSeenMs() < STOP_GRACE_MS) {
                if (!t.confirming) {
                    t.confirming = true;
                    exec.schedule(() -> confirmStop(g, name), STOP_GRACE_MS, TimeUnit.MILLISECONDS);
                }
                return;
            }
            Topic removed = g.topics.remove(name);
            if (removed != null) {
                T stop = render.apply(new Event(Kind.STOP, name, st, null));
                for (Subscriber<T> s : removed.subscribers) {
                    s.event(stop);
                    s.end();
                }
            }
            return;
        }
        t.confirming = false;
        String run = st.latest().runId();
        if (t.lastRun != null && run != null && !run.equals(t.lastRun)) {
            deliver(t, render.apply(new Event(Kind.RESTART, name, st, t.lastRun)));
        }
        if (run != null) {
            t.lastRun = run;
        }
        deliver(t, render.apply(new Event(Kind.POINT, name, st, null)));
    }

    private void confirmStop(Group g, String name) {
        Topic t = g.topics.get(name);
        if (t == null || !t.confirming) {
            return;
        }
        try {
            reads.incrementAndGet();
            SandboxStatus st = views.latest(Set.of(name), clock.getAsLong(), SandboxViews.STOPPED_AFTER_MS + g.intervalMs).get(name);
            if (st == null || !st.running()) {
                update(g, name, st, true);
            } else {
                t.confirming = false;
            }
        } catch (RuntimeException e) {
            t.confirming = false;
        }
    }

    private void deliver(Topic t, T rendered) {
        for (Subscriber<T> s : t.subscribers) {
            s.event(rendered);
        }
    }

    /** Ends every subscription and stops reading. */
    @Override
    public void close() {
        exec.shutdownNow();
        for (Group g : groups.values()) {
            for (Topic t : g.topics.values()) {
                for (Subscriber<T> s : t.subscribers) {
                    s.end();
                }
            }
        }
        groups.clear();
    }
}
