package dev.sandglass.storage.api;

/** A store that can be written and read. Thread-safe; each writing thread takes its own appender. */
public interface Storage extends Queryable, AutoCloseable {
    Appender appender();

    BulkAppender bulkAppender();

    /** Makes everything appended so far durable and releases all files. Safe to call twice. */
    @Override
    void close();
}
