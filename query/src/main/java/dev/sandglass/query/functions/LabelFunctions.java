package dev.sandglass.query.functions;

import dev.sandglass.query.engine.PromQLException;
import dev.sandglass.query.engine.StepVector;
import dev.sandglass.storage.api.Labels;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** label_replace and label_join: they rewrite labels and keep values and the metric name. */
final class LabelFunctions {
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private LabelFunctions() {
    }

    static boolean validLabelName(String s) {
        return LABEL_NAME.matcher(s).matches();
    }

    private record ReplaceState(Pattern regex, Map<Labels, Labels> cache) {
    }

    // label_replace(v, dst, replacement, src, regex)
    static void labelReplace(InstantCall call, StepVector out) {
        ReplaceState st = (ReplaceState) call.state;
        String dst = call.strings[1];
        String repl = call.strings[2];
        String src = call.strings[3];
        if (st == null) {
            String regex = call.strings[4];
            Pattern p;
            try {
                // Go spells named groups (?P<name>...); Java (?<name>...).
                p = Pattern.compile("^(?:" + regex.replace("(?P<", "(?<") + ")$", Pattern.DOTALL);
            } catch (PatternSyntaxException e) {
                throw new PromQLException.EvalException("invalid regular expression in label_replace(): " + regex);
            }
            if (!validLabelName(dst)) {
                throw new PromQLException.EvalException("invalid destination label name in label_replace(): " + dst);
            }
            st = new ReplaceState(p, new HashMap<>());
            call.state = st;
        }
        StepVector in = call.vectors[0];
        for (int i = 0; i < in.size(); i++) {
            Labels l = in.labels(i);
            Labels o = st.cache.get(l);
            if (o == null) {
                Matcher m = st.regex.matcher(l.get(src));
                if (!m.matches()) {
                    o = l;
                } else {
                    String res = expand(repl, m);
                    o = l.builder().del(dst).set(dst, res).build();
                }
                st.cache.put(l, o);
            }
            out.add(o, in.value(i));
        }
    }

    /**
     * Go's regexp template expansion: {@code $name} (longest run of letters, digits, underscores) or
     * {@code ${name}}; a number is a group index; unknown or unmatched groups expand to nothing;
     * {@code $$} is a dollar; a malformed reference leaves the dollar as text.
     */
    static String expand(String template, Matcher m) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        int n = template.length();
        while (i < n) {
            char c = template.charAt(i);
            if (c != '$') {
                sb.append(c);
                i++;
                continue;
            }
            if (i + 1 < n && template.charAt(i + 1) == '$') {
                sb.append('$');
                i += 2;
                continue;
            }
            String name = null;
            int next = i + 1;
            if (next < n && template.charAt(next) == '{') {
                int close = template.indexOf('}', next + 1);
                if (close > next + 1 && isName(template, next + 1, close)) {
                    name = template.substring(next + 1, close);
                    next = close + 1;
                }
            } else {
                int j = next;
                while (j < n && isNameChar(template.charAt(j))) {
                    j++;
                }
                if (j > next) {
                    name = template.substring(next, j);
                    next = j;
                }
            }
            if (name == null) {
                sb.append('$');
                i++;
                continue;
            }
            sb.append(group(m, name));
            i = next;
        }
        return sb.toString();
    }

    private static boolean isName(String s, int from, int to) {
        for (int k = from; k < to; k++) {
            if (!isNameChar(s.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNameChar(char c) {
        return c == '_' || Character.isLetterOrDigit(c);
    }

    private static String group(Matcher m, String name) {
        String g;
        if (name.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            int idx;
            try {
                idx = Integer.parseInt(name);
            } catch (NumberFormatException e) {
                return "";
            }
            if (idx > m.groupCount()) {
                return "";
            }
            g = m.group(idx);
        } else {
            try {
                g = m.group(name);
            } catch (IllegalArgumentException e) {
                return "";
            }
        }
        return g == null ? "" : g;
    }

    // label_join(v, dst, separator, src...)
    static void labelJoin(InstantCall call, StepVector out) {
        @SuppressWarnings("unchecked")
        Map<Labels, Labels> cache = (Map<Labels, Labels>) call.state;
        String dst = call.strings[1];
        String sep = call.strings[2];
        int nsrc = call.args.size() - 3;
        if (cache == null) {
            for (int k = 0; k < nsrc; k++) {
                if (!validLabelName(call.strings[3 + k])) {
                    throw new PromQLException.EvalException("invalid source label name in label_join(): " + call.strings[3 + k]);
                }
            }
            if (!validLabelName(dst)) {
                throw new PromQLException.EvalException("invalid destination label name in label_join(): " + dst);
            }
            cache = new HashMap<>();
            call.state = cache;
        }
        StepVector in = call.vectors[0];
        for (int i = 0; i < in.size(); i++) {
            Labels l = in.labels(i);
            Labels o = cache.get(l);
            if (o == null) {
                StringBuilder sb = new StringBuilder();
                for (int k = 0; k < nsrc; k++) {
                    if (k > 0) {
                        sb.append(sep);
                    }
                    sb.append(l.get(call.strings[3 + k]));
                }
                o = l.builder().set(dst, sb.toString()).build();
                cache.put(l, o);
            }
            out.add(o, in.value(i));
        }
    }
}
