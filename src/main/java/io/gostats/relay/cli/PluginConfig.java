package io.gostats.relay.cli;

import java.nio.file.Path;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The {@code plugin} command (mackerel-agent plugin mode): the old shell loop's names and numbers by default. */
@ConfigMapping(prefix = "relay.plugin")
public interface PluginConfig {
    /** Key template of the printed names {@code <prefix>.<key>.<graph>.<metric>}, as relay.mackerel.key. */
    @WithDefault("{port}")
    String key();

    /** The plugin's numbers exactly (Diff of heap_released). */
    @WithDefault("true")
    boolean gostatsCompat();

    /** The state file (and key slots) live here; else MACKEREL_PLUGIN_WORKDIR, else the temp directory. */
    Optional<Path> workdir();
}
