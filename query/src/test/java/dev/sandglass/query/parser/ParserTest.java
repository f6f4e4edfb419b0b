package dev.sandglass.query.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.query.ast.AggregateExpr;
import dev.sandglass.query.ast.AggregateOp;
import dev.sandglass.query.ast.AtModifier;
import dev.sandglass.query.ast.BinaryExpr;
import dev.sandglass.query.ast.BinaryOp;
import dev.sandglass.query.ast.Call;
import dev.sandglass.query.ast.Expr;
import dev.sandglass.query.ast.MatrixSelector;
import dev.sandglass.query.ast.NumberLiteral;
import dev.sandglass.query.ast.ParenExpr;
import dev.sandglass.query.ast.StringLiteral;
import dev.sandglass.query.ast.SubqueryExpr;
import dev.sandglass.query.ast.UnaryExpr;
import dev.sandglass.query.ast.VectorMatching;
import dev.sandglass.query.ast.VectorSelector;
import dev.sandglass.query.engine.PromQLException.ParseException;
import dev.sandglass.storage.api.Matcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParserTest {

    @Test
    void precedenceAndAssociativity() {
        // -2^2 is -(2^2): unary minus binds looser than ^, as in Prometheus.
        UnaryExpr neg = assertInstanceOf(UnaryExpr.class, Parser.parse("-foo ^ 2"));
        assertEquals(BinaryOp.POW, assertInstanceOf(BinaryExpr.class, neg.expr()).op());
        // ^ is right-associative.
        BinaryExpr pow = assertInstanceOf(BinaryExpr.class, Parser.parse("2 ^ 3 ^ 2"));
        assertInstanceOf(NumberLiteral.class, pow.lhs());
        assertInstanceOf(BinaryExpr.class, pow.rhs());
        // * before +, + before comparisons, and before or.
        BinaryExpr or = assertInstanceOf(BinaryExpr.class, Parser.parse("a + b * c > d and e or f"));
        assertEquals(BinaryOp.OR, or.op());
        BinaryExpr and = assertInstanceOf(BinaryExpr.class, or.lhs());
        assertEquals(BinaryOp.AND, and.op());
        BinaryExpr gt = assertInstanceOf(BinaryExpr.class, and.lhs());
        assertEquals(BinaryOp.GTR, gt.op());
        BinaryExpr add = assertInstanceOf(BinaryExpr.class, gt.lhs());
        assertEquals(BinaryOp.ADD, add.op());
        assertEquals(BinaryOp.MUL, assertInstanceOf(BinaryExpr.class, add.rhs()).op());
        // - is left-associative.
        BinaryExpr sub = assertInstanceOf(BinaryExpr.class, Parser.parse("a - b - c"));
        assertInstanceOf(BinaryExpr.class, sub.lhs());
        // unary minus at the level of *: (-a) * b.
        BinaryExpr mul = assertInstanceOf(BinaryExpr.class, Parser.parse("-a * b"));
        assertInstanceOf(UnaryExpr.class, mul.lhs());
    }

    @Test
    void numberLiteralsAndSignFolding() {
        assertEquals(-1.0, num("-1"));
        assertEquals(31.0, num("0x1f"));
        assertEquals(8.0, num("010"));
        assertEquals(0.2, num(".2"));
        assertEquals(2.0, num("2."));
        assertEquals(12340000.0, num("12.34e6"));
        assertEquals(Double.POSITIVE_INFINITY, num("+Inf"));
        assertEquals(Double.NEGATIVE_INFINITY, num("-inf"));
        assertTrue(Double.isNaN(num("nAn")));
        assertEquals(-2.0, num("- - -2"));
    }

    private static double num(String q) {
        return assertInstanceOf(NumberLiteral.class, Parser.parse(q)).value();
    }

    @Test
    void stringsWithEscapes() {
        assertEquals("a\nb\"c", assertInstanceOf(StringLiteral.class, Parser.parse("\"a\\nb\\\"c\"")).value());
        assertEquals("it's", assertInstanceOf(StringLiteral.class, Parser.parse("'it\\'s'")).value());
        assertEquals("raw\\n", assertInstanceOf(StringLiteral.class, Parser.parse("`raw\\n`")).value());
        assertEquals("\u00e9", assertInstanceOf(StringLiteral.class, Parser.parse("\"\\u00e9\"")).value());
    }

    @Test
    void selectorsAndModifiers() {
        VectorSelector vs = assertInstanceOf(VectorSelector.class,
                Parser.parse("http_requests{job=\"api\", path!=\"/\", code=~\"5..\", method!~'GET|HEAD',} offset -5m @ 100.5"));
        assertEquals("http_requests", vs.name());
        assertEquals(5, vs.matchers().size());
        assertEquals(Matcher.Type.NRE, vs.matchers().get(3).type());
        assertEquals(-300_000, vs.offsetMs());
        assertEquals(AtModifier.at(100_500), vs.at());

        MatrixSelector ms = assertInstanceOf(MatrixSelector.class, Parser.parse("rate_x:y[1h30m] @ end() offset 1d"));
        assertEquals(5_400_000, ms.rangeMs());
        assertEquals(86_400_000, ms.vector().offsetMs());
        assertEquals(AtModifier.Kind.END, ms.vector().at().kind());

        SubqueryExpr sq = assertInstanceOf(SubqueryExpr.class, Parser.parse("rate(x[5m])[1h:] offset 10m"));
        assertEquals(3_600_000, sq.rangeMs());
        assertEquals(0, sq.stepMs());
        assertEquals(600_000, sq.offsetMs());
        SubqueryExpr sq2 = assertInstanceOf(SubqueryExpr.class, Parser.parse("(x)[30m:1m]"));
        assertEquals(60_000, sq2.stepMs());
        assertInstanceOf(ParenExpr.class, sq2.expr());

        // keywords as label names and metric names where Prometheus allows them
        VectorSelector kw = assertInstanceOf(VectorSelector.class, Parser.parse("{__name__=\"x\", on=\"1\", by=\"2\", bool=\"3\", nan=\"4\"}"));
        assertNull(kw.name());
        assertEquals(5, kw.matchers().size());
        assertEquals("sum", assertInstanceOf(VectorSelector.class, Parser.parse("sum{a=\"b\"}")).name());
    }

    @Test
    void aggregationsAndMatching() {
        AggregateExpr a = assertInstanceOf(AggregateExpr.class, Parser.parse("sum without (instance) (rate(x[5m]))"));
        assertEquals(AggregateOp.SUM, a.op());
        assertTrue(a.without());
        assertEquals(List.of("instance"), a.grouping());
        AggregateExpr b = assertInstanceOf(AggregateExpr.class, Parser.parse("topk(3, x) by (job, on)"));
        assertEquals(AggregateOp.TOPK, b.op());
        assertEquals(List.of("job", "on"), b.grouping());
        assertEquals(3.0, assertInstanceOf(NumberLiteral.class, b.param()).value());
        AggregateExpr c = assertInstanceOf(AggregateExpr.class, Parser.parse("COUNT_VALUES(\"v\", x)"));
        assertEquals(AggregateOp.COUNT_VALUES, c.op());

        BinaryExpr m = assertInstanceOf(BinaryExpr.class, Parser.parse("a * on(job) group_left(instance) b"));
        assertEquals(new VectorMatching(VectorMatching.Cardinality.MANY_TO_ONE, List.of("job"), true, List.of("instance")), m.matching());
        BinaryExpr set = assertInstanceOf(BinaryExpr.class, Parser.parse("a and ignoring(x) b"));
        assertEquals(VectorMatching.Cardinality.MANY_TO_MANY, set.matching().cardinality());
        BinaryExpr cmp = assertInstanceOf(BinaryExpr.class, Parser.parse("a > bool 1"));
        assertTrue(cmp.returnBool());
        assertNull(cmp.matching());
        Call call = assertInstanceOf(Call.class, Parser.parse("label_join(x, \"d\", \",\", \"a\", \"b\")"));
        assertEquals(5, call.args().size());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "rate(x[5m], 1)| 1:1 | expected 1 argument(s) in call to \"rate\", got 2",
        "rate(x)| 1:6 | expected type range vector in call to function \"rate\", got instant vector",
        "foo(x)| 1:1 | unknown function with name \"foo\"",
        "{}| 1:1 | vector selector must contain at least one non-empty matcher",
        "{a=~\".*\"}| 1:1 | vector selector must contain at least one non-empty matcher",
        "x{__name__=\"y\"}| 1:1 | metric name must not be set twice",
        "1 > 2| 1:3 | comparisons between scalars must use BOOL modifier",
        "a + bool b| 1:3 | bool modifier can only be used on comparison operators",
        "1 and x| 1:3 | set operator \"and\" not allowed in binary scalar expression",
        "a and on(x) group_left b| 1:1 | no grouping allowed for \"and\" operation",
        "a + on(x) group_left(x) b| 1:3 | must not occur in ON and GROUP clause at once",
        "(x)[5m]| 1:4 | ranges only allowed for vector selectors",
        "x offset 5m [5m]| 1:13 | no offset modifiers allowed before range",
        "sum(x) offset 5m| 1:8 | offset modifier must be preceded by",
        "x offset 1m offset 2m| 1:13 | offset may not be set multiple times",
        "x @ 1 @ 2| 1:7 | @ <timestamp> may not be set multiple times",
        "sum(x, y)| 1:1 | wrong number of arguments for aggregate expression provided, expected 1, got 2",
        "topk(x)| 1:1 | wrong number of arguments",
        "sum(rate(x[5m])[5m])| 1:16 | ranges only allowed for vector selectors",
        "rate(x[5m])[1h:1m] + 1| 1:1 | binary expression must contain only scalar and instant vector types",
        "-x[5m]| 1:1 | unary expression only allowed on expressions of type scalar or instant vector",
        "x[5m][1h:]| 1:1 | subquery is only allowed on instant vector, got matrix",
        "sum(x| 1:6 | unexpected end of input",
        "x{a=\"b\"| 1:8 | unexpected end of input",
        "(1 + 2| 1:7 | unexpected end of input",
        "1 +| 1:4 | unexpected end of input",
        "x[5]| 1:3 | unexpected number \"5\"",
        "x{a=\"unclosed}| 1:5 | unterminated quoted string",
        "x $ y| 1:3 | unexpected character '$'",
        "x[1m5h]| 1:3 | not a valid duration string",
        "x{a=~\"(\"}| 1:3 | invalid regular expression",
        "\"\\q\"| 1:1 | error unquoting string",
        "sum by (a:b) (x)| 1:9 | unexpected",
        "| 1:1 | no expression found in input",
    })
    void invalidQueries(String query, String position, String message) {
        ParseException e = assertThrows(ParseException.class, () -> Parser.parse(query == null ? "" : query));
        assertTrue(e.getMessage().startsWith(position.trim() + ": parse error: "), () -> "got " + e.getMessage());
        assertTrue(e.getMessage().contains(message.trim()), () -> "got " + e.getMessage());
    }

    @Test
    void everyCorpusExpressionParses() throws IOException {
        Path dir = corpus();
        List<String> failures = new ArrayList<>();
        int parsed = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".test")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    String l = lines.get(i).trim();
                    if (!l.startsWith("eval ") && !l.startsWith("eval_ordered ")) {
                        continue;
                    }
                    String rest = l.substring(l.indexOf(' ') + 1).trim();
                    rest = rest.substring("instant ".length()).trim();
                    if (rest.startsWith("at ")) {
                        rest = rest.substring(3).trim();
                        rest = rest.substring(rest.indexOf(' ') + 1);
                    }
                    try {
                        Expr e = Parser.parse(rest);
                        assertTrue(e != null);
                        parsed++;
                    } catch (ParseException e) {
                        failures.add(f.getFileName() + ":" + (i + 1) + " " + rest + " -> " + e.getMessage());
                    }
                }
            }
        }
        assertEquals(List.of(), failures);
        assertTrue(parsed > 400, "parsed only " + parsed);
    }

    static Path corpus() {
        String override = System.getProperty("promql.testdata");
        if (override != null) {
            return Path.of(override);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("shared/promql-testdata");
            if (Files.isDirectory(c)) {
                return c;
            }
        }
        throw new IllegalStateException("shared/promql-testdata not found above " + Path.of("").toAbsolutePath());
    }
}
