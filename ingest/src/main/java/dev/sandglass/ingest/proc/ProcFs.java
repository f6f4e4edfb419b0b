package dev.sandglass.ingest.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the kernel tells about a process: /proc/PID/stat (CPU ticks, start time), statm (pages),
 * cmdline, and the network devices of its namespace (/proc/PID/net/dev, so a TAP inside a VMM's
 * own network namespace is found too; /sys/class/net/IFACE/statistics otherwise). A process that
 * is gone reads as null, never as zeros.
 */
public final class ProcFs {
    /** Fields of /proc/PID/stat that matter here. */
    public record Stat(int pid, String comm, long utimeTicks, long stimeTicks, long startTicks) {
    }

    /** A network device's byte counters as the kernel counts them on the host side. */
    public record NetDev(long rxBytes, long txBytes) {
    }

    private final Path proc;
    private final Path sys;
    public final long clockTicks;
    public final long pageSize;
    private final long bootTimeSeconds;

    public ProcFs(Path proc, Path sys) {
        this.proc = proc;
        this.sys = sys;
        this.clockTicks = getconf("CLK_TCK", 100);
        this.pageSize = getconf("PAGESIZE", 4096);
        this.bootTimeSeconds = bootTime();
    }

    public static ProcFs system() {
        return new ProcFs(Path.of("/proc"), Path.of("/sys"));
    }

    public List<Integer> pids() {
        List<Integer> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(proc)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.isEmpty() && n.chars().allMatch(Character::isDigit)) {
                    out.add(Integer.parseInt(n));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + proc + ": " + e.getMessage());
        }
        return out;
    }

    /** Null when the process is gone. */
    public Stat stat(int pid) {
        String s = read(proc.resolve(pid + "/stat"));
        if (s == null) {
            return null;
        }
        int open = s.indexOf('(');
        int close = s.lastIndexOf(')'); // comm may hold spaces and parentheses
        String comm = s.substring(open + 1, close);
        String[] f = s.substring(close + 2).trim().split(" ");
        // f[0] is field 3 (state): utime is field 14, stime 15, starttime 22.
        return new Stat(pid, comm, Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[19]));
    }

    /** {size, resident} in bytes, or null when gone. */
    public long[] statm(int pid) {
        String s = read(proc.resolve(pid + "/statm"));
        if (s == null) {
            return null;
        }
        String[] f = s.trim().split(" ");
        return new long[] {Long.parseLong(f[0]) * pageSize, Long.parseLong(f[1]) * pageSize};
    }

    /** Arguments joined by spaces, or null when gone. */
    public String cmdline(int pid) {
        String s = read(proc.resolve(pid + "/cmdline"));
        return s == null ? null : s.replace('\0', ' ').trim();
    }

    /** Unix seconds at which the process started. */
    public double startTimeSeconds(Stat st) {
        return bootTimeSeconds + (double) st.startTicks() / clockTicks;
    }

    public double cpuSeconds(Stat st) {
        return (double) (st.utimeTicks() + st.stimeTicks()) / clockTicks;
    }

    /** The device as the process's network namespace sees it, else as the host's; null when neither has it. */
    public NetDev netDev(int pid, String iface) {
        String dev = read(proc.resolve(pid + "/net/dev"));
        if (dev != null) {
            for (String line : dev.split("\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(iface)) {
                    String[] f = line.substring(colon + 1).trim().split("\\s+");
                    return new NetDev(Long.parseLong(f[0]), Long.parseLong(f[8]));
                }
            }
        }
        Path stats = sys.resolve("class/net").resolve(iface).resolve("statistics");
        String rx = read(stats.resolve("rx_bytes"));
        String tx = read(stats.resolve("tx_bytes"));
        if (rx == null || tx == null) {
            return null;
        }
        return new NetDev(Long.parseLong(rx.trim()), Long.parseLong(tx.trim()));
    }

    private long bootTime() {
        String s = read(proc.resolve("stat"));
        if (s != null) {
            for (String line : s.split("\n")) {
                if (line.startsWith("btime ")) {
                    return Long.parseLong(line.substring(6).trim());
                }
            }
        }
        return 0;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("No such process")) {
                return null;
            }
            throw new IllegalStateException("cannot read " + p + ": " + e.getMessage()
                    + (e instanceof java.nio.file.AccessDeniedException ? "; run Sandglass as the VMM's user or as root" : ""));
        }
    }

    private static long getconf(String name, long dflt) {
        try {
            Process p = new ProcessBuilder("getconf", name).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            return p.waitFor() == 0 ? Long.parseLong(out) : dflt;
        } catch (IOException | NumberFormatException e) {
            return dflt;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return dflt;
        }
    }
}
