package io.gostats.relay;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server that accepts every connection, reads what comes and never answers: a Docker API socket or an HTTP
 * endpoint that hangs. Connections stay open until {@link #close()}.
 */
public final class StalledServer implements AutoCloseable {

    private final ServerSocketChannel server;
    private final Path socketFile;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();

    private StalledServer(ServerSocketChannel server, SocketAddress address, Path socketFile) throws IOException {
        this.server = server;
        this.socketFile = socketFile;
        server.bind(address);
        Thread t = new Thread(this::acceptLoop, "stalled-server");
        t.setDaemon(true);
        t.start();
    }

    /** On 127.0.0.1 and a free port. */
    public static StalledServer tcp() throws IOException {
        return new StalledServer(ServerSocketChannel.open(StandardProtocolFamily.INET),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null);
    }

    /** On a unix socket at {@code file} (keep the path short). */
    public static StalledServer unix(Path file) throws IOException {
        Files.deleteIfExists(file);
        return new StalledServer(ServerSocketChannel.open(StandardProtocolFamily.UNIX),
                UnixDomainSocketAddress.of(file), file);
    }

    public int port() throws IOException {
        return ((InetSocketAddress) server.getLocalAddress()).getPort();
    }

    public int accepted() {
        return accepted.get();
    }

    /** Removes the socket file, as a stopped engine does; the open connections stay open and silent. */
    public void vanish() throws IOException {
        Files.deleteIfExists(socketFile);
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel c = server.accept();
                open.add(c);
                accepted.incrementAndGet();
                Thread t = new Thread(() -> drain(c), "stalled-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void drain(SocketChannel c) {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        try {
            while (c.read(buf) >= 0) {
                buf.clear();
            }
        } catch (IOException e) {
            // closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (SocketChannel c : open) {
            c.close();
        }
        if (socketFile != null) {
            Files.deleteIfExists(socketFile);
        }
    }
}
