// The series index alone, in a JVM of its own: opens the index of a data dir read-only and times
// label values of `run` and the 14,286-series selection of bench/cardinality.sh (caches dropped
// before each call), six rounds. A same-run A/B: run it with each jar in turn, e.g.
//   java -XX:+UseSerialGC -Xms8m -Xmx64m -XX:NewRatio=4 -Dchronicle.analytics.disable=true \
//     -cp web/target/sandglass.jar bench/IndexBench.java DATA_DIR/index values
// on a store bench/cardinality.sh imported (it deletes its own: import one with the same generator).
import dev.sandglass.storage.index.SeriesIndex;
import dev.sandglass.storage.api.Matcher;
import java.nio.file.Path;
import java.util.List;

public class IndexBench {
    public static void main(String[] a) throws Exception {
        long t0 = System.nanoTime();
        SeriesIndex idx = new SeriesIndex(Path.of(a[0]), 4096, true);
        System.out.printf("open %.3f s, %d series%n", (System.nanoTime() - t0) / 1e9, idx.size());
        List<Matcher> ms = List.of(Matcher.eq("__name__", "sandbox_up"), Matcher.eq("template", "tpl-3"));
        boolean valuesFirst = a.length < 2 || a[1].equals("values");
        for (int round = 0; round < 6; round++) {
            for (int k = 0; k < 2; k++) {
                boolean values = (k == 0) == valuesFirst;
                try { SeriesIndex.class.getMethod("releaseIdleCaches").invoke(idx); } catch (NoSuchMethodException e) { }
                long t = System.nanoTime();
                int n; long h;
                if (values) {
                    List<String> v = idx.labelValues("run");
                    n = v.size(); h = v.hashCode();
                } else {
                    SeriesIndex.Selection s = idx.selection(ms);
                    n = s.refs().length; h = java.util.Arrays.hashCode(s.byLabels()) * 31L + java.util.Arrays.hashCode(s.labels());
                }
                System.out.printf("%s %d: %.1f ms (%d, %x)%n", values ? "values" : "select", round, (System.nanoTime() - t) / 1e6, n, h);
            }
        }
        idx.close();
    }
}
