package dev.pounce.h3;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --http3-receive-buffer} reaches the server's UDP socket: {@code ss} (iproute2) shows the kernel's
 * {@code sk_rcvbuf} of the socket bound on the port, which Linux sets to double the size asked, as long as
 * {@code net.core.rmem_max} allows it (the sizes here are far below any default cap).
 */
class ReceiveBufferTest {

    @TempDir
    Path dir;

    @Test
    void theSocketGetsTheSizeAsked() throws Exception {
        var pem = SelfSignedPem.create(dir);
        try (var server = TestServer.start(TestApps.ROUTES, pem, b -> b.set("http3.receive-buffer", "65536"))) {
            assertEquals(2 * 65536, receiveBuffer(server.port()));
        }
        try (var server = TestServer.start(TestApps.ROUTES, pem, b -> b.set("http3.receive-buffer", "98304"))) {
            assertEquals(2 * 98304, receiveBuffer(server.port()));
        }
    }

    /** The {@code rb} of the UDP socket on {@code port}, from {@code ss -uanm}. */
    private static int receiveBuffer(int port) throws IOException, InterruptedException {
        Process ss = new ProcessBuilder("ss", "-uanm", "( sport = :" + port + " )").redirectErrorStream(true).start();
        String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, ss.waitFor(), out);
        Matcher m = Pattern.compile("skmem:\\(r\\d+,rb(\\d+),").matcher(out);
        assertTrue(m.find(), "no UDP socket on port " + port + " in:\n" + out);
        return Integer.parseInt(m.group(1));
    }
}
