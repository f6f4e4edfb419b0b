package dev.sandglass.web.cli;

/** Entry point of the sandglass jar. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // Must run before any Chronicle class loads: no process of ours phones home.
        System.setProperty("chronicle.analytics.disable", "true");
        System.out.println("sandglass: not wired yet");
    }
}
