package dev.sandglass.web.cli;

import picocli.CommandLine;

/** Flag values that parse but cannot work, refused when the command line is read (one line, exit 1). */
final class FlagValues {
    /** Collections closer than this only fill the disk: each one is a durable WAL commit of every sandbox. */
    static final long MIN_COLLECT_INTERVAL_MS = 100;

    private FlagValues() {
    }

    /** A count that must be at least 1: --query.max-concurrency, --query.max-samples, --demo. */
    static final class Positive implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            long n;
            try {
                n = Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("not a whole number: \"" + value + "\"");
            }
            if (n < 1) {
                throw new CommandLine.TypeConversionException("must be at least 1, got " + n);
            }
            return n;
        }
    }

    /** As {@link Positive}, within an int. */
    static final class PositiveInt implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            long n = new Positive().convert(value);
            if (n > Integer.MAX_VALUE) {
                throw new CommandLine.TypeConversionException("must be at most " + Integer.MAX_VALUE + ", got " + n);
            }
            return (int) n;
        }
    }

    /** --collect-interval: a duration of at least 100ms. */
    static final class CollectInterval implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            long ms = new Converters.DurationMs().convert(value);
            if (ms < MIN_COLLECT_INTERVAL_MS) {
                throw new CommandLine.TypeConversionException("must be at least " + MIN_COLLECT_INTERVAL_MS
                        + "ms (each collection is a durable write of every sandbox), got \"" + value + "\"");
            }
            return ms;
        }
    }

    /** --retention-size: a size above zero. */
    static final class PositiveSize implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            long bytes = Converters.parseSize(value);
            if (bytes <= 0) {
                throw new CommandLine.TypeConversionException("must be more than 0 bytes, got \"" + value + "\"");
            }
            return bytes;
        }
    }
}
