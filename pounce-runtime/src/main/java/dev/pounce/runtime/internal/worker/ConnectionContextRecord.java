package dev.pounce.runtime.internal.worker;

import dev.pounce.api.ServerConfig;
import dev.pounce.spi.Bridge;
import dev.pounce.spi.ConnectionContext;
import dev.pounce.spi.ConnectionInfo;
import dev.pounce.spi.ConnectionTakeover;
import dev.pounce.spi.UpgradeProvider;

import java.util.List;
import java.util.function.BooleanSupplier;

/** The runtime's {@link ConnectionContext}: fixed facts plus a live view of the worker's draining flag. */
record ConnectionContextRecord(ServerConfig config, Bridge bridge, ConnectionInfo info,
                               List<UpgradeProvider> upgrades, List<ConnectionTakeover> takeovers,
                               BooleanSupplier drainingFlag) implements ConnectionContext {

    @Override
    public boolean draining() {
        return drainingFlag.getAsBoolean();
    }
}
