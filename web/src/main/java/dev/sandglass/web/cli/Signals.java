package dev.sandglass.web.cli;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * SIGINT and SIGTERM: the first asks for a clean stop (the latch opens), the second forces exit.
 * Handled directly rather than through shutdown hooks so a second signal is not swallowed while
 * the first stop is still making data durable.
 */
final class Signals {
    private final CountDownLatch stop = new CountDownLatch(1);

    Signals() {
        for (String name : new String[] {"INT", "TERM"}) {
            Signal.handle(new Signal(name), sig -> {
                if (stop.getCount() > 0) {
                    System.err.println("\nsandglass: stopping (signal " + sig.getName() + "); send it again to force");
                    stop.countDown();
                } else {
                    System.err.println("sandglass: forced exit");
                    Runtime.getRuntime().halt(130);
                }
            });
        }
    }

    /** Whether a stop was asked for. */
    boolean stopping() {
        return stop.getCount() == 0;
    }

    void await() throws InterruptedException {
        stop.await();
    }

    boolean awaitMillis(long ms) throws InterruptedException {
        return stop.await(ms, java.util.concurrent.TimeUnit.MILLISECONDS);
    }
}
