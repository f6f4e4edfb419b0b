package dev.sandglass.web.remote;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Storage;
import java.util.ArrayDeque;

/**
 * A few appenders reused from request to request by a write endpoint. A new appender starts with
 * small arrays and doubles them while a request's samples are appended: for remote write's
 * 8,192-sample requests that was 0.5 MB allocated per request, a third of what the receiver
 * allocated (JFR during bench/protocols.sh), and under the launcher's serial collector with its
 * 8-32 MiB young generation each such megabyte brings the next young collection nearer. An
 * appender may serve the next batch once {@code commit} returned or {@code rollback} ran
 * ({@link Appender}), so only those go back; one whose commit failed is dropped. Appenders grown
 * past {@code maxSamples} are dropped too, so one huge request does not pin its arrays.
 */
public final class AppenderPool {
    private final Storage storage;
    private final ArrayDeque<Appender> free = new ArrayDeque<>();
    private final int keep;
    private final long maxSamples;

    public AppenderPool(Storage storage, int keep, long maxSamples) {
        this.storage = storage;
        this.keep = keep;
        this.maxSamples = maxSamples;
    }

    /** A pool for one endpoint: one appender per core, kept up to 64k samples (about 1.3 MB of arrays). */
    public static AppenderPool forEndpoint(Storage storage) {
        return new AppenderPool(storage, Runtime.getRuntime().availableProcessors(), 1 << 16);
    }

    /** An appender with no batch open: a pooled one, or a new one from the store. */
    public Appender take() {
        synchronized (free) {
            Appender a = free.pollFirst();
            if (a != null) {
                return a;
            }
        }
        return storage.appender();
    }

    /** Returns {@code a}, whose batch of {@code samples} was committed or rolled back. */
    public void give(Appender a, long samples) {
        if (samples > maxSamples) {
            return;
        }
        synchronized (free) {
            if (free.size() < keep) {
                free.addFirst(a);
            }
        }
    }

    int pooled() {
        synchronized (free) {
            return free.size();
        }
    }
}
