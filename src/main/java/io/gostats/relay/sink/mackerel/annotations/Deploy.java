package io.gostats.relay.sink.mackerel.annotations;

import java.time.Instant;
import java.util.List;

import io.gostats.relay.sink.mackerel.api.GraphAnnotation;

/**
 * A task family seen on this host with a revision newer than any the host had seen for it: {@code at} is the cycle
 * that first saw it, {@code cluster} the ECS cluster of a task of that revision ("" when unknown).
 */
public record Deploy(String family, long fromRevision, long toRevision, String cluster, Instant at) {

    /** The title every relay of the service gives this deploy: how they find each other's annotation. */
    public String title() {
        return "Deploy " + family + ":" + toRevision;
    }

    /** The annotation of this deploy, a moment at its first sighting. */
    public GraphAnnotation annotation(String service, List<String> roles) {
        String where = cluster.isEmpty() ? "" : " on cluster " + cluster;
        long t = at.getEpochSecond();
        return GraphAnnotation.of(title(), family + " revision " + fromRevision + " → " + toRevision + where
                + " (first seen by gostats-relay at " + at + ")", t, t, service, roles);
    }
}
