package dev.sandglass.ingest.registry;

import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a v3 registry the way microsandbox's runtime does, from the spec: used by the demo fleet
 * and by tests. The header goes from initialising to ready with release stores; each sample is
 * written under the slot's seqlock (seq odd, fields, seq even); generations change on every reuse
 * and release. One writer thread per slot.
 */
public final class RegistryWriter implements AutoCloseable {
    /** The fields of one sample; optional ones are written only when their flag is set. */
    public static final class Sample {
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
    }

    private final Path path;
    private final MappedByteBuffer m;
    private final int capacity;

    private RegistryWriter(Path path, MappedByteBuffer m, int capacity) {
        this.path = path;
        this.m = m;
        this.capacity = capacity;
    }

    /** Creates (or recreates) the registry file with {@code capacity} free slots, mode 0600. */
    public static RegistryWriter create(Path path, int capacity) throws IOException {
        Files.createDirectories(path.getParent());
        Files.deleteIfExists(path);
        Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        long size = Layout.fileSize(capacity);
        MappedByteBuffer m;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            m = ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
        }
        m.order(ByteOrder.LITTLE_ENDIAN);
        Layout.INT.setRelease(m, Layout.H_STATE, Layout.HEADER_INITIALIZING);
        m.putLong(Layout.H_MAGIC, Layout.MAGIC);
        m.putInt(Layout.H_VERSION, Layout.VERSION);
        m.putInt(Layout.H_HEADER_LEN, Layout.HEADER_LEN);
        m.putInt(Layout.H_SLOT_LEN, Layout.SLOT_LEN);
        m.putInt(Layout.H_CAPACITY, capacity);
        m.putLong(Layout.H_CREATED_AT, System.currentTimeMillis());
        Layout.LONG.setRelease(m, Layout.H_GENERATION, 0L);
        Layout.INT.setRelease(m, Layout.H_STATE, Layout.HEADER_READY);
        return new RegistryWriter(path, m, capacity);
    }

    public Path path() {
        return path;
    }

    public int capacity() {
        return capacity;
    }

    /** Raw access for tests that need to corrupt a header field. */
    public MappedByteBuffer buffer() {
        return m;
    }

    private long nextGeneration() {
        return (long) Layout.LONG.getAndAdd(m, Layout.H_GENERATION, 1L) + 1;
    }

    /** Free slot -> reserved -> active with a new generation, run and no sample yet. */
    public void activate(int slot, int sandboxId, int runId, int pid, long startedAt, String name) {
        int base = Layout.slotOffset(slot);
        Layout.INT.setRelease(m, base + Layout.S_STATE, Layout.SLOT_RESERVED);
        beginWrite(base);
        Layout.LONG.setRelease(m, base + Layout.S_GENERATION, nextGeneration());
        m.putInt(base + Layout.S_SANDBOX_ID, sandboxId);
        m.putInt(base + Layout.S_RUN_ID, runId);
        m.putInt(base + Layout.S_PID, pid);
        m.putLong(base + Layout.S_STARTED_AT, startedAt);
        m.putLong(base + Layout.S_SAMPLED_AT, 0);
        m.putInt(base + Layout.S_FLAGS, 0);
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        int len = Math.min(n.length, Layout.NAME_MAX);
        m.putShort(base + Layout.S_NAME_LEN, (short) len);
        m.put(base + Layout.S_NAME, n, 0, len);
        endWrite(base);
        Layout.INT.setRelease(m, base + Layout.S_STATE, Layout.SLOT_ACTIVE);
    }

    /** A restart: new generation, run id, pid and start time; counters begin again. */
    public void restart(int slot, int runId, int pid, long startedAt) {
        int base = Layout.slotOffset(slot);
        beginWrite(base);
        Layout.LONG.setRelease(m, base + Layout.S_GENERATION, nextGeneration());
        m.putInt(base + Layout.S_RUN_ID, runId);
        m.putInt(base + Layout.S_PID, pid);
        m.putLong(base + Layout.S_STARTED_AT, startedAt);
        m.putLong(base + Layout.S_SAMPLED_AT, 0);
        endWrite(base);
    }

    public void writeSample(int slot, Sample s) {
        int base = Layout.slotOffset(slot);
        beginWrite(base);
        m.putLong(base + Layout.S_SAMPLED_AT, s.sampledAt);
        m.putInt(base + Layout.S_FLAGS, s.flags);
        m.putLong(base + Layout.S_MEMORY_LIMIT, s.memoryLimit);
        m.putLong(base + Layout.S_VCPU_TIME_NS, s.vcpuTimeNs);
        m.putInt(base + Layout.S_CPU_PERCENT, Float.floatToRawIntBits(s.cpuPercent));
        m.putLong(base + Layout.S_MEMORY_BYTES, s.memoryBytes);
        m.putLong(base + Layout.S_MEMORY_AVAILABLE, s.memoryAvailable);
        m.putLong(base + Layout.S_MEMORY_HOST_RESIDENT, s.memoryHostResident);
        m.putLong(base + Layout.S_DISK_READ, s.diskRead);
        m.putLong(base + Layout.S_DISK_WRITE, s.diskWrite);
        m.putLong(base + Layout.S_NET_RX, s.netRx);
        m.putLong(base + Layout.S_NET_TX, s.netTx);
        m.putLong(base + Layout.S_UPPER_USED, s.upperUsed);
        m.putLong(base + Layout.S_UPPER_FREE, s.upperFree);
        m.putLong(base + Layout.S_UPPER_HOST_ALLOCATED, s.upperHostAllocated);
        endWrite(base);
    }

    /** A clean stop: the slot turns stale and keeps its last sample. */
    public void stop(int slot) {
        Layout.INT.setRelease(m, Layout.slotOffset(slot) + Layout.S_STATE, Layout.SLOT_STALE);
    }

    /** Frees the slot (generation bumped) for reuse. */
    public void release(int slot) {
        int base = Layout.slotOffset(slot);
        beginWrite(base);
        Layout.LONG.setRelease(m, base + Layout.S_GENERATION, nextGeneration());
        endWrite(base);
        Layout.INT.setRelease(m, base + Layout.S_STATE, Layout.SLOT_FREE);
    }

    private void beginWrite(int base) {
        long seq = (long) Layout.LONG.getOpaque(m, base + Layout.S_SEQ);
        Layout.LONG.setRelease(m, base + Layout.S_SEQ, seq + 1);
        // The odd seq must be visible before any field changes.
        VarHandle.fullFence();
    }

    private void endWrite(int base) {
        long seq = (long) Layout.LONG.getOpaque(m, base + Layout.S_SEQ);
        Layout.LONG.setRelease(m, base + Layout.S_SEQ, seq + 1);
    }

    /** Removes the registry file (the demo owns its own). */
    public void deleteFile() throws IOException {
        Files.deleteIfExists(path);
    }

    @Override
    public void close() {
        m.force();
    }
}
