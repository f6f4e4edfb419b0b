package dev.sandglass.web.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Screenshots of every page of a running server, light and dark, for the README:
 * {@code docs/screenshots.sh URL SANDBOX} (the sandbox page shows SANDBOX). Not a test.
 */
public final class UiScreenshots {
    public static void main(String[] args) throws Exception {
        String base = args[0].endsWith("/") ? args[0] : args[0] + "/";
        String sandbox = args[1];
        Path out = Path.of(args.length > 2 ? args[2] : "target/ui-screenshots/readme");
        Files.createDirectories(out);
        ChromeDriver browser = HeadlessChromium.start(Files.createTempDirectory("sandglass-shots"));
        try {
            browser.manage().window().setSize(new Dimension(1280, 860));
            String promql = "#/promql?expr=" + java.net.URLEncoder.encode(
                    "topk(5, sum by (sandbox_name)(rate(microsandbox_network_bytes_received[1m])))", "UTF-8") + "&range=15m";
            for (String scheme : List.of("light", "dark")) {
                browser.executeCdpCommand("Emulation.setEmulatedMedia",
                        Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
                shoot(browser, base + "#/", out.resolve("fleet-" + scheme + ".png"));
                shoot(browser, base + "#/sandbox/" + sandbox + "?range=15m", out.resolve("sandbox-" + scheme + ".png"));
                shoot(browser, base + "#/restarts?since=1h", out.resolve("restarts-" + scheme + ".png"));
                shoot(browser, base + "#/capacity?range=24h", out.resolve("capacity-" + scheme + ".png"));
                shoot(browser, base + promql, out.resolve("promql-" + scheme + ".png"));
            }
        } finally {
            browser.quit();
        }
        System.out.println("screenshots in " + out.toAbsolutePath());
    }

    private static void shoot(ChromeDriver browser, String url, Path file) throws Exception {
        browser.get("about:blank");
        browser.get(url);
        Thread.sleep(4000); // live pages: a few updates, charts drawn
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
    }
}
