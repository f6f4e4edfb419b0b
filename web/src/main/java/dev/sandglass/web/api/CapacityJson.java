package dev.sandglass.web.api;

import dev.sandglass.query.capacity.CapacityReport;
import dev.sandglass.query.capacity.CapacityReport.Figures;

/**
 * The capacity report as the "data" of /api/v1/capacity (shape in the README): figures are JSON
 * numbers (null where there is no data), times unix seconds.
 */
public final class CapacityJson {
    private CapacityJson() {
    }

    public static void write(CapacityReport r, JsonWriter w) {
        w.beginObject();
        w.name("start").raw(seconds(r.startMs()));
        w.name("end").raw(seconds(r.endMs()));
        w.name("resolution").value(r.resolutionMs() == 3_600_000L ? "1h" : "5m");
        w.name("resolutionSeconds").value(r.resolutionMs() / 1000);
        w.field("source", r.source());
        w.name("definitions").beginObject();
        for (var e : r.definitions().entrySet()) {
            w.field(e.getKey(), e.getValue());
        }
        w.endObject();
        w.name("fleet");
        figures(r.fleet(), w);
        w.name("running").beginObject();
        w.name("peak").raw(num(r.running().peak()));
        w.name("mean").raw(num(r.running().mean()));
        w.name("series").beginArray();
        for (int i = 0; i < r.running().count().length; i++) {
            w.beginArray().raw(seconds(r.running().windowStartMs()[i])).value(r.running().count()[i]).endArray();
        }
        w.endArray().endObject();
        w.name("sandboxes").beginArray();
        for (CapacityReport.Sandbox s : r.sandboxes()) {
            w.beginObject().field("sandbox", s.name());
            fields(s.figures(), w);
            w.endObject();
        }
        w.endArray();
        w.name("top").beginObject();
        ranked("memoryOfLimit", r.topMemoryOfLimit(), w);
        ranked("cpu", r.topCpu(), w);
        w.endObject();
        w.endObject();
    }

    private static void ranked(String name, java.util.List<CapacityReport.Ranked> list, JsonWriter w) {
        w.name(name).beginArray();
        for (CapacityReport.Ranked x : list) {
            w.beginObject().field("sandbox", x.sandbox()).name("value").raw(num(x.value())).endObject();
        }
        w.endArray();
    }

    private static void figures(Figures f, JsonWriter w) {
        w.beginObject();
        fields(f, w);
        w.endObject();
    }

    private static void fields(Figures f, JsonWriter w) {
        w.name("cpu").beginObject().name("peak").raw(num(f.cpuPeak())).name("p95").raw(num(f.cpuP95())).name("mean").raw(num(f.cpuMean())).endObject();
        w.name("memory").beginObject().name("peak").raw(num(f.memoryPeak())).name("p95").raw(num(f.memoryP95()))
                .name("mean").raw(num(f.memoryMean())).name("limit").raw(num(f.memoryLimit()))
                .name("peakOfLimit").raw(num(f.memoryPeakOfLimit())).name("p95OfLimit").raw(num(f.memoryP95OfLimit()))
                .name("meanOfLimit").raw(num(f.memoryMeanOfLimit())).endObject();
        w.name("disk").beginObject().name("readPeak").raw(num(f.diskReadPeak())).name("readMean").raw(num(f.diskReadMean()))
                .name("writePeak").raw(num(f.diskWritePeak())).name("writeMean").raw(num(f.diskWriteMean())).endObject();
        w.name("network").beginObject().name("receivePeak").raw(num(f.networkReceivePeak()))
                .name("receiveMean").raw(num(f.networkReceiveMean())).name("transmitPeak").raw(num(f.networkTransmitPeak()))
                .name("transmitMean").raw(num(f.networkTransmitMean())).endObject();
        w.name("restarts").value(f.restarts());
    }

    static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "null";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static String seconds(long ms) {
        return ms % 1000 == 0 ? Long.toString(ms / 1000) : java.math.BigDecimal.valueOf(ms, 3).toPlainString();
    }
}
