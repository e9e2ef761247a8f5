package io.gostats.relay.collect;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/** Reads a /stats body, compact or indented. Anything that is not one JSON object of that shape is malformed. */
public final class StatsParser {

    private static final ObjectReader READER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .readerFor(GoStats.class);

    private StatsParser() {
    }

    /** @throws FetchException with reason {@link FailureReason#MALFORMED} */
    public static GoStats parse(byte[] body) {
        try {
            GoStats stats = READER.readValue(body);
            if (stats == null) {
                throw new FetchException(FailureReason.MALFORMED, "body is JSON null");
            }
            return stats;
        } catch (JsonProcessingException e) {
            throw new FetchException(FailureReason.MALFORMED, e.getOriginalMessage());
        } catch (IOException e) {
            throw new FetchException(FailureReason.MALFORMED, e.getMessage());
        }
    }
}
