package dev.sandglass.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import dev.sandglass.storage.api.Values;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Series.last answers from the head when it can and always equals the last of samples(). */
class LastSampleTest {
    @TempDir
    Path tmp;

    private static String lastOf(Series s) {
        Samples out = new Samples(2);
        boolean found = s.last(out);
        Samples all = s.samples();
        String expected = all.size() == 0 ? "none" : all.timestamp(all.size() - 1) + "=" + Double.doubleToRawLongBits(all.value(all.size() - 1));
        String got = found ? out.timestamp(0) + "=" + Double.doubleToRawLongBits(out.value(0)) : "none";
        assertEquals(expected, got, s.labels().toString());
        return got;
    }

    @Test
    void lastFromHeadBlocksAndRanges() {
        try (Db db = Db.open(DbOptions.defaults(tmp.resolve("d")).withRetention(100L * 365 * 86_400_000, 0))) {
            Appender a = db.appender();
            long x = a.seriesRef(Labels.of("__name__", "x"));
            long y = a.seriesRef(Labels.of("__name__", "y"));
            for (int i = 0; i < 100; i++) {
                a.append(x, 1000L * i, i);
            }
            a.append(y, 5000, 1);
            a.commit();
            db.seal();
            for (int i = 100; i < 150; i++) {
                a.append(x, 1000L * i, i);
            }
            a.append(x, 150_000, Values.STALE_NAN);
            a.commit();
            long[][] ranges = {{0, 200_000}, {0, 149_500}, {0, 99_000}, {10_000, 20_000}, {120_500, 120_900}, {0, 4000}, {0, 150_000}};
            String[] want = {"150000=" + Values.STALE_NAN_BITS, "149000=" + Double.doubleToRawLongBits(149), "99000=" + Double.doubleToRawLongBits(99),
                "20000=" + Double.doubleToRawLongBits(20), "none", "4000=" + Double.doubleToRawLongBits(4), "150000=" + Values.STALE_NAN_BITS};
            for (int k = 0; k < ranges.length; k++) {
                try (Querier q = db.querier(ranges[k][0], ranges[k][1])) {
                    List<Series> xs = q.selectLazily(List.of(Matcher.eq("__name__", "x")));
                    assertEquals(want[k], lastOf(xs.get(0)), "range " + ranges[k][0] + ".." + ranges[k][1]);
                    for (Series s : q.selectLazily(List.of(Matcher.eq("__name__", "y")))) {
                        lastOf(s); // only in a block
                    }
                }
            }
        }
    }
}
