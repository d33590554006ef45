package dev.pounce.ws;

import dev.pounce.testing.PounceServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * permessage-deflate (RFC 7692) with two real clients from Debian, each a separate implementation:
 * {@code python3-websockets} and {@code python3-autobahn} ({@code src/test/resources/clients/deflate_client.py}).
 * Every parameter of section 7.1 both ways, including the offers that Netty's default handshaker declines
 * ({@code server_max_window_bits}, {@code server_no_context_takeover}); context takeover across many messages; and
 * a 16 MiB message of zeros, a few KiB on the wire, against the message limit.
 *
 * <p>The clients check the server where it could cheat: a client told {@code server_no_context_takeover} resets its
 * decompressor for every message, and one told {@code server_max_window_bits=N} decompresses with a window of
 * 2^N bytes, so a server that reached further back fails the session. The data repeats a random 4 KiB block, which
 * compresses only by reaching 4 KiB back, and every message repeats the one before.
 *
 * <p>Needs {@code /usr/bin/python3} with both packages ({@code .ci/run} installs them); skipped without them except
 * on CI.
 */
class DeflateClientsTest {

    @RegisterExtension
    static final PounceServer SERVER = PounceServer.of(new EchoApp(), b -> b.workers(1).accessLog(false)
            .set("ws.ping-interval", "0").set("ws.deflate-min-size", "0"));

    @RegisterExtension
    static final PounceServer LIMITED = PounceServer.of(new EchoApp(), b -> b.workers(1).accessLog(false)
            .set("ws.ping-interval", "0").set("ws.max-message-size", String.valueOf(1 << 20)));

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static Path script;

    @BeforeAll
    static void findClients() throws Exception {
        boolean present = Files.isExecutable(PYTHON) && new ProcessBuilder(PYTHON.toString(), "-c",
                "import websockets, autobahn").start().waitFor() == 0;
        if (!present && "true".equals(System.getenv("CI"))) {
            fail("CI needs /usr/bin/python3 with python3-websockets and python3-autobahn (see .ci/run)");
        }
        assumeTrue(present, "needs /usr/bin/python3 with python3-websockets and python3-autobahn");
        script = Path.of(DeflateClientsTest.class.getResource("/clients/deflate_client.py").toURI());
    }

    /** What the client reported. */
    record Result(String json) {
        Optional<String> text(String field) {
            Matcher m = Pattern.compile("\"" + field + "\": \"([^\"]*)\"").matcher(json);
            return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        }

        long number(String field) {
            Matcher m = Pattern.compile("\"" + field + "\": (\\d+)").matcher(json);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        }

        String extensions() {
            return text("extensions").orElse("none");
        }
    }

    private static Result run(PounceServer server, String client, String spec) throws Exception {
        Path out = Files.createTempFile("deflate-client", ".json");
        Process p = new ProcessBuilder(List.of(PYTHON.toString(), script.toString(), client,
                "ws://127.0.0.1:" + server.port() + "/", spec)).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                fail(client + " did not finish within 120 s: " + Files.readString(out));
            }
            String text = Files.readString(out, StandardCharsets.UTF_8).strip();
            assertEquals(0, p.exitValue(), client + " failed: " + text);
            String last = text.substring(text.lastIndexOf('\n') + 1);
            assertTrue(!last.contains("\"error\""), last);
            return new Result(last);
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(out);
        }
    }

    /**
     * The last column says whether the echoes must come back smaller: a server window under 12 bits cannot reach
     * the 4 KiB back that this data needs, and there the proof is that the client, decompressing with that small
     * window, read every echo.
     */
    @ParameterizedTest(name = "{0} offers {1}")
    @CsvSource(delimiter = '|', value = {
        "websockets | {}                                        | permessage-deflate | true",
        "websockets | {\"server_no_context_takeover\": true}    | permessage-deflate; server_no_context_takeover | true",
        "websockets | {\"client_no_context_takeover\": true}    | permessage-deflate; client_no_context_takeover | true",
        "websockets | {\"server_max_window_bits\": 9}           | permessage-deflate; server_no_context_takeover; server_max_window_bits=9 | false",
        "websockets | {\"server_max_window_bits\": 11}          | permessage-deflate; server_no_context_takeover; server_max_window_bits=11 | false",
        "websockets | {\"server_max_window_bits\": 15}          | permessage-deflate; server_max_window_bits=15 | true",
        "websockets | {\"client_max_window_bits\": 9}           | permessage-deflate; client_max_window_bits=9 | true",
        "websockets | {\"server_no_context_takeover\": true, \"client_no_context_takeover\": true, \"server_max_window_bits\": 10, \"client_max_window_bits\": 10} | permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10; client_max_window_bits=10 | false",
        "autobahn   | {}                                        | permessage-deflate; client_no_context_takeover | true",
        "autobahn   | {\"client_no_context_takeover\": false}   | permessage-deflate | true",
        "autobahn   | {\"server_no_context_takeover\": true, \"client_no_context_takeover\": false} | permessage-deflate; server_no_context_takeover | true",
        "autobahn   | {\"server_max_window_bits\": 9, \"client_no_context_takeover\": false} | permessage-deflate; server_no_context_takeover; server_max_window_bits=9 | false",
    })
    void eachParameterIsHonouredAcrossManyMessages(String client, String offer, String answer, boolean smaller)
            throws Exception {
        int count = 50;
        int size = 16 * 1024;
        Result r = run(SERVER, client.strip(), "{\"offer\": " + offer.strip() + ", \"count\": " + count
                + ", \"size\": " + size + "}");
        assertEquals(answer.strip(), r.extensions(), r.json());
        assertEquals(count, r.number("echoed"), r.json());
        if (smaller) {
            // Compressed on the way back: 50 echoes of 16 KiB that repeat a 4 KiB block and each other.
            assertTrue(r.number("wire_bytes") < (long) count * size / 3, "not compressed: " + r.json());
        }
    }

    @Test
    void contextTakeoverMakesRepeatedMessagesNearlyFree() throws Exception {
        Result r = run(SERVER, "websockets", "{\"offer\": {}, \"count\": 500, \"size\": 4096}");
        assertEquals(500, r.number("echoed"), r.json());
        // Each echo after the first is a back-reference to the one before: a few bytes, not 4 KiB.
        assertTrue(r.number("wire_bytes") < 500 * 64, "context was not kept: " + r.json());
    }

    @Test
    void sixteenMebibytesOfZerosAtTheLimitAreEchoedAndOneByteMoreIs1009() throws Exception {
        Result at = run(SERVER, "websockets", "{\"count\": 1, \"size\": 16777216, \"kind\": \"zeros\"}");
        assertEquals(1, at.number("echoed"), at.json());
        Result over = run(SERVER, "websockets", "{\"count\": 1, \"size\": 16777217, \"kind\": \"zeros\"}");
        assertEquals(1009, over.number("close_code"), over.json());
    }

    @Test
    void aSmallCompressedFrameCannotInflatePastTheLimit() throws Exception {
        // 16 MiB of zeros is about 16 KiB compressed; the server stops inflating past 1 MiB and closes 1009.
        for (String client : List.of("websockets", "autobahn")) {
            Result r = run(LIMITED, client, "{\"count\": 1, \"size\": 16777216, \"kind\": \"zeros\"}");
            assertEquals(1009, r.number("close_code"), r.json());
            assertEquals(0, r.number("echoed"), r.json());
        }
    }
}
