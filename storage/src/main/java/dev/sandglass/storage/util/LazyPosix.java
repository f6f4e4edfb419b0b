package dev.sandglass.storage.util;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import net.openhft.posix.MAdviseFlag;
import net.openhft.posix.MSyncFlag;
import net.openhft.posix.PosixAPI;
import net.openhft.posix.internal.PosixAPIHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chronicle's POSIX binding without jnr-ffi for the calls the store makes. Chronicle's {@code Jvm}
 * loads its binding as soon as any Chronicle class starts (outside JUnit), and that binding is
 * jnr-ffi: ~300 classes (jnr, jffi, ASM, an x86 assembler), runtime-generated stubs and the jffi
 * native library, in the metaspace, class-data archive and resident memory of every process,
 * for a few calls: {@code fallocate} when Chronicle Map creates a file, {@code msync} when a
 * mapped chunk is let go, {@code madvise} for the index's scratch pages. {@link #install()} puts a
 * stand-in where Chronicle looks ({@code PosixAPIHolder.POSIX_API}, which {@code PosixAPI.posix()}
 * returns once set): those three go straight to the C library through JNA (loaded anyway, by
 * Chronicle's thread affinity, with its native library); anything else, or a {@code fallocate}
 * the C library refused (Chronicle then tries {@code posix_fallocate}), loads the real binding
 * exactly as Chronicle would have (jnr-ffi, or a no-op one when jnr cannot load) and passes on.
 */
public final class LazyPosix {
    private static final Logger LOG = LoggerFactory.getLogger(LazyPosix.class);

    private LazyPosix() {
    }

    /** Installs the stand-in unless a binding is already there; before any Chronicle class loads. */
    public static synchronized void install() {
        if (PosixAPIHolder.POSIX_API == null) {
            PosixAPIHolder.POSIX_API = standIn();
        }
    }

    /** A new stand-in (for tests: {@link #install()} is the one the process uses). */
    static PosixAPI standIn() {
        return (PosixAPI) Proxy.newProxyInstance(LazyPosix.class.getClassLoader(), new Class<?>[] {PosixAPI.class}, new Calls());
    }

    /** Whether the stand-in {@code api} has loaded the real binding. */
    static boolean loadedReal(PosixAPI api) {
        return ((Calls) Proxy.getInvocationHandler(api)).real != null;
    }

    private static final class Calls implements InvocationHandler {
        private volatile PosixAPI real;
        private volatile boolean direct = true;

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "PosixAPI (C library through JNA; jnr-ffi on first other use)";
                };
            }
            if (direct && args != null && args.length >= 3) {
                try {
                    switch (method.getName()) {
                        case "msync":
                            return LibC.msync((long) args[0], (long) args[1], args[2] instanceof MSyncFlag f ? f.value() : (int) args[2]);
                        case "madvise":
                            return LibC.madvise((long) args[0], (long) args[1], args[2] instanceof MAdviseFlag f ? f.value() : (int) args[2]);
                        case "fallocate":
                            if (args.length == 4 && LibC.fallocate64((int) args[0], (int) args[1], (long) args[2], (long) args[3]) == 0) {
                                return 0;
                            }
                            break; // the real binding's own fallbacks, as without the stand-in
                        default:
                            break;
                    }
                } catch (LinkageError e) {
                    LOG.debug("POSIX calls through JNA unavailable ({}): jnr-ffi serves them", e.toString());
                    direct = false;
                }
            }
            try {
                return method.invoke(real(method), args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        private PosixAPI real(Method first) {
            synchronized (LazyPosix.class) {
                if (real == null) {
                    LOG.debug("loading Chronicle's jnr-ffi POSIX binding for {}", first.getName());
                    PosixAPIHolder.POSIX_API = null; // Chronicle's own choice, with its own fallback
                    PosixAPIHolder.loadPosixApi();
                    real = PosixAPIHolder.POSIX_API;
                }
                return real;
            }
        }
    }
}
