package dev.sandglass.web.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.ingest.collect.CollectLoop;
import dev.sandglass.ingest.collect.IngestMetrics;
import dev.sandglass.ingest.registry.RegistryLocator;
import dev.sandglass.ingest.registry.RegistryReader;
import dev.sandglass.query.engine.EngineOptions;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.mem.MemStorage;
import dev.sandglass.web.api.ApiHandlers;
import dev.sandglass.web.api.ApiServer;
import dev.sandglass.web.api.EngineQueryService;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The UI in headless Chromium over a real server, a real store and the real collector reading a
 * scripted registry ({@link ScriptedFleet}): every page, as a person would use it. Screenshots go
 * to target/ui-screenshots/.
 */
class UiBrowserTest {
    static final Path SHOTS = Path.of("target", "ui-screenshots");

    @TempDir
    static Path tmp;
    static Db db;
    static ScriptedFleet fleet;
    static ApiServer server;
    static ChromeDriver browser;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        db = Db.open(DbOptions.defaults(tmp.resolve("data")));
        fleet = new ScriptedFleet(tmp, db);
        fleet.start(System.currentTimeMillis() - 1000);
        ApiHandlers handlers = new ApiHandlers(() -> db, new EngineQueryService(EngineOptions.defaults()),
                new ApiHandlers.Options(60_000, 4, "test", "test", "test"), List.of());
        server = ApiServer.start("127.0.0.1", 0, handlers);
        base = "http://127.0.0.1:" + server.port() + "/";

        browser = HeadlessChromium.start(tmp.resolve("chromium-profile"));
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
        if (fleet != null) {
            fleet.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void everyPageWorksAndLogsNoErrors() throws Exception {
        try {
            fleetPage();
            sandboxPage();
            promqlPage();
            restartsPage();
            capacityPage();
        } catch (AssertionError | RuntimeException e) {
            shot("failure");
            throw new AssertionError(e.getMessage() + "\npage at failure (target/ui-screenshots/failure.png):\n"
                    + browser.findElement(By.tagName("main")).getText(), e);
        }
        assertEquals(List.of(), consoleErrors(), "console errors");
    }

    /** Errors the browser logged since the last call, less the ones asked for on purpose. */
    private static List<String> consoleErrors() {
        List<String> errors = new ArrayList<>();
        for (LogEntry e : browser.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue() && !expected(e.getMessage())) {
                errors.add(e.getMessage());
            }
        }
        return errors;
    }

    @Test
    void anEmptyFleetSaysWhatToDo() throws Exception {
        // The real collect loop over a home with no registry: the failure the log reports, counted.
        MemStorage store = new MemStorage();
        IngestMetrics metrics = new IngestMetrics();
        RegistryLocator nowhere = new RegistryLocator(tmp.resolve("no-such-home").toString(), "--msb-home", tmp.resolve("no-shm"));
        try (CollectLoop loop = new CollectLoop(new RegistryReader(nowhere, 10), store, 1000, "test", false, metrics)) {
            loop.collectOnce();
        }
        ApiHandlers handlers = new ApiHandlers(() -> store, new EngineQueryService(EngineOptions.defaults()),
                new ApiHandlers.Options(60_000, 4, "test", "test", "test"), List.of(metrics::writePrometheusText));
        try (ApiServer empty = ApiServer.start("127.0.0.1", 0, handlers)) {
            browser.get("http://127.0.0.1:" + empty.port() + "/");
            WebElement notice = new WebDriverWait(browser, Duration.ofSeconds(20))
                    .until(d -> browser.findElement(By.cssSelector("main .notice h2")));
            assertEquals("No microsandbox registry found", notice.getText());
            String hint = browser.findElement(By.cssSelector("main .notice")).getText();
            assertTrue(hint.contains("--msb-home") && hint.contains("MSB_HOME") && hint.contains("./sandglass serve --demo"), hint);
            assertFalse(browser.findElement(By.cssSelector("table.fleet")).isDisplayed(), "no empty table under the notice");
            shot("fleet-empty");
            assertEquals(List.of(), consoleErrors(), "console errors");
            // Leave the page before its server goes: its next poll would log a refused connection
            // that the next test (same browser) would then find among its console errors.
            browser.get("about:blank");
        }
    }

    @Test
    void ratesRestartWithTheRunAndMissingPointsStayMissing() {
        browser.get(base + "#/promql");
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> r = (java.util.Map<String, Object>) ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                Promise.all([import('/ui/js/fleet.js'), import('/ui/js/api.js')]).then(([fleet, api]) => {
                  const w = new fleet.RateWindow();
                  const p = (t, run, rx) => ({ timestamp: new Date(t).toISOString(), run_id: run, net_rx_bytes: rx,
                    net_tx_bytes: null, disk_read_bytes: 0, disk_write_bytes: 0 });
                  w.add(p(0, 1, 0)); w.add(p(1000, 1, 1000)); w.add(p(2000, 1, 3000));
                  const before = w.rate('rx');
                  w.add(p(3000, 2, 10));
                  const atRestart = w.rate('rx');
                  w.add(p(4000, 2, 510));
                  const after = w.rate('rx');
                  const unreported = w.rate('tx');
                  const col = api.align([{ values: [[100, '1'], [130, '4'], [999, '9']] }], 100, 10, 4)[0];
                  // The store's rates stand in until the window has two points, never after a new run.
                  const s = new fleet.RateWindow();
                  s.prime({ rx: 42 });
                  const primedEmpty = s.rate('rx');
                  s.add(p(0, 1, 0));
                  const primedOne = s.rate('rx'), primedMissing = s.rate('tx');
                  s.add(p(1000, 1, 100));
                  const own = s.rate('rx');
                  s.prime({ rx: 42 });
                  s.add(p(2000, 2, 5));
                  const primedAfterRestart = s.rate('rx');
                  const parsed = fleet.primedRates({ result: [
                    { metric: { sandbox_name: 'a', rate_of: 'rx' }, value: [1, '12.5'] },
                    { metric: { sandbox_name: 'a', rate_of: 'dw' }, value: [1, '3'] },
                    { metric: { sandbox_name: 'b', rate_of: 'tx' }, value: [1, 'NaN'] },
                    { metric: { rate_of: 'rx' }, value: [1, '1'] }] });
                  // The expression the page sends, against this server: it must parse and evaluate.
                  api.query(fleet.primeQuery()).then(d => {
                    done({ before, atRestart, after, unreported, col, primedEmpty, primedOne, primedMissing, own, primedAfterRestart,
                      parsedA: parsed.get('a'), parsedNames: [...parsed.keys()], primeType: d.resultType });
                  }).catch(e => done({ error: 'primeQuery: ' + e }));
                }).catch(e => done({ error: String(e) }));
                """);
        assertEquals(null, r.get("error"));
        assertEquals(1500L, ((Number) r.get("before")).longValue(), "3000 bytes over 2 s");
        assertEquals(null, r.get("atRestart"), "a new run's first point has no rate yet, never a negative one");
        assertEquals(500L, ((Number) r.get("after")).longValue(), "the new run's counter from its own start");
        assertEquals(null, r.get("unreported"), "a field the sandbox did not report has no rate, not 0");
        assertEquals(java.util.Arrays.asList(1L, null, null, 4L), r.get("col"), "steps without a point are gaps; points off the grid are dropped");
        assertEquals(42L, ((Number) r.get("primedEmpty")).longValue(), "before any point of its own: the store's rate");
        assertEquals(42L, ((Number) r.get("primedOne")).longValue(), "one point of its own is no rate yet: still the store's");
        assertEquals(null, r.get("primedMissing"), "a counter the store had no rate for stays missing");
        assertEquals(100L, ((Number) r.get("own")).longValue(), "two points: the page's own rate");
        assertEquals(null, r.get("primedAfterRestart"), "a new run's first point: no rate, the store's is of the run before");
        assertEquals(java.util.Map.of("rx", 12.5, "dw", 3L), r.get("parsedA"));
        assertEquals(List.of("a"), r.get("parsedNames"), "NaN and nameless results are dropped");
        assertEquals("vector", r.get("primeType"));
    }

    /** The browser logs every non-2xx answer; these are the ones the test asks for on purpose. */
    private static boolean expected(String message) {
        return message.contains("/api/v1/query_range?query=rate%28foo%5B5m%29") && message.contains("400");
    }

    private void fleetPage() throws Exception {
        browser.executeCdpCommand("Network.clearBrowserCache", java.util.Map.of()); // a first load, whatever ran before
        browser.get(base);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.until(d -> rows().size() == 3);
        // First load: everything the page fetched except API answers, as transferred (gzip, headers).
        long firstLoad = ((Number) js("return performance.getEntriesByType('navigation')"
                + ".concat(performance.getEntriesByType('resource'))"
                + ".filter(e => !e.name.includes('/api/') && !e.name.endsWith('/metrics'))"
                + ".reduce((a, e) => a + e.transferSize, 0)")).longValue();
        System.out.printf("UI first load: %,d bytes transferred%n", firstLoad);
        assertTrue(firstLoad > 10_000 && firstLoad < 300_000, "first load " + firstLoad + " bytes, the budget is 300 KB");
        assertEquals(List.of(ScriptedFleet.ALPHA, ScriptedFleet.BETA, ScriptedFleet.GAMMA),
                rows().stream().map(r -> r.getAttribute("data-name")).toList(), "rows sorted by name");
        WebElement beta = row(ScriptedFleet.BETA);
        assertTrue(beta.getAttribute("class").contains("stopped"), "a stopped sandbox stays, marked stopped");
        assertTrue(beta.getText().contains("stopped 2m"), beta.getText());
        WebElement alpha = row(ScriptedFleet.ALPHA);
        assertTrue(alpha.getText().contains("running"), alpha.getText());
        assertTrue(alpha.getText().contains("MiB / 512 MiB"), "memory against its limit: " + alpha.getText());
        wait.until(d -> cell(ScriptedFleet.ALPHA, 9).equals("1"));

        // Live: the same row elements are updated in place every second.
        int updates = Integer.parseInt(table().getAttribute("data-updates"));
        String uptime = cell(ScriptedFleet.GAMMA, 8);
        js("document.querySelector('tr[data-name=\"sbx-gamma\"]').dataset.marker = 'same-element'");
        wait.until(d -> Integer.parseInt(table().getAttribute("data-updates")) >= updates + 2);
        wait.until(d -> !cell(ScriptedFleet.GAMMA, 8).equals(uptime));
        assertEquals("same-element", row(ScriptedFleet.GAMMA).getAttribute("data-marker"), "rows are updated, not re-created");
        shot("fleet");

        // Sorting by a column and filtering by name, by keyboard.
        WebElement cpuHead = browser.findElement(By.cssSelector("th[data-key=cpu] button"));
        cpuHead.sendKeys(Keys.ENTER);
        assertEquals("descending", browser.findElement(By.cssSelector("th[data-key=cpu]")).getAttribute("aria-sort"));
        assertEquals(ScriptedFleet.ALPHA, rows().get(0).getAttribute("data-name"), "alpha has the most CPU");
        browser.findElement(By.tagName("body")).sendKeys("/");
        browser.switchTo().activeElement().sendKeys("gam");
        wait.until(d -> rows().size() == 1);
        assertEquals(ScriptedFleet.GAMMA, rows().get(0).getAttribute("data-name"));
    }

    private void sandboxPage() throws Exception {
        browser.findElement(By.linkText(ScriptedFleet.GAMMA)).click();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.until(d -> browser.findElements(By.cssSelector(".chart canvas")).size() == 4);
        wait.until(d -> "4".equals(attr(".charts", "data-drawn")));
        assertTrue(Integer.parseInt(attr("section[aria-label='CPU chart']", "data-gaps")) >= 1, "gamma's minute without samples is a gap");

        browser.get(base + "#/sandbox/" + ScriptedFleet.ALPHA + "?range=15m");
        wait.until(d -> "4".equals(attr(".charts", "data-drawn")) && !browser.findElements(By.cssSelector(".chart .marker")).isEmpty());
        WebElement marker = browser.findElement(By.cssSelector("section[aria-label='Memory chart'] .marker"));
        assertTrue(marker.getAttribute("aria-label").startsWith("restart"), marker.getAttribute("aria-label"));
        long markerT = (long) Double.parseDouble(marker.getAttribute("data-t"));
        assertEquals(fleet.restartAtMs / 1000, markerT, "the marker sits at the restart");
        String cards = browser.findElement(By.cssSelector(".cards")).getText();
        assertTrue(cards.contains("of 512 MiB"), "latest values: " + cards);
        assertEquals("running", browser.findElement(By.cssSelector(".pagehead .state")).getText());
        String promqlLink = browser.findElement(By.cssSelector("section[aria-label='Memory chart'] .head a")).getAttribute("href");
        assertTrue(promqlLink.contains("#/promql?expr=") && promqlLink.contains("microsandbox_memory_usage_bytes"), promqlLink);
        shot("sandbox");
    }

    private void promqlPage() throws Exception {
        browser.get(base + "#/promql");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        WebElement box = wait.until(d -> browser.findElement(By.cssSelector("textarea")));
        box.sendKeys("sum by (sandbox_name)(rate(microsandbox_network_bytes_received[1m]))", Keys.ENTER);
        wait.until(d -> !browser.findElements(By.cssSelector(".result .chart canvas")).isEmpty());
        String legend = browser.findElement(By.cssSelector(".result .u-legend")).getText();
        assertTrue(legend.contains(ScriptedFleet.ALPHA) && legend.contains(ScriptedFleet.GAMMA), legend);
        shot("promql");

        browser.findElement(By.cssSelector("button[data-tab=table]")).click();
        wait.until(d -> browser.findElements(By.cssSelector(".result table tbody tr")).size() == 2);

        browser.findElement(By.cssSelector("button[data-tab=graph]")).click();
        box.clear();
        box.sendKeys("rate(foo[5m)", Keys.ENTER);
        WebElement error = wait.until(d -> browser.findElement(By.cssSelector(".notice.error")));
        assertTrue(error.getText().contains("1:12: parse error"), error.getText());
        assertEquals("at line 1, column 12", browser.findElement(By.cssSelector(".caret")).getAttribute("aria-label"));
        assertTrue(browser.findElement(By.cssSelector(".recent")).getText().contains("microsandbox_network_bytes_received"),
                "recent queries keep the last good one");
        shot("promql-error");
    }

    private void restartsPage() throws Exception {
        browser.findElement(By.cssSelector("nav a[data-page=restarts]")).click();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.until(d -> browser.findElements(By.cssSelector("table.restarts tbody tr")).size() == 2);
        WebElement restart = browser.findElement(By.cssSelector("table.restarts tr.restart"));
        assertTrue(restart.getText().contains(ScriptedFleet.ALPHA) && restart.getText().contains("1 → 2"), restart.getText());
        assertTrue(restart.getText().contains("near limit"), "alpha's memory was at 95% of its limit: " + restart.getText());
        WebElement stop = browser.findElement(By.cssSelector("table.restarts tr.stop"));
        assertTrue(stop.getText().contains(ScriptedFleet.BETA), stop.getText());
        wait.until(d -> !browser.findElements(By.cssSelector("section[aria-label='Running sandboxes chart'] canvas")).isEmpty());
        assertEquals(2, browser.findElements(By.cssSelector("section[aria-label='Running sandboxes chart'] .marker")).size(),
                "the restart and the stop on the chart's time axis");
        shot("restarts");
    }

    private void capacityPage() throws Exception {
        browser.findElement(By.cssSelector("nav a[data-page=capacity]")).click();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(d -> browser.findElements(By.cssSelector("table.capacity tbody tr")).size() == 3);
        List<WebElement> top = browser.findElements(By.cssSelector("section[aria-label='Top sandboxes by peak memory against limit'] li"));
        assertEquals(3, top.size());
        assertTrue(top.get(0).getText().startsWith(ScriptedFleet.ALPHA) && top.get(0).getText().contains("95%"),
                "alpha peaked at 95% of its limit: " + top.get(0).getText());
        assertEquals(1, browser.findElements(By.cssSelector("section[aria-label='Running sandboxes chart'] canvas")).size());
        shot("capacity");
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private static String attr(String css, String name) {
        List<WebElement> found = browser.findElements(By.cssSelector(css));
        return found.isEmpty() ? null : found.get(0).getAttribute(name);
    }

    private static WebElement table() {
        return browser.findElement(By.cssSelector("table.fleet"));
    }

    private static List<WebElement> rows() {
        return browser.findElements(By.cssSelector("table.fleet tbody tr[data-name]"));
    }

    private static WebElement row(String name) {
        return browser.findElement(By.cssSelector("table.fleet tr[data-name='" + name + "']"));
    }

    private static String cell(String name, int index) {
        return row(name).findElements(By.tagName("td")).get(index).getText();
    }

    private static void shot(String name) throws Exception {
        File f = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), SHOTS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
