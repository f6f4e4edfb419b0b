package dev.sandglass.query.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.query.engine.PromQLException.ParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Invalid expressions: the position (line:col, 1-based) and the message, as Prometheus 2.42 reports them. */
class ParserErrorTest {
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '^', textBlock = """
            # lexical and syntax errors
            ^^                        | 1:1  | no expression found in input
            ^# only a comment^        | 1:1  | no expression found in input
            sum(foo                   | 1:8  | unexpected end of input: unclosed left parenthesis (opened at 1:4)
            ^foo{a="b"^               | 1:10 | unexpected end of input inside braces
            foo[5m                    | 1:7  | unexpected end of input: unclosed left bracket (opened at 1:4)
            (1))                      | 1:4  | unexpected right parenthesis ")"
            ^foo{a="b"}}^             | 1:11 | unexpected right brace "}"
            foo]                      | 1:4  | unexpected right bracket "]"
            foo bar                   | 1:5  | unexpected identifier "bar"
            ^"abc^                    | 1:1  | unterminated quoted string
            ^'abc\\'^                 | 1:1  | unterminated quoted string
            `abc                      | 1:1  | unterminated raw string
            1 +                       | 1:4  | unexpected end of input
            5m                        | 1:1  | unexpected duration "5m"
            a = b                     | 1:3  | unexpected "="
            !                         | 1:1  | unexpected character "!"
            foo * group_left(x) bar   | 1:7  | unexpected keyword "group_left"
            a - on(b) ignoring(c) d   | 1:11 | unexpected keyword "ignoring"
            ^foo{a=b}^                | 1:7  | unexpected identifier "b" in label matching, expected string
            ^foo{a}^                  | 1:6  | unexpected right brace "}" in label matching, expected label matching operator
            ^foo{,}^                  | 1:5  | unexpected comma "," in label matching, expected identifier or "}"
            ^foo{a="b",,}^            | 1:11 | unexpected comma "," in label matching, expected identifier or "}"
            ^foo{a="b" c="d"}^        | 1:11 | unexpected identifier "c" in label matching, expected "," or "}"
            ^foo{a:b="c"}^            | 1:6  | unexpected character ":"
            sum(foo) by               | 1:12 | unexpected end of input in grouping opts, expected "("
            sum(foo) by (1)           | 1:14 | unexpected number "1" in grouping opts, expected label
            sum(foo) by (a:b)         | 1:14 | unexpected metric identifier "a:b" in grouping opts, expected label
            MIN keep_common (foo)     | 1:5  | unexpected identifier "keep_common"
            sum(foo) without (a) by (b) | 1:22 | unexpected keyword "by"
            topk(a,)                  | 1:7  | trailing commas not allowed in function call args
            foo offset 5              | 1:12 | unexpected number "5" in offset, expected duration
            foo @ bar                 | 1:7  | unexpected identifier "bar" in @, expected timestamp
            foo @ 5m                  | 1:7  | unexpected duration "5m" in @, expected timestamp
            foo[5]                    | 1:5  | unexpected number "5"
            foo[5m:1m:]               | 1:10 | unexpected colon ":"
            ^foo +\\n  bar baz^       | 2:7  | unexpected identifier "baz"
            start()                   | 1:6  | unexpected left parenthesis "("
            # numbers, strings and durations
            0deadbeef                 | 1:1  | bad number or duration syntax: "0deadbeef"
            1e999                     | 1:1  | error parsing number
            foo[1.5m]                 | 1:5  | bad number or duration syntax: "1.5m"
            foo[5mm]                  | 1:5  | bad number or duration syntax: "5mm"
            foo[5m1h]                 | 1:5  | not a valid duration string: "5m1h"
            foo[1h1h]                 | 1:5  | not a valid duration string: "1h1h"
            foo[106751991167301d]     | 1:5  | duration out of range
            foo[0s]                   | 1:5  | duration must be greater than 0
            foo[5m:0s]                | 1:8  | duration must be greater than 0
            foo offset 0s             | 1:12 | duration must be greater than 0
            ^foo{a="\\c"}^            | 1:7  | unknown escape sequence
            ^"\\xZZ"^                 | 1:1  | invalid hex digit
            ^'\\"'^                   | 1:1  | unknown escape sequence
            # functions and aggregations
            foo(1)                    | 1:1  | unknown function with name "foo"
            rate(foo[5m], 1)          | 1:1  | expected 1 argument(s) in call to "rate", got 2
            rate(foo)                 | 1:6  | expected type range vector in call to function "rate", got instant vector
            round()                   | 1:1  | expected at least 1 argument(s) in call to "round", got 0
            round(a, 1, 2)            | 1:1  | expected at most 2 argument(s) in call to "round", got 3
            ^label_join(a, "b")^      | 1:1  | expected at least 3 argument(s) in call to "label_join", got 2
            ^label_join(a, "b", "c", 1)^ | 1:25 | expected type string in call to function "label_join", got scalar
            time(1)                   | 1:1  | expected 0 argument(s) in call to "time", got 1
            ^abs("x")^                | 1:5  | expected type instant vector in call to function "abs", got string
            histogram_quantile(foo, bar) | 1:20 | expected type scalar in call to function "histogram_quantile", got instant vector
            abs(rate(foo))            | 1:10 | expected type range vector in call to function "rate", got instant vector
            topk(foo, bar)            | 1:6  | expected type scalar in aggregation parameter, got instant vector
            count_values(1, foo)      | 1:14 | expected type string in aggregation parameter, got scalar
            sum(1)                    | 1:5  | expected type instant vector in aggregation expression, got scalar
            sum(foo[5m])              | 1:5  | expected type instant vector in aggregation expression, got range vector
            sum(a, b)                 | 1:1  | wrong number of arguments for aggregate expression provided, expected 1, got 2
            topk(a)                   | 1:1  | wrong number of arguments for aggregate expression provided, expected 2, got 1
            sum()                     | 1:1  | no arguments for aggregate expression provided
            # operators
            1 and 2                   | 1:1  | set operator "and" not allowed in binary scalar expression
            foo or 1                  | 1:1  | set operator "or" not allowed in binary scalar expression
            1 == 1                    | 1:3  | comparisons between scalars must use BOOL modifier
            a + bool b                | 1:3  | bool modifier can only be used on comparison operators
            1 + on(x) a               | 1:1  | vector matching only allowed between instant vectors
            a and on(x) group_left b  | 1:1  | no grouping allowed for "and" operation
            a or ignoring(x) group_right(y) b | 1:1 | no grouping allowed for "or" operation
            a * on(x) group_left(x) b | 1:3  | label "x" must not occur in ON and GROUP clause at once
            foo[5m] + 1               | 1:1  | binary expression must contain only scalar and instant vector types
            1 + foo[5m]               | 1:5  | binary expression must contain only scalar and instant vector types
            ^"a" + 1^                 | 1:1  | binary expression must contain only scalar and instant vector types
            -foo[5m]                  | 1:1  | unary expression only allowed on expressions of type scalar or instant vector, got "range vector"
            ^-"a"^                    | 1:1  | unary expression only allowed on expressions of type scalar or instant vector, got "string"
            # selectors and modifiers
            {}                        | 1:1  | vector selector must contain at least one non-empty matcher
            ^{a=""}^                  | 1:1  | vector selector must contain at least one non-empty matcher
            ^x + {a="", b!="c"}^      | 1:5  | vector selector must contain at least one non-empty matcher
            ^foo{__name__="bar"}^     | 1:1  | metric name must not be set twice: "foo" or "bar"
            (foo)[5m]                 | 1:6  | ranges only allowed for vector selectors
            rate(foo[5m])[5m]         | 1:14 | ranges only allowed for vector selectors
            foo[5m:1m][1m]            | 1:11 | ranges only allowed for vector selectors
            foo offset 5m[5m]         | 1:14 | no offset modifiers allowed before range
            foo @ 1[5m]               | 1:8  | no @ modifiers allowed before range
            foo[5m][1m:]              | 1:1  | subquery is only allowed on instant vector, got matrix
            ^"x"[1m:]^                | 1:1  | subquery is only allowed on instant vector, got string
            foo offset 1m offset 2m   | 1:1  | offset may not be set multiple times
            foo[1m:] offset 1m offset 2m | 1:1 | offset may not be set multiple times
            foo @ 1 @ 2               | 1:1  | @ <timestamp> may not be set multiple times
            foo @ start() @ end()     | 1:1  | @ <timestamp> may not be set multiple times
            (foo) offset 5m           | 1:1  | offset modifier must be preceded by an instant vector selector or range vector selector or a subquery
            sum(foo) @ 100            | 1:1  | @ modifier must be preceded by an instant vector selector or range vector selector or a subquery
            1 @ 100                   | 1:1  | @ modifier must be preceded by an instant vector selector or range vector selector or a subquery
            foo @ Inf                 | 1:1  | timestamp out of bounds for @ modifier: +Inf
            foo @ -Inf                | 1:1  | timestamp out of bounds for @ modifier: -Inf
            foo @ NaN                 | 1:1  | timestamp out of bounds for @ modifier: NaN
            foo @ 1e300               | 1:1  | timestamp out of bounds for @ modifier
            """)
    void rejects(String query, String position, String message) {
        String q = query == null ? "" : query.replace("\\n", "\n");
        ParseException e = assertThrows(ParseException.class, () -> Parser.parse(q), q);
        assertEquals(position, e.line() + ":" + e.column(), e.getMessage());
        assertTrue(e.getMessage().startsWith(position + ": parse error: " + message), e.getMessage());
    }

    @Test
    void badRegexIsAParseErrorAtTheMatcher() {
        ParseException e = assertThrows(ParseException.class, () -> Parser.parse("foo{a=~\"(\"}"));
        assertEquals("1:5", e.line() + ":" + e.column());
        assertTrue(e.getMessage().contains("invalid regular expression"), e.getMessage());
        assertThrows(ParseException.class, () -> Parser.parse("{a!~\".+\"}"));
        assertThrows(ParseException.class, () -> Parser.parse("{a=~\".*\"}"));
    }

    @Test
    void messagesNeverLeakAntlrWording() {
        for (String q : new String[] {"sum(", "foo{", "foo[", "a +* b", "foo[5m", "((a)", "a b c", "sum by", "@", ",", "foo{a=}"}) {
            ParseException e = assertThrows(ParseException.class, () -> Parser.parse(q), q);
            assertFalse(e.getMessage().contains("mismatched") || e.getMessage().contains("extraneous")
                    || e.getMessage().contains("no viable") || e.getMessage().contains("<EOF>"), e.getMessage());
        }
    }
}
