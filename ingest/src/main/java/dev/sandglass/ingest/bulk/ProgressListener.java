package dev.sandglass.ingest.bulk;

/** Told how far an import has come; called from one thread, a few times a second. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (done, total, samples) -> { };

    void progress(long bytesDone, long bytesTotal, long samples);
}
