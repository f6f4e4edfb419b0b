package dev.sandglass.ingest.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.ingest.source.SourceHealthSet;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real TAP device in a network namespace the test makes (and removes): a process inside it
 * attaches to the TAP as a VMM does and writes ten 100-byte frames, which the kernel counts as
 * received on the TAP; the source reads them through the process's own /proc/PID/net/dev.
 */
class TapDeviceTest {
    @TempDir
    Path tmp;

    private static final String ATTACH = String.join("\n",
            "import fcntl, os, struct, sys, time",
            "fd = os.open('/dev/net/tun', os.O_RDWR)",
            "fcntl.ioctl(fd, 0x400454ca, struct.pack('16sH', b'sgtap0', 0x0002 | 0x1000))",
            "frame = b'\\xff' * 6 + b'\\x02\\x00\\x00\\x00\\x00\\x01' + b'\\x08\\x00' + b'\\x00' * 86",
            "for i in range(10):",
            "    os.write(fd, frame)",
            "print('ready', flush=True)",
            "time.sleep(600)");

    static int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
        return p.exitValue();
    }

    @Test
    void tapBytesOfAVmmInItsOwnNetworkNamespace() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root) {
            System.out.println("TapDeviceTest skipped: creating a network namespace and a TAP device needs root (user is "
                    + System.getProperty("user.name") + ")");
        }
        Assumptions.assumeTrue(root, "needs root to create a network namespace and a TAP device");
        String ns = "sgtest" + ProcessHandle.current().pid() + "x" + (System.nanoTime() % 100000);
        run("ip", "netns", "add", ns);
        Process vmm = null;
        try {
            run("ip", "netns", "exec", ns, "ip", "tuntap", "add", "dev", "sgtap0", "mode", "tap");
            run("ip", "netns", "exec", ns, "ip", "link", "set", "sgtap0", "up");
            vmm = new ProcessBuilder("ip", "netns", "exec", ns, "python3", "-c", ATTACH).redirectErrorStream(true).start();
            String ready = new String(vmm.getInputStream().readNBytes(6), StandardCharsets.UTF_8);
            assertEquals("ready\n", ready, "the TAP-attached process did not start");
            try (Db db = Db.open(DbOptions.defaults(tmp.resolve("data")))) {
                SourceHealthSet health = new SourceHealthSet();
                VmmSource src = new VmmSource(List.of(VmmSpec.parse("pid=" + vmm.pid() + ",name=vm-tap,tap=sgtap0")), false,
                        ProcFs.system(), db, 1000, "h", health);
                src.collectOnce();
                assertTrue(health.all().get(0).up(), String.valueOf(health.all().get(0).lastError()));
                // Frames the VMM wrote into the TAP are bytes the VM sent.
                assertEquals(1000.0, VmmSourceTest.last(VmmSourceTest.select(db, "vmm_network_transmit_bytes_total", "instance_name", "vm-tap").get(0)));
                assertEquals(1, VmmSourceTest.select(db, "vmm_network_receive_bytes_total").size());

                VmmSource wrong = new VmmSource(List.of(VmmSpec.parse("pid=" + vmm.pid() + ",name=vm-x,tap=nosuchtap")), false,
                        ProcFs.system(), db, 1000, "h", health);
                wrong.collectOnce();
                assertEquals(1, health.all().get(1).failures("tap"));
                assertTrue(VmmSourceTest.select(db, "vmm_network_transmit_bytes_total", "instance_name", "vm-x").isEmpty());
                assertEquals(1, VmmSourceTest.select(db, "vmm_memory_rss_bytes", "instance_name", "vm-x").size(), "the rest is still collected");
            }
        } finally {
            if (vmm != null) {
                vmm.destroyForcibly();
                vmm.waitFor(5, TimeUnit.SECONDS);
            }
            run("ip", "netns", "del", ns);
        }
    }
}
