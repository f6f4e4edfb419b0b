package dev.sandglass.web.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcessBusyTest {
    /** A process whose CPU runs at {@code load} cores while the clock moves. */
    private long cpu;
    private long wall;
    private double load;

    private void advance(long ms) {
        wall += ms * 1_000_000;
        cpu += (long) (ms * 1_000_000 * load);
    }

    private final ProcessBusy busy = new ProcessBusy(() -> cpu, () -> wall, this::advance, 200, 0.25);

    @Test
    void aProcessUsingLittleCpuIsNotBusy() {
        load = 0.03; // a registry collection or one pushed fleet collection a second
        advance(1_000);
        assertFalse(busy.getAsBoolean());
        advance(1_000);
        assertFalse(busy.getAsBoolean());
    }

    @Test
    void aProcessTakingAStreamOfWritesIsBusy() {
        load = 1.5;
        advance(1_000);
        assertTrue(busy.getAsBoolean());
        advance(1_000);
        assertTrue(busy.getAsBoolean());
    }

    @Test
    void workThatStartsJustBeforeTheLookCountsThroughTheProbe() {
        load = 0;
        advance(900);
        assertFalse(busy.getAsBoolean());
        advance(800);
        load = 1.2; // writes arrive as the next look is taken: only the probe sees them
        assertTrue(busy.getAsBoolean());
    }

    @Test
    void aBusySpellLongAgoDoesNotCount() {
        load = 2;
        advance(500);
        load = 0;
        advance(30_000); // the last look was long before: only the probe decides
        assertFalse(busy.getAsBoolean());
    }
}
