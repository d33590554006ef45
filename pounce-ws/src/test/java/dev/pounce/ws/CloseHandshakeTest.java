package dev.pounce.ws;

import dev.pounce.ws.CloseHandshake.Effect;
import dev.pounce.ws.CloseHandshake.Event;
import dev.pounce.ws.CloseHandshake.State;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The close handshake as a pure state machine: no sockets, every path. */
class CloseHandshakeTest {

    private static final List<Event> EVENTS = List.of(new Event.ClientClosed(1000, "bye"),
            new Event.Violation(1002, "bad"), new Event.AppClose(4000, "app"), new Event.Drain(),
            new Event.CaughtUp(), new Event.CloseTimeout(), new Event.PingTimeout(), new Event.InputEnded(),
            new Event.TunnelClosed());

    /** Runs events from the open state and gathers every effect. */
    private static List<Effect> run(Event... events) {
        State state = CloseHandshake.OPEN;
        List<Effect> effects = new ArrayList<>();
        for (Event e : events) {
            var step = CloseHandshake.update(state, e);
            state = step.state();
            effects.addAll(step.effects());
        }
        return effects;
    }

    @Test
    void aClientCloseIsAnsweredWithItsCodeOnceTheAppCaughtUpAndTheServerEndsFirst() {
        var step = CloseHandshake.update(CloseHandshake.OPEN, new Event.ClientClosed(1001, "away"));
        assertEquals(List.of(new Effect.StopInput(), new Effect.AwaitCatchUp(), new Effect.ArmCloseTimer()),
                step.effects(), "nothing is sent, and the app hears nothing, before it has caught up");
        var answered = CloseHandshake.update(step.state(), new Event.CaughtUp());
        assertEquals(List.of(new Effect.SendClose(1001, ""), new Effect.Disconnect(1001, "away"), new Effect.End(),
                new Effect.ArmCloseTimer()), answered.effects());
        assertEquals(new State.Sent(true), answered.state());
        assertEquals(new State.Done(), CloseHandshake.update(answered.state(), new Event.TunnelClosed()).state());
    }

    @Test
    void aViolationSendsItsCodeAndTheAppHearsThatCode() {
        List<Effect> effects = run(new Event.Violation(1007, "not UTF-8"), new Event.CaughtUp());
        assertTrue(effects.contains(new Effect.SendClose(1007, "not UTF-8")), effects.toString());
        assertTrue(effects.contains(new Effect.Disconnect(1007, "not UTF-8")), effects.toString());
    }

    @Test
    void anAppCloseWaitsForTheClientsAnswerWhichTheAppHears() {
        List<Effect> effects = run(new Event.AppClose(4000, "done"), new Event.ClientClosed(4000, "ok"));
        assertEquals(List.of(new Effect.SendClose(4000, "done"), new Effect.ArmCloseTimer(),
                new Effect.Disconnect(4000, "ok"), new Effect.StopInput(), new Effect.End()), effects);
    }

    @Test
    void aClientThatNeverAnswersIsCutAtTheCloseTimeoutAs1006() {
        List<Effect> effects = run(new Event.AppClose(1000, ""), new Event.CloseTimeout());
        assertTrue(effects.contains(new Effect.Disconnect(CloseHandshake.ABNORMAL, "close handshake timed out")));
        assertTrue(effects.contains(new Effect.Reset()));
    }

    /** An app that never asks for more does not hold the client's close past the close timeout. */
    @Test
    void anAppThatDoesNotCatchUpIsAnsweredForAtTheCloseTimeout() {
        List<Effect> effects = run(new Event.ClientClosed(1000, ""), new Event.CloseTimeout());
        assertTrue(effects.contains(new Effect.SendClose(1000, "")), effects.toString());
        assertTrue(effects.contains(new Effect.Disconnect(1000, "")), effects.toString());
    }

    @Test
    void aDrainSends1001() {
        assertEquals(new Effect.SendClose(1001, "server shutting down"), run(new Event.Drain()).getFirst());
    }

    @Test
    void aLostConnectionIs1006AndAPingTimeoutResets() {
        assertEquals(List.of(new Effect.Disconnect(CloseHandshake.ABNORMAL, "")), run(new Event.TunnelClosed()));
        assertTrue(run(new Event.PingTimeout()).contains(new Effect.Reset()));
    }

    /** From every sequence of up to four events: at most one close frame and exactly one disconnect at the end. */
    @Test
    void neverTwoCloseFramesAndExactlyOneDisconnectWhateverHappens() {
        List<List<Event>> sequences = new ArrayList<>();
        sequences.add(List.of());
        for (int depth = 0; depth < 4; depth++) {
            List<List<Event>> longer = new ArrayList<>();
            for (List<Event> s : sequences) {
                for (Event e : EVENTS) {
                    var next = new ArrayList<>(s);
                    next.add(e);
                    longer.add(next);
                }
            }
            sequences = longer;
        }
        for (List<Event> s : sequences) {
            var all = new ArrayList<>(s);
            all.add(new Event.TunnelClosed()); // every session ends with its tunnel
            List<Effect> effects = run(all.toArray(Event[]::new));
            long closes = effects.stream().filter(e -> e instanceof Effect.SendClose).count();
            long disconnects = effects.stream().filter(e -> e instanceof Effect.Disconnect).count();
            assertTrue(closes <= 1, "two close frames after " + s + ": " + effects);
            assertEquals(1, disconnects, "disconnects after " + s + ": " + effects);
        }
    }

    @Test
    void doneIgnoresEverything() {
        for (Event e : EVENTS) {
            var step = CloseHandshake.update(new State.Done(), e);
            assertInstanceOf(State.Done.class, step.state());
            assertTrue(step.effects().isEmpty());
        }
    }

    @Test
    void closeCodesAClientMaySend() {
        for (int ok : new int[]{1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4999}) {
            assertTrue(CloseHandshake.isValid(ok), String.valueOf(ok));
        }
        for (int bad : new int[]{0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535}) {
            assertFalse(CloseHandshake.isValid(bad), String.valueOf(bad));
        }
    }
}
