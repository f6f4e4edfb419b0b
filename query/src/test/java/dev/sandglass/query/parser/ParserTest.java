package dev.sandglass.query.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.query.ast.AggregateExpr;
import dev.sandglass.query.ast.BinaryExpr;
import dev.sandglass.query.ast.Expr;
import dev.sandglass.query.ast.NumberLiteral;
import dev.sandglass.query.ast.ValueType;
import dev.sandglass.query.ast.VectorMatching;
import dev.sandglass.query.ast.VectorSelector;
import dev.sandglass.query.engine.PromQLException.ParseException;
import dev.sandglass.storage.api.Matcher;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Valid expressions and the AST they give (rendered by {@link AstPrinter}); see ParserErrorTest for invalid ones. */
class ParserTest {
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            # literals
            1                      | 1
            -1                     | -1
            +1                     | 1
            - - 1                  | 1
            -(1)                   | (-paren(1))
            0x1f                   | 31
            0X1F                   | 31
            1e3                    | 1000
            1.5e-3                 | 0.0015
            .5                     | 0.5
            5.                     | 5
            010                    | 8
            09                     | 9
            Inf                    | Infinity
            -inf                   | -Infinity
            NaN                    | NaN
            ~"a\\nb\\t\\"c\\""~    | "a\\nb\t\\"c\\""
            'it\\'s'               | "it's"
            `raw\\n`               | "raw\\\\n"
            ~"\\x41\\u00e9\\101\\U0001F600"~ | "AéA😀"
            # precedence and associativity
            -2^2                   | (-(2 ^ 2))
            2^3^2                  | (2 ^ (3 ^ 2))
            -2^-3                  | (-(2 ^ -3))
            -2^---1*3              | ((-(2 ^ -1)) * 3)
            1 - 2 - 3              | ((1 - 2) - 3)
            1 + 2 * 3              | (1 + (2 * 3))
            1 * 2 + 3              | ((1 * 2) + 3)
            8 / 4 / 2              | ((8 / 4) / 2)
            7 % 4 * 2              | ((7 % 4) * 2)
            2 atan2 3 * 4          | ((2 atan2 3) * 4)
            1 + 2 > bool 3         | ((1 + 2) > bool 3)
            1 < bool 2 == bool 0   | ((1 < bool 2) == bool 0)
            a or b and c           | (a{__name__="a"} or {n:n ignoring()} (b{__name__="b"} and {n:n ignoring()} c{__name__="c"}))
            a and b unless c       | ((a{__name__="a"} and {n:n ignoring()} b{__name__="b"}) unless {n:n ignoring()} c{__name__="c"})
            a > b and c            | ((a{__name__="a"} > {1:1 ignoring()} b{__name__="b"}) and {n:n ignoring()} c{__name__="c"})
            a + b >= c             | ((a{__name__="a"} + {1:1 ignoring()} b{__name__="b"}) >= {1:1 ignoring()} c{__name__="c"})
            -a * b                 | ((-a{__name__="a"}) * {1:1 ignoring()} b{__name__="b"})
            -a offset 5m           | (-a{__name__="a"} offset 300000)
            a + b offset 1m        | (a{__name__="a"} + {1:1 ignoring()} b{__name__="b"} offset 60000)
            1 + a                  | (1 + a{__name__="a"})
            a - 1                  | (a{__name__="a"} - 1)
            # vector matching
            a * on(x, y) group_left(z) b       | (a{__name__="a"} * {n:1 on(x,y) include(z)} b{__name__="b"})
            a / ignoring(x) group_right b      | (a{__name__="a"} / {1:n ignoring(x)} b{__name__="b"})
            a * ignoring(x) group_left(x) b    | (a{__name__="a"} * {n:1 ignoring(x) include(x)} b{__name__="b"})
            a + on() b                         | (a{__name__="a"} + {1:1 on()} b{__name__="b"})
            a > bool on(x) b                   | (a{__name__="a"} > bool {1:1 on(x)} b{__name__="b"})
            a unless ignoring(x) b             | (a{__name__="a"} unless {n:n ignoring(x)} b{__name__="b"})
            1 + on() group_left a              | (1 + a{__name__="a"})
            # selectors and modifiers
            foo                            | foo{__name__="foo"}
            foo:bar:baz                    | foo:bar:baz{__name__="foo:bar:baz"}
            ~foo{a="b", c!="d",}~          | foo{__name__="foo",a="b",c!="d"}
            ~{a!=""}~                      | {a!=""}
            ~foo{by="x", on="y", sum="z"}~ | foo{__name__="foo",by="x",on="y",sum="z"}
            sum                            | sum{__name__="sum"}
            ~sum{job="a"}~                 | sum{__name__="sum",job="a"}
            sum(sum)                       | sum(sum{__name__="sum"})
            foo and and                    | (foo{__name__="foo"} and {n:n ignoring()} and{__name__="and"})
            foo offset -5m @ 100.5         | foo{__name__="foo"} offset -300000 @ 100500
            foo @ 100.5 offset 5m          | foo{__name__="foo"} offset 300000 @ 100500
            foo @ -1                       | foo{__name__="foo"} @ -1000
            foo @ +0.0005                  | foo{__name__="foo"} @ 1
            foo @ -0.0005                  | foo{__name__="foo"} @ -1
            foo @ 0x10                     | foo{__name__="foo"} @ 16000
            foo @ start()                  | foo{__name__="foo"} @ start()
            foo[5m] @ end()                | foo{__name__="foo"}[300000] @ end()
            foo[5m] offset 1m @ 10         | foo{__name__="foo"}[300000] offset 60000 @ 10000
            foo[1h30m]                     | foo{__name__="foo"}[5400000]
            foo[100ms]                     | foo{__name__="foo"}[100]
            foo[1d]                        | foo{__name__="foo"}[86400000]
            foo[2w]                        | foo{__name__="foo"}[1209600000]
            foo[1y]                        | foo{__name__="foo"}[31536000000]
            foo[1y2w3d4h5m6s7ms]           | foo{__name__="foo"}[33019506007]
            foo[ 5m ]                      | foo{__name__="foo"}[300000]
            # subqueries
            foo[5m:]                       | foo{__name__="foo"}[300000:0]
            foo[5m:1m]                     | foo{__name__="foo"}[300000:60000]
            foo[1h:5m] offset 10m @ 50     | foo{__name__="foo"}[3600000:300000] offset 600000 @ 50000
            foo[1h:5m] @ 50 offset -10m    | foo{__name__="foo"}[3600000:300000] offset -600000 @ 50000
            rate(foo[5m])[30m:1m]          | rate(foo{__name__="foo"}[300000])[1800000:60000]
            (foo)[5m:]                     | paren(foo{__name__="foo"})[300000:0]
            min_over_time(rate(foo[1m])[5m:])[1h:10m] | min_over_time(rate(foo{__name__="foo"}[60000])[300000:0])[3600000:600000]
            # aggregations
            sum by (job) (foo)             | sum by(job)(foo{__name__="foo"})
            sum(foo) by (job)              | sum by(job)(foo{__name__="foo"})
            SUM(foo) BY (job)              | sum by(job)(foo{__name__="foo"})
            sum without (a, b) (foo)       | sum without(a,b)(foo{__name__="foo"})
            sum(foo) without ()            | sum without()(foo{__name__="foo"})
            sum by () (foo)                | sum(foo{__name__="foo"})
            sum by (a,) (foo)              | sum by(a)(foo{__name__="foo"})
            sum by (by, on, offset, sum, bool, group_left) (foo) | sum by(by,on,offset,sum,bool,group_left)(foo{__name__="foo"})
            ~count_values("v", foo)~       | count_values("v", foo{__name__="foo"})
            topk(3, foo)                   | topk(3, foo{__name__="foo"})
            bottomk by (a) (1+1, foo)      | bottomk by(a)((1 + 1), foo{__name__="foo"})
            quantile(0.9, foo)             | quantile(0.9, foo{__name__="foo"})
            avg(foo) + min(foo) * max(foo) | (avg(foo{__name__="foo"}) + {1:1 ignoring()} (min(foo{__name__="foo"}) * {1:1 ignoring()} max(foo{__name__="foo"})))
            group(foo) or stddev(foo) or stdvar(foo) | ((group(foo{__name__="foo"}) or {n:n ignoring()} stddev(foo{__name__="foo"})) or {n:n ignoring()} stdvar(foo{__name__="foo"}))
            # functions
            time()                         | time()
            pi() * 2                       | (pi() * 2)
            round(foo)                     | round(foo{__name__="foo"})
            round(foo, 5)                  | round(foo{__name__="foo"}, 5)
            ~label_join(foo, "a", ",", "b", "c", "d")~ | label_join(foo{__name__="foo"}, "a", ",", "b", "c", "d")
            ~label_join(foo, "a", ",")~    | label_join(foo{__name__="foo"}, "a", ",")
            day_of_week()                  | day_of_week()
            histogram_quantile(0.9, rate(foo[5m])) | histogram_quantile(0.9, rate(foo{__name__="foo"}[300000]))
            vector(1)                      | vector(1)
            scalar(foo) + 1                | (scalar(foo{__name__="foo"}) + 1)
            holt_winters(foo[1h], 0.5, 0.1) | holt_winters(foo{__name__="foo"}[3600000], 0.5, 0.1)
            ~absent(nonexistent{job="x"})~ | absent(nonexistent{__name__="nonexistent",job="x"})
            # comments and layout
            ~foo # a comment~              | foo{__name__="foo"}
            """)
    void parses(String query, String want) {
        assertEquals(want, AstPrinter.print(Parser.parse(query)), query);
    }

    @Test
    void multiLineQueriesAndComments() {
        assertEquals("(foo{__name__=\"foo\"} + {1:1 ignoring()} bar{__name__=\"bar\"})",
                AstPrinter.print(Parser.parse("foo # first\n  + # second\n bar\n")));
        assertEquals("sum by(job)(foo{__name__=\"foo\"})", AstPrinter.print(Parser.parse("sum by (\n  job\n) (\n  foo\n)")));
    }

    @Test
    void nameMatcherComesFirstAndKeepsWrittenOrder() {
        VectorSelector vs = (VectorSelector) Parser.parse("foo{b=\"2\", a=\"1\"}");
        assertEquals("foo", vs.name());
        assertEquals(List.of(Matcher.eq("__name__", "foo"), Matcher.eq("b", "2"), Matcher.eq("a", "1")), vs.matchers());
        VectorSelector regex = (VectorSelector) Parser.parse("{__name__=~\"foo|bar\", a!~\"x|y\", b!=\"\",}");
        assertEquals(List.of(new Matcher(Matcher.Type.RE, "__name__", "foo|bar"), new Matcher(Matcher.Type.NRE, "a", "x|y"),
                new Matcher(Matcher.Type.NEQ, "b", "")), regex.matchers());
        VectorSelector unnamed = (VectorSelector) Parser.parse("{a=\"1\"}");
        assertNull(unnamed.name());
        assertEquals(List.of(Matcher.eq("a", "1")), unnamed.matchers());
    }

    @Test
    void unaryMinusFoldsIntoNumbers() {
        assertEquals(new NumberLiteral(-1), Parser.parse("-1"));
        assertEquals(new NumberLiteral(-2.5), Parser.parse("- +2.5"));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(((NumberLiteral) Parser.parse("-0")).value()));
    }

    @Test
    void vectorMatchingOnlyBetweenVectors() {
        BinaryExpr scalarSide = (BinaryExpr) Parser.parse("2 * foo");
        assertNull(scalarSide.matching());
        assertEquals(ValueType.VECTOR, scalarSide.type());
        BinaryExpr bothScalar = (BinaryExpr) Parser.parse("2 * time()");
        assertNull(bothScalar.matching());
        assertEquals(ValueType.SCALAR, bothScalar.type());
        assertEquals(ValueType.SCALAR, Parser.parse("(1 > bool 2)").type());
        BinaryExpr set = (BinaryExpr) Parser.parse("a or b");
        assertEquals(new VectorMatching(VectorMatching.Cardinality.MANY_TO_MANY, List.of(), false, List.of()), set.matching());
        BinaryExpr vectors = (BinaryExpr) Parser.parse("sum(a) > on(x) group_left(y) b");
        assertEquals(new VectorMatching(VectorMatching.Cardinality.MANY_TO_ONE, List.of("x"), true, List.of("y")), vectors.matching());
        assertEquals(ValueType.VECTOR, vectors.type());
    }

    @Test
    void aggregationParameterAndGrouping() {
        AggregateExpr a = (AggregateExpr) Parser.parse("topk without (a) (5, foo)");
        assertEquals(new NumberLiteral(5), a.param());
        assertEquals(List.of("a"), a.grouping());
        assertTrue(a.without());
        AggregateExpr plain = (AggregateExpr) Parser.parse("sum(foo)");
        assertNull(plain.param());
        assertEquals(List.of(), plain.grouping());
        assertEquals(false, plain.without());
    }

    @Test
    void everyKindOfExprHasTheRightType() {
        assertEquals(ValueType.MATRIX, Parser.parse("foo[5m]").type());
        assertEquals(ValueType.MATRIX, Parser.parse("foo[5m:]").type());
        assertEquals(ValueType.STRING, Parser.parse("\"x\"").type());
        assertEquals(ValueType.SCALAR, Parser.parse("scalar(foo)").type());
        assertEquals(ValueType.VECTOR, Parser.parse("-foo").type());
        assertEquals(ValueType.SCALAR, Parser.parse("-(time())").type());
    }

    @Test
    void longFlatExpressionsParse() {
        Expr e = Parser.parse("1" + " + 1".repeat(5000));
        assertTrue(e instanceof BinaryExpr);
        ParseException err = assertThrows(ParseException.class,
                () -> Parser.parse("(" + "-{}-1".repeat(2000) + ")" + "[1m:]".repeat(100)));
        assertEquals("1:3: parse error: vector selector must contain at least one non-empty matcher", err.getMessage());
    }
}
