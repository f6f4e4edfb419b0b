package dev.sandglass.ingest.bulk;

/** A progress bar on stderr when a person is watching (a console), nothing otherwise. */
public final class TerminalProgress implements ProgressListener {
    private static final int WIDTH = 30;
    private long lastPrint;
    private boolean finished;

    private TerminalProgress() {
    }

    public static ProgressListener forStderr() {
        return System.console() != null ? new TerminalProgress() : ProgressListener.NONE;
    }

    @Override
    public synchronized void progress(long done, long total, long samples) {
        long now = System.nanoTime();
        boolean complete = total > 0 && done >= total;
        if (finished || (!complete && now - lastPrint < 100_000_000L)) {
            return;
        }
        lastPrint = now;
        int pct = total > 0 ? (int) Math.min(100, done * 100 / total) : 0;
        int fill = pct * WIDTH / 100;
        System.err.printf("\r[%s%s] %3d%%  %,d samples", "#".repeat(fill), ".".repeat(WIDTH - fill), pct, samples);
        if (complete) {
            System.err.println();
            finished = true;
        }
        System.err.flush();
    }
}
