package dev.pounce.ws;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Negotiates permessage-deflate (RFC 7692 section 7.1) from the client's {@code Sec-WebSocket-Extensions}: the first
 * offer the server can take wins (section 5), an offer with an unknown, repeated or malformed parameter is declined
 * and the next one tried, and if none is taken the response carries no extension. Pure functions.
 */
final class PerMessageDeflate {

    static final String NAME = "permessage-deflate";

    private PerMessageDeflate() {
    }

    /**
     * What both sides agreed.
     *
     * @param serverWindowBits      the window the server compresses with
     * @param serverContextTakeover whether the server keeps its context between messages
     * @param clientContextTakeover whether the client may keep its context, so the server keeps its decompressor
     * @param response              the {@code Sec-WebSocket-Extensions} element to answer with
     */
    record Agreement(int serverWindowBits, boolean serverContextTakeover, boolean clientContextTakeover,
                     String response) {
    }

    /**
     * @param headerValues every {@code Sec-WebSocket-Extensions} value the client sent
     * @param config       the server's deflate settings
     * @return the agreement, or empty when the client offered nothing the server takes (or deflate is off)
     */
    static Optional<Agreement> negotiate(List<String> headerValues, WebSocketConfig.Deflate config) {
        if (!config.enabled()) {
            return Optional.empty();
        }
        for (String value : headerValues) {
            for (String element : split(value, ',')) {
                List<String> parts = split(element, ';');
                if (parts.isEmpty() || !parts.getFirst().strip().equalsIgnoreCase(NAME)) {
                    continue;
                }
                Optional<Agreement> taken = accept(parts.subList(1, parts.size()), config);
                if (taken.isPresent()) {
                    return taken;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Agreement> accept(List<String> rawParams, WebSocketConfig.Deflate config) {
        Map<String, Optional<String>> params = new LinkedHashMap<>();
        for (String raw : rawParams) {
            int eq = raw.indexOf('=');
            String name = (eq < 0 ? raw : raw.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
            Optional<String> value = eq < 0 ? Optional.empty() : Optional.of(unquote(raw.substring(eq + 1).strip()));
            if (name.isEmpty() || params.put(name, value) != null) {
                return Optional.empty(); // section 7: a repeated parameter declines the offer
            }
        }
        boolean serverNoTakeover = false;
        boolean clientNoTakeover = false;
        int serverBits = 15;
        Optional<Integer> clientBits = Optional.empty();
        for (var p : params.entrySet()) {
            Optional<String> v = p.getValue();
            switch (p.getKey()) {
                case "server_no_context_takeover" -> {
                    if (v.isPresent()) {
                        return Optional.empty();
                    }
                    serverNoTakeover = true;
                }
                case "client_no_context_takeover" -> {
                    if (v.isPresent()) {
                        return Optional.empty();
                    }
                    clientNoTakeover = true;
                }
                case "server_max_window_bits" -> {
                    // Section 7.1.2.1: a value is required.
                    Optional<Integer> bits = v.flatMap(PerMessageDeflate::windowBits);
                    if (bits.isEmpty()) {
                        return Optional.empty();
                    }
                    serverBits = bits.get();
                }
                case "client_max_window_bits" -> {
                    // Section 7.1.2.2: the value is optional; without one the client only says it supports it.
                    if (v.isPresent() && windowBits(v.get()).isEmpty()) {
                        return Optional.empty();
                    }
                    clientBits = Optional.of(v.flatMap(PerMessageDeflate::windowBits).orElse(15));
                }
                default -> {
                    return Optional.empty();
                }
            }
        }
        int window = Math.min(serverBits, config.serverWindowBits());
        // The JDK compressor keeps 15 bits of history, so a smaller window means compressing every message afresh.
        boolean serverTakeover = !serverNoTakeover && config.serverContextTakeover() && window == 15;
        boolean clientTakeover = !clientNoTakeover && config.clientContextTakeover();
        List<String> response = new ArrayList<>(List.of(NAME));
        if (!serverTakeover) {
            response.add("server_no_context_takeover");
        }
        if (!clientTakeover) {
            response.add("client_no_context_takeover");
        }
        if (window < 15 || params.containsKey("server_max_window_bits")) {
            response.add("server_max_window_bits=" + window);
        }
        // Only a client that offered client_max_window_bits may be sent it (section 7.1.2.2).
        if (clientBits.isPresent()) {
            int asked = Math.min(clientBits.get(), config.clientWindowBits());
            if (asked < 15) {
                response.add("client_max_window_bits=" + asked);
            }
        }
        return Optional.of(new Agreement(window, serverTakeover, clientTakeover, String.join("; ", response)));
    }

    private static Optional<Integer> windowBits(String value) {
        // Section 7.1.2: 1*DIGIT, 8 to 15, no leading zero.
        if (value.length() < 1 || value.length() > 2 || value.charAt(0) == '0' || !value.chars().allMatch(
                Character::isDigit)) {
            return Optional.empty();
        }
        int bits = Integer.parseInt(value);
        return bits >= 8 && bits <= 15 ? Optional.of(bits) : Optional.empty();
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.charAt(0) == '"' && value.charAt(value.length() - 1) == '"') {
            return value.substring(1, value.length() - 1).replace("\\", "");
        }
        return value;
    }

    /** Splits on a separator outside quoted strings, dropping empty parts. */
    private static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        var current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == separator && !quoted) {
                add(parts, current);
            } else {
                current.append(c);
            }
        }
        add(parts, current);
        return parts;
    }

    private static void add(List<String> parts, StringBuilder current) {
        if (!current.toString().isBlank()) {
            parts.add(current.toString().strip());
        }
        current.setLength(0);
    }
}
