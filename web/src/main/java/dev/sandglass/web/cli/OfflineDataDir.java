package dev.sandglass.web.cli;

import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The data dir of an offline command (query, restarts, export, ...), opened read-only so a running server may keep writing it. */
final class OfflineDataDir {
    @Option(names = "--data-dir", defaultValue = "sandglass-data", description = "data directory (default: ${DEFAULT-VALUE})")
    Path dataDir;

    Db open() {
        return Db.open(DbOptions.defaults(dataDir).asReadOnly());
    }
}
