package dev.pounce.runtime.internal.lifecycle;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LifecycleTest {

    private static Transition step(ServerState state, ServerMessage message) {
        return Lifecycle.update(state, message);
    }

    @Test
    void startedServes() {
        var t = step(new ServerState.Starting(), new ServerMessage.Started());
        assertEquals(new ServerState.Serving(), t.state());
        assertTrue(t.effects().isEmpty());
    }

    @Test
    void firstSignalDrains() {
        var t = step(new ServerState.Serving(), new ServerMessage.Signal("TERM"));
        assertEquals(new ServerState.Draining("signal TERM"), t.state());
        assertEquals(List.of(new Effect.DrainWorkers("signal TERM")), t.effects());
    }

    @Test
    void shutdownRequestDrains() {
        var t = step(new ServerState.Serving(), new ServerMessage.ShutdownRequested("shutdown"));
        assertEquals(new ServerState.Draining("shutdown"), t.state());
        assertEquals(List.of(new Effect.DrainWorkers("shutdown")), t.effects());
    }

    @Test
    void secondSignalStopsAtOnceWithExitOne() {
        var t = step(new ServerState.Draining("signal TERM"), new ServerMessage.Signal("INT"));
        assertEquals(new ServerState.Stopped(1), t.state());
        assertEquals(List.of(new Effect.StopWorkersNow(), new Effect.Finish(1, false)), t.effects());
    }

    @Test
    void signalDuringLifespanShutdownStopsAtOnce() {
        var t = step(new ServerState.ShuttingDown(true, 0), new ServerMessage.Signal("TERM"));
        assertEquals(new ServerState.Stopped(1), t.state());
    }

    @Test
    void repeatedShutdownRequestIsIdempotent() {
        var draining = new ServerState.Draining("shutdown");
        var t = step(draining, new ServerMessage.ShutdownRequested("shutdown"));
        assertEquals(draining, t.state());
        assertTrue(t.effects().isEmpty());
    }

    @Test
    void drainedWorkersLeadToLifespanShutdown() {
        var t = step(new ServerState.Draining("shutdown"), new ServerMessage.WorkersStopped(false));
        assertEquals(new ServerState.ShuttingDown(false, 0), t.state());
        assertEquals(List.of(new Effect.RunLifespanShutdown()), t.effects());
    }

    @Test
    void lifespanDoneFinishesWithExitZeroAndCarriesGracefulness() {
        var t = step(new ServerState.ShuttingDown(false, 0), new ServerMessage.LifespanFinished());
        assertEquals(new ServerState.Stopped(0), t.state());
        assertEquals(List.of(new Effect.Finish(0, false)), t.effects());
    }

    @Test
    void workersThatExitOnTheirOwnEndTheServer() {
        var t = step(new ServerState.Serving(), new ServerMessage.WorkersExited(false));
        assertEquals(new ServerState.ShuttingDown(true, 0), t.state());
        assertEquals(List.of(new Effect.RunLifespanShutdown()), t.effects());
    }

    @Test
    void workersExitingDuringDrainWaitForTheDrainResult() {
        var draining = new ServerState.Draining("signal TERM");
        var t = step(draining, new ServerMessage.WorkersExited(true));
        assertEquals(draining, t.state());
        assertTrue(t.effects().isEmpty());
    }

    @Test
    void stopNowFromServing() {
        var t = step(new ServerState.Serving(), new ServerMessage.StopNow());
        assertEquals(new ServerState.Stopped(1), t.state());
        assertEquals(List.of(new Effect.StopWorkersNow(), new Effect.Finish(1, false)), t.effects());
    }

    @Test
    void signalWhileStartingDrainsWhatStarted() {
        var t = step(new ServerState.Starting(), new ServerMessage.Signal("INT"));
        assertEquals(new ServerState.Draining("signal INT"), t.state());
    }

    @Test
    void stoppedIgnoresEverything() {
        var stopped = new ServerState.Stopped(0);
        for (ServerMessage m : List.of(new ServerMessage.Started(), new ServerMessage.Signal("TERM"),
                new ServerMessage.StopNow(), new ServerMessage.WorkersExited(false),
                new ServerMessage.WorkersStopped(true), new ServerMessage.LifespanFinished(),
                new ServerMessage.ShutdownRequested("x"))) {
            var t = step(stopped, m);
            assertEquals(stopped, t.state(), m.toString());
            assertTrue(t.effects().isEmpty(), m.toString());
        }
    }

    @Test
    void workersTheSupervisorGaveUpOnEndTheServerWithExitOne() {
        var t = step(new ServerState.Serving(), new ServerMessage.WorkersExited(true));
        assertEquals(new ServerState.ShuttingDown(false, 1), t.state());
        assertEquals(List.of(new Effect.RunLifespanShutdown()), t.effects());
        var end = step(t.state(), new ServerMessage.LifespanFinished());
        assertEquals(new ServerState.Stopped(1), end.state());
        assertEquals(List.of(new Effect.Finish(1, false)), end.effects());
    }
}
