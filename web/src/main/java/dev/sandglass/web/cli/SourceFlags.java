package dev.sandglass.web.cli;

import dev.sandglass.ingest.agent.AgentPoller;
import dev.sandglass.ingest.agent.AgentSource;
import dev.sandglass.ingest.proc.ProcFs;
import dev.sandglass.ingest.proc.VmmSource;
import dev.sandglass.ingest.proc.VmmSpec;
import dev.sandglass.ingest.scrape.ScrapeConfigs;
import dev.sandglass.ingest.scrape.ScrapeTarget;
import dev.sandglass.ingest.scrape.Scraper;
import dev.sandglass.ingest.source.SourceHealthSet;
import dev.sandglass.storage.api.Storage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** serve's flags for sources beside the registry: scrape targets, VMM processes, sandbox agents. */
final class SourceFlags {
    @Option(names = "--scrape", paramLabel = "URL[,interval=DUR][,job=NAME]",
            description = "scrape a Prometheus text or OpenMetrics endpoint (repeatable; interval 15s, job \"scrape\" by default)")
    List<String> scrape = new ArrayList<>();

    @Option(names = "--scrape-config", paramLabel = "FILE",
            description = "scrape the static_configs of a Prometheus configuration file's scrape_configs")
    Path scrapeConfig;

    @Option(names = "--vmm", paramLabel = "pid=N|comm=REGEX|cmdline=REGEX[,name=..][,tap=IFACE][,vcpus=N][,memory=BYTES]",
            description = "collect a VMM process from /proc (repeatable)")
    List<String> vmm = new ArrayList<>();

    @Option(names = "--vmm-discover", description = "also collect every Firecracker, Cloud Hypervisor, QEMU and krun process")
    boolean vmmDiscover;

    @Option(names = "--agent", paramLabel = "URL[,interval=DUR][,sandbox=NAME]",
            description = "poll a sandbox agent's JSON metrics snapshot (HopX shape; repeatable; interval 15s)")
    List<String> agent = new ArrayList<>();

    /** The running sources; closing stops them (scrape targets get their staleness markers). */
    record Running(Scraper scraper, VmmSource vmm, AgentPoller agents, List<ScrapeTarget> targets) implements AutoCloseable {
        @Override
        public void close() {
            if (scraper != null) {
                scraper.close();
            }
            if (vmm != null) {
                vmm.close();
            }
            if (agents != null) {
                agents.close();
            }
        }
    }

    /** Checks every flag first (a bad one stops start-up with its message), then starts the sources. */
    Running start(Storage db, long collectIntervalMs, String host, SourceHealthSet health, String userAgent) {
        List<ScrapeTarget> targets = new ArrayList<>();
        for (String s : scrape) {
            targets.add(ScrapeConfigs.fromFlag(s));
        }
        if (scrapeConfig != null) {
            targets.addAll(ScrapeConfigs.load(scrapeConfig, msg -> System.out.println("  note: " + msg)));
        }
        List<VmmSpec> specs = vmm.stream().map(VmmSpec::parse).toList();
        List<AgentSource> agents = new ArrayList<>();
        for (String a : agent) {
            agents.add(AgentSource.fromFlag(a, db, health));
        }
        Scraper scraper = targets.isEmpty() ? null : new Scraper(targets, db, health, userAgent);
        VmmSource vmmSource = specs.isEmpty() && !vmmDiscover ? null
                : new VmmSource(specs, vmmDiscover, ProcFs.system(), db, collectIntervalMs, host, health);
        AgentPoller poller = agents.isEmpty() ? null : new AgentPoller(agents);
        if (scraper != null) {
            scraper.start();
        }
        if (vmmSource != null) {
            vmmSource.start();
        }
        if (poller != null) {
            poller.start();
        }
        return new Running(scraper, vmmSource, poller, targets);
    }
}
