package dev.sandglass.query.functions;

/** Parses floats as Go's strconv.ParseFloat does for label values such as {@code le="+Inf"}. */
public final class GoFloat {
    private GoFloat() {
    }

    /** @throws NumberFormatException when Go would reject the text */
    public static double parse(String s) {
        if (s.isEmpty()) {
            throw new NumberFormatException("empty");
        }
        String body = s;
        boolean negative = false;
        if (body.charAt(0) == '+' || body.charAt(0) == '-') {
            negative = body.charAt(0) == '-';
            body = body.substring(1);
        }
        String lower = body.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("inf") || lower.equals("infinity")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (lower.equals("nan")) {
            return Double.NaN;
        }
        // Java also takes surrounding blanks and d/f suffixes; Go does not.
        char last = s.charAt(s.length() - 1);
        if (Character.isWhitespace(s.charAt(0)) || Character.isWhitespace(last) || "dDfF".indexOf(last) >= 0 && !lower.startsWith("0x")) {
            throw new NumberFormatException(s);
        }
        return Double.parseDouble(s);
    }
}
