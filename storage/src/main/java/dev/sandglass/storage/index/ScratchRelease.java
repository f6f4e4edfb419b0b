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
     * and free ({@code madvise(MADV_PAGEOUT)}); its contents stay as they are. The scratch file's
     * mappings are always there, so a refusal means the kernel does not know the advice (before
     * Linux 5.4): page-outs are then turned off for the process.
     */
    static boolean pageOut(ByteBuffer mapped) {
        if (!mapped.isDirect() || !pageOutWorks) {
            return false;
        }
        int rc = madvisePageOut(Jvm.address(mapped), mapped.capacity());
        if (rc != 0) {
            LOG.debug("series index: madvise(MADV_PAGEOUT) refused ({}): an idle index's pages stay resident", rc);
            pageOutWorks = false;
        }
        return rc == 0;
    }

    /**
     * Whether the kernel took the {@code bytes} at {@code address} (page aligned, of a shared file
     * mapping found in /proc/self/maps) to write out and free; their contents stay as they are.
     * A refusal only skips the range (it may have been unmapped since it was found: the caller
     * looks its ranges up again); no native call at all turns page-outs off for the process.
     */
    static boolean pageOut(long address, long bytes) {
        return pageOutWorks && madvisePageOut(address, bytes) == 0;
    }

    /** madvise's result, or -1 (and page-outs off) when there is no native call. */
    private static int madvisePageOut(long address, long bytes) {
        try {
            return PosixAPI.posix().madvise(address, bytes, MADV_PAGEOUT);
        } catch (LinkageError | RuntimeException e) {
            LOG.debug("series index: no madvise ({}): an idle index's pages stay resident", e.toString());
            pageOutWorks = false;
            return -1;
        }
    }

    static boolean pageOutWorks() {
        return pageOutWorks;
    }
}
