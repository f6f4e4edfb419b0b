package dev.sandglass.web.api;

import dev.sandglass.storage.api.ForwardingQuerier;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Queryable;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Heap bytes allocated, as the JVM counts them per thread (com.sun.management's thread allocation
 * counters, which include the part of a thread's current TLAB it used): {@link #allThreads()}
 * for a phase that runs work on the parallel pool, and {@link #storage(Queryable)} for the share
 * of a query spent in the store: a store wrapped so that every call the engine makes into it
 * (making the querier, selecting, decoding a series' samples) is counted on the thread that makes
 * it. For benchmarks: nothing here changes what the engine or the store do.
 */
final class AllocationMeter {
    private static final com.sun.management.ThreadMXBean MX = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final AtomicLong storageBytes = new AtomicLong();

    static {
        MX.setThreadAllocatedMemoryEnabled(true);
    }

    /** Bytes allocated so far by every live thread (the parallel pool's threads live as long as the process). */
    static long allThreads() {
        long sum = 0;
        for (long b : MX.getThreadAllocatedBytes(MX.getAllThreadIds())) {
            sum += Math.max(0, b);
        }
        return sum;
    }

    private static long thisThread() {
        return MX.getCurrentThreadAllocatedBytes();
    }

    /** Bytes counted in the store's calls since the last {@link #takeStorage()}, and resets the count. */
    long takeStorage() {
        return storageBytes.getAndSet(0);
    }

    /** {@code store}, counting what its calls allocate; selecting may use the pool, so it counts every thread. */
    Queryable storage(Queryable store) {
        return (minT, maxT) -> {
            long a = allThreads();
            Querier q = store.querier(minT, maxT);
            storageBytes.addAndGet(allThreads() - a);
            return new CountingQuerier(q);
        };
    }

    /** Every call passed on (see ForwardingQuerier), the selects counted. */
    private final class CountingQuerier extends ForwardingQuerier {
        CountingQuerier(Querier q) {
            super(q);
        }

        @Override
        public List<Series> select(List<Matcher> matchers) {
            long a = allThreads();
            List<Series> s = inner.select(matchers);
            storageBytes.addAndGet(allThreads() - a);
            return s;
        }

        @Override
        public List<Series> selectLazily(List<Matcher> matchers) {
            long a = allThreads();
            List<Series> lazy = inner.selectLazily(matchers);
            List<Series> out = new ArrayList<>(lazy.size());
            for (Series s : lazy) {
                out.add(new CountingSeries(s));
            }
            storageBytes.addAndGet(allThreads() - a);
            return out;
        }
    }

    /** A series whose reads count on the reading thread (series are read concurrently). */
    private final class CountingSeries implements Series {
        private final Series s;

        CountingSeries(Series s) {
            this.s = s;
        }

        @Override
        public Labels labels() {
            return s.labels();
        }

        @Override
        public Samples samples() {
            return counted(s::samples);
        }

        @Override
        public Samples samples(Samples reuse) {
            return counted(() -> s.samples(reuse));
        }

        @Override
        public boolean last(Samples out) {
            return counted(() -> s.last(out));
        }

        /** The call's result, what it allocated on this thread counted. */
        private <T> T counted(java.util.function.Supplier<T> call) {
            long a = thisThread();
            T r = call.get();
            storageBytes.addAndGet(thisThread() - a);
            return r;
        }
    }
}
