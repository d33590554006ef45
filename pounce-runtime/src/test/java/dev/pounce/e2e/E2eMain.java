package dev.pounce.e2e;

import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.AppReference;
import dev.pounce.runtime.Server;

import java.time.Duration;

/** A server of {@link E2eApp} as its own JVM, as the {@code pounce} command runs one: {@code E2eMain STRATEGY N}. */
public final class E2eMain {

    private E2eMain() {
    }

    /**
     * @param args the worker strategy and the worker count
     * @throws Exception if it cannot start
     */
    public static void main(String[] args) throws Exception {
        var config = ServerConfig.builder().port(0).workerStrategy(args[0]).workers(Integer.parseInt(args[1]))
                .accessLog(false).gracefulShutdownTimeout(Duration.ofSeconds(20)).build();
        System.exit(Server.builder(AppReference.parse(E2eApp.class.getName()), config).run());
    }
}
