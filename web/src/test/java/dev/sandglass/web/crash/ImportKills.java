package dev.sandglass.web.crash;

import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * `sandglass import` killed with SIGKILL at random moments: a first file imported to the end
 * (acknowledged: exit 0) must stay exactly as it was after every killed import of a second file,
 * whatever the killed import left, no sample of it may be wrong, and importing the second file
 * again to the end must give both files exactly once.
 */
final class ImportKills {
    static final int F1_SERIES = 50;
    static final int F1_SAMPLES = 2_000;
    static final int F2_SERIES = 200;
    static final int F2_SAMPLES = 3_000;
    /** The second file spans 50 hours at one sample a minute: 100 half-hour blocks, a long append phase to be killed in. */
    static final long F2_STEP_MS = 60_000;

    record Result(int kills, long acknowledged, long lost, long wrong, String partials) {
        String line() {
            return "import kills: " + kills + " imports killed (" + partials + "), " + acknowledged
                    + " acknowledged samples checked after each, " + lost + " lost, " + wrong + " wrong";
        }
    }

    private final Path dir;
    private final List<String> launcher;
    private final Random rnd;
    private final long base = (System.currentTimeMillis() / 1000 - 60 * 3600) * 1000;

    ImportKills(Path dir, List<String> launcher, long seed) {
        this.dir = dir;
        this.launcher = launcher;
        this.rnd = new Random(seed);
    }

    private static long step(String name) {
        return name.equals("f2") ? F2_STEP_MS : 1000;
    }

    private static double value(int k, int i) {
        return k * 1000.0 + i * 0.5;
    }

    private Path write(String name, int series, int samples) throws IOException {
        Path f = dir.resolve(name + ".om");
        try (BufferedWriter w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
            w.write("# TYPE " + name + " gauge\n");
            for (int k = 0; k < series; k++) {
                for (int i = 0; i < samples; i++) {
                    long t = base + i * step(name);
                    w.write(name + "{k=\"" + k + "\"} " + value(k, i) + " " + (t / 1000) + "\n");
                }
            }
            w.write("# EOF\n");
        }
        return f;
    }

    private Process importing(Path f) throws IOException {
        List<String> cmd = new ArrayList<>(launcher);
        cmd.addAll(List.of("import", f.toString(), "--data-dir", dir.resolve("data").toString(), "--retention", "100y"));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** {missing, wrong} samples of {@code name}; with {@code complete}, missing counts too, else only wrong ones. */
    private long[] check(String name, int series, int samples) {
        long missing = 0;
        long wrong = 0;
        try (Db db = Db.open(DbOptions.defaults(dir.resolve("data")).asReadOnly());
             Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            List<Series> all = q.select(List.of(Matcher.eq("__name__", name)));
            long[] seen = new long[series];
            for (Series s : all) {
                int k = Integer.parseInt(s.labels().get("k"));
                Samples sm = s.samples();
                seen[k] = sm.size();
                for (int j = 0; j < sm.size(); j++) {
                    long i = (sm.timestamp(j) - base) / step(name);
                    if ((sm.timestamp(j) - base) % step(name) != 0 || i < 0 || i >= samples || sm.value(j) != value(k, (int) i)) {
                        wrong++;
                    }
                }
            }
            for (long n : seen) {
                missing += Math.max(0, samples - n);
            }
        }
        return new long[] {missing, wrong};
    }

    Result run(int kills) throws Exception {
        Files.createDirectories(dir);
        Path f1 = write("f1", F1_SERIES, F1_SAMPLES);
        Path f2 = write("f2", F2_SERIES, F2_SAMPLES);
        Process p = importing(f1);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("the first import did not finish");
        }
        long lost = 0;
        long wrong = 0;
        long acknowledged = 0;
        StringBuilder partials = new StringBuilder();
        Path segments = dir.resolve("data").resolve("segments");
        for (int i = 0; i < kills; i++) {
            long before = allocated(segments);
            p = importing(f2);
            // Killed once its first blocks are on disk: the parse is harmless to kill, the blocks'
            // appends (100 of them, one by one) are not.
            while (p.isAlive() && allocated(segments) <= before) {
                Thread.sleep(5);
            }
            Thread.sleep(rnd.nextInt(50));
            boolean finished = !p.isAlive();
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
            if (finished) {
                partials.append(i == 0 ? "" : " ").append("(finished before the kill)");
            }
            long[] c1 = check("f1", F1_SERIES, F1_SAMPLES);
            long[] c2 = check("f2", F2_SERIES, F2_SAMPLES);
            acknowledged += (long) F1_SERIES * F1_SAMPLES;
            lost += c1[0];
            wrong += c1[1] + c2[1];
            partials.append(i == 0 ? "" : " ").append((long) F2_SERIES * F2_SAMPLES - c2[0]);
        }
        p = importing(f2);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("importing the second file again did not finish");
        }
        long[] c1 = check("f1", F1_SERIES, F1_SAMPLES);
        long[] c2 = check("f2", F2_SERIES, F2_SAMPLES);
        acknowledged += (long) F1_SERIES * F1_SAMPLES + (long) F2_SERIES * F2_SAMPLES;
        lost += c1[0] + c2[0];
        wrong += c1[1] + c2[1];
        return new Result(kills, acknowledged, lost, wrong, "f2 samples each left: " + partials);
    }

    /** Allocated bytes under a directory (du): blocks appended to a preallocated file change it, its length does not. */
    private static long allocated(Path p) throws IOException, InterruptedException {
        Process du = new ProcessBuilder("du", "-B1", "-s", p.toString()).redirectErrorStream(true).start();
        String out = new String(du.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        du.waitFor(10, TimeUnit.SECONDS);
        try {
            return Long.parseLong(out.split("\\s+")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
