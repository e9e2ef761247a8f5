package io.gostats.relay.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.gostats.relay.ConfigErrorsTest;
import io.gostats.relay.TestData;
import io.gostats.relay.model.Target;
import io.gostats.relay.model.TaskIdentity;
import io.vertx.core.Vertx;
import io.gostats.relay.model.FetchResult;

/** Connections across cycles: kept alive while cycles come often, a new one per fetch when they are far apart. */
class CollectorConnectionsTest {

    static final byte[] STATS = TestData.bytes("samples/stats-churn.json");

    Vertx vertx;
    ServerSocket listener;
    final AtomicInteger accepted = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        vertx = Vertx.vertx();
        listener = new ServerSocket(0);
        Thread t = new Thread(this::acceptAll, "keep-alive-server");
        t.setDaemon(true);
        t.start();
    }

    @AfterEach
    void stop() throws IOException {
        listener.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void cyclesUnder15SecondsApartReuseTheirConnection() throws InterruptedException {
        Collector collector = new Collector(ConfigErrorsTest.config("relay.interval", "5s"), vertx);
        for (int cycle = 0; cycle < 3; cycle++) {
            fetchOnce(collector);
        }
        assertEquals(1, accepted.get(), "connections opened for 3 cycles");
    }

    @Test
    void cyclesFarApartOpenAConnectionEach() throws InterruptedException {
        Collector collector = new Collector(ConfigErrorsTest.config("relay.interval", "60s"), vertx);
        for (int cycle = 0; cycle < 3; cycle++) {
            fetchOnce(collector);
        }
        assertEquals(3, accepted.get(), "connections opened for 3 cycles");
    }

    /** One cycle: cycles are at least a second apart, so the previous fetch's connection is back in its pool. */
    private void fetchOnce(Collector collector) throws InterruptedException {
        Thread.sleep(200);
        Target t = new Target("t", "127.0.0.1", listener.getLocalPort(), "/stats", 8080, TaskIdentity.NONE);
        List<FetchResult> results = collector.collect(List.of(t)).await().atMost(Duration.ofSeconds(10));
        assertInstanceOf(FetchResult.Sample.class, results.get(0), results::toString);
    }

    /** A minimal HTTP/1.1 server: every request on a connection gets the stats document, until the client closes. */
    private void acceptAll() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                accepted.incrementAndGet();
                Thread t = new Thread(() -> serve(s), "keep-alive-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void serve(Socket s) {
        try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                StandardCharsets.US_ASCII))) {
            OutputStream out = s.getOutputStream();
            boolean close = false;
            for (String line; (line = in.readLine()) != null;) {
                close |= line.equalsIgnoreCase("connection: close");
                if (!line.isEmpty()) {
                    continue; // the end of the request's head is an empty line
                }
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + STATS.length
                        + (close ? "\r\nConnection: close" : "") + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(STATS);
                out.flush();
                if (close) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }
}
