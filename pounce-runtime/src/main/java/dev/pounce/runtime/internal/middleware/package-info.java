/**
 * The built-in middleware, CORS ({@code --cors-allow-origin} and friends) and security headers
 * ({@code --security-headers}, {@code --hsts-max-age}, ...): each a {@link dev.pounce.spi.MiddlewareProvider} with its
 * own {@link dev.pounce.api.ConfigSection}, found by {@link java.util.ServiceLoader} as a third party's would be.
 *
 * <p>Defaults, and why. CORS is off until an origin is allowed: a server that lets other sites read its responses
 * must be told which. Security headers are off until {@code --security-headers}: they change what browsers do with
 * the app's pages ({@code X-Frame-Options: DENY} breaks an app shown in a frame, {@code nosniff} blocks a script
 * served with the wrong type), so switching the server on or upgrading it must not change an app silently; one
 * flag turns on a set that suits most sites. HSTS is separate and off until {@code --hsts-max-age}: a browser that
 * saw it refuses plain HTTP for that host for the whole max-age, so it must never come from a default.
 */
package dev.pounce.runtime.internal.middleware;
