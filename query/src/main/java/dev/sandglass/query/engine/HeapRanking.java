package dev.sandglass.query.engine;

/**
 * Which members topk and bottomk keep, and in what order, as Prometheus 2.42 decides it
 * (promql/engine.go aggregation(), Go's container/heap, Go 1.19's sort.Sort): each group keeps a
 * heap of at most k members, worst on top. A member gets in while there is room, or when it is
 * strictly better than the top, or when the top is NaN; a full heap first pops its top
 * (heap.Pop: the last element moves to the top and sifts down), then pushes the newcomer
 * (appended, sifted up); for k = 1 the newcomer simply replaces the top. Among values that tie
 * at the cut-off, the heap's shape decides which stay. The kept members are then
 * sorted best first by sort.Sort(sort.Reverse(heap)), which for up to 12 members is an insertion
 * sort over the heap's array order. For topk "worse" is "lower", for bottomk "higher"; NaN is
 * worst for both (the heaps' Less says a NaN is below everything, even another NaN).
 */
final class HeapRanking {
    /** Go 1.19's pdqsort sorts up to this many elements by insertion sort. */
    static final int INSERTION_SORT_MAX = 12;

    private final double[] values;
    private final boolean top;

    private HeapRanking(double[] values, boolean top) {
        this.values = values;
        this.top = top;
    }

    /**
     * Positions (into {@code values}, in input order) of the members kept, best first; the
     * returned array's length is the number kept.
     */
    static int[] select(double[] values, int n, long k, boolean top) {
        HeapRanking r = new HeapRanking(values, top);
        int cap = (int) Math.min(k, n);
        int[] heap = new int[cap];
        int size = 0;
        for (int j = 0; j < n; j++) {
            if (size < k || r.getsIn(values[heap[0]], values[j])) {
                if (size == k) {
                    if (k == 1) {
                        heap[0] = j;
                        continue;
                    }
                    swap(heap, 0, size - 1);
                    r.down(heap, 0, size - 1);
                    size--;
                }
                heap[size++] = j;
                r.up(heap, size - 1);
            }
        }
        r.sortBestFirst(heap, size);
        return heap;
    }

    /** The heaps' Less: the member at heap slot a is worse than the one at b. */
    private boolean less(int[] heap, int a, int b) {
        double x = values[heap[a]];
        double y = values[heap[b]];
        if (Double.isNaN(x)) {
            return true;
        }
        return top ? x < y : x > y;
    }

    /** Whether {@code v} gets into a full heap whose top is {@code worst}: strictly better, or the top is NaN. */
    private boolean getsIn(double worst, double v) {
        return (top ? worst < v : worst > v) || Double.isNaN(worst);
    }

    private void up(int[] heap, int j) {
        while (true) {
            int i = (j - 1) / 2; // Go's integer division: (0-1)/2 is 0, which ends the loop
            if (i == j || !less(heap, j, i)) {
                break;
            }
            swap(heap, i, j);
            j = i;
        }
    }

    private void down(int[] heap, int i0, int n) {
        int i = i0;
        while (true) {
            int j1 = 2 * i + 1;
            if (j1 >= n || j1 < 0) {
                break;
            }
            int j = j1;
            int j2 = j1 + 1;
            if (j2 < n && less(heap, j2, j1)) {
                j = j2;
            }
            if (!less(heap, j, i)) {
                break;
            }
            swap(heap, i, j);
            i = j;
        }
    }

    /**
     * sort.Sort(sort.Reverse(heap)): Less(i, j) of the reversed order is the heap's Less(j, i).
     * Up to 12 members this is Go's insertion sort, exactly. Past 12 Go's pdqsort partitions
     * first, and the order it leaves among equal values is not modelled: equal values then keep
     * their insertion-sort order (a documented gap; the set kept is exact either way).
     */
    private void sortBestFirst(int[] heap, int n) {
        if (n < 2) {
            return;
        }
        for (int i = 1; i < n; i++) {
            for (int j = i; j > 0 && less(heap, j - 1, j); j--) {
                swap(heap, j, j - 1);
            }
        }
    }

    private static void swap(int[] heap, int i, int j) {
        int t = heap[i];
        heap[i] = heap[j];
        heap[j] = t;
    }
}
