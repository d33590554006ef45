/**
 * Hostile clients at scale, for benchmarks that do not run in CI (issue 9, item 5): slow-loris heads, thousands
 * of idle keep-alive connections over HTTP/1.1 and h2c, clients that never read their response, and the
 * well-behaved clients whose latency and errors show whether the server held up. {@link
 * dev.pounce.bench.hostile.Hostile} is the entry point; {@code pounce-bench/hostile.sh} and
 * {@code pounce-bench/soak.sh} drive it against {@code bin/pounce}.
 *
 * <p>Plain {@code java.nio} and blocking sockets rather than Netty's client: each tool needs only a few bytes of
 * protocol, written by hand, and must do things a real client library refuses to do (never finish a head, never
 * read a response). HTTP/2 is a minimal frame writer ({@code IdleH2}) for the same reason. Every client keeps
 * exact figures (all latencies, every cut with its age) rather than histograms; the runs are short enough.
 */
package dev.pounce.bench.hostile;
