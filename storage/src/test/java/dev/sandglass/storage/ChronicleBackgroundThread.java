package dev.sandglass.storage;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.core.io.BackgroundResourceReleaser;

/**
 * Holds Chronicle's background resource-releaser thread busy until closed, as a loaded machine
 * does: whatever Chronicle hands that thread (store-file listener calls, releases) waits. Tests of
 * code that must not depend on when that thread runs.
 */
final class ChronicleBackgroundThread implements AutoCloseable {
    private final CountDownLatch release = new CountDownLatch(1);

    private ChronicleBackgroundThread() {
    }

    static ChronicleBackgroundThread hold() throws InterruptedException {
        ChronicleBackgroundThread held = new ChronicleBackgroundThread();
        CountDownLatch running = new CountDownLatch(1);
        BackgroundResourceReleaser.run(() -> {
            running.countDown();
            try {
                held.release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        if (!running.await(30, TimeUnit.SECONDS)) {
            held.close();
            throw new IllegalStateException("Chronicle's background thread did not take the task within 30 s");
        }
        return held;
    }

    @Override
    public void close() {
        release.countDown();
    }
}
