package io.gostats.relay.collect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.gostats.relay.model.FailureReason;
import io.vertx.core.buffer.Buffer;

class BodyBufferTest {

    private static byte[] gathered(BodyBuffer body, String... chunks) {
        for (String c : chunks) {
            body.append(Buffer.buffer(c));
        }
        return body.toByteArray();
    }

    @Test
    void aBodyOfItsAnnouncedLengthIsTheBufferItself() {
        BodyBuffer body = new BodyBuffer(1000, 11);
        byte[] bytes = gathered(body, "{\"a\":", "12345}");
        assertArrayEquals("{\"a\":12345}".getBytes(StandardCharsets.UTF_8), bytes);
        assertSame(bytes, body.toByteArray(), "no copy of a body that filled its announced length");
    }

    @Test
    void aBodyWithoutLengthGrowsAndIsTrimmed() {
        String big = "x".repeat(BodyBuffer.UNKNOWN_LENGTH_START + 1);
        assertArrayEquals((big + big + "y").getBytes(StandardCharsets.UTF_8),
                gathered(new BodyBuffer(1 << 20, -1), big, big, "y"));
        assertEquals(0, gathered(new BodyBuffer(1 << 20, -1)).length);
    }

    @Test
    void aBodyShorterOrLongerThanAnnouncedIsWhatCame() {
        assertArrayEquals("abc".getBytes(StandardCharsets.UTF_8), gathered(new BodyBuffer(100, 10), "abc"));
        assertArrayEquals("abcdef".getBytes(StandardCharsets.UTF_8), gathered(new BodyBuffer(100, 2), "abc", "def"));
    }

    @Test
    void theCapIsKeptWhateverWasAnnounced() {
        BodyBuffer body = new BodyBuffer(5, -1);
        body.append(Buffer.buffer("abcde"));
        FetchException e = assertThrows(FetchException.class, () -> body.append(Buffer.buffer("f")));
        assertEquals(FailureReason.TOO_LARGE, e.reason());
        assertArrayEquals("abcde".getBytes(StandardCharsets.UTF_8), body.toByteArray());
    }
}
