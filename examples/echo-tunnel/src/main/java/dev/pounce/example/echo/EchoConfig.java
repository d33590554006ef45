package dev.pounce.example.echo;

/**
 * The echo tunnel's settings.
 *
 * @param path the request path tunnels are offered on ({@code --echo-path}); other paths are denied with 404
 */
public record EchoConfig(String path) {
}
