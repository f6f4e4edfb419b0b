package dev.sandglass.query.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.query.parser.Functions;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The parser's signature table and the evaluator's registries name the same functions, each once. */
class RegistryCoverageTest {
    @Test
    void everyParsedFunctionHasExactlyOneImplementation() {
        Set<String> missing = new TreeSet<>();
        for (String name : Functions.all().keySet()) {
            boolean range = RangeFunctions.get(name) != null;
            boolean instant = InstantFunctions.get(name) != null;
            assertTrue(!(range && instant), name + " is in both registries");
            if (!range && !instant) {
                missing.add(name);
            }
        }
        assertEquals(Set.of(), missing, "functions the parser accepts but the evaluator lacks");
        Set<String> extra = new TreeSet<>(RangeFunctions.names());
        extra.addAll(InstantFunctions.names());
        extra.removeAll(Functions.all().keySet());
        assertEquals(Set.of(), extra, "functions registered that the parser does not know");
    }
}
