package io.gostats.relay.util;

import java.util.function.Predicate;

/** Reading an exception's cause chain: the innermost cause usually says what is wrong (no such socket, refused). */
public final class Causes {

    private Causes() {
    }

    /** The innermost cause, or the first one on the way that {@code stopAt} accepts. */
    public static Throwable root(Throwable t, Predicate<Throwable> stopAt) {
        Throwable root = t;
        while (!stopAt.test(root) && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    public static Throwable root(Throwable t) {
        return root(t, x -> false);
    }

    /** The first exception of the chain (the throwable itself included) that {@code test} accepts, or null. */
    public static Throwable find(Throwable t, Predicate<Throwable> test) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (test.test(c)) {
                return c;
            }
        }
        return null;
    }

    /** Whether the chain holds a timeout of any library (Vert.x, Netty, java.util.concurrent, HTTP clients). */
    public static boolean isTimeout(Throwable t) {
        return find(t, Causes::isTimeoutItself) != null;
    }

    /** Whether this one exception (not its causes) is a timeout of some library. */
    public static boolean isTimeoutItself(Throwable c) {
        return c instanceof java.util.concurrent.TimeoutException || c.getClass().getSimpleName().contains("Timeout");
    }

    /** The root cause's message, else its class name. */
    public static String rootMessage(Throwable t) {
        Throwable root = root(t);
        String msg = root.getMessage();
        return msg == null || msg.isBlank() ? root.getClass().getSimpleName() : msg.strip();
    }
}
