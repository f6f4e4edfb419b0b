package dev.sandglass.web.remote;

import dev.sandglass.query.ast.Expr;
import dev.sandglass.query.ast.VectorSelector;
import dev.sandglass.query.parser.Parser;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Queryable;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import dev.sandglass.storage.api.Values;
import dev.sandglass.web.api.RouteModule;
import dev.sandglass.web.expfmt.GoFloat;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@code GET /federate?match[]=SELECTOR}: the latest sample (within 5 minutes, not a staleness
 * marker) of every matching series, in Prometheus's text format with timestamps, as Prometheus
 * serves it: one {@code # TYPE name untyped} line per metric name, series sorted by name and
 * labels, and {@code instance=""} on series without an instance label, so the scraping server
 * does not put its own target's instance on them.
 */
public final class FederateRoutes implements RouteModule {
    static final long LOOKBACK_MS = 5 * 60_000L;
    private final Supplier<Queryable> storage;

    public FederateRoutes(Supplier<Queryable> storage) {
        this.storage = storage;
    }

    @Override
    public void register(Router router) {
        router.get("/federate").blockingHandler(this::federate, false);
    }

    private void federate(RoutingContext ctx) {
        List<String> selectors = ctx.request().params().getAll("match[]");
        List<List<Matcher>> sets = new ArrayList<>();
        try {
            for (String s : selectors) {
                Expr e = Parser.parse(s);
                if (!(e instanceof VectorSelector vs)) {
                    throw new IllegalArgumentException("match[] must be a series selector, got: " + s);
                }
                sets.add(vs.matchers());
            }
        } catch (RuntimeException e) {
            RemoteWriteRoutes.text(ctx, 400, "bad match[]: " + e.getMessage());
            return;
        }
        long now = System.currentTimeMillis();
        StringBuilder out = new StringBuilder(4096);
        write(storage.get(), sets, now, out);
        ctx.response().setStatusCode(200).putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(out.toString());
    }

    /** The exposition of the matching series' latest samples at {@code now}. */
    static void write(Queryable store, List<List<Matcher>> sets, long now, StringBuilder out) {
        TreeMap<Labels, double[]> latest = new TreeMap<>((a, b) -> {
            int c = a.metricName().compareTo(b.metricName());
            return c != 0 ? c : a.compareTo(b);
        });
        try (Querier q = store.querier(now - LOOKBACK_MS, now)) {
            for (List<Matcher> ms : sets) {
                for (Series s : q.select(ms)) {
                    Samples smp = s.samples();
                    if (smp.size() == 0 || Values.isStaleNaN(smp.value(smp.size() - 1))) {
                        continue;
                    }
                    latest.put(s.labels(), new double[] {smp.timestamp(smp.size() - 1), smp.value(smp.size() - 1)});
                }
            }
        }
        String name = null;
        for (var e : latest.entrySet()) {
            Labels l = e.getKey();
            if (!l.metricName().equals(name)) {
                name = l.metricName();
                out.append("# TYPE ").append(name).append(" untyped\n");
            }
            out.append(name);
            labels(l, !l.has("instance"), out);
            out.append(' ');
            GoFloat.append(e.getValue()[1], out);
            out.append(' ').append((long) e.getValue()[0]).append('\n');
        }
    }

    /** {@code {a="x",b="y"}} without the metric name; values escaped as the text format says. */
    public static void labels(Labels l, boolean emptyInstance, StringBuilder out) {
        boolean first = true;
        boolean instanceDone = !emptyInstance;
        for (int i = 0; i < l.size(); i++) {
            String n = l.name(i);
            if (n.equals(Labels.METRIC_NAME)) {
                continue;
            }
            if (!instanceDone && n.compareTo("instance") > 0) {
                out.append(first ? "{" : ",").append("instance=\"\"");
                first = false;
                instanceDone = true;
            }
            out.append(first ? "{" : ",").append(n).append("=\"");
            Labels.escape(l.value(i), out);
            out.append('"');
            first = false;
        }
        if (!instanceDone) {
            out.append(first ? "{" : ",").append("instance=\"\"");
            first = false;
        }
        if (!first) {
            out.append('}');
        }
    }
}
