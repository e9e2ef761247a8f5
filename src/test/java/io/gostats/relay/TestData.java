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
}
