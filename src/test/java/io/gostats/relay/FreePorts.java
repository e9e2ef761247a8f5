package io.gostats.relay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Test ports. */
public final class FreePorts {

    private FreePorts() {
    }

    /**
     * A port nothing listens on right now (bound, then released): a server may take it, and until one does,
     * connections to it are refused.
     */
    public static int any() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
