package io.gostats.relay.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;

/** The relay started as a command: it runs the command and exits with its code. */
@QuarkusMainTest
class RelayMainTest {

    @Test
    @Launch(value = { "nonsense" }, exitCode = 2)
    void anUnknownCommandSaysWhichExist(LaunchResult result) {
        assertTrue(result.getErrorOutput().contains("commands: dashboard Service:role"), result.getErrorOutput());
    }

    @Test
    @Launch(value = { "dashboard", "shop:api" }, exitCode = 2)
    void theDashboardCommandNeedsAKey(LaunchResult result) {
        assertTrue(result.getErrorOutput().contains("no relay.mackerel.api-key"), result.getErrorOutput());
    }

    /** A daemon on a JVM not sized by jvm.options says so once; one started with the file (its mark) does not. */
    @Test
    void aDaemonWithoutJvmOptionsWarns() throws Exception {
        assertTrue(RelayMain.warnWithoutJvmOptions(null));
        assertTrue(RelayMain.warnWithoutJvmOptions("false"));
        org.junit.jupiter.api.Assertions.assertFalse(RelayMain.warnWithoutJvmOptions("true"));
        java.util.List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of("jvm.options"));
        assertTrue(lines.contains("-D" + RelayMain.JVM_OPTIONS_MARK + "=true"), "jvm.options sets the mark");
    }
}
