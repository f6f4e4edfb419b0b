package dev.sandglass.web.bench;

/**
 * Keeps a JVM receiver's after-work out of the next receiver's timed pass. serve runs one full
 * collection 10 s after its last query when it is not busy (IdleMemory); the bench's stored-count
 * checks are queries, so that collection (190-690 ms of CPU, measured) used to run inside whichever
 * peer's pass came next, on the same 2 cores, slowing the peer. Before a peer's pass the bench now
 * waits until that moment has passed and the receiver has gone quiet.
 */
final class IdleWait {
    /** serve's IdleMemory quiet time, and a margin for its 1 s tick. */
    static final long AFTER_LAST_QUERY_MS = 10_000 + 1_500;

    private IdleWait() {
    }

    /**
     * Waits until {@code AFTER_LAST_QUERY_MS} after {@code lastQueryMs}, then until process {@code pid}
     * used under a twentieth of a core over 300 ms (at most 5 s more). Returns the ms waited.
     */
    static long settle(long pid, long lastQueryMs) throws Exception {
        long start = System.currentTimeMillis();
        long wait = lastQueryMs + AFTER_LAST_QUERY_MS - start;
        if (wait > 0) {
            Thread.sleep(wait);
        }
        long deadline = System.currentTimeMillis() + 5000;
        double prev = ProtocolBench.cpuSecs(pid);
        while (System.currentTimeMillis() < deadline) {
            Thread.sleep(300);
            double now = ProtocolBench.cpuSecs(pid);
            if (now - prev < 0.015) {
                break;
            }
            prev = now;
        }
        return System.currentTimeMillis() - start;
    }
}
