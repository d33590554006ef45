package dev.pounce.h2.bench;

import dev.pounce.api.App;
import dev.pounce.api.Headers;
import dev.pounce.api.HttpMessage;
import dev.pounce.api.HttpScope;
import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.Server;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The demo-like hello app on Pounce, for h2load against h2c, TLS and HTTP/1.1 on the same server. Reads the body
 * if any, answers 200 {@code text/plain} "Hello from Pounce!". Arguments: port, workers, then optionally the PEM
 * certificate and key for TLS. See {@link RawNettyH2Hello} for how to run it.
 */
public final class PounceHello {

    private static final byte[] HELLO = "Hello from Pounce!\n".getBytes(StandardCharsets.US_ASCII);
    private static final Headers TEXT = Headers.of("content-type", "text/plain");

    private PounceHello() {
    }

    /**
     * @param args port [workers [cert.pem key.pem]]
     * @throws Exception if the server cannot start
     */
    public static void main(String[] args) throws Exception {
        App app = (scope, receive, send) -> {
            if (!(scope instanceof HttpScope)) {
                return;
            }
            while (receive.receive() instanceof HttpMessage.Request r && r.more()) {
                // drain the body
            }
            send.send(new HttpMessage.ResponseStart(200, TEXT));
            send.send(new HttpMessage.ResponseBody(HELLO, false));
        };
        var config = ServerConfig.builder().host("127.0.0.1").port(Integer.parseInt(args[0]))
                .workers(args.length > 1 ? Integer.parseInt(args[1]) : 1).accessLog(false);
        if (args.length > 3) {
            config.sslCertFile(Path.of(args[2])).sslKeyFile(Path.of(args[3]));
        }
        Server.builder(app, config.build()).run();
    }
}
