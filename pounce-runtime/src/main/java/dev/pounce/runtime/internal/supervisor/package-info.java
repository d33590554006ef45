/**
 * The supervisor: the worker slots, the watchdog that restarts a dead worker in its slot with backoff under a
 * per-slot {@link dev.pounce.runtime.internal.supervisor.RestartBudget}, the rolling reload that starts generation
 * N+1 beside N before draining N, and the {@code --reload} file watcher.
 *
 * <p>Tests may shorten the restart budget through the system properties {@code pounce.internal.restartWindowMillis}
 * and {@code pounce.internal.restartBackoffMillis} (the first backoff); they are not a public setting. The silence
 * bound after which a hung process worker is killed ({@code pounce.internal.heartbeatSilenceMillis}) belongs to the
 * process strategy, which detects the hang; the watchdog sees only the death.
 */
package dev.pounce.runtime.internal.supervisor;
