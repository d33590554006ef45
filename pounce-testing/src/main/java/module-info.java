/**
 * The Pounce testing kit: a JUnit 5 extension that starts a real server for a test class, and a raw HTTP/1.x client.
 * <pre>{@code
 * @RegisterExtension
 * static PounceServer server = PounceServer.of(new HelloApp());
 *
 * @Test
 * void hello() throws Exception {
 *     var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri("/")).build(),
 *             HttpResponse.BodyHandlers.ofString());
 *     assertEquals(200, response.statusCode());
 * }
 * }</pre>
 * Add the protocol plugins you test with (at least {@code pounce-h1}) and an SLF4J binding as test dependencies.
 */
module dev.pounce.testing {
    // PounceServer starts dev.pounce.runtime.Server; its API (App, ServerConfig) comes along transitively.
    requires transitive dev.pounce.runtime;
    requires transitive org.junit.jupiter.api;

    exports dev.pounce.testing;
}
