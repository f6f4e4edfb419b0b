package dev.sandglass.ingest.registry;

import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads microsandbox's registry exactly as the spec says: header validation, then each slot under
 * its seqlock (acquire loads of state, generation and seq; fields; acquire fence; the three again;
 * accept only an unchanged even seq, unchanged generation and a still-visible state). Free,
 * reserved and not-yet-sampled slots are skipped. Not thread-safe: one collect loop owns it.
 */
public final class RegistryReader implements AutoCloseable {
    static final int MAX_ATTEMPTS = 64;

    private final RegistryLocator locator;
    private final long readyWaitMs;
    private MappedByteBuffer buf;
    private int capacity;
    private Object fileKey;
    private SlotSnapshot[] slots = new SlotSnapshot[0];
    private long tornRetries;

    public RegistryReader(RegistryLocator locator, long readyWaitMs) {
        this.locator = locator;
        this.readyWaitMs = readyWaitMs;
    }

    public RegistryLocator locator() {
        return locator;
    }

    /** Maps the registry when not mapped yet, or again when the file was recreated or resized. */
    private void ensureMapped() {
        Path p = locator.path();
        Object key;
        long size;
        try {
            var attrs = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class);
            key = attrs.fileKey();
            size = attrs.size();
        } catch (NoSuchFileException e) {
            buf = null;
            throw new RegistryException(RegistryException.Kind.NOT_FOUND, "no microsandbox registry at " + p + " for "
                    + locator.describeHome() + "; is microsandbox running for that home? (pass --msb-home or set MSB_HOME to read another)");
        } catch (IOException e) {
            throw new RegistryException(RegistryException.Kind.IO, "cannot stat " + p + ": " + e.getMessage(), e);
        }
        if (buf != null && key != null && key.equals(fileKey) && size == Layout.fileSize(capacity)) {
            return;
        }
        buf = null;
        if (size < Layout.HEADER_LEN) {
            throw new RegistryException(RegistryException.Kind.BAD_HEADER, "registry " + p + " is " + size
                    + " bytes, smaller than its " + Layout.HEADER_LEN + "-byte header");
        }
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            m.order(ByteOrder.LITTLE_ENDIAN);
            validate(m, size, p);
            buf = m;
            fileKey = key;
        } catch (AccessDeniedException e) {
            throw new RegistryException(RegistryException.Kind.ACCESS_DENIED, accessDenied(p));
        } catch (IOException e) {
            throw new RegistryException(RegistryException.Kind.IO, "cannot map " + p + ": " + e.getMessage(), e);
        }
    }

    static String accessDenied(Path p) {
        String owner = "unknown";
        try {
            owner = String.valueOf(Files.getAttribute(p, "unix:uid"));
        } catch (IOException | RuntimeException ignored) {
            // keep "unknown"
        }
        return "permission denied reading " + p + ": it belongs to uid " + owner + " and Sandglass runs as uid " + ourUid()
                + " (mode 0600); run Sandglass as the user that runs microsandbox";
    }

    static String ourUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.substring(4).trim().split("\\s+")[0];
                }
            }
        } catch (IOException ignored) {
            // fall through
        }
        return System.getProperty("user.name");
    }

    private void validate(MappedByteBuffer m, long size, Path p) {
        long deadline = System.nanoTime() + readyWaitMs * 1_000_000L;
        int state = (int) Layout.INT.getAcquire(m, Layout.H_STATE);
        while (state != Layout.HEADER_READY) {
            if (state != Layout.HEADER_UNINIT && state != Layout.HEADER_INITIALIZING) {
                throw bad(p, "header state", "0, 1 or 2", state);
            }
            if (System.nanoTime() > deadline) {
                throw new RegistryException(RegistryException.Kind.NOT_READY, "registry " + p + " is still initialising (state "
                        + state + ") after " + readyWaitMs + " ms; will retry");
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryException(RegistryException.Kind.NOT_READY, "interrupted while waiting for " + p);
            }
            state = (int) Layout.INT.getAcquire(m, Layout.H_STATE);
        }
        long magic = m.getLong(Layout.H_MAGIC);
        if (magic != Layout.MAGIC) {
            throw new RegistryException(RegistryException.Kind.BAD_HEADER, "registry " + p + " has magic 0x" + Long.toHexString(magic)
                    + ", expected 0x" + Long.toHexString(Layout.MAGIC) + " (\"MSBMET01\"): not a microsandbox metrics registry");
        }
        int version = m.getInt(Layout.H_VERSION);
        if (version != Layout.VERSION) {
            throw bad(p, "layout version", String.valueOf(Layout.VERSION), version);
        }
        int headerLen = m.getInt(Layout.H_HEADER_LEN);
        if (headerLen != Layout.HEADER_LEN) {
            throw bad(p, "header_len", String.valueOf(Layout.HEADER_LEN), headerLen);
        }
        int slotLen = m.getInt(Layout.H_SLOT_LEN);
        if (slotLen != Layout.SLOT_LEN) {
            throw bad(p, "slot_len", String.valueOf(Layout.SLOT_LEN), slotLen);
        }
        int cap = m.getInt(Layout.H_CAPACITY);
        if (cap <= 0 || Layout.fileSize(cap) != size) {
            throw new RegistryException(RegistryException.Kind.BAD_HEADER, "registry " + p + " says capacity " + cap
                    + " (" + Layout.fileSize(cap) + " bytes) but the file is " + size + " bytes");
        }
        capacity = cap;
        if (slots.length != cap) {
            slots = new SlotSnapshot[cap];
            for (int i = 0; i < cap; i++) {
                slots[i] = new SlotSnapshot();
                slots[i].slot = i;
            }
        }
    }

    private static RegistryException bad(Path p, String field, String expected, long found) {
        return new RegistryException(RegistryException.Kind.BAD_HEADER, "registry " + p + " has " + field + " " + found
                + ", expected " + expected + "; this Sandglass reads layout version " + Layout.VERSION);
    }

    /**
     * Reads every active or stale slot that has a sample into {@code out} (cleared first). The
     * snapshots are reused: copy what must outlive the next call.
     */
    public void read(List<SlotSnapshot> out) {
        out.clear();
        ensureMapped();
        for (int i = 0; i < capacity; i++) {
            SlotSnapshot s = slots[i];
            if (readSlot(i, s) && s.sampledAt != 0) {
                out.add(s);
            }
        }
    }

    public List<SlotSnapshot> read() {
        List<SlotSnapshot> out = new ArrayList<>();
        read(out);
        return out;
    }

    /** The seqlock read of one slot; false when it is free, reserved, or kept changing. */
    boolean readSlot(int i, SlotSnapshot s) {
        MappedByteBuffer m = buf;
        int base = Layout.slotOffset(i);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            int state = (int) Layout.INT.getAcquire(m, base + Layout.S_STATE);
            if (state != Layout.SLOT_ACTIVE && state != Layout.SLOT_STALE) {
                return false;
            }
            long gen = (long) Layout.LONG.getAcquire(m, base + Layout.S_GENERATION);
            long seq = (long) Layout.LONG.getAcquire(m, base + Layout.S_SEQ);
            if ((seq & 1) != 0) {
                tornRetries++;
                Thread.onSpinWait();
                continue;
            }
            s.sandboxId = m.getInt(base + Layout.S_SANDBOX_ID);
            s.runId = m.getInt(base + Layout.S_RUN_ID);
            s.pid = m.getInt(base + Layout.S_PID);
            s.startedAt = m.getLong(base + Layout.S_STARTED_AT);
            s.sampledAt = m.getLong(base + Layout.S_SAMPLED_AT);
            s.flags = m.getInt(base + Layout.S_FLAGS);
            s.memoryLimit = m.getLong(base + Layout.S_MEMORY_LIMIT);
            s.vcpuTimeNs = m.getLong(base + Layout.S_VCPU_TIME_NS);
            s.cpuPercent = Float.intBitsToFloat(m.getInt(base + Layout.S_CPU_PERCENT));
            s.memoryBytes = m.getLong(base + Layout.S_MEMORY_BYTES);
            s.memoryAvailable = m.getLong(base + Layout.S_MEMORY_AVAILABLE);
            s.memoryHostResident = m.getLong(base + Layout.S_MEMORY_HOST_RESIDENT);
            s.diskRead = m.getLong(base + Layout.S_DISK_READ);
            s.diskWrite = m.getLong(base + Layout.S_DISK_WRITE);
            s.netRx = m.getLong(base + Layout.S_NET_RX);
            s.netTx = m.getLong(base + Layout.S_NET_TX);
            s.upperUsed = m.getLong(base + Layout.S_UPPER_USED);
            s.upperFree = m.getLong(base + Layout.S_UPPER_FREE);
            s.upperHostAllocated = m.getLong(base + Layout.S_UPPER_HOST_ALLOCATED);
            int nameLen = Math.min(Short.toUnsignedInt(m.getShort(base + Layout.S_NAME_LEN)), Layout.NAME_MAX);
            m.get(base + Layout.S_NAME, s.nameBytes, 0, nameLen);
            VarHandle.acquireFence();
            long seq2 = (long) Layout.LONG.getAcquire(m, base + Layout.S_SEQ);
            long gen2 = (long) Layout.LONG.getAcquire(m, base + Layout.S_GENERATION);
            int state2 = (int) Layout.INT.getAcquire(m, base + Layout.S_STATE);
            if (seq2 == seq && gen2 == gen && (state2 == Layout.SLOT_ACTIVE || state2 == Layout.SLOT_STALE)) {
                s.state = state2;
                s.generation = gen;
                s.nameLen = nameLen;
                return true;
            }
            tornRetries++;
        }
        return false;
    }

    /** How many slot reads had to be retried because a write was in progress (for tests and metrics). */
    public long tornRetries() {
        return tornRetries;
    }

    public int capacity() {
        return capacity;
    }

    @Override
    public void close() {
        buf = null;
    }
}
