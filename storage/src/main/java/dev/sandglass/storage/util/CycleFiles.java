package dev.sandglass.storage.util;

import java.io.File;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Map;
import java.util.TreeMap;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/**
 * The cycle files of a Chronicle queue as the directory holds them now, by cycle. Read from
 * the directory on every call on purpose: Chronicle reports the files it opens to a
 * StoreFileListener on its background resource-releaser thread, some time later (seconds on a
 * loaded machine), so a map fed by that listener missed files retention had to drop.
 */
public final class CycleFiles {
    private CycleFiles() {
    }

    /** Every cycle file of {@code queue} (not its metadata), by cycle, oldest first. */
    public static Map<Integer, File> of(SingleChronicleQueue queue) {
        Map<Integer, File> files = new TreeMap<>();
        File[] listed = queue.file().listFiles((d, name) -> name.endsWith(SingleChronicleQueue.SUFFIX));
        if (listed == null) {
            return files;
        }
        RollCycle rc = queue.rollCycle();
        DateTimeFormatter namer = namer(rc);
        DateTimeFormatter parser = new DateTimeFormatterBuilder().appendPattern(rc.format())
                .parseDefaulting(ChronoField.HOUR_OF_DAY, 0) // the fields coarser cycles leave out
                .parseDefaulting(ChronoField.MINUTE_OF_HOUR, 0)
                .parseDefaulting(ChronoField.SECOND_OF_MINUTE, 0)
                .toFormatter()
                .withZone(ZoneOffset.UTC);
        for (File f : listed) {
            String name = f.getName().substring(0, f.getName().length() - SingleChronicleQueue.SUFFIX.length());
            try {
                long ms = parser.parse(name, Instant::from).toEpochMilli();
                int cycle = (int) Math.floorDiv(ms - queue.epoch(), rc.lengthInMillis());
                if (name(queue, namer, cycle).equals(name)) { // else not a cycle file's name
                    files.put(cycle, f);
                }
            } catch (DateTimeParseException | ArithmeticException e) {
                // not a cycle file's name
            }
        }
        return files;
    }

    /** The file of {@code cycle} by Chronicle's naming rule, whether or not it exists. */
    public static File file(SingleChronicleQueue queue, int cycle) {
        return new File(queue.file(), name(queue, namer(queue.rollCycle()), cycle) + SingleChronicleQueue.SUFFIX);
    }

    private static DateTimeFormatter namer(RollCycle rc) {
        return DateTimeFormatter.ofPattern(rc.format()).withZone(ZoneOffset.UTC);
    }

    private static String name(SingleChronicleQueue queue, DateTimeFormatter namer, int cycle) {
        return namer.format(Instant.ofEpochMilli((long) cycle * queue.rollCycle().lengthInMillis() + queue.epoch()));
    }
}
