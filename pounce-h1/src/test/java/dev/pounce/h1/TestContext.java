package dev.pounce.h1;

import dev.pounce.api.Endpoint;
import dev.pounce.api.ServerConfig;
import dev.pounce.api.WorkerIdentity;
import dev.pounce.spi.Bridge;
import dev.pounce.spi.ConnectionContext;
import dev.pounce.spi.ConnectionInfo;
import dev.pounce.spi.ConnectionTakeover;
import dev.pounce.spi.UpgradeProvider;

import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The runtime's view of one test connection: a fixed connection id 7 from 127.0.0.1, the plugins a test enables,
 * and a draining flag the test flips.
 *
 * @param config     the configuration
 * @param bridge     the test's bridge
 * @param upgrades   the upgrade providers enabled
 * @param takeovers  the connection takeovers enabled
 * @param drainState read for {@link #draining()}
 */
record TestContext(ServerConfig config, Bridge bridge, List<UpgradeProvider> upgrades,
                   List<ConnectionTakeover> takeovers, BooleanSupplier drainState) implements ConnectionContext {

    TestContext(ServerConfig config, Bridge bridge) {
        this(config, bridge, List.of(), List.of(), () -> false);
    }

    @Override
    public ConnectionInfo info() {
        return new ConnectionInfo(7, new WorkerIdentity(0, 1), Optional.of(new Endpoint("127.0.0.1", 50000)),
                Optional.of(new Endpoint("127.0.0.1", 8000)), false);
    }

    @Override
    public boolean draining() {
        return drainState.getAsBoolean();
    }
}
