package dev.sandglass.ingest.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * FloatParser must give exactly Double.parseDouble's double (same bits) on every input it
 * accepts; the fast paths (Clinger's, Eisel-Lemire's) are checked against it on many random
 * values of every shape exporters print, and on the known hard cases.
 */
class FloatParserTest {
    private static void same(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        double expected = Double.parseDouble(s);
        double got = FloatParser.parse(b, 0, b.length);
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(got),
                () -> s + ": expected " + expected + " got " + got);
    }

    @Test
    void fullPrecisionValuesAsExportersPrintThemParseExactly() {
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            double d = switch (i % 4) {
                case 0 -> r.nextDouble() * 1000; // a gauge: 523.4567891234567
                case 1 -> r.nextDouble();
                case 2 -> Double.longBitsToDouble(r.nextLong() & 0x7FFFFFFFFFFFFFFFL); // any finite or not
                default -> r.nextDouble() * Math.pow(10, r.nextInt(-300, 300));
            };
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                continue;
            }
            same(Double.toString(d));
            same(Double.toString(-d));
            same(String.format("%.17g", d).replace(',', '.'));
        }
    }

    @Test
    void randomDigitStringsOfUpToNineteenDigitsAndAnyExponentParseExactly() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 50_000; i++) {
            int n = r.nextInt(1, 20);
            StringBuilder sb = new StringBuilder();
            sb.append((char) ('1' + r.nextInt(9)));
            for (int k = 1; k < n; k++) {
                sb.append((char) ('0' + r.nextInt(10)));
            }
            if (r.nextBoolean()) {
                sb.insert(r.nextInt(1, sb.length() + 1), '.');
            }
            sb.append('e').append(r.nextInt(-345, 312));
            same(sb.toString());
        }
    }

    @Test
    void hardCasesAndLimitsParseExactly() {
        String[] cases = {
            "1", "0", "1.0", "9007199254740993", "9007199254740992", "9223372036854775807", "9999999999999999999",
            "18446744073709551615", "7.3177701707893310e+15", "7.2057594037927933e+16", "1e23", "8.988465674311579e+307",
            "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "2.2250738585072014e-308",
            "2.2250738585072011e-308", "4.9e-324", "2.4703282292062327e-324", "1e-400", "1e400", "0.1", "0.3",
            "123456789012345678", "1234567890123456789", "12345678901234567890", "0.000000000000000000000000000001",
            "2.5", "3.5", "9007199254740993.0", "4503599627370497.5", "1.00000000000000011102230246251565404236316680908203125",
            "1.00000000000000011102230246251565404236316680908203124", "5e-324", "1e-322", "1.5e-323",
        };
        for (String c : cases) {
            same(c);
            same("-" + c);
        }
    }

    @Test
    void theFastPathTakesFullPrecisionGaugesWithoutGivingUpOften() {
        SplittableRandom r = new SplittableRandom(3);
        int undecided = 0;
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            String s = Double.toString(r.nextDouble() * 1000);
            byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
            long mant = 0;
            int exp = 0;
            boolean dot = false;
            for (byte c : b) {
                if (c == '.') {
                    dot = true;
                } else if (c == 'E') {
                    break;
                } else {
                    mant = mant * 10 + (c - '0');
                    if (dot) {
                        exp--;
                    }
                }
            }
            if (s.contains("E") || mant == 0) {
                continue;
            }
            if (Double.isNaN(EiselLemire.compute(mant, exp, false))) {
                undecided++;
            }
        }
        assertTrue(undecided < n / 100, undecided + " of " + n + " undecided");
    }
}
