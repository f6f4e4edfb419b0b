package dev.sandglass.query.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelFunctionsTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // template | want, for regex (?<name>a)(b) on "ab" (Go's regexp.Expand semantics)
        "$1|a",
        "${2}x|bx",
        "$2x|",
        "$$1|$1",
        "$name-$1|a-a",
        "${name}|a",
        "$9|",
        "x$|x$",
        "${|${",
        "value-$1$2|value-ab",
    })
    void expandsLikeGo(String template, String want) {
        Matcher m = Pattern.compile("^(?:(?<name>a)(b))$").matcher("ab");
        m.matches();
        assertEquals(want == null ? "" : want, LabelFunctions.expand(template, m));
    }

    @ParameterizedTest
    @CsvSource({"+Inf,Infinity", "-inf,-Infinity", "1e3,1000", "0.5,0.5", "NaN,NaN", "0x1p-2,0.25"})
    void parsesLikeGo(String text, double want) {
        assertEquals(want, GoFloat.parse(text));
    }

    @ParameterizedTest
    @CsvSource({"1d", "' 1'", "abc", "1f"})
    void rejectsWhatGoRejects(String text) {
        assertThrows(NumberFormatException.class, () -> GoFloat.parse(text));
    }
}
