package dev.sandglass.web.cli;

import picocli.CommandLine.Model.CommandSpec;

/**
 * Whether the user gave --retention or left it to its default: a default is never allowed to
 * shorten the retention a data dir is kept with (the store refuses it and says how to proceed).
 */
final class RetentionFlag {
    private RetentionFlag() {
    }

    static boolean given(CommandSpec spec) {
        return spec != null && spec.commandLine() != null && spec.commandLine().getParseResult() != null
                && spec.commandLine().getParseResult().hasMatchedOption("--retention");
    }
}
