package dev.sandglass.query.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.mem.MemStorage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * topk and bottomk keep, among values tied at the cut-off, the series Prometheus 2.42 keeps: the
 * expected answers come from {@link GoHeapModel} (Prometheus's algorithm written as the Go is)
 * and from a running Prometheus 2.42, never from our own output.
 */
class TopkTiesTest {
    private static final double N = Double.NaN;
    private static final String[] NAMES = "abcdefghijkl".split("");

    private static List<String> names(int[] kept) {
        List<String> out = new ArrayList<>();
        for (int i : kept) {
            out.add(NAMES[i]);
        }
        return out;
    }

    @Test
    void answersARunningPrometheus242Gave() {
        // x{i="a"..."l"} at three instants (input in label order); Prometheus answered topk(3, x)
        // with c,b,e / d,j,h / h,f,b. Keeping the first of equal values would give b,c,e / d,j,c / h,b,d.
        assertEquals(List.of("c", "b", "e"), names(HeapRanking.select(new double[] {1, 2, 2, 1, 2, N, 1, N, 2, N, 1, 1}, 12, 3, true)));
        assertEquals(List.of("d", "j", "h"), names(HeapRanking.select(new double[] {1, N, 2, 3, 1, 1, 1, 2, 1, 3, 2, 2}, 12, 3, true)));
        assertEquals(List.of("h", "f", "b"), names(HeapRanking.select(new double[] {1, 2, N, 2, 1, 2, 2, 3, 1, N, 1, N}, 12, 3, true)));
    }

    @Test
    void heapRankingIsTheModelOnRandomTies() {
        Random rnd = new Random(42);
        double[] alphabet = {1, 1, 2, 2, 3, N, -0.0, 0.0};
        for (int c = 0; c < 20_000; c++) {
            int n = 1 + rnd.nextInt(12);
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = alphabet[rnd.nextInt(alphabet.length)];
            }
            long k = 1 + rnd.nextInt(n + 1);
            boolean top = rnd.nextBoolean();
            List<Integer> got = new ArrayList<>();
            for (int i : HeapRanking.select(v, n, k, top)) {
                got.add(i);
            }
            assertEquals(GoHeapModel.rank(v, k, top), got, (top ? "topk" : "bottomk") + "(" + k + ", " + java.util.Arrays.toString(v) + ")");
        }
    }

    /** Twelve series x{i=a..l}, one sample every 15 s with values drawn from a few, NaN included. */
    private static MemStorage tiedStore(double[][] values) {
        MemStorage store = new MemStorage();
        Appender a = store.appender();
        for (int s = 0; s < NAMES.length; s++) {
            long ref = a.seriesRef(Labels.of("__name__", "x", "i", NAMES[s]));
            for (int t = 0; t < values[s].length; t++) {
                a.append(ref, t * 15_000L, values[s][t]);
            }
        }
        a.commit();
        return store;
    }

    @Test
    void instantAndRangeQueriesKeepWhatPrometheusKeeps() {
        Random rnd = new Random(7);
        double[] alphabet = {1, 1, 2, 2, 3, N};
        double[][] values = new double[NAMES.length][121];
        for (double[] row : values) {
            for (int t = 0; t < row.length; t++) {
                row[t] = alphabet[rnd.nextInt(alphabet.length)];
            }
        }
        MemStorage store = tiedStore(values);
        Engine engine = new Engine(EngineOptions.defaults());
        for (String inner : List.of("x", "max_over_time(x[1m])", "min_over_time(x[1m])", "avg_over_time(x[2m])")) {
            for (String op : List.of("topk", "bottomk")) {
                for (int k : new int[] {1, 2, 3, 5}) {
                    String q = op + "(" + k + ", " + inner + ")";
                    // Instant: the model over the inner expression's exact values, in input (label) order.
                    for (int t = 60; t <= 120; t += 13) {
                        QueryResult.VectorResult in = (QueryResult.VectorResult) engine.instant(store, inner, t * 15_000L);
                        QueryResult.VectorResult got = (QueryResult.VectorResult) engine.instant(store, q, t * 15_000L);
                        assertEquals(modelNames(in.samples(), k, op.equals("topk")), labelsOf(got.samples()), q + " at step " + t);
                    }
                    // Range: the set at every step (range results are sorted by labels afterwards).
                    // These ranges go through the pruned path for the range functions.
                    QueryResult.MatrixResult inner0 = (QueryResult.MatrixResult) engine.range(store, inner, 0, 1_800_000, 15_000);
                    QueryResult.MatrixResult got = (QueryResult.MatrixResult) engine.range(store, q, 0, 1_800_000, 15_000);
                    assertEquals(modelSets(inner0, k, op.equals("topk")), setsOf(got), q + " over the range");
                }
            }
        }
    }

    @Test
    void prunedRangeWindowsAreExactWhereTiesCrossTheCut() {
        // Half the series sit at 2 (ties across the cut of topk(3)), the others wander lower,
        // so their avg_over_time windows are pruned to bounds; the heap's choice among the 2s
        // depends on those low values' exact order.
        Random rnd = new Random(11);
        double[][] values = new double[NAMES.length][121];
        for (int s = 0; s < NAMES.length; s++) {
            for (int t = 0; t < values[s].length; t++) {
                values[s][t] = s % 2 == 0 ? (rnd.nextInt(10) == 0 ? 3 : 2) : rnd.nextInt(1000) / 1000.0;
            }
        }
        MemStorage store = tiedStore(values);
        Engine engine = new Engine(EngineOptions.defaults());
        for (String q : List.of("avg_over_time(x[2m])", "-avg_over_time(x[2m])")) {
            for (int k : new int[] {2, 3, 4}) {
                for (String op : List.of("topk", "bottomk")) {
                    String e = op + "(" + k + ", " + q + ")";
                    QueryResult.MatrixResult inner = (QueryResult.MatrixResult) engine.range(store, q, 0, 1_800_000, 15_000);
                    QueryResult.MatrixResult got = (QueryResult.MatrixResult) engine.range(store, e, 0, 1_800_000, 15_000);
                    assertEquals(modelSets(inner, k, op.equals("topk")), setsOf(got), e);
                }
            }
        }
    }

    private static List<String> modelNames(List<QueryResult.Sample> in, long k, boolean top) {
        double[] v = new double[in.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.get(i).value();
        }
        List<String> out = new ArrayList<>();
        for (int i : GoHeapModel.rank(v, k, top)) {
            out.add(in.get(i).labels().get("i"));
        }
        return out;
    }

    private static List<String> labelsOf(List<QueryResult.Sample> samples) {
        List<String> out = new ArrayList<>();
        for (QueryResult.Sample s : samples) {
            out.add(s.labels().get("i"));
        }
        return out;
    }

    /** Per timestamp, the names kept by the model over the inner values (series in label order). */
    private static TreeMap<Long, Set<String>> modelSets(QueryResult.MatrixResult inner, long k, boolean top) {
        TreeMap<Long, List<QueryResult.Sample>> byTime = new TreeMap<>();
        for (QueryResult.MatrixSeries s : inner.series()) {
            for (int j = 0; j < s.size(); j++) {
                byTime.computeIfAbsent(s.timestampsMs()[j], x -> new ArrayList<>()).add(new QueryResult.Sample(s.labels(), s.timestampsMs()[j], s.values()[j]));
            }
        }
        TreeMap<Long, Set<String>> out = new TreeMap<>();
        byTime.forEach((t, samples) -> out.put(t, new HashSet<>(modelNames(samples, k, top))));
        return out;
    }

    private static TreeMap<Long, Set<String>> setsOf(QueryResult.MatrixResult m) {
        TreeMap<Long, Set<String>> out = new TreeMap<>();
        for (QueryResult.MatrixSeries s : m.series()) {
            for (int j = 0; j < s.size(); j++) {
                out.computeIfAbsent(s.timestampsMs()[j], x -> new HashSet<>()).add(s.labels().get("i"));
            }
        }
        return out;
    }
}
