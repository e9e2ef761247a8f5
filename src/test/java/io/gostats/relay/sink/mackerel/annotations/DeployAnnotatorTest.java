package io.gostats.relay.sink.mackerel.annotations;

import static io.gostats.relay.sink.mackerel.annotations.EcsSnapshots.T0;
import static io.gostats.relay.sink.mackerel.annotations.EcsSnapshots.at;
import static io.gostats.relay.sink.mackerel.annotations.EcsSnapshots.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gostats.relay.LogCapture;
import io.gostats.relay.model.TargetReport;
import io.gostats.relay.sink.mackerel.api.FakeMackerel.Fault;
import io.gostats.relay.sink.mackerel.api.GraphAnnotation;
import io.gostats.relay.sink.mackerel.api.WithFakeMackerel;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(WithFakeMackerel.Profile.class)
class DeployAnnotatorTest extends WithFakeMackerel {

    static final String PATH = "/api/v0/graph-annotations";
    static final TargetReport API_7 = task("c1", "api", "7", "prod");
    static final TargetReport API_8 = task("c2", "api", "8", "prod");

    @TempDir
    Path state;

    DeployAnnotator annotator(String service, List<String> roles) {
        return new DeployAnnotator(client, service, roles, Duration.ZERO, Duration.ofSeconds(5),
                new RevisionHistory(state), new SplittableRandom(1));
    }

    /** Waits until the annotator has dealt with {@code deploys} deploys, whatever became of them. */
    static void awaitDone(DeployAnnotator a, int deploys) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (a.posted() + a.found() + a.failed() < deploys && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(deploys, a.posted() + a.found() + a.failed(), a.summary());
    }

    @Test
    void aDeployIsAnnotatedOnceWithItsFamilyRevisionsClusterServiceAndRoles() throws InterruptedException {
        fake.addService("Shop", "web", "batch");
        try (DeployAnnotator a = annotator("Shop", List.of("web"))) {
            a.accept(at(T0, API_7));
            a.accept(at(T0 + 60, API_7, API_8));
            a.accept(at(T0 + 120, API_8));
            awaitDone(a, 1);
            assertEquals("posted 1, found 0, failed 0", a.summary());
        }
        List<GraphAnnotation> posted = fake.graphAnnotations();
        assertEquals(1, posted.size(), posted.toString());
        GraphAnnotation g = posted.get(0);
        assertEquals("Deploy api:8", g.title());
        assertTrue(g.description().startsWith("api revision 7 → 8 on cluster prod"), g.description());
        assertEquals(T0 + 60, g.from(), "at the first sighting");
        assertEquals(T0 + 60, g.to());
        assertEquals("Shop", g.service());
        assertEquals(List.of("web"), g.roles());

        int calls = fake.requestCount(PATH);
        try (DeployAnnotator restarted = annotator("Shop", List.of("web"))) {
            restarted.accept(at(T0 + 180, API_8));
            Thread.sleep(200);
        }
        assertEquals(calls, fake.requestCount(PATH), "a restarted relay finds nothing new");
    }

    @Test
    void aFreshHostOrAFreshStateDirectoryAnnotatesNothing() throws InterruptedException {
        fake.addService("Shop");
        try (DeployAnnotator a = annotator("Shop", List.of())) {
            a.accept(at(T0, API_8, task("c3", "worker", "12", "prod")));
            a.accept(at(T0 + 60, API_8, task("c3", "worker", "12", "prod")));
            Thread.sleep(200);
            assertEquals("posted 0, found 0, failed 0", a.summary());
        }
        assertEquals(0, fake.requestCount(PATH));
    }

    @Test
    void anotherRelaysAnnotationWithinTenMinutesIsFoundAndNotPostedAgain() throws InterruptedException {
        fake.addService("Shop");
        // another relay saw the same deploy 9 minutes later (a slow rolling deploy)
        ok(await(client.createGraphAnnotation(GraphAnnotation.of("Deploy api:8", "", T0 + 60 + 540, T0 + 60 + 540,
                "Shop", List.of()))));
        // and a deploy of another revision 11 minutes away
        ok(await(client.createGraphAnnotation(GraphAnnotation.of("Deploy api:9", "", T0 + 120 + 660,
                T0 + 120 + 660, "Shop", List.of()))));
        try (DeployAnnotator a = annotator("Shop", List.of())) {
            a.accept(at(T0, API_7));
            a.accept(at(T0 + 60, API_8));
            awaitDone(a, 1);
            assertEquals("posted 0, found 1, failed 0", a.summary());
            a.accept(at(T0 + 120, task("c4", "api", "9", "prod")));
            awaitDone(a, 2);
            assertEquals("posted 1, found 1, failed 0", a.summary(), "11 minutes away is another deploy");
        }
        assertEquals(3, fake.graphAnnotations().size());
    }

    @Test
    void failuresAreLoggedOnceAndAreNeverFatal() throws InterruptedException {
        fake.addService("Shop");
        fake.failUntilCleared(PATH, Fault.status(500, "injected outage"));
        try (DeployAnnotator a = annotator("Shop", List.of()); LogCapture log = LogCapture.of(DeployAnnotator.class)) {
            a.accept(at(T0, API_7, task("c3", "worker", "3", "prod")));
            a.accept(at(T0 + 60, API_8, task("c4", "worker", "4", "prod")));
            awaitDone(a, 2);
            assertEquals(1, log.warnings().size(), log.warnings().toString());
            assertTrue(log.warnings().get(0).contains("injected outage"), log.warnings().get(0));
            fake.clearFailures();
            a.accept(at(T0 + 120, task("c5", "api", "9", "prod")));
            awaitDone(a, 3);
            assertEquals("posted 1, found 0, failed 2", a.summary());
            assertTrue(log.messages().contains("Mackerel: deploy annotations work again"), log.messages().toString());
            fake.failUntilCleared(PATH, Fault.reset());
            a.accept(at(T0 + 180, task("c6", "api", "10", "prod")));
            awaitDone(a, 4);
            assertEquals(2, log.warnings().size(), "failing again: logged again " + log.warnings());
        }
    }

    @Test
    void anUnknownServiceOrRoleIsLoggedNamingTheProperty() throws InterruptedException {
        fake.addService("Shop", "web");
        try (DeployAnnotator a = annotator("Shop", List.of("db")); LogCapture log = LogCapture.of(
                DeployAnnotator.class)) {
            a.accept(at(T0, API_7));
            a.accept(at(T0 + 60, API_8));
            awaitDone(a, 1);
            assertEquals(1, a.failed());
            assertTrue(log.warnings().get(0).contains("relay.mackerel.annotations.service / .roles"),
                    log.warnings().toString());
        }
        assertTrue(fake.graphAnnotations().isEmpty());
    }
}
