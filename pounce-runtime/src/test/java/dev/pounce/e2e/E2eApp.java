package dev.pounce.e2e;

import dev.pounce.api.App;
import dev.pounce.api.Headers;
import dev.pounce.api.HttpMessage;
import dev.pounce.api.HttpScope;
import dev.pounce.api.Receive;
import dev.pounce.api.Scope;
import dev.pounce.api.Send;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The app of the end-to-end tests: {@code /worker} says which worker, which process and which copy of the code
 * answered, {@code /halt} halts its own JVM, {@code /slow?ms=N} answers after N ms and prints {@code slow-entered}
 * first, {@code /spin} burns CPU for 60 s without yielding (with {@code --dispatch loop} it wedges the event loop).
 * Its constructor fails (or halts the JVM) while a marker file exists, which is how the tests make "broken new code".
 */
public final class E2eApp implements App {

    /** While this file exists, making the app throws: a reload of broken code. */
    static final Path BROKEN = Path.of("target", "e2e-broken-code");
    /** While this file exists, making the app halts the JVM: a worker that dies at start-up. */
    static final Path DIE_AT_START = Path.of("target", "e2e-die-at-start");

    /** Made by the server from its name. */
    public E2eApp() {
        if (Files.exists(DIE_AT_START)) {
            Runtime.getRuntime().halt(7);
        }
        if (Files.exists(BROKEN)) {
            throw new IllegalStateException("this build of the app is broken on purpose");
        }
    }

    @Override
    public void call(Scope scope, Receive receive, Send send) throws Exception {
        if (!(scope instanceof HttpScope http)) {
            throw new UnsupportedOperationException("HTTP only");
        }
        String body = switch (http.path()) {
            case "/halt" -> {
                Runtime.getRuntime().halt(1);
                yield "unreachable";
            }
            case "/spin" -> {
                long end = System.nanoTime() + 60_000_000_000L;
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
                yield "spun";
            }
            case "/slow" -> {
                System.out.println("slow-entered");
                System.out.flush();
                String q = http.queryString();
                Thread.sleep(q.startsWith("ms=") ? Long.parseLong(q.substring(3)) : 1000);
                yield "slow done";
            }
            default -> "worker=" + scope.worker().id() + " generation=" + scope.worker().generation()
                    + " pid=" + ProcessHandle.current().pid()
                    + " code=" + Integer.toHexString(System.identityHashCode(E2eApp.class));
        };
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        send.send(new HttpMessage.ResponseStart(200, Headers.of("content-type", "text/plain"), false));
        send.send(new HttpMessage.ResponseBody(bytes, false));
    }
}
