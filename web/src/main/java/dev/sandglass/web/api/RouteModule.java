package dev.sandglass.web.api;

import io.vertx.ext.web.Router;

/**
 * A group of routes with its own body handling (write endpoints set their own size limits).
 * Registered before the server's shared body handler, so a module's routes read bodies their way.
 */
@FunctionalInterface
public interface RouteModule {
    void register(Router router);
}
