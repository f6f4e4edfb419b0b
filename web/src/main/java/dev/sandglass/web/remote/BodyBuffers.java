package dev.sandglass.web.remote;

import java.util.ArrayDeque;

/**
 * A few reusable byte arrays for decompressed request bodies: a remote-write body expands to about
 * a megabyte, which the JVM would otherwise allocate (outside any thread-local buffer, and as a
 * "humongous" object under G1) and collect for every request. At most {@code keep} arrays of at
 * most {@code maxKept} bytes are kept; larger or surplus ones are left to the collector.
 */
public final class BodyBuffers {
    private final ArrayDeque<byte[]> free = new ArrayDeque<>();
    private final int keep;
    private final int maxKept;

    public BodyBuffers(int keep, int maxKept) {
        this.keep = keep;
        this.maxKept = maxKept;
    }

    /** An array of at least {@code n} bytes (contents undefined). */
    public byte[] take(int n) {
        synchronized (free) {
            byte[] b = free.pollFirst();
            if (b != null && b.length >= n) {
                return b;
            }
        }
        return new byte[n <= maxKept ? Math.min(maxKept, Math.max(n + (n >> 2), 64 << 10)) : n];
    }

    public void give(byte[] b) {
        if (b.length > maxKept) {
            return;
        }
        synchronized (free) {
            if (free.size() < keep) {
                free.addFirst(b);
            }
        }
    }
}
