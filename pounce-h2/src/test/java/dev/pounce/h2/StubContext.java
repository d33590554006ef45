package dev.pounce.h2;

import dev.pounce.api.Headers;
import dev.pounce.api.ServerConfig;
import dev.pounce.api.WorkerIdentity;
import dev.pounce.spi.Bridge;
import dev.pounce.spi.ConnectionContext;
import dev.pounce.spi.ConnectionInfo;
import dev.pounce.spi.ConnectionTakeover;
import dev.pounce.spi.RequestBodySink;
import dev.pounce.spi.UpgradeProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A connection context without a runtime, for tests that put the plugin on an {@code EmbeddedChannel}: the HTTP/2
 * section built from the values given, the upgrade providers given, and a bridge that records what the protocol
 * answered itself and serves nothing.
 *
 * @param config   the configuration, its {@code http2} section built
 * @param upgrades the upgrade providers handed to the connection
 * @param rejected the statuses the protocol answered itself, in order
 */
record StubContext(ServerConfig config, List<UpgradeProvider> upgrades, List<Integer> rejected)
        implements ConnectionContext {

    /**
     * @param settings plugin settings by key, such as {@code http2.enabled=false}
     * @param upgrades the upgrade providers
     */
    static StubContext of(Map<String, String> settings, List<UpgradeProvider> upgrades) {
        var builder = ServerConfig.builder().sections(List.of(Http2Config.SECTION));
        settings.forEach(builder::set);
        return new StubContext(builder.build(), upgrades, new ArrayList<>());
    }

    @Override
    public Bridge bridge() {
        return new Bridge() {
            @Override
            public RequestBodySink serve(dev.pounce.spi.HttpExchange exchange) {
                throw new UnsupportedOperationException("the stub serves no request");
            }

            @Override
            public dev.pounce.spi.WebSocketInbound serveWebSocket(dev.pounce.spi.WebSocketSession session) {
                throw new UnsupportedOperationException("the stub serves no WebSocket");
            }

            @Override
            public Headers rejected(ConnectionInfo connection, int status, String reason) {
                rejected.add(status);
                return Headers.empty();
            }
        };
    }

    @Override
    public ConnectionInfo info() {
        return new ConnectionInfo(1, new WorkerIdentity(0, 0), Optional.empty(), Optional.empty(), false);
    }

    @Override
    public List<ConnectionTakeover> takeovers() {
        return List.of();
    }

    @Override
    public boolean draining() {
        return false;
    }
}
