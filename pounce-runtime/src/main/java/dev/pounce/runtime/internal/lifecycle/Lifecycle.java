package dev.pounce.runtime.internal.lifecycle;

import java.util.List;

/** The server's transitions, as one pure function. */
public final class Lifecycle {

    private Lifecycle() {
    }

    /**
     * The next state and its effects.
     *
     * @param state   the current state
     * @param message what happened
     * @return the transition
     */
    public static Transition update(ServerState state, ServerMessage message) {
        return switch (state) {
            case ServerState.Starting s -> switch (message) {
                case ServerMessage.Started m -> Transition.stay(new ServerState.Serving());
                case ServerMessage.ReloadRequested m -> Transition.stay(s);
                case ServerMessage.ReloadFinished m -> Transition.stay(s);
                case ServerMessage.ShutdownRequested m -> drain(m.reason());
                case ServerMessage.Signal m -> drain("signal " + m.name());
                case ServerMessage.StopNow m -> stopNow();
                case ServerMessage.WorkersExited m -> lifespanShutdown(!m.failed(), m.failed() ? 1 : 0);
                case ServerMessage.WorkersStopped m -> Transition.stay(s);
                case ServerMessage.LifespanFinished m -> Transition.stay(s);
            };
            case ServerState.Serving s -> switch (message) {
                case ServerMessage.Started m -> Transition.stay(s);
                case ServerMessage.ReloadRequested m -> new Transition(new ServerState.Reloading(m.trigger()),
                        List.of(new Effect.StartReload(m.trigger())));
                case ServerMessage.ReloadFinished m -> Transition.stay(s);
                case ServerMessage.ShutdownRequested m -> drain(m.reason());
                case ServerMessage.Signal m -> drain("signal " + m.name());
                case ServerMessage.StopNow m -> stopNow();
                // Every worker drained itself (max requests): nothing is left to drain.
                case ServerMessage.WorkersExited m -> lifespanShutdown(!m.failed(), m.failed() ? 1 : 0);
                case ServerMessage.WorkersStopped m -> lifespanShutdown(m.graceful(), 0);
                case ServerMessage.LifespanFinished m -> Transition.stay(s);
            };
            case ServerState.Reloading s -> switch (message) {
                case ServerMessage.Started m -> Transition.stay(s);
                // One reload at a time: a request during a reload is dropped, as the Python supervisor's lock does.
                case ServerMessage.ReloadRequested m -> Transition.stay(s);
                case ServerMessage.ReloadFinished m -> Transition.stay(new ServerState.Serving());
                case ServerMessage.ShutdownRequested m -> drain(m.reason());
                case ServerMessage.Signal m -> drain("signal " + m.name());
                case ServerMessage.StopNow m -> stopNow();
                // The old generation ending is the reload's doing, not a reason to stop.
                case ServerMessage.WorkersExited m -> Transition.stay(s);
                case ServerMessage.WorkersStopped m -> Transition.stay(s);
                case ServerMessage.LifespanFinished m -> Transition.stay(s);
            };
            case ServerState.Draining s -> switch (message) {
                case ServerMessage.Started m -> Transition.stay(s);
                case ServerMessage.ReloadRequested m -> Transition.stay(s);
                case ServerMessage.ReloadFinished m -> Transition.stay(s);
                case ServerMessage.ShutdownRequested m -> Transition.stay(s);
                // A second signal means "now": the operator will not wait for the drain.
                case ServerMessage.Signal m -> stopNow();
                case ServerMessage.StopNow m -> stopNow();
                case ServerMessage.WorkersExited m -> Transition.stay(s);
                case ServerMessage.WorkersStopped m -> lifespanShutdown(m.graceful(), 0);
                case ServerMessage.LifespanFinished m -> Transition.stay(s);
            };
            case ServerState.ShuttingDown s -> switch (message) {
                case ServerMessage.Started m -> Transition.stay(s);
                case ServerMessage.ReloadRequested m -> Transition.stay(s);
                case ServerMessage.ReloadFinished m -> Transition.stay(s);
                case ServerMessage.ShutdownRequested m -> Transition.stay(s);
                case ServerMessage.Signal m -> stopNow();
                case ServerMessage.StopNow m -> stopNow();
                case ServerMessage.WorkersExited m -> Transition.stay(s);
                case ServerMessage.WorkersStopped m -> Transition.stay(s);
                case ServerMessage.LifespanFinished m -> new Transition(new ServerState.Stopped(s.exitCode()),
                        List.of(new Effect.Finish(s.exitCode(), s.graceful())));
            };
            case ServerState.Stopped s -> Transition.stay(s);
        };
    }

    private static Transition drain(String reason) {
        return new Transition(new ServerState.Draining(reason), List.of(new Effect.DrainWorkers(reason)));
    }

    private static Transition stopNow() {
        return new Transition(new ServerState.Stopped(1),
                List.of(new Effect.StopWorkersNow(), new Effect.Finish(1, false)));
    }

    private static Transition lifespanShutdown(boolean graceful, int exitCode) {
        return new Transition(new ServerState.ShuttingDown(graceful, exitCode), List.of(new Effect.RunLifespanShutdown()));
    }
}
