package dev.sandglass.web.api;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * The idle server's full collection, run with the heap's free ratios lowered for that one
 * collection: the heap shrinks to its live data plus 10%, and with the serial collector the young
 * generation with it (it is sized from the old one at each full collection, between the
 * launcher's {@code -XX:NewSize} and {@code -XX:MaxNewSize}). The launcher's ratios stay in force
 * otherwise, so that a burst of queries grows the heap in a few steps rather than one full
 * collection after another. Both ratios are manageable flags: a JVM that refuses the change (or
 * has no such bean) just runs the collection with its own ratios.
 */
public final class TightCollection {
    /** The free ratios for the idle collection: at most 10% of the heap left free. */
    static final String MIN_FREE = "0";
    static final String MAX_FREE = "10";

    private TightCollection() {
    }

    /** One full collection that gives back all but 10% of the free heap. */
    public static void run() {
        run(System::gc);
    }

    /** Runs {@code collect} with the ratios lowered, then puts them back. */
    static void run(Runnable collect) {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        String min = null;
        String max = null;
        try {
            if (vm != null) {
                min = vm.getVMOption("MinHeapFreeRatio").getValue();
                max = vm.getVMOption("MaxHeapFreeRatio").getValue();
                // Min first: the JVM checks min <= max at each change.
                vm.setVMOption("MinHeapFreeRatio", MIN_FREE);
                vm.setVMOption("MaxHeapFreeRatio", MAX_FREE);
            }
        } catch (RuntimeException e) {
            // Not settable here: the collection below still runs with the launcher's ratios.
        }
        try {
            collect.run();
        } finally {
            restore(vm, min, max);
        }
    }

    private static void restore(HotSpotDiagnosticMXBean vm, String min, String max) {
        if (vm == null || min == null || max == null) {
            return;
        }
        try {
            // Max first on the way back, for the same check.
            vm.setVMOption("MaxHeapFreeRatio", max);
            vm.setVMOption("MinHeapFreeRatio", min);
        } catch (RuntimeException e) {
            // Left as set: a heap kept tight costs collections, not memory or answers.
        }
    }

    /** The current free ratios, "min/max" (for tests). */
    static String ratios() {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        return vm.getVMOption("MinHeapFreeRatio").getValue() + "/" + vm.getVMOption("MaxHeapFreeRatio").getValue();
    }
}
