package dev.pounce.runtime.internal.metrics;

import dev.pounce.spi.WorkerContext;

/**
 * The runtime's own {@link WorkerContext}, which also hands its metrics to the built-in {@code process} strategy, so
 * that the parent gathers its children's counters. A third party's strategy sees a plain {@link WorkerContext} and
 * has no part in metrics: the SPI stays as it is.
 */
public interface MeteredContext extends WorkerContext {

    /** @return the server's metrics */
    ServerMetrics metrics();
}
