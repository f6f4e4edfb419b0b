package dev.sandglass.storage.util;

import java.util.Locale;

/** The units of sizes as flags and source specs take them (512MB, 10GiB): the one table of what each is worth. */
public final class ByteUnits {
    private ByteUnits() {
    }

    /**
     * Bytes in one {@code unit}, in any case: B; KB, MB, GB, TB (powers of 1000); KiB, MiB, GiB,
     * TiB (powers of 1024). -1 for anything else.
     */
    public static long of(String unit) {
        return switch (unit.toUpperCase(Locale.ROOT)) {
            case "B" -> 1L;
            case "KB" -> 1000L;
            case "MB" -> 1000_000L;
            case "GB" -> 1000_000_000L;
            case "TB" -> 1000_000_000_000L;
            case "KIB" -> 1L << 10;
            case "MIB" -> 1L << 20;
            case "GIB" -> 1L << 30;
            case "TIB" -> 1L << 40;
            default -> -1L;
        };
    }
}
