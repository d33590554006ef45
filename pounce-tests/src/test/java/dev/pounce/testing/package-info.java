/**
 * Test fixtures for anyone who tests against a real Pounce server, plugin authors included: the
 * {@link dev.pounce.testing.PounceServer} JUnit extension (a server on a free port for a test class) and a raw-socket
 * HTTP/1.x client, {@link dev.pounce.testing.RawConnection}, for input no client library will send. Shipped as the
 * {@code pounce-tests} test-jar.
 */
package dev.pounce.testing;
