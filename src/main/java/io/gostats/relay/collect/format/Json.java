package io.gostats.relay.collect.format;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The JSON reading shared by the two JSON formats: one whole object, nothing after it. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }

    /** @throws io.gostats.relay.collect.FetchException (malformed) unless the body is one JSON object */
    static JsonNode readObject(byte[] body) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ExpositionValues.malformed(e.getOriginalMessage());
        } catch (IOException e) {
            throw ExpositionValues.malformed(e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw ExpositionValues.malformed("body is " + (root == null ? "empty" : "JSON " + root.getNodeType())
                    + ", not a JSON object");
        }
        return root;
    }
}
