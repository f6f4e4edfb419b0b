package dev.sandglass.web.cli;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import sun.misc.Signal;

/**
 * SIGINT and SIGTERM: the first asks for a clean stop (the latch opens), the second forces exit.
 * Handled directly rather than through shutdown hooks so a second signal is not swallowed while
 * the first stop is still making data durable.
 *
 * <p>SIGUSR1 is an INT or TERM that the launcher received and passes on (the first serve after a
 * build runs java under the launcher's shell, to keep its class-data archive only from a clean
 * stop). Those are counted apart from the ones received directly: a terminal's Ctrl-C, or a stop
 * sent to the whole process group (systemd), reaches both processes, and is still one request.
 * The requests made so far are the larger of the two counts.
 */
final class Signals {
    private final CountDownLatch stop = new CountDownLatch(1);
    private final PrintStream err;
    private final IntConsumer halt;
    private int direct;
    private int passedOn;

    Signals() {
        this(System.err, status -> Runtime.getRuntime().halt(status));
        for (String name : new String[] {"INT", "TERM"}) {
            Signal.handle(new Signal(name), sig -> received(sig.getName()));
        }
        try {
            Signal.handle(new Signal("USR1"), sig -> received(sig.getName()));
        } catch (IllegalArgumentException e) {
            // A JVM that keeps USR1 for itself (none on Linux): INT/TERM sent to serve itself still stop it.
        }
    }

    /** Without handlers: for a test that delivers the signals itself. */
    Signals(PrintStream err, IntConsumer halt) {
        this.err = err;
        this.halt = halt;
    }

    /** One signal, by name (INT, TERM, or USR1 passed on by the launcher). */
    void received(String name) {
        int requests;
        boolean first;
        synchronized (this) {
            if (name.equals("USR1")) {
                passedOn++;
            } else {
                direct++;
            }
            requests = Math.max(direct, passedOn);
            first = requests == 1 && stop.getCount() > 0;
            if (first) {
                stop.countDown(); // before the message: a terminal that takes no output must not hold up the stop
            }
        }
        if (requests >= 2) {
            // Said if the terminal takes it within a moment: one that takes no output (a stalled
            // reader) must not keep the process from ending.
            Thread say = new Thread(() -> err.println("sandglass: forced exit"), "sandglass-forced-exit");
            say.setDaemon(true);
            say.start();
            try {
                say.join(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            halt.accept(130);
        } else if (first) {
            err.println("\nsandglass: stopping (signal " + (name.equals("USR1") ? "passed on by the launcher" : name)
                    + "); send it again to force");
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
        return stop.await(ms, TimeUnit.MILLISECONDS);
    }
}
