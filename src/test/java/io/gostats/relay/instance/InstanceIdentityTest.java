package io.gostats.relay.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.gostats.relay.ConfigErrorsTest;
import io.gostats.relay.LogCapture;
import io.vertx.core.Vertx;

/** The EC2 instance id by IMDSv2 from a strict stand-in on loopback, and every way it can fail. */
class InstanceIdentityTest {

    static final String ID = "i-0123456789abcdef0";
    static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static InstanceIdentity identity(URI url, Duration timeout) {
        return new InstanceIdentity(Optional.of(new Imds(vertx, url, timeout, 3)));
    }

    /** Polls until the lookup has answered; fails after {@code within}. */
    static InstanceId settled(InstanceIdentity identity, Duration within) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (identity.current() instanceof InstanceId.Pending) {
            assertTrue(System.nanoTime() < end, "no answer within " + within);
            Thread.sleep(20);
        }
        return identity.current();
    }

    @Test
    void readsTheInstanceIdWithAToken() throws Exception {
        try (FakeImds imds = new FakeImds(vertx, ID)) {
            InstanceIdentity identity = identity(imds.url(), Duration.ofSeconds(1));
            assertEquals(new InstanceId.Known(ID), settled(identity, Duration.ofSeconds(5)));
            assertEquals(ID, identity.hostId());
            List<FakeImds.Request> r = imds.requests();
            assertEquals(2, r.size(), r.toString());
            assertEquals("PUT", r.get(0).method());
            assertEquals(Imds.TOKEN_PATH, r.get(0).path());
            assertEquals("GET", r.get(1).method());
            assertEquals(Imds.INSTANCE_ID_PATH, r.get(1).path());
            assertNotNull(r.get(1).token(), "the id is asked for with the token");
        }
    }

    @Test
    void theStandInRefusesAMissingOrWrongToken() throws Exception {
        try (FakeImds imds = new FakeImds(vertx, ID)) {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            URI id = imds.url().resolve(Imds.INSTANCE_ID_PATH);
            assertEquals(401, http.send(java.net.http.HttpRequest.newBuilder(id).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode(), "IMDSv1: no token");
            assertEquals(401, http.send(java.net.http.HttpRequest.newBuilder(id).header(Imds.TOKEN_HEADER, "forged")
                    .build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode(), "a wrong token");
            assertEquals(400, http.send(java.net.http.HttpRequest.newBuilder(imds.url().resolve(Imds.TOKEN_PATH))
                    .PUT(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode(), "a token without a TTL");
        }
    }

    /** A token refused when used (401, as an expired one) is replaced: the whole lookup is tried again. */
    @Test
    void aRefusedTokenIsReplaced() throws Exception {
        try (FakeImds imds = new FakeImds(vertx, ID)) {
            imds.revokeNextTokens(1);
            InstanceIdentity identity = identity(imds.url(), Duration.ofSeconds(1));
            assertEquals(new InstanceId.Known(ID), settled(identity, Duration.ofSeconds(5)));
            assertEquals(2, imds.requests().stream().filter(r -> r.method().equals("PUT")).count(),
                    imds.requests().toString());
        }
    }

    /** 403: IMDS is turned off for the instance; asking again would not change it. */
    @Test
    void aServiceTurnedOffIsNotAskedAgain() throws Exception {
        try (FakeImds imds = new FakeImds(vertx, ID)) {
            imds.tokenStatus(403);
            InstanceIdentity identity = identity(imds.url(), Duration.ofSeconds(1));
            InstanceId answer = settled(identity, Duration.ofSeconds(5));
            assertInstanceOf(InstanceId.Unavailable.class, answer);
            assertTrue(((InstanceId.Unavailable) answer).reason().contains("403"), answer.toString());
            assertEquals(1, imds.requests().size(), imds.requests().toString());
        }
    }

    /** Off EC2 (nothing listens): a few quick tries, one line in the log, the host name as host.id. */
    @Test
    void offEc2TheLookupFailsQuicklyAndSaysSoOnce() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (LogCapture log = LogCapture.of(InstanceIdentity.class)) {
            InstanceIdentity identity = identity(URI.create("http://127.0.0.1:" + port), Duration.ofSeconds(1));
            long start = System.nanoTime();
            InstanceId answer = settled(identity, Duration.ofSeconds(10));
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("off EC2 (connection refused): not on EC2 after %.2f s%n", seconds);
            assertInstanceOf(InstanceId.Unavailable.class, answer);
            assertTrue(seconds < 5, seconds + " s");
            identity.current();
            identity.lookUp();
            Thread.sleep(300);
            assertEquals(1, log.messages().size(), log.messages().toString());
            assertTrue(log.messages().get(0).contains("relay.instance.imds.enabled=false"), log.messages().toString());
            assertEquals(identity.hostName(), identity.hostId());
        }
    }

    /** A service that never answers (a hop limit of 1 seen from a container): bounded, and the log says why. */
    @Test
    void aSilentServiceTimesOutWithTheHopLimitHint() throws Exception {
        try (FakeImds imds = new FakeImds(vertx, ID)) {
            imds.silent();
            InstanceIdentity identity = identity(imds.url(), Duration.ofMillis(300));
            long start = System.nanoTime();
            InstanceId answer = settled(identity, Duration.ofSeconds(10));
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("silent metadata service: not on EC2 after %.2f s (3 tries of 300 ms)%n", seconds);
            assertTrue(((InstanceId.Unavailable) answer).reason().contains("HttpPutResponseHopLimit"),
                    answer.toString());
            assertEquals(3, imds.requests().size(), imds.requests().toString());
        }
    }

    /** A bad property stops start-up, named; turned off, the others are not even read. */
    @Test
    void badPropertiesStopStartUpNamed() {
        for (String[] bad : new String[][] { { "relay.instance.imds.url", "ftp://169.254.169.254" },
                { "relay.instance.imds.url", "http://[bad" }, { "relay.instance.imds.timeout", "0s" },
                { "relay.instance.imds.attempts", "0" } }) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> new InstanceIdentity(ConfigErrorsTest.config(InstanceConfig.class, bad[0], bad[1]), vertx));
            assertTrue(e.getMessage().startsWith(bad[0] + ": "), e.getMessage());
        }
        assertFalse(new InstanceIdentity(ConfigErrorsTest.config(InstanceConfig.class, "relay.instance.imds.enabled",
                "false", "relay.instance.imds.url", "ftp://x"), vertx).lookupEnabled());
    }

    @Test
    void turnedOffItNeverAsks() {
        InstanceIdentity identity = new InstanceIdentity(Optional.empty());
        assertEquals(new InstanceId.Unavailable(InstanceIdentity.OFF), identity.current());
        assertEquals(identity.hostName(), identity.hostId());
    }

    @Test
    void theLookupWaitsUntilSomeoneAsks() throws Exception {
        try (FakeImds imds = new FakeImds(vertx, ID)) {
            InstanceIdentity identity = identity(imds.url(), Duration.ofSeconds(1));
            Thread.sleep(200);
            assertEquals(0, imds.requests().size(), "no sink has asked yet");
            identity.lookUp();
            assertEquals(new InstanceId.Known(ID), settled(identity, Duration.ofSeconds(5)));
        }
    }
}
