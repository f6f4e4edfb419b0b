package dev.sandglass.storage.encoding;

/**
 * Encodes a run of float64 values with the cheapest {@link Encoding} that gives every bit pattern
 * back exactly. Integer and scaled-decimal paths are taken only after checking that each value
 * round-trips bit for bit (so -0.0, NaN payloads and the staleness marker fall through to XOR).
 */
public final class ValueCodec {
    private static final double[] POW10 = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6};
    private static final int MAX_SCALE = 6;
    private static final double MAX_EXACT = 9007199254740992.0; // 2^53

    private ValueCodec() {
    }

    /** Writes the encoding byte and the values. */
    public static Encoding encode(double[] v, int off, int n, Varints.Out out, long[] scratch) {
        long first = Double.doubleToRawLongBits(v[off]);
        boolean constant = true;
        for (int i = 1; i < n && constant; i++) {
            constant = Double.doubleToRawLongBits(v[off + i]) == first;
        }
        if (constant) {
            out.byte1(Encoding.CONST.id());
            out.long8(first);
            return Encoding.CONST;
        }
        if (asIntegers(v, off, n, scratch)) {
            return writeInts(scratch, n, out, false, -1);
        }
        for (int k = 1; k <= MAX_SCALE; k++) {
            if (asScaled(v, off, n, k, scratch)) {
                return writeInts(scratch, n, out, true, k);
            }
        }
        out.byte1(Encoding.XOR.id());
        long prev = first;
        out.long8(first);
        for (int i = 1; i < n; i++) {
            long bits = Double.doubleToRawLongBits(v[off + i]);
            long x = bits ^ prev;
            if (x == 0) {
                out.byte1(0);
            } else {
                int tz = Long.numberOfTrailingZeros(x);
                out.byte1(tz + 1);
                out.uvarint(x >>> tz);
            }
            prev = bits;
        }
        return Encoding.XOR;
    }

    private static boolean asIntegers(double[] v, int off, int n, long[] m) {
        for (int i = 0; i < n; i++) {
            double d = v[off + i];
            if (!(Math.abs(d) < MAX_EXACT) || d != Math.rint(d) || Double.doubleToRawLongBits(d) == Long.MIN_VALUE) {
                return false;
            }
            m[i] = (long) d;
        }
        return true;
    }

    private static boolean asScaled(double[] v, int off, int n, int k, long[] m) {
        double p = POW10[k];
        for (int i = 0; i < n; i++) {
            double d = v[off + i];
            double scaled = d * p;
            if (!(Math.abs(scaled) < MAX_EXACT)) {
                return false;
            }
            long r = Math.round(scaled);
            if (Double.doubleToRawLongBits(r / p) != Double.doubleToRawLongBits(d)) {
                return false;
            }
            m[i] = r;
        }
        return true;
    }

    /** Values per bit-packed frame (INT_PACKED, SCALED_PACKED). */
    static final int FRAME = 128;
    /** Deltas per bitmap of the sparse forms: one long. */
    static final int SPARSE_FRAME = 64;

    /**
     * Varint deltas, varint delta-of-deltas, bit-packed deltas or delta-of-deltas, or sparse
     * deltas, each divided by the gcd of its terms: whichever is smallest.
     */
    private static Encoding writeInts(long[] m, int n, Varints.Out out, boolean scaled, int scale) {
        long gd = 0;
        long gdd = 0;
        for (int i = 1; i < n; i++) {
            long d = m[i] - m[i - 1];
            // The divisor only shrinks: a term it already divides leaves it as it is (one test
            // instead of the modulo loop), and once it is 1 nothing changes it.
            if (gd != 1 && !divides(gd, d)) {
                gd = gcd(gd, Math.abs(d));
            }
            if (i >= 2 && gdd != 1) {
                long dd = d - (m[i - 1] - m[i - 2]);
                if (!divides(gdd, dd)) {
                    gdd = gcd(gdd, Math.abs(dd));
                }
            }
        }
        // Terms divided once (a shift for a power-of-two divisor such as a page size): q[i - 1]
        // for the delta at i, qq[i - 2] for the delta-of-delta at i.
        long[][] tmp = TERMS.get();
        if (tmp[0].length < n) {
            tmp[0] = new long[n];
            tmp[1] = new long[n];
        }
        long[] q = tmp[0];
        long[] qq = tmp[1];
        // Every term is an exact multiple of its divisor g = 2^k * o (o odd): the quotient is
        // (t >> k) times the inverse of o modulo 2^64, a shift and a multiply instead of a division.
        int kD = gd == 0 ? 0 : Long.numberOfTrailingZeros(gd);
        long invD = gd == 0 ? 0 : inverse(gd >> kD);
        int kDD = gdd == 0 ? 0 : Long.numberOfTrailingZeros(gdd);
        long invDD = gdd == 0 ? 0 : inverse(gdd >> kDD);
        long sizeD = 0;
        long sizeDD = 0;
        for (int i = 1; i < n; i++) {
            long d = m[i] - m[i - 1];
            long t = (d >> kD) * invD;
            q[i - 1] = t;
            sizeD += len(t);
            if (i >= 2) {
                long dd = d - (m[i - 1] - m[i - 2]);
                long tt = (dd >> kDD) * invDD;
                qq[i - 2] = tt;
                sizeDD += len(tt);
            }
        }
        long sizeP = packedSize(q, n - 1);
        long sizePD = packedSize(qq, Math.max(0, n - 2));
        long sizeS = sparseSize(q, n - 1);
        // A zero divisor means every term is zero and none is written.
        if (gd == 0) {
            sizeD = 0;
        }
        if (gdd == 0) {
            sizeDD = 0;
        }
        // The smallest form; on a tie the packed ones (faster to decode), and a zero divisor (all
        // terms zero, none written) keeps its varint form.
        long packedD = gd == 0 ? Long.MAX_VALUE : sizeP;
        long packedDD = n <= 2 || gdd == 0 ? Long.MAX_VALUE : sizePD;
        long varintDD = n <= 2 ? Long.MAX_VALUE : sizeDD;
        long sparse = gd == 0 ? Long.MAX_VALUE : sizeS;
        long best = Math.min(Math.min(Math.min(sizeD, varintDD), Math.min(packedD, packedDD)), sparse);
        Encoding e;
        if (sparse == best && sparse < packedD && sparse < packedDD && sparse < sizeD && sparse < varintDD) {
            e = scaled ? Encoding.SCALED_SPARSE : Encoding.INT_SPARSE;
        } else if (packedDD == best && packedDD < varintDD) {
            e = scaled ? Encoding.SCALED_DOD_PACKED : Encoding.INT_DOD_PACKED;
        } else if (packedD == best && packedD < sizeD && packedD < varintDD) {
            e = scaled ? Encoding.SCALED_PACKED : Encoding.INT_PACKED;
        } else if (varintDD == best && varintDD < sizeD) {
            e = scaled ? Encoding.SCALED_DOD : Encoding.INT_DOD;
        } else {
            e = scaled ? Encoding.SCALED_DELTA : Encoding.INT_DELTA;
        }
        out.byte1(e.id());
        if (scale > 0) {
            out.byte1(scale);
        }
        out.svarint(m[0]);
        if (e == Encoding.INT_DOD || e == Encoding.SCALED_DOD) {
            out.svarint(m[1] - m[0]);
            out.uvarint(gdd);
            if (gdd != 0) {
                for (int i = 2; i < n; i++) {
                    out.svarint(qq[i - 2]);
                }
            }
        } else if (e == Encoding.INT_PACKED || e == Encoding.SCALED_PACKED) {
            out.uvarint(gd);
            pack(q, n - 1, out);
        } else if (e == Encoding.INT_DOD_PACKED || e == Encoding.SCALED_DOD_PACKED) {
            out.svarint(m[1] - m[0]);
            out.uvarint(gdd);
            pack(qq, n - 2, out);
        } else if (e == Encoding.INT_SPARSE || e == Encoding.SCALED_SPARSE) {
            out.uvarint(gd);
            packSparse(q, n - 1, out, qq);
        } else {
            out.uvarint(gd);
            if (gd != 0) {
                for (int i = 1; i < n; i++) {
                    out.svarint(q[i - 1]);
                }
            }
        }
        return e;
    }

    /** Bytes {@link #pack} writes for {@code t[0..count)}. */
    private static long packedSize(long[] t, int count) {
        long size = 0;
        for (int f = 0; f < count; f += FRAME) {
            int end = Math.min(count, f + FRAME);
            size += 1 + ((long) (end - f) * frameBits(t, f, end) + 7) / 8;
        }
        return size;
    }

    /** Bit width of the zigzagged terms {@code t[from..to)}. */
    private static int frameBits(long[] t, int from, int to) {
        long or = 0;
        for (int i = from; i < to; i++) {
            or |= Varints.zigzag(t[i]);
        }
        return 64 - Long.numberOfLeadingZeros(or);
    }

    /** Writes {@code t[0..count)} zigzagged in frames of {@link #FRAME}: a width byte, then the bits. */
    private static void pack(long[] t, int count, Varints.Out out) {
        for (int f = 0; f < count; f += FRAME) {
            packFrame(t, f, Math.min(count, f + FRAME), out);
        }
    }

    /** One frame: the width byte of {@code t[from..to)} zigzagged, then each in that many bits. */
    private static void packFrame(long[] t, int from, int to, Varints.Out out) {
        int bits = frameBits(t, from, to);
        out.byte1(bits);
        long acc = 0;
        int used = 0;
        for (int i = from; i < to; i++) {
            long z = Varints.zigzag(t[i]);
            acc |= z << used;
            if (used + bits >= 64) {
                out.long8(acc);
                int taken = 64 - used;
                acc = taken == 64 ? 0 : z >>> taken;
                used = used + bits - 64;
            } else {
                used += bits;
            }
        }
        for (int k = 0; k < used; k += 8) {
            out.byte1((int) (acc >>> k));
        }
    }

    /** Bytes {@link #packSparse} writes for {@code t[0..count)}. */
    private static long sparseSize(long[] t, int count) {
        long size = 0;
        for (int f = 0; f < count; f += SPARSE_FRAME) {
            int end = Math.min(count, f + SPARSE_FRAME);
            long or = 0;
            int nonZero = 0;
            for (int i = f; i < end; i++) {
                or |= Varints.zigzag(t[i]);
                nonZero += t[i] != 0 ? 1 : 0;
            }
            int bits = 64 - Long.numberOfLeadingZeros(or);
            size += 8 + (nonZero == 0 ? 0 : 1 + ((long) nonZero * bits + 7) / 8);
        }
        return size;
    }

    /**
     * Writes {@code t[0..count)} in frames of {@link #SPARSE_FRAME}: a bitmap (bit k set when
     * term k is not zero), then, unless it is empty, the non-zero terms as one packed frame.
     * {@code scratch} holds at least count terms.
     */
    private static void packSparse(long[] t, int count, Varints.Out out, long[] scratch) {
        for (int f = 0; f < count; f += SPARSE_FRAME) {
            int end = Math.min(count, f + SPARSE_FRAME);
            long bitmap = 0;
            int nonZero = 0;
            for (int i = f; i < end; i++) {
                if (t[i] != 0) {
                    bitmap |= 1L << (i - f);
                    scratch[nonZero++] = t[i];
                }
            }
            out.long8(bitmap);
            if (nonZero > 0) {
                packFrame(scratch, 0, nonZero, out);
            }
        }
    }

    /** Per-thread buffers for the divided terms of {@link #writeInts}. */
    private static final ThreadLocal<long[][]> TERMS = ThreadLocal.withInitial(() -> new long[][] {new long[0], new long[0]});

    /**
     * Bytes of {@code v}'s zigzag varint. A shift per byte rather than numberOfLeadingZeros: the
     * terms are mostly one or two bytes, and the client compiler (offline import) does not make
     * that call an instruction, so it cost a call per term, twice per value.
     */
    static int len(long v) {
        long z = Varints.zigzag(v);
        int n = 1;
        while ((z >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    /** Whether {@code g} (not 0) divides {@code t}: a mask for a power of two, else one modulo. */
    private static boolean divides(long g, long t) {
        return g != 0 && ((g & (g - 1)) == 0 ? (t & (g - 1)) == 0 : t % g == 0);
    }

    /** The inverse of odd {@code o} modulo 2^64 (Newton's iteration doubles the correct bits). */
    static long inverse(long o) {
        long x = o; // correct to 3 bits for odd o
        for (int i = 0; i < 5; i++) {
            x *= 2 - o * x;
        }
        return x;
    }

    static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** Reads {@code n} values written by {@link #encode} into dst[off..]. */
    public static void decode(Varints.In in, int n, double[] dst, int off) {
        Encoding e = Encoding.of(in.byte1());
        switch (e) {
            case CONST -> {
                double c = Double.longBitsToDouble(in.long8());
                for (int i = 0; i < n; i++) {
                    dst[off + i] = c;
                }
            }
            case XOR -> {
                long prev = in.long8();
                dst[off] = Double.longBitsToDouble(prev);
                for (int i = 1; i < n; i++) {
                    int b = in.byte1();
                    if (b != 0) {
                        prev ^= in.uvarint() << (b - 1);
                    }
                    dst[off + i] = Double.longBitsToDouble(prev);
                }
            }
            case INT_SPARSE, SCALED_SPARSE -> {
                int scale = e == Encoding.SCALED_SPARSE ? in.byte1() : 0;
                if (scale > MAX_SCALE) {
                    throw new CorruptBlockException("decimal scale " + scale + " out of range");
                }
                long m = in.svarint();
                long g = in.uvarint();
                try {
                    in.pos = unpackSparse(in.buf, in.pos, in.end, n, m, g, scale == 0 ? 0 : POW10[scale], dst, off);
                } catch (ArrayIndexOutOfBoundsException ex) {
                    throw new CorruptBlockException("sparse value column runs past the end of its frame");
                }
            }
            case INT_PACKED, SCALED_PACKED, INT_DOD_PACKED, SCALED_DOD_PACKED -> {
                int scale = e == Encoding.SCALED_PACKED || e == Encoding.SCALED_DOD_PACKED ? in.byte1() : 0;
                if (scale > MAX_SCALE) {
                    throw new CorruptBlockException("decimal scale " + scale + " out of range");
                }
                boolean dod = e == Encoding.INT_DOD_PACKED || e == Encoding.SCALED_DOD_PACKED;
                long m = in.svarint();
                long d = dod && n > 1 ? in.svarint() : 0;
                long g = in.uvarint();
                try {
                    in.pos = unpack(in.buf, in.pos, in.end, n, m, dod, d, g, scale == 0 ? 0 : POW10[scale], dst, off);
                } catch (ArrayIndexOutOfBoundsException ex) {
                    throw new CorruptBlockException("packed value column runs past the end of its frame");
                }
            }
            default -> {
                int scale = (e == Encoding.SCALED_DELTA || e == Encoding.SCALED_DOD) ? in.byte1() : 0;
                if (scale > MAX_SCALE) {
                    throw new CorruptBlockException("decimal scale " + scale + " out of range");
                }
                double p = POW10[scale];
                long m = in.svarint();
                dst[off] = scale == 0 ? (double) m : m / p;
                if (e == Encoding.INT_DELTA || e == Encoding.SCALED_DELTA) {
                    long g = in.uvarint();
                    for (int i = 1; i < n; i++) {
                        m += g == 0 ? 0 : in.svarint() * g;
                        dst[off + i] = scale == 0 ? (double) m : m / p;
                    }
                } else {
                    long d = n > 1 ? in.svarint() : 0;
                    long g = in.uvarint();
                    if (n > 1) {
                        m += d;
                        dst[off + 1] = scale == 0 ? (double) m : m / p;
                    }
                    for (int i = 2; i < n; i++) {
                        d += g == 0 ? 0 : in.svarint() * g;
                        m += d;
                        dst[off + i] = scale == 0 ? (double) m : m / p;
                    }
                }
            }
        }
    }

    /**
     * Per-thread terms of one frame and the sparse form's sums, for the decoders: a query decodes
     * a column per series per block, and these were two or three small arrays each time.
     */
    private static final ThreadLocal<long[][]> SCRATCH =
            ThreadLocal.withInitial(() -> new long[][] {new long[Math.max(FRAME, SPARSE_FRAME + 1)], new long[SPARSE_FRAME]});

    private static final java.lang.invoke.VarHandle LONG_LE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /**
     * Decodes bit-packed deltas (INT_PACKED) or delta-of-deltas ({@code dod}, with the first
     * delta {@code d}), as decimals when {@code scale} is not 0, after the first value {@code m};
     * returns the position after the column. Each frame's terms are unpacked first (one 8-byte
     * load, a shift and a mask each: no branch that depends on the data, unlike varints of mixed
     * lengths), then summed in a second tight loop.
     */
    private static int unpack(byte[] b, int p, int end, int n, long m, boolean dod, long d, long g, double scale,
            double[] dst, int off) {
        dst[off] = scale == 0 ? (double) m : m / scale;
        int i = 1;
        if (dod && n > 1) {
            m += d;
            dst[off + 1] = scale == 0 ? (double) m : m / scale;
            i = 2;
        }
        long[] z = SCRATCH.get()[0];
        while (i < n) {
            int cnt = Math.min(FRAME, n - i);
            p = readFrame(b, p, end, cnt, z);
            int o = off + i;
            if (dod) {
                for (int k = 0; k < cnt; k++) {
                    d += ((z[k] >>> 1) ^ -(z[k] & 1)) * g;
                    m += d;
                    dst[o + k] = scale == 0 ? (double) m : m / scale;
                }
            } else {
                for (int k = 0; k < cnt; k++) {
                    m += ((z[k] >>> 1) ^ -(z[k] & 1)) * g;
                    dst[o + k] = scale == 0 ? (double) m : m / scale;
                }
            }
            i += cnt;
        }
        return p;
    }

    /**
     * Decodes sparse deltas (INT_SPARSE) after the first value {@code m}; returns the position
     * after the column. Per frame, the non-zero terms are unpacked first. A frame with few of
     * them fills the runs of equal values between them; one with many spreads them over the
     * frame without a branch per value (a term is added masked by its bit, and the read
     * position moves on by the bit).
     */
    private static int unpackSparse(byte[] b, int p, int end, int n, long m, long g, double scale, double[] dst, int off) {
        dst[off] = scale == 0 ? (double) m : m / scale;
        long[][] scratch = SCRATCH.get();
        long[] z = scratch[0];
        long[] sums = scratch[1];
        int i = 1;
        while (i < n) {
            int cnt = Math.min(SPARSE_FRAME, n - i);
            if (p + 8 > end) {
                throw new CorruptBlockException("sparse bitmap runs past its column (" + (p + 8) + " > " + end + ")");
            }
            long bitmap = (long) LONG_LE.get(b, p);
            p += 8;
            if (cnt < SPARSE_FRAME && bitmap >>> cnt != 0) {
                throw new CorruptBlockException("sparse bitmap marks values past the column's " + n);
            }
            int nonZero = Long.bitCount(bitmap);
            int o = off + i;
            if (nonZero > 0) {
                p = readFrame(b, p, end, nonZero, z);
            }
            if (nonZero <= SPARSE_FRAME / 4) {
                // No or few changes: fill the runs between them.
                double cur = scale == 0 ? (double) m : m / scale;
                int from = 0;
                int j = 0;
                for (long bm = bitmap; bm != 0; bm &= bm - 1) {
                    int k = Long.numberOfTrailingZeros(bm);
                    for (int x = from; x < k; x++) {
                        dst[o + x] = cur;
                    }
                    long t = z[j++];
                    m += ((t >>> 1) ^ -(t & 1)) * g;
                    cur = scale == 0 ? (double) m : m / scale;
                    from = k;
                }
                for (int x = from; x < cnt; x++) {
                    dst[o + x] = cur;
                }
            } else {
                // Many: spread them by the bitmap without a branch per value.
                z[nonZero] = 0;
                int j = 0;
                for (int k = 0; k < cnt; k++) {
                    long bit = (bitmap >>> k) & 1;
                    long t = z[j];
                    m += (((t >>> 1) ^ -(t & 1)) * g) & -bit;
                    j += (int) bit;
                    sums[k] = m;
                }
                if (scale == 0) {
                    for (int k = 0; k < cnt; k++) {
                        dst[o + k] = (double) sums[k];
                    }
                } else {
                    for (int k = 0; k < cnt; k++) {
                        dst[o + k] = sums[k] / scale;
                    }
                }
            }
            i += cnt;
        }
        return p;
    }

    /** Reads one packed frame of {@code cnt} terms at {@code p} (width byte, bits) into z; returns the position after it. */
    private static int readFrame(byte[] b, int p, int end, int cnt, long[] z) {
        int bits = b[p++] & 0xFF;
        if (bits > 64) {
            throw new CorruptBlockException("bit width " + bits + " out of range");
        }
        int bytes = (cnt * bits + 7) >>> 3;
        if (p + bytes > end) {
            throw new CorruptBlockException("packed frame runs past its column (" + (p + bytes) + " > " + end + ")");
        }
        unpackFrame(b, p, bits, cnt, bits <= 56 && p + bytes + 8 <= b.length, z);
        return p + bytes;
    }

    /** Reads {@code cnt} terms of {@code bits} bits from byte {@code p}; {@code fast}: 8 bytes readable past each. */
    private static void unpackFrame(byte[] b, int p, int bits, int cnt, boolean fast, long[] z) {
        long mask = bits == 64 ? -1L : (1L << bits) - 1;
        long bp = (long) p << 3;
        if (fast) {
            for (int k = 0; k < cnt; k++, bp += bits) {
                z[k] = ((long) LONG_LE.get(b, (int) (bp >>> 3)) >>> (bp & 7)) & mask;
            }
            return;
        }
        for (int k = 0; k < cnt; k++, bp += bits) {
            long v = 0;
            for (int got = 0; got < bits; ) {
                long at = bp + got;
                int sh = (int) (at & 7);
                int take = Math.min(8 - sh, bits - got);
                v |= (((b[(int) (at >>> 3)] & 0xFFL) >>> sh) & ((1L << take) - 1)) << got;
                got += take;
            }
            z[k] = v;
        }
    }
}
