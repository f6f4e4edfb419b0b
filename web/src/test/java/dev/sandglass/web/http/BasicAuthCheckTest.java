package dev.sandglass.web.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.sandglass.storage.mem.MemStorage;
import dev.sandglass.web.api.ApiHandlers;
import dev.sandglass.web.api.ApiServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests whose password is checked on a worker thread (the first time a pair is seen) are
 * answered whatever arrived of them during the check, and their connection goes on: a GET with
 * {@code Content-Length: 0} (as Java 17's HttpClient sends it) and form POSTs were left unanswered
 * until the read timeout closed the connection. Raw HTTP/1.1 on one kept-alive connection, so no
 * client retries on a fresh connection what the server did not answer.
 */
class BasicAuthCheckTest {
    @TempDir
    Path tmp;

    private static String basic(String pair) {
        return "Authorization: Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)) + "\r\n";
    }

    /** One response: its status line and body (Content-Length framed, as the server answers these). */
    private static String[] response(InputStream in) throws Exception {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            assertTrue(b >= 0, "the server closed the connection after " + head);
            head.write(b);
        }
        String h = head.toString(StandardCharsets.ISO_8859_1);
        String lower = h.toLowerCase();
        int at = lower.indexOf("content-length:");
        assertTrue(at >= 0, h);
        int n = Integer.parseInt(lower.substring(at + 15, lower.indexOf('\r', at)).trim());
        return new String[] {h.substring(0, h.indexOf('\r')), new String(in.readNBytes(n), StandardCharsets.UTF_8)};
    }

    @Test
    void requestsCheckedOnAWorkerAreAnsweredAndTheConnectionGoesOn() throws Exception {
        Path f = tmp.resolve("web.yml");
        StringBuilder yaml = new StringBuilder("basic_auth_users:\n");
        for (String user : List.of("a", "b", "c", "d")) {
            yaml.append("  ").append(user).append(": ").append(BCrypt.withDefaults().hashToString(4, "pw".toCharArray())).append('\n');
        }
        Files.writeString(f, yaml.toString());
        String form = "time=1&query=" + "x".repeat(5_000);
        try (ApiServer s = ApiServer.start("127.0.0.1", 0, new ApiHandlers(MemStorage::new, new AccessTest.Engine(),
                new ApiHandlers.Options(60_000, 2, "0", "x", "y"), List.of()), new ServerOptions(HttpLimits.defaults(), WebConfig.load(f), false));
                Socket so = new Socket("127.0.0.1", s.port())) {
            // Far below the read timeout (60 s): a request left unanswered fails here, not after a minute.
            so.setSoTimeout(15_000);
            var out = so.getOutputStream();
            InputStream in = so.getInputStream();
            String get = "GET /api/v1/query?query=up&time=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n";
            String post = "POST /api/v1/query HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                    + form.length() + "\r\n";

            out.write((get + "\r\n").getBytes(StandardCharsets.US_ASCII));
            assertEquals("HTTP/1.1 401 Unauthorized", response(in)[0], "no credentials");
            out.write((get + basic("a:pw") + "\r\n").getBytes(StandardCharsets.US_ASCII));
            assertEquals("HTTP/1.1 200 OK", response(in)[0], "an empty body, checked on a worker");
            out.write((post + basic("b:pw") + "\r\n" + form).getBytes(StandardCharsets.US_ASCII));
            String[] posted = response(in);
            assertEquals("HTTP/1.1 200 OK", posted[0], posted[1]);
            assertTrue(posted[1].contains("\"5000\""), "the whole form reached the query: " + posted[1]);
            out.write((post + basic("c:wrong") + "\r\n" + form).getBytes(StandardCharsets.US_ASCII));
            assertEquals("HTTP/1.1 401 Unauthorized", response(in)[0], "a wrong password, with a body");
            out.write((get + basic("d:pw") + "\r\n").getBytes(StandardCharsets.US_ASCII));
            assertEquals("HTTP/1.1 200 OK", response(in)[0], "the connection still answers");
        }
    }
}
