package io.gostats.relay.e2e;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A transparent unix-socket relay in front of the real Docker Engine's socket, for faults that need a hand on one
 * connection: it cuts the event stream's connections ({@link #cutEvents()}), and it can hold one request until the
 * test has done something to the engine ({@link #holdOnce}), then hands the engine's real answer through and keeps its
 * head. Everything else passes byte for byte.
 */
final class DockerSocketProxy implements AutoCloseable {

    private static final Pattern REQUEST = Pattern.compile("(GET|POST|PUT|DELETE|HEAD) (/\\S*) HTTP/1\\.[01]\r\n");

    /** A request to hold once: which path, what to do before it goes on, and the head of the engine's answer. */
    record Hold(Predicate<String> path, Runnable before, CompletableFuture<String> answer) {
    }

    private final Path listen;
    private final Path upstream;
    private final ServerSocketChannel server;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private volatile Hold hold;
    private volatile boolean closed;

    private final class Connection {
        final SocketChannel client;
        final SocketChannel engine;
        volatile boolean events;
        /** Set when this connection's current request is the held one: the answer's head goes there. */
        volatile CompletableFuture<String> answer;
        final StringBuilder head = new StringBuilder();
        int chunks;

        Connection(SocketChannel client, SocketChannel engine) {
            this.client = client;
            this.engine = engine;
        }

        void close() {
            connections.remove(this);
            quietly(client);
            quietly(engine);
        }
    }

    private DockerSocketProxy(Path listen, Path upstream) throws IOException {
        this.listen = listen;
        this.upstream = upstream;
        Files.deleteIfExists(listen);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(listen));
        Thread accept = new Thread(this::acceptLoop, "docker-proxy-accept");
        accept.setDaemon(true);
        accept.start();
    }

    /** Listens on {@code listen} (keep the path short), forwarding to the engine at {@code upstream}. */
    static DockerSocketProxy start(Path listen, Path upstream) throws IOException {
        return new DockerSocketProxy(listen, upstream);
    }

    String dockerHost() {
        return "unix://" + listen;
    }

    /** Holds the next request whose path matches, runs {@code before}, then forwards it; returns the answer's head. */
    CompletableFuture<String> holdOnce(Predicate<String> path, Runnable before) {
        CompletableFuture<String> answer = new CompletableFuture<>();
        hold = new Hold(path, before, answer);
        return answer;
    }

    /** Open connections that carry {@code GET /events}. */
    int eventStreams() {
        return (int) connections.stream().filter(c -> c.events).count();
    }

    /** Closes every event stream connection, both ends, as a network or engine fault would; returns how many. */
    int cutEvents() {
        int n = 0;
        for (Connection c : connections) {
            if (c.events) {
                c.close();
                n++;
            }
        }
        return n;
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            SocketChannel engine;
            try {
                engine = SocketChannel.open(UnixDomainSocketAddress.of(upstream));
            } catch (IOException e) {
                quietly(client); // the engine is not there: the client sees its connection closed
                continue;
            }
            Connection c = new Connection(client, engine);
            connections.add(c);
            start("docker-proxy-up", () -> pumpRequests(c));
            start("docker-proxy-down", () -> pumpAnswers(c));
        }
    }

    private void pumpRequests(Connection c) {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        try {
            while (c.client.read(buf) >= 0) {
                buf.flip();
                String text = StandardCharsets.ISO_8859_1.decode(buf.duplicate()).toString();
                Matcher m = REQUEST.matcher(text);
                while (m.find()) {
                    String path = m.group(2);
                    if (path.matches("(/v[0-9.]+)?/events.*")) {
                        c.events = true;
                    }
                    Hold h = hold;
                    if (h != null && h.path().test(path)) {
                        hold = null;
                        try {
                            h.before().run();
                        } catch (RuntimeException e) {
                            h.answer().completeExceptionally(e);
                        }
                        c.answer = h.answer();
                    }
                }
                while (buf.hasRemaining()) {
                    c.engine.write(buf);
                }
                buf.clear();
            }
        } catch (IOException e) {
            // either end closed
        } finally {
            c.close();
        }
    }

    private void pumpAnswers(Connection c) {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        try {
            while (c.engine.read(buf) >= 0) {
                buf.flip();
                CompletableFuture<String> answer = c.answer;
                if (answer != null) {
                    // the status line and the start of the body (it may come in a later write than the headers)
                    c.head.append(StandardCharsets.ISO_8859_1.decode(buf.duplicate()));
                    if (c.head.indexOf("\r\n\r\n") >= 0 && c.head.indexOf("{") >= 0 || ++c.chunks >= 5
                            || c.head.length() > 8192) {
                        c.answer = null;
                        answer.complete(c.head.toString());
                    }
                }
                while (buf.hasRemaining()) {
                    c.client.write(buf);
                }
                buf.clear();
            }
        } catch (IOException e) {
            // either end closed
        } finally {
            c.close();
        }
    }

    private static void start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private static void quietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing
        }
    }

    @Override
    public void close() {
        closed = true;
        quietly(server);
        connections.forEach(Connection::close);
        try {
            Files.deleteIfExists(listen);
        } catch (IOException e) {
            // the engine's state folder goes with docker-env down
        }
    }
}
