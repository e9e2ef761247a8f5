package io.gostats.relay;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Test resources by name. */
public final class TestData {

    private TestData() {
    }

    public static byte[] bytes(String resource) {
        try (InputStream in = TestData.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String resource) {
        return new String(bytes(resource), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Slots 1, 2, 3... by target id, in the order given (as derive hands them to a new host's targets). */
    public static java.util.Map<String, Integer> slots(java.util.List<io.gostats.relay.model.Target> targets) {
        java.util.Map<String, Integer> slots = new java.util.HashMap<>();
        targets.forEach(t -> slots.put(t.id(), slots.size() + 1));
        return slots;
    }
}
