package dev.sandglass.web.cli;

import dev.sandglass.query.parser.Durations;
import dev.sandglass.storage.util.ByteUnits;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Command-line value types: Prometheus durations and byte sizes. */
final class Converters {
    private Converters() {
    }

    /** {@code 1s}, {@code 15d}, {@code 1h30m}, {@code 100ms}, {@code 100y} to milliseconds. */
    static final class DurationMs implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                long ms = Durations.parseMillis(value.trim());
                if (ms <= 0) {
                    throw new CommandLine.TypeConversionException("duration must be greater than 0: \"" + value + "\"");
                }
                return ms;
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("not a duration: \"" + value + "\" (examples: 1s, 15d, 1h30m, 100ms)");
            }
        }
    }

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]i?B|B)?", Pattern.CASE_INSENSITIVE);

    /** {@code 512MB}, {@code 10GiB}, {@code 1TB}, {@code 4096} to bytes. */
    static final class SizeBytes implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return parseSize(value);
        }
    }

    static long parseSize(String value) {
        Matcher m = SIZE.matcher(value.trim());
        if (!m.matches()) {
            throw new CommandLine.TypeConversionException("not a size: \"" + value + "\" (examples: 512MB, 10GiB, 1TB)");
        }
        double n = Double.parseDouble(m.group(1));
        long mult = ByteUnits.of(m.group(2) == null ? "B" : m.group(2));
        if (mult < 0) {
            throw new CommandLine.TypeConversionException("unknown size unit in \"" + value + "\"");
        }
        return (long) (n * mult);
    }
}
