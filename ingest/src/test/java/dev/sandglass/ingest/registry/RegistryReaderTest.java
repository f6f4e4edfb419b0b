package dev.sandglass.ingest.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryReaderTest {
    @TempDir
    Path shm;

    private RegistryLocator locator() {
        return new RegistryLocator("/home/alice/.microsandbox", "--msb-home", shm);
    }

    static RegistryWriter.Sample sample(long t, long k) {
        RegistryWriter.Sample s = new RegistryWriter.Sample();
        s.sampledAt = t;
        s.flags = Layout.F_CPU | Layout.F_MEMORY_USED;
        s.memoryLimit = 1 << 30;
        s.vcpuTimeNs = k * 1000;
        s.cpuPercent = 12.5f;
        s.memoryBytes = k * 4096;
        s.diskRead = k;
        s.diskWrite = 2 * k;
        s.netRx = 3 * k;
        s.netTx = 4 * k;
        return s;
    }

    @Test
    void nameIsFnv1aOfTheHomeBytes() {
        // Computed independently: python3 FNV-1a 64 over b'/home/alice/.microsandbox'.
        assertEquals("msb-met-609e1b201052d550-v3", locator().objectName());
        assertEquals(shm.resolve("msb-met-609e1b201052d550-v3"), locator().path());
    }

    @Test
    void missingRegistryNamesPathAndHome() {
        RegistryException e = assertThrows(RegistryException.class, () -> new RegistryReader(locator(), 100).read());
        assertEquals(RegistryException.Kind.NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains(locator().path().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("home /home/alice/.microsandbox (from --msb-home)"), e.getMessage());
    }

    @Test
    void headerFieldsAreValidatedOneByOne() throws Exception {
        int[][] cases = {{Layout.H_VERSION, 4}, {Layout.H_HEADER_LEN, 128}, {Layout.H_SLOT_LEN, 256}, {Layout.H_CAPACITY, 9}};
        String[] want = {"layout version 4, expected 3", "header_len 128, expected 256", "slot_len 256, expected 512", "says capacity 9"};
        for (int i = 0; i < cases.length; i++) {
            try (RegistryWriter w = RegistryWriter.create(locator().path(), 4)) {
                w.buffer().putInt(cases[i][0], cases[i][1]);
                RegistryException e = assertThrows(RegistryException.class, () -> new RegistryReader(locator(), 100).read());
                assertEquals(RegistryException.Kind.BAD_HEADER, e.kind());
                assertTrue(e.getMessage().contains(want[i]), e.getMessage());
            }
        }
        try (RegistryWriter w = RegistryWriter.create(locator().path(), 4)) {
            w.buffer().putLong(Layout.H_MAGIC, 42);
            RegistryException e = assertThrows(RegistryException.class, () -> new RegistryReader(locator(), 100).read());
            assertTrue(e.getMessage().contains("magic 0x2a"), e.getMessage());
        }
        try (RegistryWriter w = RegistryWriter.create(locator().path(), 4)) {
            w.buffer().putInt(Layout.H_STATE, Layout.HEADER_INITIALIZING);
            RegistryException e = assertThrows(RegistryException.class, () -> new RegistryReader(locator(), 50).read());
            assertEquals(RegistryException.Kind.NOT_READY, e.kind());
        }
    }

    @Test
    void accessDeniedNamesTheOwnersUidAndOurs() throws Exception {
        try (RegistryWriter w = RegistryWriter.create(locator().path(), 1)) {
            Path p = locator().path();
            if ("0".equals(RegistryReader.ourUid())) {
                Files.setAttribute(p, "unix:uid", 12345); // only root may give the file away
            }
            String owner = String.valueOf(Files.getAttribute(p, "unix:uid"));
            String msg = RegistryReader.accessDenied(p);
            assertTrue(msg.contains(p.toString()), msg);
            assertTrue(msg.contains("belongs to uid " + owner + " "), msg);
            assertTrue(msg.contains("Sandglass runs as uid " + RegistryReader.ourUid()), msg);
            assertFalse(msg.contains("uid unknown"), msg);
        }
    }

    @Test
    void anUnreadableRegistryIsReportedAsAccessDenied() throws Exception {
        try (RegistryWriter w = RegistryWriter.create(locator().path(), 1)) {
            Files.setPosixFilePermissions(locator().path(), PosixFilePermissions.fromString("---------"));
            if (!"0".equals(RegistryReader.ourUid())) {
                RegistryException e = assertThrows(RegistryException.class, () -> new RegistryReader(locator(), 100).read());
                assertEquals(RegistryException.Kind.ACCESS_DENIED, e.kind());
                assertTrue(e.getMessage().contains("Sandglass runs as uid " + RegistryReader.ourUid()), e.getMessage());
                return;
            }
            // Root (as in CI) reads any file through CAP_DAC_OVERRIDE: read in a child without it.
            String out = ReadProbe.run(locator().home(), shm);
            assertTrue(out.startsWith("ACCESS_DENIED "), out);
            assertTrue(out.contains(locator().path().toString()), out);
            assertTrue(out.contains("Sandglass runs as uid 0"), out);
        }
    }

    @Test
    void skipsFreeReservedAndUnsampledSlotsAndKeepsOptionalFieldsAbsent() throws Exception {
        try (RegistryWriter w = RegistryWriter.create(locator().path(), 8)) {
            w.activate(0, 10, 1, 100, 1000, "a");
            w.writeSample(0, sample(5000, 7));
            w.activate(1, 11, 1, 101, 1000, "b"); // active, not sampled yet
            w.buffer().putInt(Layout.slotOffset(2), Layout.SLOT_RESERVED);
            w.activate(3, 12, 1, 102, 1000, "c");
            RegistryWriter.Sample s = sample(6000, 1);
            s.flags = 0; // nothing optional
            w.writeSample(3, s);
            w.stop(3);
            RegistryReader r = new RegistryReader(locator(), 100);
            List<SlotSnapshot> got = r.read();
            assertEquals(2, got.size());
            assertEquals("a", got.get(0).name());
            assertTrue(got.get(0).has(Layout.F_CPU));
            assertFalse(got.get(0).has(Layout.F_MEMORY_AVAILABLE));
            assertEquals(7 * 4096, got.get(0).memoryBytes);
            assertEquals(Layout.SLOT_STALE, got.get(1).state);
            assertFalse(got.get(1).has(Layout.F_CPU));
        }
    }

    @Test
    void neverReturnsATornSampleWhileAWriterHammersTheSlot() throws Exception {
        try (RegistryWriter w = RegistryWriter.create(locator().path(), 2)) {
            w.activate(0, 1, 1, 1, 1, "hammered");
            w.writeSample(0, sample(1, 1));
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                long k = 2;
                while (!stop.get()) {
                    w.writeSample(0, sample(k, k));
                    k++;
                }
            });
            writer.start();
            RegistryReader r = new RegistryReader(locator(), 100);
            SlotSnapshot s = new SlotSnapshot();
            long reads = 0;
            long torn = 0;
            long seen = 0;
            long lastSeen = -1;
            r.read(); // maps the file
            // Counted, not timed: 10,000 consistent reads that saw at least 100 different
            // samples, so reads and writes interleaved however slow this machine is today.
            while (reads < 10_000 || seen < 100) {
                if (r.readSlot(0, s)) {
                    reads++;
                    long k = s.sampledAt;
                    if (s.memoryBytes != k * 4096 || s.diskRead != k || s.diskWrite != 2 * k || s.netRx != 3 * k
                            || s.netTx != 4 * k || s.vcpuTimeNs != k * 1000) {
                        torn++;
                    }
                    if (k != lastSeen) {
                        seen++;
                        lastSeen = k;
                    }
                }
                if (!writer.isAlive()) {
                    break;
                }
            }
            stop.set(true);
            writer.join();
            assertEquals(0, torn, "torn samples among " + reads + " reads");
            assertTrue(reads >= 10_000 && seen >= 100, reads + " consistent reads saw " + seen + " samples (writer stopped?)");
        }
    }
}
