/**
 * Test fixtures for anyone who tests against a real Pounce server, app developers and plugin authors alike: the
 * {@link dev.pounce.testing.PounceServer} JUnit 5 extension (a server on a free port for a test class) and a
 * raw-socket HTTP/1.x client, {@link dev.pounce.testing.RawConnection}, for input no client library will send.
 *
 * <p>Extra plugins: the server runs in the test's JVM and finds plugins with {@link java.util.ServiceLoader}, so a
 * plugin under test is switched on by being on the test class path (its {@code META-INF/services} entry) or module
 * path (its {@code provides}): in Maven, the plugin's own module, or a {@code test}-scoped dependency on its jar.
 */
package dev.pounce.testing;
