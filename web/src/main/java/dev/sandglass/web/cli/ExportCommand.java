package dev.sandglass.web.cli;

import dev.sandglass.ingest.bulk.TerminalProgress;
import dev.sandglass.query.ast.Expr;
import dev.sandglass.query.ast.VectorSelector;
import dev.sandglass.query.parser.Parser;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.web.api.ApiParams;
import dev.sandglass.web.expfmt.OpenMetricsExporter;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write stored samples as OpenMetrics text with timestamps (what promtool and `sandglass import` load).")
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--match", paramLabel = "SELECTOR",
            description = "series to export, e.g. 'microsandbox_memory_usage_bytes{sandbox_name=\"web\"}' (repeatable; default: all)")
    List<String> match = new ArrayList<>();

    @Option(names = "--start", description = "first time to export (unix seconds or RFC 3339; default: the oldest sample)")
    String start;

    @Option(names = "--end", description = "last time to export (default: the newest sample)")
    String end;

    @Mixin
    OfflineDataDir store = new OfflineDataDir();

    @Option(names = "--output", paramLabel = "FILE", description = "file to write (default: standard output)")
    Path output;

    @Override
    public Integer call() throws Exception {
        List<List<Matcher>> selectors = new ArrayList<>();
        for (String m : match) {
            Expr e = Parser.parse(m);
            if (!(e instanceof VectorSelector vs)) {
                throw new IllegalArgumentException("--match needs a series selector, got: " + m);
            }
            selectors.add(vs.matchers());
        }
        if (selectors.isEmpty()) {
            selectors.add(List.of(new Matcher(Matcher.Type.RE, "__name__", ".+")));
        }
        long minT = start == null ? Long.MIN_VALUE / 2 : ApiParams.parseTime("start", start);
        long maxT = end == null ? Long.MAX_VALUE / 2 : ApiParams.parseTime("end", end);
        if (maxT < minT) {
            throw new IllegalArgumentException("--end is before --start");
        }
        long t0;
        OpenMetricsExporter.Summary s;
        try (Db db = store.open();
             OutputStream out = new BufferedOutputStream(output == null ? System.out : Files.newOutputStream(output), 1 << 20)) {
            t0 = System.nanoTime(); // the export itself, not opening the store
            s = OpenMetricsExporter.export(db, selectors, minT, maxT, out, output == null ? (d, t, n) -> { } : TerminalProgress.forStderr());
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.err.printf("exported %,d series, %,d samples (%,d bytes) in %.2f s: %,.0f samples/s%s%n", s.series(), s.samples(), s.bytes(),
                secs, s.samples() / Math.max(secs, 1e-9),
                s.staleMarkersSkipped() > 0 ? "; " + s.staleMarkersSkipped() + " staleness markers left out (no text form)" : "");
        return 0;
    }
}
