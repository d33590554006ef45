/**
 * The echo tunnel: {@link dev.pounce.example.echo.EchoProvider} answers offers,
 * {@link dev.pounce.example.echo.Echo} echoes one tunnel with backpressure both ways, and
 * {@link dev.pounce.example.echo.EchoSection} holds its one setting.
 *
 * <p>Backpressure: a chunk is echoed only while the tunnel can take it, and the chunk's credit is given back
 * ({@code Tunnel.consumed}) only once it is written. So a client that stops reading makes the echo stop reading too,
 * and the origin's own flow control (TCP, or the HTTP/2 stream window) stops the client's sending: at most one
 * window of the client's bytes is ever held here.
 */
package dev.pounce.example.echo;
