package io.gostats.relay.sink.mackerel.api;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.jboss.resteasy.reactive.client.api.QuarkusRestClientProperties;

import io.gostats.relay.config.RelayVersion;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;

/**
 * How the relay builds its REST clients (the Mackerel API): programmatically from its own
 * configuration, with one timeout for connect and read, no redirects, the relay's version in the {@code User-Agent},
 * and every status read by the caller rather than thrown, since a failed call is data here.
 */
public final class RestClients {

    private RestClients() {
    }

    public static QuarkusRestClientBuilder builder(URI baseUri, Duration timeout) {
        long ms = timeout.toMillis();
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(baseUri)
                .connectTimeout(ms, TimeUnit.MILLISECONDS)
                .readTimeout(ms, TimeUnit.MILLISECONDS)
                .followRedirects(false)
                .disableDefaultMapper(true)
                // gostats-relay/<version>, as mackerel-client-go sends mackerel-client-go/<version>
                .userAgent(RelayVersion.userAgent())
                .property(QuarkusRestClientProperties.CAPTURE_STACKTRACE, false);
    }
}
