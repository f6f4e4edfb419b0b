package dev.sandglass.web.http;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP basic authentication against bcrypt hashes, as Prometheus's exporter-toolkit does it: every
 * route, 401 with a WWW-Authenticate challenge otherwise. bcrypt is slow on purpose, so it runs
 * on a worker thread, and a verified (user, password) pair is remembered by its SHA-256 only.
 * An unknown user costs a bcrypt check too, so timing does not tell which users exist.
 */
public final class BasicAuth {
    /** A hash of a random password at the usual cost: compared against when the user does not exist. */
    private static final byte[] DUMMY = BCrypt.withDefaults().hash(10,
            java.util.UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
    private static final int CACHE_MAX = 1024;

    private final Vertx vertx;
    private final Map<String, String> users;
    private final Set<String> verified = ConcurrentHashMap.newKeySet();

    public BasicAuth(Vertx vertx, Map<String, String> users) {
        this.vertx = vertx;
        this.users = Map.copyOf(users);
    }

    public void handle(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        String user = null;
        String password = null;
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String pair = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                if (colon >= 0) {
                    user = pair.substring(0, colon);
                    password = pair.substring(colon + 1);
                }
            } catch (IllegalArgumentException e) {
                // not base64: unauthorized below
            }
        }
        if (user == null) {
            unauthorized(ctx);
            return;
        }
        String key = fingerprint(user, password);
        if (verified.contains(key)) {
            ctx.next();
            return;
        }
        String u = user;
        String p = password;
        // Paused during the check, as vert.x's own authentication handlers do: what arrives of the
        // request meanwhile (its body, or the end of an empty one) waits for the handlers after this
        // one. Unpaused, it went by unseen and the request was never answered: the connection hung
        // until the read timeout closed it.
        HttpServerRequest request = ctx.request();
        if (!request.isEnded()) {
            request.pause();
        }
        vertx.<Boolean>executeBlocking(() -> check(u, p), false).onComplete(ar -> {
            if (!request.isEnded()) {
                request.resume();
            }
            if (ar.succeeded() && ar.result()) {
                if (verified.size() >= CACHE_MAX) {
                    verified.clear();
                }
                verified.add(key);
                ctx.next();
            } else {
                unauthorized(ctx);
            }
        });
    }

    private boolean check(String user, String password) {
        String hash = users.get(user);
        boolean ok = BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8),
                hash != null ? hash.getBytes(StandardCharsets.UTF_8) : DUMMY).verified;
        return ok && hash != null;
    }

    private static void unauthorized(RoutingContext ctx) {
        ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Basic").putHeader("Content-Type", "text/plain; charset=utf-8")
                .end("Unauthorized\n");
    }

    private static String fingerprint(String user, String password) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(user.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(password.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
