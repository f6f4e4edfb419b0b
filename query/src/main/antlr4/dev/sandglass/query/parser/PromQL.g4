// PromQL 2.42 syntax. Alternatives of `expr` are listed from the tightest binding to the loosest,
// matching Prometheus's yacc precedence: postfix [range], [range:step], offset and @ first; '^'
// right-associative; unary +/- below '^' and above '*'; then * / % atan2; + -; comparisons;
// and/unless; or. Semantic checks live in the AstBuilder and TypeChecker, not here.
parser grammar PromQL;

options { tokenVocab = PromQLLexer; }

// Our entry class dev.sandglass.query.parser.Parser shares the package; name ANTLR's base class explicitly.
@header { import org.antlr.v4.runtime.Parser; }

query : expr EOF ;

expr
    : expr LEFT_BRACKET range=DURATION RIGHT_BRACKET                                    # matrixExpr
    | expr LEFT_BRACKET range=DURATION COLON step=DURATION? RIGHT_BRACKET               # subqueryExpr
    | expr OFFSET SUB? DURATION                                                         # offsetExpr
    | expr AT atValue                                                                   # atExpr
    | <assoc=right> expr op=POW binModifier expr                                        # binaryExpr
    | op=(ADD | SUB) expr                                                               # unaryExpr
    | expr op=(MUL | DIV | MOD | ATAN2) binModifier expr                                # binaryExpr
    | expr op=(ADD | SUB) binModifier expr                                              # binaryExpr
    | expr op=(EQLC | NEQ | LTE | LSS | GTE | GTR) binModifier expr                     # binaryExpr
    | expr op=(AND | UNLESS) binModifier expr                                           # binaryExpr
    | expr op=OR binModifier expr                                                       # binaryExpr
    | aggregation                                                                       # aggregationExpr
    | functionCall                                                                      # callExpr
    | vectorSelector                                                                    # selectorExpr
    | NUMBER                                                                            # numberExpr
    | STRING                                                                            # stringExpr
    | LEFT_PAREN expr RIGHT_PAREN                                                       # parenExpr
    ;

atValue
    : sign=(ADD | SUB)? NUMBER
    | (START | END) LEFT_PAREN RIGHT_PAREN
    ;

binModifier
    : BOOL? (matchKind=(ON | IGNORING) matchLabels=groupingLabels
             (groupKind=(GROUP_LEFT | GROUP_RIGHT) include=groupingLabels?)?)?
    ;

aggregation
    : aggregateOp grouping functionArgs
    | aggregateOp functionArgs grouping?
    ;

aggregateOp
    : SUM | AVG | COUNT | MIN | MAX | GROUP | STDDEV | STDVAR | TOPK | BOTTOMK | COUNT_VALUES | QUANTILE
    ;

grouping : (BY | WITHOUT) groupingLabels ;

groupingLabels : LEFT_PAREN (labelName (COMMA labelName)* COMMA?)? RIGHT_PAREN ;

// Outside braces the lexer yields keywords; Prometheus accepts them as label names here.
labelName
    : IDENTIFIER | METRIC_IDENTIFIER
    | AND | OR | UNLESS | ATAN2 | SUM | AVG | COUNT | MIN | MAX | GROUP | STDDEV | STDVAR | TOPK
    | BOTTOMK | COUNT_VALUES | QUANTILE | BY | WITHOUT | ON | IGNORING | GROUP_LEFT | GROUP_RIGHT
    | BOOL | OFFSET | START | END
    ;

functionCall : IDENTIFIER functionArgs ;

functionArgs : LEFT_PAREN (expr (COMMA expr)*)? RIGHT_PAREN ;

vectorSelector
    : metricName labelMatchers?
    | labelMatchers
    ;

// The keywords Prometheus 2.42 also takes as metric names: `sum`, `sum{job="a"}` and `foo and and`
// are selectors; `sum(...)` and `sum by (...)` stay aggregations because nothing else fits there.
metricName
    : IDENTIFIER | METRIC_IDENTIFIER
    | SUM | AVG | COUNT | MIN | MAX | GROUP | STDDEV | STDVAR | TOPK | BOTTOMK | COUNT_VALUES | QUANTILE
    | AND | OR | UNLESS | BY | WITHOUT | OFFSET | START | END
    ;

labelMatchers : LEFT_BRACE (labelMatcher (COMMA labelMatcher)* COMMA?)? RIGHT_BRACE ;

labelMatcher : IDENTIFIER matchOp=(EQL | NEQ | EQL_REGEX | NEQ_REGEX) STRING ;
