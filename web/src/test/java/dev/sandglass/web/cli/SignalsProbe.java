package dev.sandglass.web.cli;

/** Stands in for serve under the launcher in LauncherSignalsTest: Signals, then a clean stop. */
public final class SignalsProbe {
    private SignalsProbe() {
    }

    public static void main(String[] args) throws Exception {
        Signals signals = new Signals();
        System.out.println("probe: ready");
        signals.await();
        if (java.util.List.of(args).contains("--slow-stop")) {
            Thread.sleep(20_000); // a stop still making data durable, for a second signal to force
        }
        System.out.println("probe: stopped cleanly");
    }
}
