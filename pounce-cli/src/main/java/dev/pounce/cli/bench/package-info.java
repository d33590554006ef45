/**
 * {@code pounce bench}: the built-in bench app, a Netty load client (HTTP/1.1 kept alive or a connection per
 * request, h2c with several streams per connection; a closed loop or a fixed rate that counts latency from each
 * request's due time), lock-free per-sender latency histograms merged at the end, and the text, JSON and HTML
 * reports. The command's flags are in {@code dev.pounce.cli.BenchCommand}.
 */
package dev.pounce.cli.bench;
