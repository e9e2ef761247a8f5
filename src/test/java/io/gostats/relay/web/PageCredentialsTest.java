package io.gostats.relay.web;

import static io.gostats.relay.ConfigErrorsTest.config;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

/** relay.page.basic-auth: half a configuration stops start-up; the check itself. */
class PageCredentialsTest {

    static String basic(String userPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userPassword.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void offWithoutUsername() {
        PageCredentials c = new PageCredentials(config(PageConfig.class));
        assertTrue(c.accept(null));
        assertTrue(c.accept("Basic whatever"));
    }

    @Test
    void halfAConfigurationIsAStartupErrorThatDoesNotShowThePassword() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PageCredentials(config(PageConfig.class, "relay.page.basic-auth.password", "s3cret-value")));
        assertTrue(e.getMessage().startsWith("relay.page.basic-auth.username: "), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret-value"));
        e = assertThrows(IllegalArgumentException.class,
                () -> new PageCredentials(config(PageConfig.class, "relay.page.basic-auth.username", "ops")));
        assertTrue(e.getMessage().startsWith("relay.page.basic-auth.password: "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new PageCredentials(
                config(PageConfig.class, "relay.page.basic-auth.username", "a:b", "relay.page.basic-auth.password", "p")));
        assertTrue(e.getMessage().startsWith("relay.page.basic-auth.username: "), e.getMessage());
    }

    @Test
    void onlyTheExactPairIsAccepted() {
        PageCredentials c = new PageCredentials(
                config(PageConfig.class, "relay.page.basic-auth.username", "ops", "relay.page.basic-auth.password", "pä:ss"));
        assertTrue(c.accept(basic("ops:pä:ss")));
        assertTrue(c.accept("basic " + Base64.getEncoder().encodeToString("ops:pä:ss".getBytes(StandardCharsets.UTF_8))));
        assertFalse(c.accept(null));
        assertFalse(c.accept(""));
        assertFalse(c.accept(basic("ops:pä:s")));
        assertFalse(c.accept(basic("ops:pä:ss ")));
        assertFalse(c.accept(basic("Ops:pä:ss")));
        assertFalse(c.accept("Bearer " + basic("ops:pä:ss").substring(6)));
        assertFalse(c.accept("Basic %%%"));
    }
}
