package dev.sandglass.query.functions;

import dev.sandglass.query.engine.StepVector;
import dev.sandglass.storage.api.Labels;
import java.util.function.ToDoubleFunction;

/**
 * day_of_month and friends: of the evaluation time without argument, else of each value taken as
 * unix seconds, in UTC on the proleptic Gregorian calendar. The calendar is computed here with
 * long arithmetic rather than java.time, which throws past year 999,999,999 where Go keeps going.
 */
final class DateFunctions {
    private static final int[] DAYS_BEFORE_MONTH = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    private static final int[] DAYS_IN_MONTH = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    private DateFunctions() {
    }

    /** A UTC civil time. {@code dayOfWeek} counts from Sunday = 0, as Go does. */
    record Civil(long year, int month, int day, int hour, int minute, int dayOfWeek, int dayOfYear, int daysInMonth) {
    }

    static InstantFunction of(ToDoubleFunction<Civil> field) {
        return (call, out) -> {
            if (call.args.isEmpty()) {
                out.add(Labels.EMPTY, field.applyAsDouble(civil(Math.floorDiv(call.timeMs, 1000))));
                return;
            }
            StepVector in = call.vectors[0];
            for (int i = 0; i < in.size(); i++) {
                // Go's int64(float) conversion truncates toward zero, as the cast does.
                out.add(call.outLabels(in.labels(i)), field.applyAsDouble(civil((long) in.value(i))));
            }
        };
    }

    /** Days to civil date after Howard Hinnant's civil_from_days, valid for any long day count in use. */
    static Civil civil(long epochSeconds) {
        long days = Math.floorDiv(epochSeconds, 86_400L);
        long secondOfDay = Math.floorMod(epochSeconds, 86_400L);
        int hour = (int) (secondOfDay / 3600);
        int minute = (int) (secondOfDay % 3600 / 60);
        int dayOfWeek = (int) Math.floorMod(days + 4, 7L); // 1970-01-01 was a Thursday
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097L);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doyFromMarch = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doyFromMarch + 2) / 153;
        int day = (int) (doyFromMarch - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        boolean leap = Math.floorMod(year, 4L) == 0 && (Math.floorMod(year, 100L) != 0 || Math.floorMod(year, 400L) == 0);
        int dayOfYear = DAYS_BEFORE_MONTH[month - 1] + day + (leap && month > 2 ? 1 : 0);
        int daysInMonth = DAYS_IN_MONTH[month - 1] + (leap && month == 2 ? 1 : 0);
        return new Civil(year, month, day, hour, minute, dayOfWeek, dayOfYear, daysInMonth);
    }
}
