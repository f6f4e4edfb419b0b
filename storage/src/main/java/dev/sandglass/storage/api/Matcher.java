package dev.sandglass.storage.api;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A label matcher: {@code =}, {@code !=}, {@code =~}, {@code !~}. Regular expressions are fully
 * anchored, as in Prometheus. A missing label matches as the empty string.
 */
public final class Matcher {
    public enum Type {
        EQ("="), NEQ("!="), RE("=~"), NRE("!~");

        private final String symbol;

        Type(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    private final Type type;
    private final String name;
    private final String value;
    private final Pattern pattern;

    /** @throws IllegalArgumentException when a regex does not compile, with the reason */
    public Matcher(Type type, String name, String value) {
        this.type = type;
        this.name = name;
        this.value = value;
        if (type == Type.RE || type == Type.NRE) {
            try {
                this.pattern = Pattern.compile("^(?:" + value + ")$", Pattern.DOTALL);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("invalid regular expression " + quote(value) + ": " + e.getDescription(), e);
            }
        } else {
            this.pattern = null;
        }
    }

    public static Matcher eq(String name, String value) {
        return new Matcher(Type.EQ, name, value);
    }

    public Type type() {
        return type;
    }

    public String name() {
        return name;
    }

    public String value() {
        return value;
    }

    public boolean matches(String v) {
        return switch (type) {
            case EQ -> value.equals(v);
            case NEQ -> !value.equals(v);
            case RE -> pattern.matcher(v).matches();
            case NRE -> !pattern.matcher(v).matches();
        };
    }

    /** True when the matcher accepts a series that lacks this label. */
    public boolean matchesEmpty() {
        return matches("");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Matcher m && m.type == type && m.name.equals(name) && m.value.equals(value);
    }

    @Override
    public int hashCode() {
        return (type.hashCode() * 31 + name.hashCode()) * 31 + value.hashCode();
    }

    @Override
    public String toString() {
        return name + type.symbol + quote(value);
    }

    private static String quote(String v) {
        StringBuilder sb = new StringBuilder("\"");
        Labels.escape(v, sb);
        return sb.append('"').toString();
    }
}
