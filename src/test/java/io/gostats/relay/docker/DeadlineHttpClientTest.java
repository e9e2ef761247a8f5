package io.gostats.relay.docker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.gostats.relay.StalledServer;
import io.gostats.relay.util.Causes;

/** An engine that accepts calls on its unix socket and never answers: each call ends at the timeout all the same. */
class DeadlineHttpClientTest {

    @Test
    void aStalledEngineIsCutAtTheTimeoutCallAfterCall() throws Exception {
        Path socket = Files.createTempDirectory(Path.of("/tmp"), "dl").resolve("d.sock");
        try (StalledServer docker = StalledServer.unix(socket);
                DockerEngine engine = new DockerEngine("unix://" + socket, Duration.ofSeconds(1), 2)) {
            for (int call = 1; call <= 2; call++) {
                long start = System.nanoTime();
                RuntimeException e = assertThrows(RuntimeException.class,
                        () -> engine.api().listContainersCmd().exec());
                long ms = (System.nanoTime() - start) / 1_000_000;
                System.out.printf("call %d to a stalled engine ended after %d ms: %s%n", call, ms,
                        Causes.rootMessage(e));
                assertTrue(ms >= 900 && ms < 4000, ms + " ms");
                assertTrue(Causes.rootMessage(e).contains("no answer from the Docker API within 1000 ms"),
                        Causes.rootMessage(e));
                assertFalse(Thread.currentThread().isInterrupted(), "the caller's interrupt flag is cleared");
            }
            assertTrue(docker.accepted() >= 1);
        }
    }
}
