/**
 * TLS for the stream listener: reads the PEM certificate chain, key and CA files named by {@code --ssl-certfile},
 * {@code --ssl-keyfile} and {@code --ssl-ca-certs} into one Netty {@link io.netty.handler.ssl.SslContext}
 * ({@link dev.pounce.runtime.internal.tls.ServerTls}), with a startup error naming the flag and the file for each
 * way a file can be wrong.
 *
 * <p>What is offered: TLS 1.3 and 1.2 only; TLS 1.2 suites with ECDHE and AES-GCM or ChaCha20-Poly1305 only; no
 * TLS compression (neither engine implements it, so CRIME is closed by construction); a session cache of 20480
 * sessions resumable for one hour, and TLS 1.3 session tickets with keys each engine makes and rotates itself;
 * client certificates none, optional or required, verified against {@code --ssl-ca-certs}; ALPN offering the ids
 * of the enabled stream protocols in preference order ({@code h2} before {@code http/1.1}).
 *
 * <p>Engine: OpenSSL (BoringSSL, from {@code netty-tcnative-boringssl-static}) when its native library loads, the
 * JDK's JSSE otherwise. netty-tcnative 2.0.84 passes our rule that every runtime dependency is a real JPMS module:
 * {@code jar --describe-module --release 25} shows named descriptors in its multi-release jars,
 * {@code io.netty.tcnative.classes.openssl} (the Java classes, which the runtime {@code requires} so that they are
 * always resolved and {@code io.netty.handler} reads them) and {@code io.netty.internal.tcnative.openssl.linux.x86_64}
 * (only the {@code .so}). Like the epoll jar, the native module is required by no one, so a launcher must resolve
 * it ({@code --add-modules ALL-MODULE-PATH}, or by name in a jlink image); without it, or on a platform whose
 * native jar is not shipped, OpenSSL reports itself unavailable and the JDK engine serves, with the same protocols,
 * suites and checks. {@code -Ddev.pounce.tls.engine=jdk} forces the JDK engine.
 *
 * <p>Keys are decoded by the JDK in both cases (PKCS#8, encrypted PKCS#8, PKCS#1, SEC1), so both engines see the
 * same objects and report the same errors.
 */
package dev.pounce.runtime.internal.tls;
