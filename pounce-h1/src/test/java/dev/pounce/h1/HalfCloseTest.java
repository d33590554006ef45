package dev.pounce.h1;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that shuts its side of the connection (TCP FIN, {@code shutdown(SHUT_WR)}, {@code nc -N}) after its
 * requests: what it sent whole is answered in order, then the connection closes; what it left incomplete is
 * dropped. The app hears of a disconnect only for a request that can never complete.
 */
@ExtendWith(LeakCheck.class)
class HalfCloseTest {

    private static final String GET = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";

    @Test
    void aRequestFollowedByFinIsAnsweredThenTheConnectionCloses() {
        var h = new Harness();
        h.send(GET).fin();
        assertTrue(h.open(), "the client still reads");
        var call = h.bridge.last();
        assertEquals(0, call.disconnects, "a FIN is not a disconnect: the app answers");
        call.respond(200, "hi");
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi", h.out());
        assertFalse(h.open());
        assertEquals(0, call.disconnects);
    }

    @Test
    void pipelinedRequestsBeforeTheFinAreAllAnsweredInOrder() {
        var h = new Harness();
        h.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n").fin();
        h.call(0).respond(200, "1");
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n1", h.out(), "another request is waiting");
        assertEquals("/2", h.call(1).exchange.head().target());
        h.call(1).respond(200, "2");
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: close\r\n\r\n2", h.out());
        assertFalse(h.open());
        assertEquals(0, h.call(0).disconnects + h.call(1).disconnects);
    }

    @Test
    void aFinDuringAStreamedResponseLetsItFinish() {
        var h = new Harness(TimeoutsAndFlowTest.TIMED);
        h.send(GET);
        var ex = h.call(0).exchange;
        ex.start(200, dev.pounce.api.Headers.empty(), RecordingBridge.Call.buf("a"), false);
        h.fin();
        h.advance(Duration.ofMinutes(5));
        assertTrue(h.open(), "no timer runs while the response streams");
        ex.body(RecordingBridge.Call.buf("b"), true);
        assertEquals("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n1\r\nb\r\n0\r\n\r\n", h.out());
        assertFalse(h.open());
        assertEquals(0, h.call(0).disconnects);
    }

    @Test
    void aBodyIncompleteAtTheFinIsADisconnect() {
        var h = new Harness();
        h.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n01234").fin();
        assertEquals(1, h.bridge.last().disconnects, "the rest of the body will never come");
        assertFalse(h.open());
        assertEquals("", h.out());
    }

    @Test
    void aFreshConnectionClosesAtOnceOnFin() {
        var h = new Harness();
        h.fin();
        assertFalse(h.open());
        assertEquals("", h.out());
    }

    @Test
    void anIdleKeptAliveConnectionClosesAtOnceOnFin() {
        var h = new Harness();
        h.send(GET);
        h.bridge.last().respond(200, "");
        h.out();
        h.fin();
        assertFalse(h.open());
        assertEquals("", h.out());
    }

    @Test
    void aPartialHeadAtTheFinIsDroppedAndTheConnectionCloses() {
        var h = new Harness();
        h.send("GET / HTTP/1.1\r\nHo").fin();
        assertFalse(h.open());
        assertEquals("", h.out());
        assertEquals(0, h.bridge.calls.size());
    }

    @Test
    void aPartialHeadPipelinedBehindAResponseIsDroppedAfterIt() {
        var h = new Harness();
        h.send(GET + "GET /2 HT").fin();
        h.call(0).respond(200, "");
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", h.out());
        assertFalse(h.open());
        assertEquals(1, h.bridge.calls.size());
    }

    @Test
    void closingAfterTheFinDoesNotShutOutputAndLinger() {
        var h = Harness.halfClosable(Harness.quiet().build(), List.of());
        h.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").fin();
        h.bridge.last().respond(200, "");
        assertFalse(h.open(), "nothing more will come in: there is nothing to drain");
    }

    @Test
    void aLingeringCloseEndsWhenTheClientEndsItsSide() {
        var h = Harness.halfClosable(Harness.quiet().build(), List.of());
        h.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        h.bridge.last().respond(200, "");
        assertTrue(h.outputShut(), "the answer is followed by our FIN");
        assertTrue(h.open(), "input is drained for a moment so the kernel does not reset the answer away");
        h.fin();
        assertFalse(h.open(), "the client has read our FIN and ended too");
    }

    @Test
    void aRejectedClientThatEndsItsSideIsClosedAtOnce() {
        var h = Harness.halfClosable(Harness.quiet().build(), List.of());
        h.send("\u0001");
        BadInputTest.assertRefusedAnswer(h, 400);
        assertTrue(h.outputShut());
        h.fin();
        assertFalse(h.open());
    }

    @Test
    void theLingerStillEndsWithoutAFin() {
        var h = Harness.halfClosable(Harness.quiet().build(), List.of());
        h.send("\u0001");
        assertTrue(h.open());
        h.advance(Duration.ofMillis(Http1Connection.LINGER_MILLIS));
        assertFalse(h.open());
    }
}
