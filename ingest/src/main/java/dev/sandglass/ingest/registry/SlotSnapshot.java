package dev.sandglass.ingest.registry;

import java.nio.charset.StandardCharsets;

/**
 * One consistent read of a slot: primitive fields, reused between collections (a flyweight, so
 * reading 1024 slots allocates nothing but changed names). Optional fields are present only when
 * their sample_flags bit is set: check {@link #has(int)} before using one.
 */
public final class SlotSnapshot {
    public int slot;
    public int state;
    public long generation;
    public int sandboxId;
    public int runId;
    public int pid;
    public long startedAt;
    public long sampledAt;
    public int flags;
    public long memoryLimit;
    public long vcpuTimeNs;
    public float cpuPercent;
    public long memoryBytes;
    public long memoryAvailable;
    public long memoryHostResident;
    public long diskRead;
    public long diskWrite;
    public long netRx;
    public long netTx;
    public long upperUsed;
    public long upperFree;
    public long upperHostAllocated;
    final byte[] nameBytes = new byte[Layout.NAME_MAX];
    int nameLen;
    private String name = "";

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** The sandbox name (decoded once per change). */
    public String name() {
        String n = name;
        byte[] cur = nameBytes;
        if (n.length() != nameLen || !sameBytes(n, cur, nameLen)) {
            n = new String(cur, 0, nameLen, StandardCharsets.UTF_8);
            name = n;
        }
        return n;
    }

    private static boolean sameBytes(String s, byte[] b, int len) {
        for (int i = 0; i < len; i++) {
            if (b[i] < 0 || s.charAt(i) != b[i]) {
                return false;
            }
        }
        return true;
    }
}
