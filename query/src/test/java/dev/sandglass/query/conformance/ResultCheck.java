package dev.sandglass.query.conformance;

import dev.sandglass.query.engine.QueryResult;
import dev.sandglass.storage.api.Labels;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Compares a result with an eval's expectation as Prometheus 2.42's harness does (promql/test.go). */
final class ResultCheck {
    private ResultCheck() {
    }

    /** One expected element: labels (with __name__ when kept) and value; a scalar has null labels. */
    record Expected(Labels labels, double value) {
    }

    /**
     * Prometheus's almostEqual: exactly equal or both NaN; else, near zero (either is 0 or the
     * difference is subnormal), within 1e-6 of the smallest normal; else relative difference
     * |a-b| / (|a|+|b|) below 1e-6.
     */
    static boolean almostEqual(double a, double b) {
        if (a == b || Double.isNaN(a) && Double.isNaN(b)) {
            return true;
        }
        double diff = Math.abs(a - b);
        if (a == 0 || b == 0 || diff < Double.MIN_NORMAL) {
            return diff < 1e-6 * Double.MIN_NORMAL;
        }
        return diff / (Math.abs(a) + Math.abs(b)) < 1e-6;
    }

    /** Null when the result matches; else what differs. */
    static String compare(QueryResult result, List<Expected> expected, boolean ordered) {
        boolean scalarExpected = expected.size() == 1 && expected.get(0).labels() == null;
        if (result instanceof QueryResult.ScalarResult s) {
            if (!scalarExpected) {
                return "got scalar " + s.value() + ", expected a vector of " + expected.size();
            }
            double want = expected.get(0).value();
            return almostEqual(want, s.value()) ? null : "expected scalar " + want + " but got " + s.value();
        }
        if (!(result instanceof QueryResult.VectorResult v)) {
            return "received " + result.getClass().getSimpleName() + " on instant evaluation";
        }
        if (scalarExpected) {
            return "expected a scalar, got vector " + v.samples();
        }
        Map<Labels, Integer> position = new HashMap<>();
        for (int i = 0; i < expected.size(); i++) {
            position.put(expected.get(i).labels(), i);
        }
        Set<Labels> seen = new HashSet<>();
        for (int i = 0; i < v.samples().size(); i++) {
            QueryResult.Sample s = v.samples().get(i);
            Integer p = position.get(s.labels());
            if (p == null) {
                return "unexpected metric " + s.labels() + " in result " + v.samples();
            }
            if (ordered && p != i) {
                return "expected metric " + s.labels() + " at position " + (p + 1) + " but was at " + (i + 1);
            }
            double want = expected.get(p).value();
            if (!almostEqual(want, s.value())) {
                return "expected " + want + " for " + s.labels() + " but got " + s.value();
            }
            seen.add(s.labels());
        }
        for (Expected e : expected) {
            if (!seen.contains(e.labels())) {
                return "expected metric " + e.labels() + " with " + e.value() + " not found in " + v.samples();
            }
        }
        return null;
    }
}
