package dev.sandglass.web.api;

/** A request parameter that cannot be used: errorType "bad_data", HTTP 400. */
public final class BadParameterException extends RuntimeException {
    public BadParameterException(String parameter, String reason) {
        super(parameter == null ? reason : "invalid parameter \"" + parameter + "\": " + reason);
    }
}
