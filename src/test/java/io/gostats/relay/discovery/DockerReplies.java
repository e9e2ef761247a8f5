package io.gostats.relay.discovery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Container;

import io.gostats.relay.TestData;

/** Recorded Docker API replies (src/test/resources/docker), read as docker-java reads them. */
final class DockerReplies {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private DockerReplies() {
    }

    static List<Container> containers(String... files) {
        List<Container> all = new ArrayList<>();
        for (String f : files) {
            try {
                all.addAll(List.of(JSON.readValue(TestData.bytes("docker/" + f), Container[].class)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all;
    }

    /** Network modes by container id, as inspect replies give them. */
    static Function<String, Optional<String>> inspected(String... files) {
        return id -> {
            for (String f : files) {
                try {
                    JsonNode n = JSON.readTree(TestData.bytes("docker/" + f));
                    if (n.get("Id").asText().equals(id)) {
                        return Optional.of(n.get("HostConfig").get("NetworkMode").asText());
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return Optional.empty();
        };
    }
}
