package dev.sandglass.storage.api;

import java.util.List;

/**
 * A querier passing every call to another, for tests and benchmarks that change one thing about
 * a store's answers (a view of it, a meter around it) and override only that. Every method is
 * passed on, defaults included, so a wrapper never quietly changes what the engine does. A view
 * whose series differ from the store's overrides {@link #selectLazily} along with {@link #select}
 * and {@link #changes} (the store's stamp would let a cache take one's answers for the other's).
 * Shared through storage's test-jar.
 */
public class ForwardingQuerier implements Querier {
    protected final Querier inner;

    public ForwardingQuerier(Querier inner) {
        this.inner = inner;
    }

    @Override
    public List<Series> select(List<Matcher> matchers) {
        return inner.select(matchers);
    }

    @Override
    public List<Series> selectLazily(List<Matcher> matchers) {
        return inner.selectLazily(matchers);
    }

    @Override
    public List<RollupSeries> selectRollups(List<Matcher> matchers, long resolutionMs, long minT, long maxT) {
        return inner.selectRollups(matchers, resolutionMs, minT, maxT);
    }

    @Override
    public long rawStartMs() {
        return inner.rawStartMs();
    }

    @Override
    public void lastOfEach(List<Series> series, Samples[] out) {
        inner.lastOfEach(series, out);
    }

    @Override
    public long changes() {
        return inner.changes();
    }

    @Override
    public long newestTimestamp() {
        return inner.newestTimestamp();
    }

    @Override
    public List<String> labelNames(List<Matcher> matchers) {
        return inner.labelNames(matchers);
    }

    @Override
    public List<String> labelValues(String name, List<Matcher> matchers) {
        return inner.labelValues(name, matchers);
    }

    @Override
    public void close() {
        inner.close();
    }
}
