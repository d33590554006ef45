package dev.pounce.runtime.internal;

import dev.pounce.api.ServerConfig;
import dev.pounce.spi.ConnectionContext;
import dev.pounce.spi.Detection;
import dev.pounce.spi.ProtocolHandler;
import dev.pounce.spi.TransportKind;
import dev.pounce.spi.UpgradeHandler;
import dev.pounce.spi.UpgradeRequest;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The one place that applies {@code --no-http2}, and the ALPN preference order. */
class EnabledProtocolsTest {

    private record Protocol(String name, List<String> alpnIds, TransportKind transport) implements ProtocolHandler {
        @Override
        public Detection detect(ByteBuf prefix) {
            return Detection.NOT_RECOGNISED;
        }

        @Override
        public void initialize(Channel channel, ConnectionContext context) {
        }
    }

    private record Upgrade(String token) implements UpgradeHandler {
        @Override
        public boolean upgrade(UpgradeRequest request) {
            return false;
        }
    }

    private static final ProtocolHandler H1 = new Protocol("http/1.1", List.of("http/1.1"), TransportKind.STREAM);
    private static final ProtocolHandler H2 = new Protocol("h2", List.of("h2"), TransportKind.STREAM);
    private static final ProtocolHandler H3 = new Protocol("h3", List.of("h3"), TransportKind.QUIC);
    private static final ProtocolHandler THIRD = new Protocol("acme", List.of("acme/1"), TransportKind.STREAM);
    private static final UpgradeHandler WS = new Upgrade("websocket");
    private static final UpgradeHandler H2C = new Upgrade("h2c");

    @Test
    void offersH2BeforeHttp11WhateverTheLoadOrder() {
        var enabled = EnabledProtocols.of(ServerConfig.defaults(), List.of(H1, THIRD, H3, H2), List.of(WS, H2C));
        assertEquals(List.of("h2", "acme/1", "http/1.1"), enabled.alpn());
        assertEquals(List.of(H1, THIRD, H2), enabled.stream());
        assertEquals(List.of(WS, H2C), enabled.upgrades());
    }

    @Test
    void noHttp2LeavesOutH2ForAlpnDetectionAndH2cUpgrade() {
        var config = ServerConfig.builder().http2Enabled(false).build();
        var enabled = EnabledProtocols.of(config, List.of(H2, H1), List.of(H2C, WS));
        assertEquals(List.of("http/1.1"), enabled.alpn());
        assertEquals(List.of(H1), enabled.stream());
        assertEquals(List.of(WS), enabled.upgrades());
    }
}
