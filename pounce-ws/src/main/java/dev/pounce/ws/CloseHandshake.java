package dev.pounce.ws;

import java.util.List;

/**
 * How a session ends (RFC 6455 sections 5.5.1, 7.1 and 7.2), as a pure function from a state and an event to the
 * next state and the effects the session carries out. Written this way so that two rules hold by construction and
 * are tested without sockets: the app hears exactly one {@link Effect.Disconnect}, and the server sends at most one
 * close frame, so a close of ours is never followed by a second one with another code.
 *
 * <p>A close the client starts, or a protocol error, does not answer at once: the session first lets the app catch
 * up ({@link Effect.AwaitCatchUp}) with the messages delivered before it, so that its replies to them go out before
 * the close frame, as they would from a server that answers on the event loop. RFC 6455 section 5.5.1 allows this
 * ("an endpoint MAY delay sending a Close frame until its current message is sent"). The app hears the disconnect
 * only then, since the bridge refuses an app's sends once it has. The close timeout bounds the wait.
 */
final class CloseHandshake {

    /** The close code that stands for "no code": a close frame with an empty body (RFC 6455 section 7.4.1). */
    static final int NO_CODE = 1005;
    /** The code the app hears when the connection was lost without a close frame (RFC 6455 section 7.4.1). */
    static final int ABNORMAL = 1006;

    private CloseHandshake() {
    }

    /**
     * @param code a close code from a client's close frame
     * @return whether it may be sent (RFC 6455 section 7.4): the codes defined for the protocol, 1000 to 1003 and
     *         1007 to 1014 (1004 to 1006 and 1015 must never be sent), or one for libraries and apps, 3000 to 4999
     */
    static boolean isValid(int code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
    }

    /** Where the session stands. */
    sealed interface State {
        /** Messages flow both ways. */
        record Open() implements State { }

        /**
         * The client closed, or broke the protocol: input has stopped, and once the app has caught up the server owes
         * this close frame and the app this disconnect.
         */
        record Owed(int code, String reason, Effect.Disconnect disconnect) implements State { }

        /**
         * Our close frame is out.
         *
         * @param answered whether the client's close came (or input stopped), so only the end of the tunnel is left
         */
        record Sent(boolean answered) implements State { }

        /** The tunnel is gone, or was reset. */
        record Done() implements State { }
    }

    /** What happens to the session. */
    sealed interface Event {
        /** A valid close frame from the client; {@link #NO_CODE} when it had no body. */
        record ClientClosed(int code, String reason) implements Event { }

        /** The client broke the protocol: 1002, 1007 or 1009 (RFC 6455 section 7.1.7). */
        record Violation(int code, String reason) implements Event { }

        /** The app closes (or the bridge does, for a write timeout). */
        record AppClose(int code, String reason) implements Event { }

        /** The server drains: going away, 1001. */
        record Drain() implements Event { }

        /** The app has taken every message delivered and waits for more: its replies are out. */
        record CaughtUp() implements Event { }

        /** The client did not answer our close in time, or the app did not catch up in time. */
        record CloseTimeout() implements Event { }

        /** The client stayed silent after a ping. */
        record PingTimeout() implements Event { }

        /** The client ended its direction without a close frame (TCP FIN, END_STREAM). */
        record InputEnded() implements Event { }

        /** The tunnel closed under the session. */
        record TunnelClosed() implements Event { }
    }

    /** What the session does. */
    sealed interface Effect {
        /** Write our close frame; {@link #NO_CODE} for an empty body. */
        record SendClose(int code, String reason) implements Effect { }

        /** Tell the app the session ended. */
        record Disconnect(int code, String reason) implements Effect { }

        /** Read no more frames; what arrives is dropped. */
        record StopInput() implements Effect { }

        /** Send {@link Event.CaughtUp} once the app has caught up. */
        record AwaitCatchUp() implements Effect { }

        /**
         * Send {@link Event.CloseTimeout} if the session does not move on within the close timeout: while the app
         * catches up, and again once our close frame is out.
         */
        record ArmCloseTimer() implements Effect { }

        /** End our direction once queued bytes are out. */
        record End() implements Effect { }

        /** Cut the tunnel at once. */
        record Reset() implements Effect { }
    }

    /** The next state and what to do. */
    record Step(State state, List<Effect> effects) {
        static Step stay(State state) {
            return new Step(state, List.of());
        }
    }

    /** The state a session starts in, once accepted. */
    static final State OPEN = new State.Open();

    /**
     * @param state where the session stands
     * @param event what happened
     * @return the next state and the effects, in the order they are to be carried out
     */
    static Step update(State state, Event event) {
        return switch (state) {
            case State.Open open -> fromOpen(open, event);
            case State.Owed owed -> fromOwed(owed, event);
            case State.Sent sent -> fromSent(sent, event);
            case State.Done done -> Step.stay(done);
        };
    }

    private static Step fromOpen(State.Open open, Event event) {
        return switch (event) {
            // RFC 6455 section 5.5.1: the answer typically echoes the code received.
            case Event.ClientClosed c -> owe(c.code(), "", new Effect.Disconnect(c.code(), c.reason()));
            // Section 7.1.7: _Fail the WebSocket Connection_ reads nothing more, not even the client's close.
            case Event.Violation v -> owe(v.code(), v.reason(), new Effect.Disconnect(v.code(), v.reason()));
            case Event.AppClose a -> new Step(new State.Sent(false), List.of(
                    new Effect.SendClose(a.code(), a.reason()), new Effect.ArmCloseTimer()));
            case Event.Drain _ -> new Step(new State.Sent(false), List.of(
                    new Effect.SendClose(1001, "server shutting down"), new Effect.ArmCloseTimer()));
            case Event.PingTimeout _ -> new Step(new State.Done(), List.of(
                    new Effect.Disconnect(ABNORMAL, "ping timeout"), new Effect.Reset()));
            case Event.InputEnded _ -> new Step(new State.Done(), List.of(
                    new Effect.Disconnect(ABNORMAL, ""), new Effect.End()));
            case Event.TunnelClosed _ -> new Step(new State.Done(), List.of(new Effect.Disconnect(ABNORMAL, "")));
            case Event.CaughtUp _, Event.CloseTimeout _ -> Step.stay(open);
        };
    }

    private static Step owe(int code, String reason, Effect.Disconnect disconnect) {
        return new Step(new State.Owed(code, reason, disconnect), List.of(new Effect.StopInput(),
                new Effect.AwaitCatchUp(), new Effect.ArmCloseTimer()));
    }

    private static Step fromOwed(State.Owed owed, Event event) {
        return switch (event) {
            // The app closing, the server draining or an app that did not catch up in time: nothing more to wait
            // for.
            case Event.CaughtUp _, Event.AppClose _, Event.Drain _, Event.CloseTimeout _ -> answer(owed);
            case Event.TunnelClosed _ -> new Step(new State.Done(), List.of(owed.disconnect()));
            // Input has stopped, and no ping timer runs: nothing else can come.
            case Event.ClientClosed _, Event.Violation _, Event.PingTimeout _, Event.InputEnded _ -> Step.stay(owed);
        };
    }

    private static Step answer(State.Owed owed) {
        // Section 7.1.1: the server closes the TCP connection first, once the close frames have crossed.
        return new Step(new State.Sent(true), List.of(new Effect.SendClose(owed.code(), owed.reason()),
                owed.disconnect(), new Effect.End(), new Effect.ArmCloseTimer()));
    }

    private static Step fromSent(State.Sent sent, Event event) {
        if (sent.answered()) {
            return switch (event) {
                case Event.TunnelClosed _ -> Step.stay(new State.Done());
                case Event.CloseTimeout _ -> new Step(new State.Done(), List.of(new Effect.Reset()));
                case Event.ClientClosed _, Event.Violation _, Event.AppClose _, Event.Drain _, Event.CaughtUp _,
                     Event.PingTimeout _, Event.InputEnded _ -> Step.stay(sent);
            };
        }
        return switch (event) {
            case Event.ClientClosed c -> new Step(new State.Sent(true), List.of(
                    new Effect.Disconnect(c.code(), c.reason()), new Effect.StopInput(), new Effect.End()));
            case Event.Violation v -> new Step(new State.Sent(true), List.of(
                    new Effect.Disconnect(v.code(), v.reason()), new Effect.StopInput(), new Effect.End()));
            case Event.InputEnded _ -> new Step(new State.Sent(true), List.of(
                    new Effect.Disconnect(ABNORMAL, ""), new Effect.End()));
            case Event.TunnelClosed _ -> new Step(new State.Done(), List.of(new Effect.Disconnect(ABNORMAL, "")));
            case Event.CloseTimeout _ -> new Step(new State.Done(), List.of(
                    new Effect.Disconnect(ABNORMAL, "close handshake timed out"), new Effect.Reset()));
            case Event.AppClose _, Event.Drain _, Event.CaughtUp _, Event.PingTimeout _ -> Step.stay(sent);
        };
    }
}
