/**
 * Prometheus metrics ({@code --metrics-path}): per-worker counters that the request path adds to without a lock
 * ({@link dev.pounce.runtime.internal.metrics.WorkerMetrics}), merged only when scraped
 * ({@link dev.pounce.runtime.internal.metrics.ServerMetrics}), with the parent of process workers gathering its
 * children's over the control channel, and written in the text exposition format 0.0.4
 * ({@link dev.pounce.runtime.internal.metrics.Exposition}).
 */
package dev.pounce.runtime.internal.metrics;
