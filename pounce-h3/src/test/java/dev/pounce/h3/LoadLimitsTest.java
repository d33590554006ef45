package dev.pounce.h3;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runtime's load limits reach HTTP/3 as they reach every protocol, through the bridge: {@code 503} at the cap on
 * requests in flight and {@code 429} at the rate limit, each with {@code Retry-After}, health probes passing, and the
 * QUIC connection serving on after a refusal, since only the refused stream ends.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoadLimitsTest {

    @TempDir
    static Path dir;
    static SelfSignedPem pem;
    TestServer server;
    H3Client client;

    @BeforeAll
    static void certificate() throws Exception {
        pem = SelfSignedPem.create(dir);
    }

    @BeforeEach
    void clean() {
        TestApps.reset();
    }

    @AfterEach
    void stop() {
        TestApps.gate.countDown();
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void atTheCapAStreamGets503AndTheConnectionServesOn() throws Exception {
        server = TestServer.start(TestApps.ROUTES, pem, b -> b.limitConcurrency(1).healthPath("/healthz"));
        client = H3Client.connect(server.address(), pem);
        TestApps.gate = new CountDownLatch(1);
        H3Client.Call held = client.call("GET", "/wait", null);
        assertTrue(TestApps.arrived.tryAcquire(30, TimeUnit.SECONDS), "the request holding the one slot runs");

        H3Client.Response refused = client.get("/");
        assertEquals(503, refused.status());
        assertEquals("5", refused.headers().get("retry-after").toString());
        assertEquals("Service Unavailable - Server Overloaded\n", refused.text());
        assertEquals(200, client.get("/healthz").status(), "probes pass while the worker is full");

        TestApps.gate.countDown();
        assertEquals("waited\n", held.response.get(30, TimeUnit.SECONDS).text());
        // The slot comes back just after that response: wait for it, not for time.
        H3Client.Response next;
        do {
            next = client.get("/");
        } while (next.status() == 503);
        assertEquals(200, next.status(), "the same connection serves on");
    }

    @Test
    void pastTheBurstAStreamGets429AndTheConnectionServesOn() throws Exception {
        server = TestServer.start(TestApps.ROUTES, pem, b -> b.rateLimitEnabled(true).rateLimitBurst(2)
                .rateLimitRequestsPerSecond(0.01).healthPath("/healthz"));
        client = H3Client.connect(server.address(), pem);
        assertEquals(200, client.get("/").status());
        assertEquals(200, client.get("/").status());
        H3Client.Response refused = client.get("/");
        assertEquals(429, refused.status(), "one over the burst");
        assertEquals("Too Many Requests\n", refused.text());
        long retryAfter = Long.parseLong(refused.headers().get("retry-after").toString());
        assertTrue(retryAfter >= 1 && retryAfter <= 100, "seconds until a token: " + retryAfter);
        // A refused POST whose body the app never reads ends only its stream (the server asks the client to stop
        // sending with STOP_SENDING, so the body is queued without waiting for its writes).
        H3Client.Call post = client.open("POST", "/echo", h -> h.setLong("content-length", 64 * 1024), true);
        for (int i = 0; i < 4; i++) {
            post.queue(new byte[16 * 1024]);
        }
        assertEquals(429, post.response.get(30, TimeUnit.SECONDS).status());
        assertEquals(200, client.get("/healthz").status(), "probes are never limited, on the same connection");
    }
}
