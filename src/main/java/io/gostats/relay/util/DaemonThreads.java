package io.gostats.relay.util;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads of the relay's own executors: daemon threads (a stuck sink or Docker call never keeps the JVM from
 * exiting), named so that a thread dump says what each one is for.
 */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** {@code name} for a single-thread executor; {@code name-1}, {@code name-2}... for a pool. */
    public static ThreadFactory named(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            int i = n.incrementAndGet();
            Thread t = new Thread(r, i == 1 ? name : name + "-" + i);
            t.setDaemon(true);
            return t;
        };
    }
}
