package dev.sandglass.ingest.proc;

import dev.sandglass.ingest.source.SourceSpec;
import dev.sandglass.storage.util.ByteUnits;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which process is a VMM and what is known about it: {@code pid=N|comm=REGEX|cmdline=REGEX
 * [,name=NAME][,tap=IFACE][,vcpus=N][,memory=BYTES]}. Regexes match the whole comm (as the kernel
 * keeps it: at most 15 characters) or anywhere in the command line; they cannot contain commas.
 */
public record VmmSpec(String text, Integer pid, Pattern comm, Pattern cmdline, String name, String tap, Integer vcpus, Long memoryBytes) {
    static final Set<String> KEYS = new java.util.LinkedHashSet<>(java.util.List.of("pid", "comm", "cmdline", "name", "tap", "vcpus", "memory"));
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMGT]i?B|B)?", Pattern.CASE_INSENSITIVE);

    public static VmmSpec parse(String text) {
        SourceSpec s = SourceSpec.parse("--vmm", text, false, KEYS);
        var o = s.options();
        int selectors = (o.containsKey("pid") ? 1 : 0) + (o.containsKey("comm") ? 1 : 0) + (o.containsKey("cmdline") ? 1 : 0);
        if (selectors != 1) {
            throw new IllegalArgumentException("--vmm \"" + text + "\": give exactly one of pid=N, comm=REGEX, cmdline=REGEX");
        }
        try {
            return new VmmSpec(text, o.containsKey("pid") ? positiveInt(text, "pid", o.get("pid")) : null,
                    o.containsKey("comm") ? Pattern.compile(o.get("comm")) : null,
                    o.containsKey("cmdline") ? Pattern.compile(o.get("cmdline")) : null,
                    o.get("name"), o.get("tap"), o.containsKey("vcpus") ? positiveInt(text, "vcpus", o.get("vcpus")) : null,
                    o.containsKey("memory") ? size(text, o.get("memory")) : null);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("--vmm \"" + text + "\": bad regex: " + e.getDescription());
        }
    }

    boolean matches(ProcFs.Stat st, ProcFs fs) {
        if (pid != null) {
            return st.pid() == pid;
        }
        if (comm != null) {
            return comm.matcher(st.comm()).matches();
        }
        String cl = fs.cmdline(st.pid());
        return cl != null && cmdline.matcher(cl).find();
    }

    private static int positiveInt(String text, String key, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--vmm \"" + text + "\": " + key + " must be a positive integer, got \"" + v + "\"");
    }

    static long size(String text, String v) {
        Matcher m = SIZE.matcher(v.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("--vmm \"" + text + "\": memory must be bytes or a size like 512MiB or 2GiB, got \"" + v + "\"");
        }
        long n = Long.parseLong(m.group(1));
        return n * ByteUnits.of(m.group(2) == null ? "B" : m.group(2)); // the pattern admits only known units
    }
}
