package dev.sandglass.query.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Assertions that two query results are the same series with the same points, values compared bit for bit. */
final class SameBits {
    private SameBits() {
    }

    static void assertSameMatrix(QueryResult.MatrixResult want, QueryResult.MatrixResult got, String query) {
        assertEquals(want.series().size(), got.series().size(), query);
        for (int i = 0; i < want.series().size(); i++) {
            QueryResult.MatrixSeries w = want.series().get(i);
            QueryResult.MatrixSeries g = got.series().get(i);
            assertEquals(w.labels(), g.labels(), query);
            assertEquals(w.size(), g.size(), query + " " + w.labels());
            for (int j = 0; j < w.size(); j++) {
                assertEquals(w.timestampsMs()[j], g.timestampsMs()[j], query + " " + w.labels());
                assertEquals(Double.doubleToRawLongBits(w.values()[j]), Double.doubleToRawLongBits(g.values()[j]),
                        query + " " + w.labels() + " at " + w.timestampsMs()[j]);
            }
        }
    }

    static void assertSameVector(QueryResult.VectorResult want, QueryResult.VectorResult got, String query) {
        assertEquals(want.samples().size(), got.samples().size(), query);
        for (int i = 0; i < want.samples().size(); i++) {
            assertEquals(want.samples().get(i).labels(), got.samples().get(i).labels(), query);
            assertEquals(Double.doubleToRawLongBits(want.samples().get(i).value()),
                    Double.doubleToRawLongBits(got.samples().get(i).value()), query + " " + want.samples().get(i).labels());
        }
    }
}
