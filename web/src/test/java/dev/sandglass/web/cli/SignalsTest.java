package dev.sandglass.web.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How serve counts stop requests: what it receives itself and what the launcher passes on (USR1). */
class SignalsTest {
    private final ByteArrayOutputStream said = new ByteArrayOutputStream();
    private final List<Integer> halted = new ArrayList<>();
    private final Signals signals = new Signals(new PrintStream(said, true, StandardCharsets.UTF_8), halted::add);

    private String said() {
        return said.toString(StandardCharsets.UTF_8);
    }

    @Test
    void oneSignalStopsAndSaysSo() {
        assertFalse(signals.stopping());
        signals.received("INT");
        assertTrue(signals.stopping());
        assertEquals(List.of(), halted);
        assertTrue(said().contains("sandglass: stopping (signal INT); send it again to force"), said());
    }

    @Test
    void aSecondSignalForcesExit() {
        signals.received("INT");
        signals.received("TERM");
        assertEquals(List.of(130), halted);
        assertTrue(said().contains("sandglass: forced exit"), said());
    }

    @Test
    void theSameStopReceivedDirectlyAndPassedOnIsOneRequest() {
        // A Ctrl-C (or systemd's TERM to the group) reaches serve and its launcher, which passes it on.
        signals.received("TERM");
        signals.received("USR1");
        assertTrue(signals.stopping());
        assertEquals(List.of(), halted);
        assertEquals(1, said().split("stopping", -1).length - 1, said());
        signals.received("USR1"); // in whichever order they arrive
        assertEquals(List.of(130), halted);
    }

    @Test
    void twoStopsPassedOnByTheLauncherForceExit() {
        signals.received("USR1");
        assertTrue(said().contains("stopping (signal passed on by the launcher)"), said());
        assertEquals(List.of(), halted);
        signals.received("USR1");
        assertEquals(List.of(130), halted);
    }
}
