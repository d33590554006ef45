package dev.pounce.runtime.internal.middleware;

import java.util.List;

/**
 * The CORS settings, frozen ({@link CorsSection}); names follow the Fetch standard's response fields.
 *
 * @param allowOrigins     origins allowed to read responses ({@code https://app.example:8443}), or {@code *} for any;
 *                         empty switches CORS off
 * @param allowMethods     methods a preflight may ask for, or {@code *}; GET, HEAD and POST always pass
 * @param allowHeaders     request fields a preflight may ask for, lower-case, or {@code *}
 * @param exposeHeaders    response fields a page may read besides the safelisted ones
 * @param allowCredentials whether a page may send cookies and read the answer; then the origin is echoed, never
 *                         {@code *}
 * @param maxAge           how long a browser may keep a preflight's answer, in seconds
 */
public record CorsPolicy(List<String> allowOrigins, List<String> allowMethods, List<String> allowHeaders,
                         List<String> exposeHeaders, boolean allowCredentials, int maxAge) {

    /** @return whether CORS is on: some origin is allowed */
    public boolean enabled() {
        return !allowOrigins.isEmpty();
    }

    /** @return whether every origin is allowed */
    public boolean anyOrigin() {
        return allowOrigins.contains("*");
    }
}
