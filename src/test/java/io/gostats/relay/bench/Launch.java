package io.gostats.relay.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How the relay is started: which {@code java}, its flags ({@code @jvm.options} first, then e.g. an AOT cache) and
 * the jar; {@code label} names it in the report ("Java 17", "Java 25 + AOT cache").
 */
record Launch(String label, Path java, List<String> jvmFlags, Path jar) {

    Launch {
        jvmFlags = List.copyOf(jvmFlags);
    }

    /** The same launch with more flags after these (later flags win). */
    Launch with(List<String> more) {
        List<String> flags = new ArrayList<>(jvmFlags);
        flags.addAll(more);
        return new Launch(label, java, flags, jar);
    }

    /** {@code java <flags> -jar <jar> <args>}. */
    List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-jar", jar.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
