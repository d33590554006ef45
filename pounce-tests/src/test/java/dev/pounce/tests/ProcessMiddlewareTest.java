package dev.pounce.tests;

import dev.pounce.testing.RawConnection;
import dev.pounce.testing.RawResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built-in middleware's settings reach process workers: the {@code pounce} command on the module path with
 * {@code --workers 2 --worker-strategy process}, CORS and security headers set by flags and one by a
 * {@code POUNCE_*} variable, and both children answer with them, a preflight included.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ProcessMiddlewareTest {

    private static final Pattern SERVING = Pattern.compile("serving on http://\\S+?:(\\d+) ");
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String PAGE = "https://page.example";

    /** One request on a connection of its own, so that the kernel spreads them over both children's sockets. */
    private static RawResponse send(InetSocketAddress address, String request) throws Exception {
        try (var conn = RawConnection.open(address)) {
            conn.send(request);
            return conn.readResponse();
        }
    }

    @Test
    void bothChildrenAnswerWithTheSettingsTheParentWasGiven() throws Exception {
        var args = List.of("--host", "127.0.0.1", "--port", "0", "--workers", "2", "--worker-strategy", "process",
                "--cors-allow-origin", PAGE, "--cors-allow-credentials", "--security-headers",
                "--referrer-policy", "no-referrer");
        try (var server = ChildJvm.start(ChildJvm.modulePathCommand(ChildJvm.productJars(), args),
                Map.of("POUNCE_CORS_MAX_AGE", "120"))) {
            int port = Integer.parseInt(server.awaitStderr(SERVING, BOUND).group(1));
            var address = new InetSocketAddress("127.0.0.1", port);
            Set<String> workers = new HashSet<>();
            int sent = 0;
            while (workers.size() < 2) {
                RawResponse r = send(address, "GET / HTTP/1.1\r\nHost: t\r\nOrigin: " + PAGE
                        + "\r\nConnection: close\r\n\r\n");
                assertEquals(200, r.status(), r.toString());
                assertEquals(Optional.of(PAGE), r.header("access-control-allow-origin"), r.toString());
                assertEquals(Optional.of("true"), r.header("access-control-allow-credentials"), r.toString());
                assertEquals(Optional.of("no-referrer"), r.header("referrer-policy"), r.toString());
                assertEquals(Optional.of("DENY"), r.header("x-frame-options"), r.toString());
                workers.add(r.header("x-pounce-worker").orElseThrow());
                sent++;
                assertTrue(sent < 2000, "one child answered every request: " + workers);
            }
            RawResponse preflight = send(address, "OPTIONS /things HTTP/1.1\r\nHost: t\r\nOrigin: " + PAGE
                    + "\r\nAccess-Control-Request-Method: DELETE\r\nConnection: close\r\n\r\n");
            assertEquals(204, preflight.status(), preflight.toString());
            assertEquals(Optional.of("120"), preflight.header("access-control-max-age"), "from POUNCE_CORS_MAX_AGE");
            server.terminate();
            assertEquals(0, server.awaitExit(BOUND), server.describe());
        }
    }
}
