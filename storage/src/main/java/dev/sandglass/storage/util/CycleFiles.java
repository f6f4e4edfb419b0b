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
        DateTimeFormatter parser = parser(queue.rollCycle());
        for (File f : listed) {
            String name = f.getName().substring(0, f.getName().length() - SingleChronicleQueue.SUFFIX.length());
            Integer cycle = cycleOf(queue, parser, name);
            if (cycle != null) {
                files.put(cycle, f);
            }
        }
        return files;
    }

    /** The file of {@code cycle} by Chronicle's naming rule, whether or not it exists. */
    public static File of(SingleChronicleQueue queue, int cycle) {
        return new File(queue.file(), name(queue, cycle) + SingleChronicleQueue.SUFFIX);
    }

    private static String name(SingleChronicleQueue queue, int cycle) {
        RollCycle rc = queue.rollCycle();
        return DateTimeFormatter.ofPattern(rc.format()).withZone(ZoneOffset.UTC)
                .format(Instant.ofEpochMilli((long) cycle * rc.lengthInMillis() + queue.epoch()));
    }

    /** The cycle a file name stands for, or null for a name that is not one (checked by naming it again). */
    private static Integer cycleOf(SingleChronicleQueue queue, DateTimeFormatter parser, String name) {
        try {
            long ms = parser.parse(name, Instant::from).toEpochMilli();
            int cycle = (int) Math.floorDiv(ms - queue.epoch(), queue.rollCycle().lengthInMillis());
            return name(queue, cycle).equals(name) ? cycle : null;
        } catch (DateTimeParseException | ArithmeticException e) {
            return null;
        }
    }

    /** The roll cycle's file name format, with the fields coarser cycles leave out read as zero. */
    private static DateTimeFormatter parser(RollCycle rc) {
        return new DateTimeFormatterBuilder().appendPattern(rc.format())
                .parseDefaulting(ChronoField.HOUR_OF_DAY, 0)
                .parseDefaulting(ChronoField.MINUTE_OF_HOUR, 0)
                .parseDefaulting(ChronoField.SECOND_OF_MINUTE, 0)
                .toFormatter()
                .withZone(ZoneOffset.UTC);
    }
}
