package dev.pounce.runtime.internal.lifecycle;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every transition into, inside and out of the reloading phase. */
class ReloadTransitionsTest {

    private static final ServerState.Reloading RELOADING = new ServerState.Reloading("SIGHUP");

    @Test
    void reloadWhileServingStartsAReload() {
        var t = Lifecycle.update(new ServerState.Serving(), new ServerMessage.ReloadRequested("SIGHUP"));
        assertEquals(RELOADING, t.state());
        assertEquals(List.of(new Effect.StartReload("SIGHUP")), t.effects());
    }

    @Test
    void aSuccessfulReloadServesAgain() {
        var t = Lifecycle.update(RELOADING, new ServerMessage.ReloadFinished(true));
        assertEquals(new ServerState.Serving(), t.state());
        assertTrue(t.effects().isEmpty());
    }

    @Test
    void aFailedReloadServesAgainWithTheOldGeneration() {
        var t = Lifecycle.update(RELOADING, new ServerMessage.ReloadFinished(false));
        assertEquals(new ServerState.Serving(), t.state());
        assertTrue(t.effects().isEmpty());
    }

    @Test
    void aSecondReloadDuringAReloadIsDropped() {
        var t = Lifecycle.update(RELOADING, new ServerMessage.ReloadRequested("api"));
        assertEquals(RELOADING, t.state());
        assertTrue(t.effects().isEmpty());
    }

    @Test
    void aSignalDuringAReloadDrains() {
        var t = Lifecycle.update(RELOADING, new ServerMessage.Signal("TERM"));
        assertEquals(new ServerState.Draining("signal TERM"), t.state());
        assertEquals(List.of(new Effect.DrainWorkers("signal TERM")), t.effects());
    }

    @Test
    void aShutdownRequestDuringAReloadDrains() {
        var t = Lifecycle.update(RELOADING, new ServerMessage.ShutdownRequested("shutdown"));
        assertEquals(new ServerState.Draining("shutdown"), t.state());
        assertEquals(List.of(new Effect.DrainWorkers("shutdown")), t.effects());
    }

    @Test
    void stopNowDuringAReloadStops() {
        var t = Lifecycle.update(RELOADING, new ServerMessage.StopNow());
        assertEquals(new ServerState.Stopped(1), t.state());
        assertEquals(List.of(new Effect.StopWorkersNow(), new Effect.Finish(1, false)), t.effects());
    }

    static Stream<ServerMessage> ignoredWhileReloading() {
        return Stream.of(new ServerMessage.Started(), new ServerMessage.WorkersExited(false),
                new ServerMessage.WorkersStopped(true), new ServerMessage.LifespanFinished());
    }

    @ParameterizedTest
    @MethodSource("ignoredWhileReloading")
    void theOldGenerationEndingDoesNotStopTheServer(ServerMessage message) {
        var t = Lifecycle.update(RELOADING, message);
        assertEquals(RELOADING, t.state());
        assertTrue(t.effects().isEmpty());
    }

    static Stream<ServerState> statesThatIgnoreReloads() {
        return Stream.of(new ServerState.Starting(), new ServerState.Draining("shutdown"),
                new ServerState.ShuttingDown(true, 0), new ServerState.Stopped(0));
    }

    @ParameterizedTest
    @MethodSource("statesThatIgnoreReloads")
    void reloadIsIgnoredUnlessServing(ServerState state) {
        var t = Lifecycle.update(state, new ServerMessage.ReloadRequested("SIGHUP"));
        assertEquals(state, t.state());
        assertTrue(t.effects().isEmpty());
        var f = Lifecycle.update(state, new ServerMessage.ReloadFinished(true));
        assertEquals(state, f.state());
        assertTrue(f.effects().isEmpty());
    }

    @Test
    void aLateReloadFinishedWhileServingChangesNothing() {
        var t = Lifecycle.update(new ServerState.Serving(), new ServerMessage.ReloadFinished(true));
        assertEquals(new ServerState.Serving(), t.state());
        assertTrue(t.effects().isEmpty());
    }
}
