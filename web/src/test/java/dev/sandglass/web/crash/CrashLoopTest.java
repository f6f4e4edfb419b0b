package dev.sandglass.web.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The crash loop, short: a few SIGKILLs of serve and of import (bench/crashloop.sh N runs it long). */
class CrashLoopTest {
    @TempDir
    Path tmp;

    @Test
    void everyAcknowledgedSampleSurvivesKillsOfServeAndImport() throws Exception {
        long seed = System.nanoTime();
        CrashLoop.Result r = new CrashLoop(tmp.resolve("serve"), CrashLoop.launcher(null, "-Dsandglass.seal.interval.ms=300",
                "-Dsandglass.retention.interval.ms=200"), seed).run(2);
        System.out.println(r.line() + " (seed " + seed + ")");
        assertEquals(2, r.kills(), r.line());
        assertTrue(r.acknowledged() > 0, r.line());
        assertEquals(0, r.lost(), r.line());
        assertEquals(0, r.wrong(), r.line());
        ImportKills.Result imp = new ImportKills(tmp.resolve("import"), CrashLoop.launcher(null), seed).run(1);
        System.out.println(imp.line() + " (seed " + seed + ")");
        assertEquals(0, imp.lost(), imp.line());
        assertEquals(0, imp.wrong(), imp.line());
    }
}
