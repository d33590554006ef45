/**
 * Response compression: a decorator around the app's {@code Send} for HTTP scopes that negotiates
 * {@code Accept-Encoding} and encodes the body with zstd, brotli or gzip, chunk by chunk with a flush per chunk, so
 * that every protocol gets it and a streamed response (server-sent events) is never held back.
 *
 * <p>gzip is {@code java.util.zip}'s and always there. zstd ({@code com.github.luben.zstd_jni}) and brotli
 * ({@code com.aayushatharva.brotli4j}) are optional modules: the runtime {@code requires static} them and uses each
 * only when it is resolved at run time, so the jlink image, which leaves them out, still links and serves gzip.
 * Both have real module descriptors; zstd-jni 1.5.7-18 to -21 have one the JVM refuses; the build takes a later one.
 */
package dev.pounce.runtime.internal.compress;
