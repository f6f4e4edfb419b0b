package dev.sandglass.web.ui;

import dev.sandglass.ingest.collect.CollectLoop;
import dev.sandglass.ingest.collect.IngestMetrics;
import dev.sandglass.ingest.demo.DemoFleet;
import dev.sandglass.ingest.registry.RegistryLocator;
import dev.sandglass.ingest.registry.RegistryReader;
import dev.sandglass.query.engine.EngineOptions;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.web.api.ApiHandlers;
import dev.sandglass.web.api.ApiServer;
import dev.sandglass.web.api.EngineQueryService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The fleet page with 1,024 demo sandboxes collected every second, in headless Chromium: how long
 * each update takes in the page (applying an answer to the table, and the whole round with the
 * request), long tasks that would make the page stutter, and, in the same page, an in-place update
 * of 1,024 rows against a full re-render of them (the baseline the page avoids). Prints figures.
 * Run by bench/ui-fleet.sh.
 */
public final class UiFleetBench {
    public static void main(String[] args) throws Exception {
        int sandboxes = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        Path tmp = Files.createTempDirectory("sandglass-ui-bench");
        RegistryLocator loc = new RegistryLocator(tmp.resolve("home").toString(), "the bench's home", tmp);
        try (DemoFleet fleet = new DemoFleet(loc, sandboxes, 1);
             Db db = Db.open(DbOptions.defaults(tmp.resolve("data")))) {
            fleet.start();
            try (CollectLoop loop = new CollectLoop(new RegistryReader(loc, 1000), db, 1000, "bench", false, new IngestMetrics())) {
                loop.start();
                ApiHandlers handlers = new ApiHandlers(() -> db, new EngineQueryService(EngineOptions.defaults()),
                        new ApiHandlers.Options(60_000, 4, "bench", "bench", "bench"), List.of());
                try (ApiServer server = ApiServer.start("127.0.0.1", 0, handlers)) {
                    ChromeDriver browser = HeadlessChromium.start(tmp.resolve("profile"));
                    try {
                        run(browser, "http://127.0.0.1:" + server.port() + "/", sandboxes, seconds);
                    } finally {
                        browser.quit();
                    }
                }
            }
        }
    }

    private static void run(ChromeDriver browser, String url, int sandboxes, int seconds) throws Exception {
        JavascriptExecutor js = browser;
        browser.get(url);
        long deadline = System.currentTimeMillis() + 30_000;
        while (((Number) js.executeScript("return Number(document.querySelector('table.fleet')?.dataset.count || 0)")).intValue() < sandboxes) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the fleet page never showed " + sandboxes + " rows");
            }
            Thread.sleep(200);
        }
        @SuppressWarnings("unchecked")
        List<Number> load = (List<Number>) js.executeScript("const e = performance.getEntriesByType('navigation')"
                + ".concat(performance.getEntriesByType('resource'));"
                + "const first = e.find(x => x.name.includes('/api/v1/sandboxes'));"
                + "return [e.filter(x => !x.name.includes('/api/') && !x.name.endsWith('/metrics')).reduce((a, x) => a + x.transferSize, 0),"
                + " first ? first.transferSize : 0];");
        js.executeScript("window.benchLongTasks = [];"
                + "new PerformanceObserver(l => window.benchLongTasks.push(...l.getEntries().map(e => e.duration)))"
                + ".observe({ type: 'longtask' });");
        List<Double> apply = new ArrayList<>();
        List<Double> round = new ArrayList<>();
        String lastUpdate = "";
        long end = System.currentTimeMillis() + seconds * 1000L;
        while (System.currentTimeMillis() < end) {
            @SuppressWarnings("unchecked")
            Map<String, Object> s = (Map<String, Object>) js.executeScript("const t = document.querySelector('table.fleet');"
                    + "return { updates: t.dataset.updates, apply: t.dataset.applyMs, status: document.getElementById('status').textContent };");
            if (!s.get("updates").equals(lastUpdate)) {
                lastUpdate = (String) s.get("updates");
                apply.add(Double.parseDouble((String) s.get("apply")));
                String status = (String) s.get("status");
                round.add(Double.parseDouble(status.replaceAll(".*· (\\d+) ms$", "$1")));
            }
            Thread.sleep(100);
        }
        @SuppressWarnings("unchecked")
        List<Number> longTasks = (List<Number>) js.executeScript("return window.benchLongTasks;");
        System.out.printf("fleet page, %d sandboxes collected every second, %d s in headless Chromium (%d updates):%n",
                sandboxes, seconds, apply.size());
        System.out.printf("  first load: page and assets %,d bytes + first fleet answer %,d bytes, transferred%n",
                load.get(0).longValue(), load.get(1).longValue());
        System.out.printf("  answer applied to the table:       p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms%n",
                pct(apply, 50), pct(apply, 99), Collections.max(apply));
        System.out.printf("  whole update (request + apply):    p50 %6.0f ms  p99 %6.0f ms  max %6.0f ms%n",
                pct(round, 50), pct(round, 99), Collections.max(round));
        System.out.printf("  long tasks (> 50 ms) while live:   %d%s%n", longTasks.size(),
                longTasks.isEmpty() ? "" : ", longest " + longTasks.stream().mapToDouble(Number::doubleValue).max().getAsDouble() + " ms");
        browser.manage().timeouts().scriptTimeout(java.time.Duration.ofMinutes(2));
        js.executeScript("document.querySelector('table.fleet').dataset.rows = arguments[0]", sandboxes);
        @SuppressWarnings("unchecked")
        Map<String, Object> same = (Map<String, Object>) js.executeAsyncScript(IN_PLACE_VS_FULL);
        if (same.containsKey("error")) {
            throw new IllegalStateException("in-page comparison failed: " + same.get("error"));
        }
        double inPlace = ((Number) same.get("inPlace")).doubleValue();
        double full = ((Number) same.get("full")).doubleValue();
        System.out.printf("  same page, %d rows, with layout:   this table %.2f ms, all rows rebuilt %.2f ms (%.1fx)%n",
                sandboxes, inPlace, full, full / inPlace);
    }

    /**
     * Median of 20 updates each way, forcing layout after each: the page's table (rows near the
     * viewport, updated in place) against the naive baseline, every row rebuilt in a full table.
     */
    private static final String IN_PLACE_VS_FULL = """
            const done = arguments[arguments.length - 1];
            import('/ui/js/fleet-table.js').then(({ FleetTable }) => {
              const names = [...Array(document.querySelector('table.fleet').dataset.rows | 0).keys()].map(i => 'sbx-' + i);
              const data = names.map((name, i) => ({ name, cpu: i % 100, mem: 1e8 + i, limit: 5e8, dr: i, dw: i, rx: i, tx: i,
                up: i * 10, restarts: 0, stopped: false, since: 0 }));
              const change = k => data.forEach((d, i) => { d.cpu = (i + k * 7) % 100; d.mem += 4096 * k; d.dr += k; d.up += 1; });
              const median = xs => xs.sort((a, b) => a - b)[xs.length >> 1];
              const host = document.createElement('div');
              document.querySelector('main').prepend(host);
              const table = new FleetTable();
              host.append(table.el);
              table.update(data);
              const inPlace = [], full = [];
              for (let k = 1; k <= 20; k++) {
                change(k);
                const t0 = performance.now();
                table.update(data);
                host.offsetHeight;
                inPlace.push(performance.now() - t0);
              }
              table.destroy();
              const naive = document.createElement('table');
              naive.className = 'grid fleet';
              naive.append(document.createElement('tbody'));
              host.replaceChildren(naive);
              for (let k = 1; k <= 20; k++) {
                change(k);
                const t0 = performance.now();
                const body = document.createElement('tbody');
                for (const d of data) {
                  const tr = document.createElement('tr');
                  for (const v of [d.name, 'running', d.cpu + '%', d.mem + ' / ' + d.limit, d.dr, d.dw, d.rx, d.tx, d.up, d.restarts]) {
                    const td = document.createElement('td');
                    td.textContent = v;
                    tr.append(td);
                  }
                  body.append(tr);
                }
                naive.replaceChild(body, naive.tBodies[0]);
                host.offsetHeight;
                full.push(performance.now() - t0);
              }
              host.remove();
              done({ inPlace: median(inPlace), full: median(full) });
            }).catch(e => done({ error: String(e && e.stack || e) }));
            """;

    private static double pct(List<Double> xs, int p) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(Math.min(s.size() - 1, (int) Math.ceil(p / 100.0 * s.size()) - 1));
    }
}
