package dev.sandglass.query.engine;

import dev.sandglass.storage.api.Labels;

/** Prometheus's labels.String() form for error messages: {@code {__name__="up", job="api"}}, values Go-quoted. */
final class LabelText {
    private LabelText() {
    }

    static String of(Labels l) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < l.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(l.name(i)).append('=');
            quote(l.value(i), sb);
        }
        return sb.append('}').toString();
    }

    private static void quote(String v, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
        sb.append('"');
    }
}
