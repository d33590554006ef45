package dev.pounce.runtime.internal.bridge;

import dev.pounce.api.Headers;

import java.util.List;

/**
 * The {@code Alt-Svc} advertisements (RFC 7838) of the enabled protocols that make one, such as HTTP/3's
 * {@code h3=":443"; ma=86400}, added to the responses of every other protocol. Frozen once the port is known.
 *
 * @param adverts each advertising protocol's name and field value
 */
public record AltSvc(List<Advert> adverts) {

    /** No protocol advertises. */
    public static final AltSvc NONE = new AltSvc(List.of());

    /**
     * One protocol's advertisement.
     *
     * @param protocol the advertising protocol's name, whose own responses do not carry it
     * @param value    the field value
     */
    public record Advert(String protocol, String value) { }

    /** Copies the list. */
    public AltSvc {
        adverts = List.copyOf(adverts);
    }

    /**
     * @param protocol the protocol serving a response
     * @param headers  the app's response fields
     * @return the fields with the other protocols' advertisements added, unless the app set {@code alt-svc} itself
     */
    Headers addTo(String protocol, Headers headers) {
        if (adverts.isEmpty() || headers.first("alt-svc").isPresent()) {
            return headers;
        }
        StringBuilder value = new StringBuilder();
        for (Advert a : adverts) {
            if (!a.protocol().equals(protocol)) {
                value.append(value.isEmpty() ? "" : ", ").append(a.value());
            }
        }
        if (value.isEmpty()) {
            return headers;
        }
        var b = Headers.builder();
        headers.forEach(b::add);
        return b.add("alt-svc", value.toString()).build();
    }
}
