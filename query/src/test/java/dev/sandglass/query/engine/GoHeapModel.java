package dev.sandglass.query.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A model of Prometheus 2.42's topk/bottomk for tests, written as the Go is: a sort.Interface
 * heap (vectorByValueHeap / vectorByReverseValueHeap), Go's container/heap Push and Fix over it,
 * the aggregation loop of promql/engine.go, then sort.Sort(sort.Reverse(heap)) as Go 1.19's
 * insertion sort (what pdqsort does for up to 12 elements). Written from Prometheus v2.42.0's
 * source (promql/engine.go, promql/functions.go) and Go 1.19's container/heap, checked against
 * a running Prometheus 2.42 on tied data.
 */
final class GoHeapModel {
    /** One sample: its position in the input and its value. */
    record Sample(int index, double v) {
    }

    /** vectorByValueHeap (topk) or vectorByReverseValueHeap (bottomk). */
    private static final class Heap {
        final List<Sample> s = new ArrayList<>();
        final boolean reverse;

        Heap(boolean reverse) {
            this.reverse = reverse;
        }

        int len() {
            return s.size();
        }

        boolean less(int i, int j) {
            if (Double.isNaN(s.get(i).v())) {
                return true;
            }
            return reverse ? s.get(i).v() > s.get(j).v() : s.get(i).v() < s.get(j).v();
        }

        void swap(int i, int j) {
            Sample t = s.get(i);
            s.set(i, s.get(j));
            s.set(j, t);
        }
    }

    // container/heap
    private static void push(Heap h, Sample x) {
        h.s.add(x);
        up(h, h.len() - 1);
    }

    private static Sample pop(Heap h) {
        int n = h.len() - 1;
        h.swap(0, n);
        down(h, 0, n);
        return h.s.remove(n);
    }

    private static void up(Heap h, int j) {
        for (;;) {
            int i = (j - 1) / 2; // parent
            if (i == j || !h.less(j, i)) {
                break;
            }
            h.swap(i, j);
            j = i;
        }
    }

    private static boolean down(Heap h, int i0, int n) {
        int i = i0;
        for (;;) {
            int j1 = 2 * i + 1;
            if (j1 >= n || j1 < 0) {
                break;
            }
            int j = j1;
            if (j1 + 1 < n && h.less(j1 + 1, j1)) {
                j = j1 + 1;
            }
            if (!h.less(j, i)) {
                break;
            }
            h.swap(i, j);
            i = j;
        }
        return i > i0;
    }

    /** Indexes kept by topk (or bottomk) of {@code values} in input order, in output order. */
    static List<Integer> rank(double[] values, long k, boolean top) {
        Heap h = new Heap(!top);
        for (int i = 0; i < values.length; i++) {
            Sample s = new Sample(i, values[i]);
            if (i == 0) {
                h.s.add(s); // the group's first sample starts its heap
                continue;
            }
            double worst = h.s.get(0).v();
            if (h.len() < k || (top ? worst < s.v() : worst > s.v()) || Double.isNaN(worst)) {
                if (h.len() == k) {
                    if (k == 1) {
                        h.s.set(0, s); // replaced in situ
                        continue;
                    }
                    pop(h);
                }
                push(h, s);
            }
        }
        // sort.Sort(sort.Reverse(h)): Less(i, j) is h.Less(j, i); insertionSort(data, 0, n).
        for (int i = 1; i < h.len(); i++) {
            for (int j = i; j > 0 && h.less(j - 1, j); j--) {
                h.swap(j, j - 1);
            }
        }
        List<Integer> out = new ArrayList<>();
        for (Sample s : h.s) {
            out.add(s.index());
        }
        return out;
    }
}
