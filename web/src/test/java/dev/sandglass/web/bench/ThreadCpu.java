package dev.sandglass.web.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A process's CPU time by kind of thread, from /proc/PID/task/TID/{comm,stat}: the name with its
 * number dropped ("C2 CompilerThre", "GC Thread", "vert.x-worker-t"), so a pass's CPU can be split
 * into the JIT, the collector and the request threads. Linux only; threads that ended meanwhile
 * are missing from the later reading (their CPU is not counted).
 */
final class ThreadCpu {
    private ThreadCpu() {
    }

    /** CPU seconds (user + system) of each kind of thread alive now. */
    static Map<String, Double> byKind(long pid) throws IOException {
        Map<String, Double> out = new TreeMap<>();
        if (pid < 0) {
            return out;
        }
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(t.resolve("comm")).strip().replaceAll("[#-]?[0-9]+$", "");
                    String stat = Files.readString(t.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out.merge(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0, Double::sum);
                } catch (IOException gone) {
                    // the thread ended between the listing and the reading
                }
            }
        }
        return out;
    }

    /** The kinds that used CPU between the two readings, largest first: "name 0.42s, ...". */
    static String delta(Map<String, Double> before, Map<String, Double> after) {
        StringBuilder sb = new StringBuilder();
        after.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0.0)))
                .filter(e -> e.getValue() > 0.005).sorted((x, y) -> Double.compare(y.getValue(), x.getValue()))
                .forEach(e -> sb.append(sb.length() == 0 ? "" : ", ").append(e.getKey()).append(String.format(" %.2fs", e.getValue())));
        return sb.toString();
    }
}
