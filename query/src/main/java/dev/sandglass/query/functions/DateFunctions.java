package dev.sandglass.query.functions;

import dev.sandglass.query.engine.StepVector;
import dev.sandglass.storage.api.Labels;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.function.ToDoubleFunction;

/** day_of_month and friends: of the evaluation time without argument, else of each value taken as unix seconds (UTC). */
final class DateFunctions {
    private DateFunctions() {
    }

    static InstantFunction of(ToDoubleFunction<LocalDateTime> field) {
        return (call, out) -> {
            if (call.args.isEmpty()) {
                out.add(Labels.EMPTY, field.applyAsDouble(at(Math.floorDiv(call.timeMs, 1000))));
                return;
            }
            StepVector in = call.vectors[0];
            for (int i = 0; i < in.size(); i++) {
                // Go's int64(float) conversion truncates toward zero, as the cast does.
                out.add(call.outLabels(in.labels(i)), field.applyAsDouble(at((long) in.value(i))));
            }
        };
    }

    private static LocalDateTime at(long epochSeconds) {
        return LocalDateTime.ofEpochSecond(epochSeconds, 0, ZoneOffset.UTC);
    }

    static double daysInMonth(LocalDateTime t) {
        return t.toLocalDate().lengthOfMonth();
    }

    /** Go counts weekdays from Sunday = 0; java.time from Monday = 1 to Sunday = 7. */
    static double dayOfWeek(LocalDateTime t) {
        return t.getDayOfWeek().getValue() % 7;
    }
}
