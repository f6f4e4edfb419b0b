package dev.sandglass.web.api;

import dev.sandglass.query.capacity.CapacityCalculator;
import dev.sandglass.query.capacity.CapacityReport;
import dev.sandglass.storage.api.Queryable;
import java.util.function.BooleanSupplier;

/**
 * The capacity report's part of the start-up warm-up: computes the report and its JSON over the
 * warm-up's synthetic store (never the user's data), at both resolutions, whole fleet and one
 * sandbox, until its rounds stop getting faster. Without it the first report on a fresh server
 * ran interpreted: 1.9 s against 0.12 s later on 30 days of 20 sandboxes (4.3 s against 0.6 s
 * at 100), loading ~300 classes and compiling the rollup decoding on the user's request.
 */
final class CapacityWarmup {
    /** Rounds at most; each is four reports over the synthetic fleet (a few ms once compiled). */
    static final int MAX_ROUNDS = 400;
    /**
     * Rounds before the level is looked for: the decoding loops are compiled by then. 10 and 50
     * measured alike for the first real report (80-240 ms of CPU against 90-170 later); 20 is
     * ~1.5 s of the warm-up thread's time on this machine.
     */
    static final int MIN_ROUNDS = 20;

    private CapacityWarmup() {
    }

    /**
     * Runs on this thread; returns the reports computed (four a round). {@code endMs}: the synthetic
     * data's end. Throws when a report finds no data: it would warm nothing.
     */
    static int run(Queryable store, long endMs, long rangeMs, String oneSandbox, BooleanSupplier stop) {
        EngineWarmup.Converged converged = new EngineWarmup.Converged();
        int n = 0;
        long[] resolutions = {CapacityCalculator.FIVE_MINUTES_MS, CapacityCalculator.HOUR_MS};
        for (int round = 0; round < MAX_ROUNDS && !stop.getAsBoolean(); round++) {
            long t0 = System.nanoTime();
            for (long res : resolutions) {
                for (String sandbox : new String[] {null, oneSandbox}) {
                    CapacityReport r = CapacityCalculator.compute(store, endMs, rangeMs, res, sandbox);
                    if (r.sandboxes().isEmpty() || Double.isNaN(r.fleet().memoryPeakOfLimit()) || Double.isNaN(r.fleet().diskReadPeak())) {
                        // A renamed metric or a changed fleet would warm nothing: say so rather than pretend.
                        throw new IllegalStateException("the warm-up's capacity report found no data (sandbox " + sandbox + ", resolution "
                                + res + " ms)");
                    }
                    CapacityJson.write(r, new JsonWriter(new StringBuilder(1 << 14)));
                    n++;
                }
            }
            // Enough rounds for the decoding loops to be compiled, then until the rounds stop getting faster.
            if (round >= MIN_ROUNDS && converged.after(System.nanoTime() - t0)) {
                break;
            }
        }
        return n;
    }
}
