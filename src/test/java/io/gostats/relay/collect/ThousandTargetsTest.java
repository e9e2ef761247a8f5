package io.gostats.relay.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.gostats.relay.TestData;
import io.gostats.relay.model.TaskIdentity;
import io.gostats.relay.model.Target;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.gostats.relay.FreePorts;
import io.gostats.relay.model.FetchResult;
import io.gostats.relay.model.FailureReason;

/**
 * 1,000 targets on one server (one path each) beside a hanging, a dripping and a refusing one: every good one
 * succeeds in the same cycle, and the bad ones hold the cycle no longer than the per-fetch deadline. The deadline is
 * the default 5 s, so that a loaded 2-core machine does not time out good fetches.
 */
@QuarkusTest
@TestProfile(ThousandTargetsTest.Profile.class)
class ThousandTargetsTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("relay.discovery.docker.enabled", "false", "relay.collect.timeout", "5s");
        }
    }

    static final byte[] CHURN = TestData.bytes("samples/stats-churn.json");
    static final long DEADLINE_MS = 5000;

    @Inject
    Collector collector;

    List<FetchResult> collect(List<Target> targets) {
        return collector.collect(targets).await().atMost(Duration.ofSeconds(120));
    }

    @Test
    void oneBadTargetAmongAThousandCostsTheGoodOnesNothing() throws Exception {
        HttpServer good = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        good.createContext("/stats", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, CHURN.length);
            exchange.getResponseBody().write(CHURN);
            exchange.close();
        });
        ExecutorService goodThreads = Executors.newFixedThreadPool(4);
        good.setExecutor(goodThreads);
        good.start();
        ExecutorService badThreads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "bad-target");
            t.setDaemon(true);
            return t;
        });
        try (ServerSocket hang = new ServerSocket(0); ServerSocket drip = new ServerSocket(0)) {
            badThreads.execute(() -> acceptAndHang(hang));
            badThreads.execute(() -> acceptAndDrip(drip));
            int closedPort = FreePorts.any();
            List<Target> goods = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                goods.add(target("good" + i, good.getAddress().getPort(), "/stats?i=" + i));
            }
            collect(goods.subList(0, 50)); // warm up the client

            long start = System.nanoTime();
            List<FetchResult> alone = collect(goods);
            long aloneMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(1000, alone.stream().filter(r -> r instanceof FetchResult.Sample).count(),
                    () -> alone.stream().filter(r -> r instanceof FetchResult.Failure).limit(3).toList().toString());

            List<Target> mixed = new ArrayList<>(goods);
            mixed.add(0, target("drip", drip.getLocalPort(), "/stats"));
            mixed.add(500, target("hang", hang.getLocalPort(), "/stats"));
            mixed.add(target("refused", closedPort, "/stats"));
            start = System.nanoTime();
            List<FetchResult> results = collect(mixed);
            long mixedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.printf("1,000 good targets: %d ms alone, %d ms beside a hanging, a dripping and a refusing "
                    + "one (deadline %d ms)%n", aloneMs, mixedMs, DEADLINE_MS);

            assertEquals(1003, results.size());
            Map<String, FetchResult> failed = results.stream().filter(r -> r instanceof FetchResult.Failure)
                    .collect(Collectors.toMap(r -> r.target().id(), Function.identity()));
            assertEquals(List.of("drip", "hang", "refused"), failed.keySet().stream().sorted().toList(),
                    failed::toString);
            assertEquals(FailureReason.TIMEOUT, reason(failed.get("hang")), failed.get("hang")::toString);
            assertEquals(FailureReason.TIMEOUT, reason(failed.get("drip")), failed.get("drip")::toString);
            assertEquals(FailureReason.REFUSED, reason(failed.get("refused")), failed.get("refused")::toString);
            assertTrue(failed.get("hang").took().toMillis() < DEADLINE_MS + 2000, failed.get("hang")::toString);
            // the bad ones take a slot each for at most the deadline, beside 63 others
            assertTrue(mixedMs < 2 * aloneMs + DEADLINE_MS + 3000, "alone " + aloneMs + " ms, mixed " + mixedMs);
        } finally {
            good.stop(0);
            goodThreads.shutdownNow();
            badThreads.shutdownNow();
        }
    }

    static Target target(String id, int port, String path) {
        return new Target(id, "127.0.0.1", port, path, 8080, TaskIdentity.NONE);
    }

    static FailureReason reason(FetchResult r) {
        return assertInstanceOf(FetchResult.Failure.class, r, r::toString).reason();
    }

    /** Reads the request and answers nothing until the relay gives up. */
    private static void acceptAndHang(ServerSocket listener) {
        try (Socket s = listener.accept()) {
            s.getInputStream().transferTo(OutputStream.nullOutputStream());
        } catch (IOException closed) {
            // the relay closed it at its deadline
        }
    }

    /** Headers, then a byte of a 100 KB body every 100 ms. */
    private static void acceptAndDrip(ServerSocket listener) {
        try (Socket s = listener.accept()) {
            CollectorTest.readRequestHead(s);
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{")
                    .getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 100_000; i++) {
                out.write(' ');
                out.flush();
                Thread.sleep(100);
            }
        } catch (IOException closed) {
            // the relay closed it at its deadline
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
