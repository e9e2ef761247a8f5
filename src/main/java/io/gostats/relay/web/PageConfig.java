package io.gostats.relay.web;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** The targets page's own properties, under {@code relay.page}. */
@ConfigMapping(prefix = "relay.page")
public interface PageConfig {

    BasicAuth basicAuth();

    /** Basic auth on the targets page and /api/targets, on when a username is given. */
    interface BasicAuth {
        Optional<String> username();

        /** Never logged nor shown. */
        Optional<String> password();
    }
}
