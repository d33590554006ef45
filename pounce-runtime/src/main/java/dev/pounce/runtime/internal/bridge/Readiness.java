package dev.pounce.runtime.internal.bridge;

/**
 * Whether the server still wants traffic: no from the moment its graceful shutdown begins, before any connection is
 * told to drain, so that the health endpoint answers {@code 503} while in-flight requests finish and a load balancer
 * stops sending in time. One per server, shared by every worker's bridge across rolling reloads; a process worker has
 * its own, which its shutdown order sets.
 */
public final class Readiness {

    private volatile boolean draining;

    /** The graceful shutdown has begun. Idempotent; any thread. */
    public void drainBegun() {
        draining = true;
    }

    /** @return whether the graceful shutdown has begun */
    public boolean draining() {
        return draining;
    }
}
