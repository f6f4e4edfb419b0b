package dev.sandglass.query.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.mem.MemStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Fan-out: many subscribers of one sandbox cost one read per interval; a cancelled one is gone at once. */
class LatestHubTest {
    /** A sandbox with a sample every 100 ms from a second ago to a minute ahead: running throughout the test. */
    private static MemStorage runningSandbox(String name) {
        MemStorage store = new MemStorage();
        Appender a = store.appender();
        long now = System.currentTimeMillis();
        long up = a.seriesRef(Labels.of("__name__", SandboxField.UPTIME_SECONDS.metric(), "sandbox_name", name, "sandbox_id", "1"));
        long mem = a.seriesRef(Labels.of("__name__", SandboxField.MEMORY_BYTES.metric(), "sandbox_name", name, "sandbox_id", "1"));
        long run = a.seriesRef(Labels.of("__name__", SandboxField.RUN_INFO, "sandbox_name", name, "sandbox_id", "1", "run_id", "4", "pid", "7"));
        for (long t = now - 1000; t < now + 60_000; t += 100) {
            a.append(up, t, (t - now) / 1000.0 + 100);
            a.append(mem, t, 1 << 20);
            a.append(run, t, 1);
        }
        a.commit();
        return store;
    }

    @Test
    void oneReadPerIntervalForAllSubscribersAndCancelledOnesCostNothing() throws Exception {
        MemStorage store = runningSandbox("sbx-1");
        AtomicInteger renders = new AtomicInteger();
        try (LatestHub<String> hub = new LatestHub<>(new SandboxViews(store), e -> {
            renders.incrementAndGet();
            return e.kind() + " " + e.status().latest().runId();
        }, System::currentTimeMillis)) {
            List<AtomicInteger> got = new ArrayList<>();
            List<LatestHub.Subscription> subs = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                AtomicInteger n = new AtomicInteger();
                got.add(n);
                subs.add(hub.subscribe("sbx-1", 100, "4", new LatestHub.Subscriber<>() {
                    @Override
                    public void event(String rendered) {
                        assertEquals("POINT 4", rendered);
                        n.incrementAndGet();
                    }

                    @Override
                    public void end() {
                    }
                }));
            }
            while (got.get(199).get() < 5) {
                Thread.sleep(20);
            }
            long reads = hub.reads();
            assertTrue(reads >= 5 && reads <= got.get(0).get() + 1, "one read per tick, not one per subscriber: " + reads + " reads");
            assertTrue(renders.get() <= reads, "each event rendered once for all 200 subscribers: " + renders.get());
            for (int i = 0; i < 199; i++) {
                subs.get(i).cancel();
            }
            assertEquals(1, hub.subscribers(), "cancelled subscribers are dropped at once");
            int before = got.get(0).get();
            subs.get(199).cancel();
            subs.get(199).cancel();
            assertEquals(0, hub.subscribers());
            Thread.sleep(300);
            long after = hub.reads();
            Thread.sleep(300);
            assertEquals(after, hub.reads(), "no subscriber left: no more reads");
            assertTrue(got.get(0).get() <= before + 1, "nothing delivered to a cancelled subscriber");
        }
    }
}
