package io.gostats.relay.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * {@code jvm.options} is every launch's argument file (README, the image, the plugin snippet, the benchmark): a flag
 * this JVM refuses would stop them all, so the file is tried on the JVM that runs the tests.
 */
class JvmOptionsTest {

    @Test
    void theJvmStartsWithTheFileAndTrimsItsNativeHeap() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "@jvm.options", "-XX:+PrintFlagsFinal", "-version")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "java -version returns");
        assertEquals(0, p.exitValue(), "java @jvm.options -version: " + out);
        assertTrue(out.lines().anyMatch(l -> l.matches("\\s*uint TrimNativeHeapInterval\\s+= 5000\\s.*")),
                "the native heap trim is on (issue 14): " + out.lines().filter(l -> l.contains("Trim")).toList());
    }
}
