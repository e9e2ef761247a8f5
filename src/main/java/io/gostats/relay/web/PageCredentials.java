package io.gostats.relay.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.Startup;

/**
 * {@code relay.page.basic-auth}, checked at start-up. The password is compared in constant time and never logged
 * nor shown.
 */
@Startup
@ApplicationScoped
public class PageCredentials {

    /** {@code user:password} in UTF-8; empty: no auth. */
    private final Optional<byte[]> expected;

    public PageCredentials(PageConfig config) {
        this.expected = expected(config.basicAuth());
    }

    static Optional<byte[]> expected(PageConfig.BasicAuth auth) {
        Optional<String> user = auth.username().filter(u -> !u.isBlank());
        Optional<String> password = auth.password().filter(p -> !p.isEmpty());
        if (user.isEmpty()) {
            if (password.isPresent()) {
                throw new IllegalArgumentException("relay.page.basic-auth.username: not set, but a password is");
            }
            return Optional.empty();
        }
        if (user.get().contains(":")) {
            throw new IllegalArgumentException("relay.page.basic-auth.username: '" + user.get()
                    + "' contains ':', which basic auth cannot carry");
        }
        if (password.isEmpty()) {
            throw new IllegalArgumentException("relay.page.basic-auth.password: not set, but a username is");
        }
        return Optional.of((user.get() + ":" + password.get()).getBytes(StandardCharsets.UTF_8));
    }

    /** Whether a request with this Authorization header may see the page (always, when auth is off). */
    public boolean accept(String authorization) {
        return expected.isEmpty() || matches(authorization, expected.get());
    }

    static boolean matches(String header, byte[] expected) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(header.substring(6).strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(given, expected);
    }
}
