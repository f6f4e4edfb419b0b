// Tokens of PromQL as Prometheus 2.42 lexes them. Three modes mirror its context-sensitive lexer:
// inside {...} every word is a label name (keywords included); inside [...] a ':' is the subquery
// colon, not the start of a metric name.
lexer grammar PromQLLexer;

options { caseInsensitive = true; }

LEFT_PAREN    : '(';
RIGHT_PAREN   : ')';
LEFT_BRACE    : '{' -> pushMode(BRACES);
RIGHT_BRACE   : '}';
LEFT_BRACKET  : '[' -> pushMode(BRACKETS);
RIGHT_BRACKET : ']';
COMMA         : ',';
AT            : '@';

ADD : '+';
SUB : '-';
MUL : '*';
DIV : '/';
MOD : '%';
POW : '^';
EQLC : '==';
NEQ  : '!=';
LTE  : '<=';
LSS  : '<';
GTE  : '>=';
GTR  : '>';
EQL_REGEX : '=~';
NEQ_REGEX : '!~';
EQL  : '=';

// Keywords are case-insensitive, as in Prometheus.
AND         : 'and';
OR          : 'or';
UNLESS      : 'unless';
ATAN2       : 'atan2';
SUM         : 'sum';
AVG         : 'avg';
COUNT       : 'count';
MIN         : 'min';
MAX         : 'max';
GROUP       : 'group';
STDDEV      : 'stddev';
STDVAR      : 'stdvar';
TOPK        : 'topk';
BOTTOMK     : 'bottomk';
COUNT_VALUES: 'count_values';
QUANTILE    : 'quantile';
BY          : 'by';
WITHOUT     : 'without';
ON          : 'on';
IGNORING    : 'ignoring';
GROUP_LEFT  : 'group_left';
GROUP_RIGHT : 'group_right';
BOOL        : 'bool';
OFFSET      : 'offset';
START       : 'start';
END         : 'end';

DURATION : DURATION_F;
NUMBER   : NUMBER_F;
// A number or duration run on into letters or digits ("1.5m", "5mm", "0deadbeef"): one token, so
// the message names it whole instead of complaining about the letter after it.
BAD_NUMBER : BAD_NUMBER_F;
STRING   : STRING_F;
UNTERMINATED_STRING : UNTERMINATED_F;

IDENTIFIER        : [a-z_] [a-z0-9_]*;
METRIC_IDENTIFIER : [a-z_:] [a-z0-9_:]*;

COMMENT : '#' ~[\r\n]* -> skip;
WS      : [ \t\r\n]+ -> skip;
ERROR_CHAR : . ;

mode BRACES;
B_RIGHT_BRACE : '}' -> type(RIGHT_BRACE), popMode;
B_COMMA       : ',' -> type(COMMA);
B_EQL_REGEX   : '=~' -> type(EQL_REGEX);
B_NEQ_REGEX   : '!~' -> type(NEQ_REGEX);
B_NEQ         : '!=' -> type(NEQ);
B_EQL         : '=' -> type(EQL);
B_STRING      : STRING_F -> type(STRING);
B_UNTERMINATED: UNTERMINATED_F -> type(UNTERMINATED_STRING);
B_IDENTIFIER  : [a-z_] [a-z0-9_]* -> type(IDENTIFIER);
B_COMMENT     : '#' ~[\r\n]* -> skip;
B_WS          : [ \t\r\n]+ -> skip;
B_ERROR       : . -> type(ERROR_CHAR);

mode BRACKETS;
K_RIGHT_BRACKET : ']' -> type(RIGHT_BRACKET), popMode;
COLON           : ':';
K_DURATION      : DURATION_F -> type(DURATION);
K_NUMBER        : NUMBER_F -> type(NUMBER);
K_BAD_NUMBER    : BAD_NUMBER_F -> type(BAD_NUMBER);
K_COMMENT       : '#' ~[\r\n]* -> skip;
K_WS            : [ \t\r\n]+ -> skip;
K_ERROR         : . -> type(ERROR_CHAR);

// Any order and repetition of units lexes; the parser's duration check rejects what Prometheus rejects.
fragment DURATION_F : ([0-9]+ ('ms' | [smhdwy]))+;
fragment NUMBER_F
    : ([0-9]+ ('.' [0-9]*)? | '.' [0-9]+) ('e' [+-]? [0-9]+)?
    | '0x' [0-9a-f]+
    | 'inf'
    | 'nan'
    ;
fragment BAD_NUMBER_F : ([0-9]+ | '.' [0-9]) [a-z0-9_.]* ;
fragment STRING_F
    : '"' ('\\' ~[\r\n] | ~["\\\r\n])* '"'
    | '\'' ('\\' ~[\r\n] | ~['\\\r\n])* '\''
    | '`' ~'`'* '`'
    ;
fragment UNTERMINATED_F
    : '"' ('\\' ~[\r\n] | ~["\\\r\n])* '\\'?
    | '\'' ('\\' ~[\r\n] | ~['\\\r\n])* '\\'?
    | '`' ~'`'*
    ;
