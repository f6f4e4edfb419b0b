package dev.sandglass.storage.encoding;

/**
 * How one series' values are stored in a block. The byte is part of the format (see
 * storage/FORMAT.md): never renumber, only add.
 */
public enum Encoding {
    /** Every value has the same bit pattern: 8 bytes. */
    CONST(0),
    /** Integers: first value, a common divisor of the deltas, then deltas / divisor as zigzag varints. */
    INT_DELTA(1),
    /** As INT_DELTA over delta-of-deltas: for steadily growing counters and clocks. */
    INT_DOD(2),
    /** Decimals with k places that round-trip exactly as m / 10^k: a byte k, then m as INT_DELTA. */
    SCALED_DELTA(3),
    /** As SCALED_DELTA with delta-of-deltas. */
    SCALED_DOD(4),
    /** Anything else: XOR with the previous value's bits, trailing zeros dropped (Gorilla-like). */
    XOR(5),
    /**
     * Integers: first value, a common divisor of the deltas, then zigzag(delta / divisor) bit-packed
     * in frames of {@link ValueCodec#FRAME} values, each frame a byte of bit width then the packed
     * bits. Decodes without a branch per value, where varints of mixed lengths mispredict.
     */
    INT_PACKED(6),
    /** Decimals with k places: a byte k, then m as INT_PACKED. */
    SCALED_PACKED(7),
    /** As INT_DOD with the delta-of-deltas bit-packed as in INT_PACKED: steadily growing counters. */
    INT_DOD_PACKED(8),
    /** Decimals with k places: a byte k, then m as INT_DOD_PACKED. */
    SCALED_DOD_PACKED(9),
    /**
     * Integers whose deltas are mostly zero (a counter that moves now and then): first value, a
     * common divisor, then frames of {@link ValueCodec#SPARSE_FRAME} deltas, each an 8-byte
     * bitmap of the non-zero ones followed by those alone, bit-packed as in INT_PACKED.
     */
    INT_SPARSE(10),
    /** Decimals with k places: a byte k, then m as INT_SPARSE. */
    SCALED_SPARSE(11);

    private final int id;

    Encoding(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    /** values() copies its array at every call, and a query decodes a column per series per block. */
    private static final Encoding[] ALL = values();

    public static Encoding of(int id) {
        for (Encoding e : ALL) {
            if (e.id == id) {
                return e;
            }
        }
        throw new CorruptBlockException("unknown value encoding " + id);
    }
}
