package io.gostats.relay.collect;

import java.io.ByteArrayOutputStream;
import io.gostats.relay.model.FailureReason;

/** Gathers a body's chunks as they stream in and fails the fetch the moment they pass the cap. */
final class BodyBuffer {

    private final long max;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);

    BodyBuffer(long max) {
        this.max = max;
    }

    void append(byte[] chunk) {
        if ((long) bytes.size() + chunk.length > max) {
            throw new FetchException(FailureReason.TOO_LARGE, "body passed the cap of " + max + " bytes");
        }
        bytes.writeBytes(chunk);
    }

    byte[] toByteArray() {
        return bytes.toByteArray();
    }
}
