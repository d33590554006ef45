/**
 * Hostile clients at scale, for benchmarks that do not run in CI (issue 9, item 5): slow-loris heads, thousands
 * of idle keep-alive connections over HTTP/1.1, h2c and HTTP/3, clients that never read their response, and the
 * well-behaved clients whose latency and errors show whether the server held up; and {@code h3-load}, HTTP/3's
 * counterpart of {@code h2load}, which has no QUIC here. {@link
 * dev.pounce.bench.hostile.Hostile} is the entry point; {@code pounce-bench/hostile.sh} and
 * {@code pounce-bench/soak.sh} drive it against {@code bin/pounce}.
 *
 * <p>Plain {@code java.nio} and blocking sockets rather than Netty's client: each tool needs only a few bytes of
 * protocol, written by hand, and must do things a real client library refuses to do (never finish a head, never
 * read a response). HTTP/2 is a minimal frame writer ({@code IdleH2}) for the same reason. Every client keeps
 * exact figures (all latencies, every cut with its age) rather than histograms; the runs are short enough. QUIC is
 * the exception: TLS 1.3, loss recovery and flow control cannot be hand-written in a few bytes, so the HTTP/3
 * clients ({@code QuicClients}, {@code H3Request}, {@code H3Load}, {@code IdleH3}) use Netty's HTTP/3 client.
 */
package dev.pounce.bench.hostile;
