// PromQL as of Prometheus 2.42. Precedence follows Prometheus's yacc grammar: postfix modifiers
// ([range], [range:step], offset, @) bind tightest, then ^ (right-associative), then unary +/-
// (at the level of *, so -2^2 is -(2^2)), * / % atan2, + -, comparisons, and/unless, or.
// Keywords are case-insensitive like Prometheus's lexer; label and metric names may be keywords
// where Prometheus allows it. Semantic checks (types, modifier placement) live in TypeChecker.
grammar PromQL;

expression : expr EOF ;

expr
    : expr LEFT_BRACKET DURATION RIGHT_BRACKET                                   # matrixExpr
    | expr LEFT_BRACKET DURATION COLON DURATION? RIGHT_BRACKET                   # subqueryExpr
    | expr OFFSET SUB? DURATION                                                  # offsetExpr
    | expr AT atValue                                                            # atExpr
    | <assoc=right> expr POW binModifiers expr                                   # binaryExpr
    | (ADD | SUB) expr                                                           # unaryExpr
    | expr (MUL | DIV | MOD | ATAN2) binModifiers expr                           # binaryExpr
    | expr (ADD | SUB) binModifiers expr                                         # binaryExpr
    | expr (EQLC | NEQ | LTE | LSS | GTE | GTR) binModifiers expr                # binaryExpr
    | expr (LAND | LUNLESS) binModifiers expr                                    # binaryExpr
    | expr LOR binModifiers expr                                                 # binaryExpr
    | primary                                                                    # primaryExpr
    ;

atValue
    : (ADD | SUB)? NUMBER
    | (START | END) LEFT_PAREN RIGHT_PAREN
    ;

binModifiers
    : BOOL? ((ON | IGNORING) groupingLabels ((GROUP_LEFT | GROUP_RIGHT) groupingLabels?)?)?
    ;

primary
    : aggregateOp groupingModifier functionArgs                                  # aggregation
    | aggregateOp functionArgs groupingModifier?                                 # aggregation
    | IDENTIFIER functionArgs                                                    # functionCall
    | LEFT_PAREN expr RIGHT_PAREN                                                # parens
    | NUMBER                                                                     # numberLiteral
    | STRING                                                                     # stringLiteral
    | metricName labelMatchers?                                                  # vectorSelector
    | labelMatchers                                                              # vectorSelector
    ;

functionArgs : LEFT_PAREN (expr (COMMA expr)*)? RIGHT_PAREN ;

groupingModifier : (BY | WITHOUT) groupingLabels ;

groupingLabels : LEFT_PAREN (labelName (COMMA labelName)* COMMA?)? RIGHT_PAREN ;

labelMatchers : LEFT_BRACE (labelMatcher (COMMA labelMatcher)* COMMA?)? RIGHT_BRACE ;

labelMatcher : labelName (EQL | NEQ | EQL_REGEX | NEQ_REGEX) STRING ;

aggregateOp : SUM | AVG | COUNT | MIN | MAX | GROUP | STDDEV | STDVAR | TOPK | BOTTOMK | COUNT_VALUES | QUANTILE ;

metricName
    : IDENTIFIER | METRIC_IDENTIFIER | aggregateOp | BY | LAND | LOR | LUNLESS | OFFSET | WITHOUT | START | END
    ;

labelName
    : IDENTIFIER | aggregateOp | BOOL | BY | GROUP_LEFT | GROUP_RIGHT | IGNORING | LAND | LOR | LUNLESS
    | OFFSET | ON | WITHOUT | START | END | ATAN2 | NUMBER
    ;

// Keywords (case-insensitive).
LAND : A N D ;
LOR : O R ;
LUNLESS : U N L E S S ;
ATAN2 : A T A N '2' ;
SUM : S U M ;
AVG : A V G ;
COUNT : C O U N T ;
MIN : M I N ;
MAX : M A X ;
GROUP : G R O U P ;
STDDEV : S T D D E V ;
STDVAR : S T D V A R ;
TOPK : T O P K ;
BOTTOMK : B O T T O M K ;
COUNT_VALUES : C O U N T '_' V A L U E S ;
QUANTILE : Q U A N T I L E ;
OFFSET : O F F S E T ;
BY : B Y ;
WITHOUT : W I T H O U T ;
ON : O N ;
IGNORING : I G N O R I N G ;
GROUP_LEFT : G R O U P '_' L E F T ;
GROUP_RIGHT : G R O U P '_' R I G H T ;
BOOL : B O O L ;
START : S T A R T ;
END : E N D ;

// inf and nan are numbers, as in Prometheus's lexer; inside braces they are label names.
NUMBER
    : [0-9]+ '.'? [0-9]* EXPONENT?
    | '.' [0-9]+ EXPONENT?
    | '0' [xX] [0-9a-fA-F]+
    | I N F
    | N A N
    ;

DURATION : ([0-9]+ ('ms' | [smhdwy]))+ ;

STRING
    : '"' ( '\\' . | ~["\\\n] )* '"'
    | '\'' ( '\\' . | ~['\\\n] )* '\''
    | '`' ~[`]* '`'
    ;

IDENTIFIER : [a-zA-Z_] [a-zA-Z0-9_]* ;
// Names with a colon; a name may not start with one here, so that `[5m:1m]` lexes as a subquery.
METRIC_IDENTIFIER : [a-zA-Z_] [a-zA-Z0-9_]* ':' [a-zA-Z0-9_:]* ;

LEFT_PAREN : '(' ;
RIGHT_PAREN : ')' ;
LEFT_BRACE : '{' ;
RIGHT_BRACE : '}' ;
LEFT_BRACKET : '[' ;
RIGHT_BRACKET : ']' ;
COMMA : ',' ;
COLON : ':' ;
AT : '@' ;
EQLC : '==' ;
NEQ : '!=' ;
LTE : '<=' ;
GTE : '>=' ;
EQL_REGEX : '=~' ;
NEQ_REGEX : '!~' ;
EQL : '=' ;
LSS : '<' ;
GTR : '>' ;
ADD : '+' ;
SUB : '-' ;
MUL : '*' ;
DIV : '/' ;
MOD : '%' ;
POW : '^' ;

COMMENT : '#' ~[\r\n]* -> skip ;
WS : [ \t\r\n]+ -> skip ;

// Anything else is reported by the parser as an unexpected character.
ERROR_CHAR : . ;

fragment EXPONENT : [eE] [+-]? [0-9]+ ;
fragment A : [aA] ; fragment B : [bB] ; fragment C : [cC] ; fragment D : [dD] ; fragment E : [eE] ;
fragment F : [fF] ; fragment G : [gG] ; fragment H : [hH] ; fragment I : [iI] ; fragment K : [kK] ;
fragment L : [lL] ; fragment M : [mM] ; fragment N : [nN] ; fragment O : [oO] ; fragment P : [pP] ;
fragment Q : [qQ] ; fragment R : [rR] ; fragment S : [sS] ; fragment T : [tT] ; fragment U : [uU] ;
fragment V : [vV] ; fragment W : [wW] ; fragment X : [xX] ; fragment Y : [yY] ;
