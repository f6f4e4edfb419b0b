package dev.sandglass.ingest.registry;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The microsandbox live-metrics registry, layout version 3 (specs/msb-registry-v3.md): offsets
 * and constants. A compatibility contract: change nothing here without the spec changing.
 */
public final class Layout {
    public static final long MAGIC = 0x3130_5445_4d42_534dL; // "MSBMET01"
    public static final int VERSION = 3;
    public static final int HEADER_LEN = 256;
    public static final int SLOT_LEN = 512;
    public static final int DEFAULT_CAPACITY = 1024;

    // Header.
    public static final int H_MAGIC = 0x00;
    public static final int H_VERSION = 0x08;
    public static final int H_HEADER_LEN = 0x0c;
    public static final int H_SLOT_LEN = 0x10;
    public static final int H_CAPACITY = 0x14;
    public static final int H_STATE = 0x18;
    public static final int H_CREATED_AT = 0x20;
    public static final int H_GENERATION = 0x28;

    public static final int HEADER_UNINIT = 0;
    public static final int HEADER_INITIALIZING = 1;
    public static final int HEADER_READY = 2;

    // Slot.
    public static final int S_STATE = 0x00;
    public static final int S_GENERATION = 0x08;
    public static final int S_SEQ = 0x10;
    public static final int S_SANDBOX_ID = 0x18;
    public static final int S_RUN_ID = 0x1c;
    public static final int S_PID = 0x20;
    public static final int S_STARTED_AT = 0x28;
    public static final int S_SAMPLED_AT = 0x30;
    public static final int S_FLAGS = 0x38;
    public static final int S_MEMORY_LIMIT = 0x40;
    public static final int S_VCPU_TIME_NS = 0x48;
    public static final int S_CPU_PERCENT = 0x50;
    public static final int S_MEMORY_BYTES = 0x58;
    public static final int S_MEMORY_AVAILABLE = 0x60;
    public static final int S_MEMORY_HOST_RESIDENT = 0x68;
    public static final int S_DISK_READ = 0x70;
    public static final int S_DISK_WRITE = 0x78;
    public static final int S_NET_RX = 0x80;
    public static final int S_NET_TX = 0x88;
    public static final int S_UPPER_USED = 0x90;
    public static final int S_UPPER_FREE = 0x98;
    public static final int S_UPPER_HOST_ALLOCATED = 0xa0;
    public static final int S_NAME_LEN = 0xa8;
    public static final int S_NAME = 0xb0;
    public static final int NAME_MAX = 128;

    public static final int SLOT_FREE = 0;
    public static final int SLOT_RESERVED = 1;
    public static final int SLOT_ACTIVE = 2;
    public static final int SLOT_STALE = 3;

    // sample_flags bits.
    public static final int F_CPU = 1;
    public static final int F_MEMORY_USED = 1 << 1;
    public static final int F_MEMORY_AVAILABLE = 1 << 2;
    public static final int F_MEMORY_HOST_RESIDENT = 1 << 3;
    public static final int F_UPPER_USED = 1 << 4;
    public static final int F_UPPER_FREE = 1 << 5;
    public static final int F_UPPER_HOST_ALLOCATED = 1 << 6;

    /** Atomic views over the mapped bytes; every atomic field is naturally aligned. */
    static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Layout() {
    }

    public static long fileSize(int capacity) {
        return HEADER_LEN + (long) capacity * SLOT_LEN;
    }

    public static int slotOffset(int slot) {
        return HEADER_LEN + slot * SLOT_LEN;
    }
}
