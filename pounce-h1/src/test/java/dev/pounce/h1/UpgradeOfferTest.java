package dev.pounce.h1;

import dev.pounce.api.Headers;
import dev.pounce.api.ServerConfig;
import dev.pounce.spi.ConnectionEvent;
import dev.pounce.spi.ConnectionTakeover;
import dev.pounce.spi.TakeoverRequest;
import dev.pounce.spi.Tunnel;
import dev.pounce.spi.UpgradeOffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.pounce.h1.RecordingBridge.Call.buf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code Upgrade:} offered to an upgrade provider (RFC 9110 section 7.8): the connection waits for the answer as for
 * a response, then either becomes a tunnel after {@code 101} or goes on after an ordinary denial.
 */
@ExtendWith(LeakCheck.class)
class UpgradeOfferTest {

    private static final ServerConfig TIMED = TimeoutsAndFlowTest.TIMED;

    private static final String UPGRADE = "GET /chat HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Upgrade\r\n"
            + "Upgrade: WebSocket/13\r\nSec-WebSocket-Version: 13\r\n\r\n";

    private static final String SWITCHED = "HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\n"
            + "Upgrade: websocket\r\n";

    private final RecordingProvider ws = new RecordingProvider("websocket");
    private final RecordingListener listener = new RecordingListener();

    private Harness harness() {
        return new Harness(TIMED, List.of(ws), List.of());
    }

    /** A harness whose connection was upgraded by a plain accept, with what the client sent after the head. */
    private Tunnel accepted(Harness h, String early) {
        h.send(UPGRADE + early);
        Tunnel tunnel = ws.last().accept(Headers.empty(), listener);
        h.runTasks();
        assertEquals(SWITCHED + "\r\n", h.out());
        return tunnel;
    }

    // ---- the offer ----

    @Test
    void theRequestIsOfferedAndTheConnectionWaits() {
        var h = harness();
        h.send(UPGRADE);
        assertEquals(0, h.bridge.calls.size(), "the app does not see a taken offer");
        UpgradeOffer offer = ws.last();
        assertEquals("/chat", offer.head().target());
        assertEquals("1.1", offer.head().version());
        assertEquals("websocket", offer.token());
        assertEquals(h.channel.eventLoop(), offer.eventLoop());
        assertEquals(7, offer.context().info().id());
        h.advance(Duration.ofMinutes(5));
        assertTrue(h.open(), "no header or idle timer runs while the offer is unanswered");
        assertEquals("", h.out());
        offer.deny(404, Headers.empty(), buf(""));
    }

    @Test
    void theClientsTokensAreTriedInItsOrderUntilOneIsTaken() {
        List<String> asked = new ArrayList<>();
        var h2c = new ConnectionTakeover() {
            @Override
            public String token() {
                return "h2c";
            }

            @Override
            public boolean takeOver(TakeoverRequest request) {
                asked.add("h2c takeover");
                return false;
            }
        };
        var echo = new RecordingProvider("echo");
        var h = new Harness(TIMED, List.of(ws, echo), List.of(h2c));
        h.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nUpgrade: foo/2, H2C\r\n"
                + "Upgrade: Echo/1, websocket\r\n\r\n");
        assertEquals(List.of("h2c takeover"), asked, "h2c came before echo in the list, and declined");
        assertEquals("echo", echo.last().token(), "the provider's own token, lower-case");
        assertTrue(ws.offers.isEmpty(), "websocket came after a token that was taken");
        echo.last().deny(400, Headers.empty(), buf(""));
    }

    @Test
    void aDeclinedOfferIsServedAsAnOrdinaryRequest() {
        ws.take = offer -> false;
        var h = harness();
        h.send(UPGRADE);
        assertEquals(1, ws.offers.size());
        assertEquals(1, h.bridge.calls.size());
        assertEquals("WebSocket/13", h.call(0).exchange.head().headers().first("upgrade").orElseThrow());
        h.call(0).respond(200, "plain");
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nplain", h.out());
    }

    @Test
    void requestsThatCannotUpgradeAreNotOffered() {
        var h = harness();
        h.send("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n");
        h.call(0).respond(200, "");
        h.send("GET / HTTP/1.0\r\nConnection: keep-alive, upgrade\r\nUpgrade: websocket\r\n\r\n");
        h.call(1).respond(200, "");
        h.send("POST / HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nUpgrade: websocket\r\nContent-Length: 1\r\n\r\nx");
        assertEquals(3, h.bridge.calls.size());
        assertTrue(ws.offers.isEmpty(), "without Connection: upgrade, on HTTP/1.0, or with a body");
    }

    @Test
    void aProviderThatThrowsClosesTheConnection() {
        ws.take = offer -> {
            throw new IllegalStateException("broken provider");
        };
        var h = harness();
        h.send(UPGRADE);
        assertFalse(h.open());
        assertEquals("", h.out());
        assertEquals(0, h.bridge.calls.size());
    }

    @Test
    void anOfferIsAnsweredOnce() {
        var h = harness();
        h.send(UPGRADE);
        UpgradeOffer offer = ws.last();
        offer.deny(403, Headers.empty(), buf(""));
        assertThrows(IllegalStateException.class, () -> offer.deny(403, Headers.empty(), buf("")));
        assertThrows(IllegalStateException.class, () -> offer.accept(Headers.empty(), listener));
        assertTrue(listener.events.isEmpty());
    }

    @Test
    void aDenialMustBeAFinalStatus() {
        var h = harness();
        h.send(UPGRADE);
        assertThrows(IllegalArgumentException.class, () -> ws.last().deny(101, Headers.empty(), buf("")));
        ws.last().deny(426, Headers.empty(), buf(""));
        assertTrue(h.out().startsWith("HTTP/1.1 426 Upgrade Required\r\n"));
    }

    // ---- deny ----

    @Test
    void aDenialIsAnOrdinaryResponseAndTheConnectionGoesOn() {
        var h = harness();
        h.send(UPGRADE + "GET /next HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals(0, h.bridge.calls.size(), "a pipelined request waits for the answer");
        ws.last().deny(403, Headers.of("content-type", "text/plain", "connection", "upgrade"), buf("no"));
        assertEquals("HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\nContent-Length: 2\r\n\r\nno", h.out());
        assertTrue(h.open());
        assertEquals("/next", h.call(0).exchange.head().target(), "then the next request is served");
        h.call(0).respond(200, "");
        h.send("GET /again HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals(2, h.bridge.calls.size(), "keep-alive as after any response");
    }

    @Test
    void aDenialCarriesDateAndServerAndTheClientsConnectionClose() {
        var h = new Harness(Harness.quiet().dateHeader(true).serverHeader("pounce").build(), List.of(ws), List.of());
        h.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade, close\r\nUpgrade: websocket\r\n\r\n");
        ws.last().deny(400, Headers.empty(), buf("bad handshake"));
        String out = h.out();
        assertTrue(out.matches("(?s)HTTP/1.1 400 Bad Request\r\nDate: .+ GMT\r\nServer: pounce\r\n"
                + "Content-Length: 13\r\nConnection: close\r\n\r\nbad handshake"), out);
        assertFalse(h.open());
    }

    @Test
    void aDenialDuringADrainClosesTheConnection() {
        var h = harness();
        h.send(UPGRADE);
        h.channel.pipeline().fireUserEventTriggered(ConnectionEvent.DRAIN);
        ws.last().deny(503, Headers.empty(), buf(""));
        assertEquals("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", h.out());
        assertFalse(h.open());
    }

    @Test
    void aDenialAfterTheClientsFinIsItsLastAnswer() {
        var h = harness();
        h.send(UPGRADE).fin();
        assertTrue(h.open(), "the client may still read the answer");
        ws.last().deny(403, Headers.empty(), buf(""));
        assertEquals("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", h.out());
        assertFalse(h.open());
    }

    // ---- pipelined bytes while the offer waits ----

    @Test
    void bytesWaitingForTheAnswerAreBounded() {
        var h = harness();
        h.send(UPGRADE);
        h.send("x".repeat(Http1Connection.PIPELINE_BUFFER));
        assertTrue(h.channel.config().isAutoRead());
        h.send("x");
        assertFalse(h.channel.config().isAutoRead(), "past the pipeline bound the socket is not read");
        ws.last().deny(403, Headers.empty(), buf(""));
        assertFalse(h.open(), "what followed was not HTTP");
    }

    // ---- accept ----

    @Test
    void acceptSwitchesAndDeliversTheBytesThatCameEarlyFirst() {
        var h = harness();
        h.send(UPGRADE + "early ");
        h.send("and later ");
        ws.last().accept(Headers.of("sec-websocket-accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", "content-length", "0",
                "connection", "Upgrade"), listener);
        assertEquals(SWITCHED + "sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n", h.out(),
                "our Connection and Upgrade, the provider's fields, no framing fields on a 1xx");
        assertNull(h.channel.pipeline().get(Http1Connection.class), "HTTP/1.1 has left the pipeline");
        assertTrue(listener.events.isEmpty(), "nothing is heard inside accept");
        h.runTasks();
        h.send("then");
        assertEquals(List.of("data:early and later ", "data:then"), listener.events);
        assertEquals(0, h.bridge.calls.size());
    }

    @Test
    void theTunnelWritesAfterThe101() {
        var h = harness();
        Tunnel tunnel = accepted(h, "");
        tunnel.write(buf("\u0081\u0002hi"));
        assertEquals("\u0081\u0002hi", h.out());
        assertEquals(7, tunnel.connection().id());
        assertSame(h.channel.eventLoop(), tunnel.eventLoop());
    }

    @Test
    void anAcceptInsideOfferIsHeardOnlyAfterOfferReturns() {
        List<String> seenDuringOffer = new ArrayList<>();
        Tunnel[] tunnel = new Tunnel[1];
        ws.take = offer -> {
            tunnel[0] = offer.accept(Headers.empty(), listener);
            tunnel[0].write(buf("hello"));
            seenDuringOffer.addAll(listener.events);
            return true;
        };
        var h = harness();
        h.send(UPGRADE + "early");
        assertEquals(List.of(), seenDuringOffer);
        assertEquals(SWITCHED + "\r\nhello", h.out(), "a write made at once follows the 101");
        h.runTasks();
        assertEquals(List.of("data:early"), listener.events);
    }

    @Test
    void noHttpTimerRunsOnATunnel() {
        var h = harness();
        accepted(h, "");
        h.advance(Duration.ofHours(1));
        assertTrue(h.open(), "the provider owns idleness");
        assertEquals("", h.out());
    }

    @Test
    void inboundBytesPauseReadingBeyondTheCreditUntilConsumed() {
        var h = harness();
        Tunnel tunnel = accepted(h, "");
        h.send("y".repeat(Http1Tunnel.CREDIT));
        assertTrue(h.channel.config().isAutoRead(), "64 KiB unconsumed is within credit");
        h.send("y".repeat(10));
        assertFalse(h.channel.config().isAutoRead(), "past 64 KiB the socket is not read");
        tunnel.consumed(9);
        assertFalse(h.channel.config().isAutoRead(), "credit comes back, but not yet enough");
        tunnel.consumed(1);
        assertTrue(h.channel.config().isAutoRead(), "back within 64 KiB");
        assertEquals(Http1Tunnel.CREDIT + 10, listener.received);
    }

    @Test
    void bytesThatCameEarlyCountAgainstTheCredit() {
        var h = harness();
        h.send(UPGRADE);
        h.send("z".repeat(Http1Tunnel.CREDIT + 10));
        assertFalse(h.channel.config().isAutoRead(), "held behind the offer");
        Tunnel tunnel = ws.last().accept(Headers.empty(), listener);
        h.runTasks();
        assertFalse(h.channel.config().isAutoRead(), "the tunnel has them now, unconsumed");
        assertEquals(Http1Tunnel.CREDIT + 10, listener.received);
        tunnel.consumed(Http1Tunnel.CREDIT + 10);
        assertTrue(h.channel.config().isAutoRead());
    }

    @Test
    void writabilityIsTheChannelsAndWaitersRunWhenItReturns() {
        var h = harness();
        Tunnel tunnel = accepted(h, "");
        assertTrue(tunnel.writable());
        var outbound = h.channel.unsafe().outboundBuffer();
        outbound.setUserDefinedWritability(1, false);
        assertFalse(tunnel.writable());
        int[] runs = {0};
        tunnel.whenWritable(() -> runs[0]++);
        assertEquals(0, runs[0], "waits while the client is behind");
        outbound.setUserDefinedWritability(1, true);
        h.runTasks();
        assertEquals(1, runs[0]);
        tunnel.whenWritable(() -> runs[0]++);
        assertEquals(2, runs[0], "at once when writable");
    }

    @Test
    void endShutsOurSideAndTheClientsFinClosesCleanly() {
        var h = Harness.halfClosable(TIMED, List.of(ws));
        Tunnel tunnel = accepted(h, "");
        tunnel.write(buf("bye"));
        tunnel.end();
        assertEquals("bye", h.out());
        assertTrue(h.outputShut(), "our FIN follows the bytes");
        assertTrue(h.open(), "the client may still send");
        h.send("last words");
        tunnel.write(buf("dropped"));
        assertEquals("", h.out(), "nothing is written after end");
        h.fin();
        assertFalse(h.open());
        assertEquals(List.of("data:last words", "end", "closed:true"), listener.events);
    }

    @Test
    void theClientsFinThenEndClosesCleanly() {
        var h = Harness.halfClosable(TIMED, List.of(ws));
        Tunnel tunnel = accepted(h, "");
        h.fin();
        assertEquals(List.of("end"), listener.events);
        assertTrue(h.open(), "the provider may still answer");
        tunnel.write(buf("answer"));
        tunnel.end();
        assertEquals("answer", h.out());
        assertFalse(h.open());
        assertEquals(List.of("end", "closed:true"), listener.events);
    }

    @Test
    void afterEndAClientThatNeverEndsIsCutAfterTheLinger() {
        var h = Harness.halfClosable(TIMED, List.of(ws));
        Tunnel tunnel = accepted(h, "");
        tunnel.end();
        h.advance(Duration.ofMillis(Http1Connection.LINGER_MILLIS - 1));
        assertTrue(h.open());
        h.advance(Duration.ofMillis(1));
        assertFalse(h.open());
        assertEquals(List.of("closed:false"), listener.events);
    }

    @Test
    void resetClosesAtOnce() {
        var h = harness();
        Tunnel tunnel = accepted(h, "");
        tunnel.reset();
        assertFalse(h.open());
        assertEquals(List.of("closed:false"), listener.events);
        tunnel.write(buf("dropped"));
        assertEquals("", h.out());
    }

    @Test
    void aClientLeavingRightAfterTheAcceptEndsTheTunnelOnce() {
        var h = harness();
        h.send(UPGRADE + "early");
        ws.last().accept(Headers.empty(), listener);
        h.channel.close();
        h.runTasks();
        assertEquals("closed:false", listener.events.getLast());
        assertEquals(1, listener.events.stream().filter(e -> e.startsWith("closed")).count());
    }

    @Test
    void theClientLeavingClosesTheTunnel() {
        var h = harness();
        accepted(h, "");
        h.channel.close();
        assertEquals(List.of("closed:false"), listener.events);
    }

    @Test
    void aDrainReachesTheListener() {
        var h = harness();
        accepted(h, "");
        h.channel.pipeline().fireUserEventTriggered(ConnectionEvent.DRAIN);
        assertEquals(List.of("drain"), listener.events);
        assertTrue(h.open(), "the provider finishes in its own time");
    }

    @Test
    void aDrainWhileTheOfferWaitsIsHeardAfterTheEarlyBytes() {
        var h = harness();
        h.send(UPGRADE + "early");
        h.channel.pipeline().fireUserEventTriggered(ConnectionEvent.DRAIN);
        assertTrue(h.open(), "a waiting offer is a request in flight");
        ws.last().accept(Headers.empty(), listener);
        h.runTasks();
        assertEquals(List.of("data:early", "drain"), listener.events);
    }

    @Test
    void aFinWhileTheOfferWaitsIsHeardAfterTheEarlyBytes() {
        var h = harness();
        h.send(UPGRADE + "early").fin();
        assertTrue(h.open());
        Tunnel tunnel = ws.last().accept(Headers.empty(), listener);
        h.runTasks();
        assertEquals(List.of("data:early", "end"), listener.events);
        tunnel.end();
        assertFalse(h.open());
        assertEquals(List.of("data:early", "end", "closed:true"), listener.events);
    }

    // ---- the client leaves first ----

    @Test
    void aClientLeavingBeforeTheAnswerCancelsTheOffer() {
        var h = harness();
        h.send(UPGRADE + "early");
        UpgradeOffer offer = ws.last();
        int[] cancelled = {0};
        offer.whenCancelled(() -> cancelled[0]++);
        h.channel.close();
        assertEquals(1, cancelled[0]);
        offer.whenCancelled(() -> cancelled[0]++);
        assertEquals(2, cancelled[0], "a callback given after the client left runs at once");

        Tunnel tunnel = offer.accept(Headers.empty(), listener);
        h.runTasks();
        assertEquals(List.of("closed:false"), listener.events, "the late tunnel reports itself closed");
        tunnel.write(buf("dropped"));
        assertEquals("", h.out());
    }

    @Test
    void aLateDenialIsDroppedAndItsBodyReleased() {
        var h = harness();
        h.send(UPGRADE);
        h.channel.close();
        ws.last().deny(403, Headers.empty(), buf("late"));
        assertEquals("", h.out());
    }

    @Test
    void anAnsweredOfferIsNotCancelled() {
        var h = harness();
        h.send(UPGRADE);
        int[] cancelled = {0};
        ws.last().whenCancelled(() -> cancelled[0]++);
        ws.last().deny(403, Headers.of("connection", "close"), buf(""));
        assertFalse(h.open());
        assertEquals(0, cancelled[0]);
    }
}
