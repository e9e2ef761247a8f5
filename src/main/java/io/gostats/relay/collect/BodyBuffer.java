package io.gostats.relay.collect;

import java.util.Arrays;

import io.gostats.relay.model.FailureReason;
import io.vertx.core.buffer.Buffer;

/**
 * Gathers a body's chunks as they stream in and fails the fetch the moment they pass the cap. A body announced by
 * its Content-Length (golang-stats and expvar replies: Go sets it on every small reply) is copied once, straight from
 * the chunks into an array of that size, which is the body handed on; one without grows by doubling and is trimmed at
 * its end. At 1,000 targets a cycle this is one array per fetch instead of a 4 KiB buffer, a copy of each chunk and
 * a trimmed copy of the whole.
 */
final class BodyBuffer {

    /** The first size of a buffer for a body without Content-Length (client_golang's chunked replies are larger). */
    static final int UNKNOWN_LENGTH_START = 4096;

    private final long max;
    private byte[] bytes;
    private int size;

    /** {@code announced}: the reply's Content-Length, checked against the cap already; negative when it has none. */
    BodyBuffer(long max, long announced) {
        this.max = max;
        this.bytes = new byte[(int) Math.min(announced >= 0 ? announced : UNKNOWN_LENGTH_START, capacityLimit())];
    }

    void append(Buffer chunk) {
        int n = chunk.length();
        if ((long) size + n > max) {
            throw new FetchException(FailureReason.TOO_LARGE, "body passed the cap of " + max + " bytes");
        }
        if (size + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(Math.max(size + n, 2L * bytes.length), capacityLimit()));
        }
        chunk.getBytes(bytes, size);
        size += n;
    }

    /** The body: the buffer itself when the body filled it (its announced length), else a trimmed copy. */
    byte[] toByteArray() {
        return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    }

    private long capacityLimit() {
        return Math.min(max, Integer.MAX_VALUE - 8);
    }
}
