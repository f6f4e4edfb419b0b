package dev.sandglass.storage.index;

import java.nio.ByteBuffer;
import net.openhft.chronicle.core.Jvm;
import net.openhft.posix.MAdviseFlag;
import net.openhft.posix.PosixAPI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a mapped scratch page's memory back to the system: {@code madvise(MADV_REMOVE)} through
 * the POSIX binding Chronicle already loads. On a shared file mapping it frees the page and the
 * file's blocks under it (a hole: it reads zeros next time, as a released page must). Turned off
 * for the process the first time it is refused, so each release then costs one check.
 */
final class ScratchRelease {
    private static final Logger LOG = LoggerFactory.getLogger(ScratchRelease.class);
    private static volatile boolean works = !Boolean.getBoolean("sandglass.scratch.noRelease");
    private static volatile boolean pageOutWorks = !Boolean.getBoolean("sandglass.scratch.noPageOut");
    /** Linux's MADV_PAGEOUT (5.4 and later); the POSIX binding's enum does not name it. */
    private static final int MADV_PAGEOUT = 21;
    private static final int ENOMEM = 12;

    private ScratchRelease() {
    }

    /** Whether {@code page} (a whole scratch page of a mapping) was given back and now reads zeros. */
    static boolean giveBack(ByteBuffer page) {
        if (!works || !page.isDirect()) {
            return false;
        }
        try {
            int rc = PosixAPI.posix().madvise(Jvm.address(page), page.capacity(), MAdviseFlag.MADV_REMOVE);
            if (rc == 0) {
                return true;
            }
            LOG.debug("series index: madvise(MADV_REMOVE) refused ({}): released scratch pages are zeroed instead", rc);
        } catch (LinkageError | RuntimeException e) {
            LOG.debug("series index: no madvise ({}): released scratch pages are zeroed instead", e.toString());
        }
        works = false;
        return false;
    }

    /**
     * Whether the kernel took {@code mapped} (a whole mapping of the scratch file) to write out
     * and free ({@code madvise(MADV_PAGEOUT)}); its contents stay as they are.
     */
    static boolean pageOut(ByteBuffer mapped) {
        return mapped.isDirect() && pageOut(Jvm.address(mapped), mapped.capacity());
    }

    /**
     * Whether the kernel took the {@code bytes} at {@code address} (page aligned, of a shared file
     * mapping) to write out and free; their contents stay as they are. Turned off for the process
     * the first time it is refused for want of support (before Linux 5.4, no native call); a
     * range that is no longer mapped (closed meanwhile) is only skipped.
     */
    static boolean pageOut(long address, long bytes) {
        if (!pageOutWorks) {
            return false;
        }
        try {
            int rc = PosixAPI.posix().madvise(address, bytes, MADV_PAGEOUT);
            if (rc == 0) {
                return true;
            }
            if (PosixAPI.posix().lastError() == ENOMEM) {
                return true; // not mapped (any more): nothing to page out there
            }
            LOG.debug("series index: madvise(MADV_PAGEOUT) refused ({}): an idle index's pages stay resident", rc);
        } catch (LinkageError | RuntimeException e) {
            LOG.debug("series index: no madvise ({}): an idle index's pages stay resident", e.toString());
        }
        pageOutWorks = false;
        return false;
    }

    static boolean pageOutWorks() {
        return pageOutWorks;
    }
}
