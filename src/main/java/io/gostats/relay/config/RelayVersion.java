package io.gostats.relay.config;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The relay's version, from the build: Quarkus's {@code quarkus.application.version} (the project's version), else
 * the jar manifest's, else {@code unknown} (a class run outside the built application).
 */
public final class RelayVersion {

    private static volatile String version;

    private RelayVersion() {
    }

    public static String version() {
        String v = version;
        if (v == null) {
            v = read();
            version = v;
        }
        return v;
    }

    /** {@code gostats-relay/<version>}: the relay's {@code User-Agent}, as Mackerel's official clients name theirs. */
    public static String userAgent() {
        return "gostats-relay/" + version();
    }

    private static String read() {
        try {
            var fromBuild = ConfigProvider.getConfig().getOptionalValue("quarkus.application.version", String.class);
            if (fromBuild.isPresent() && !fromBuild.get().isBlank()) {
                return fromBuild.get().strip();
            }
        } catch (IllegalStateException noConfig) {
            // outside an application: the manifest, if any
        }
        String manifest = RelayVersion.class.getPackage().getImplementationVersion();
        return manifest == null || manifest.isBlank() ? "unknown" : manifest;
    }
}
