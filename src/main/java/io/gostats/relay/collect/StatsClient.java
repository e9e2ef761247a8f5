package io.gostats.relay.collect;

import jakarta.ws.rs.GET;

import io.quarkus.rest.client.reactive.Url;
import io.smallrye.mutiny.Multi;

/**
 * The one REST client for every target: the URL is given per call, so all targets share one client and its
 * connection pools. The body comes as a stream of chunks, so that its size is capped as it arrives.
 */
public interface StatsClient {

    @GET
    Multi<byte[]> stats(@Url String url);
}
