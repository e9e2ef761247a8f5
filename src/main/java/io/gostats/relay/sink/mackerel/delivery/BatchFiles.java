package io.gostats.relay.sink.mackerel.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;

import io.gostats.relay.sink.mackerel.api.MetricValue;
import io.gostats.relay.util.AtomicFiles;

/**
 * The queue's file store: one gzipped JSON file per batch in {@code dir}, named by its zero-padded sequence number
 * and value count, written once (to a temporary file moved into place) and never rewritten. Keeps the values of the
 * batches read for the current request in memory, and those only.
 */
final class BatchFiles {

    private static final Logger LOG = Logger.getLogger(BatchFiles.class);
    private static final Pattern BATCH_FILE = Pattern.compile("(\\d{12})-(\\d{1,9})\\.json\\.gz");
    private static final String CORRUPT_SUFFIX = ".corrupt";

    /** A batch file found on disk, known by its name alone. */
    record Stored(long sequence, int size) {
    }

    private final Path dir;
    private final ObjectWriter batchWriter;
    private final ObjectReader batchReader;
    private final Map<Long, List<MetricValue>> loaded = new HashMap<>();

    /** @throws UncheckedIOException when {@code dir} cannot be created */
    BatchFiles(Path dir) {
        this.dir = dir;
        ObjectMapper json = new ObjectMapper();
        this.batchWriter = json.writerFor(Batch.class).without(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        this.batchReader = json.readerFor(Batch.class);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the delivery queue in " + dir, e);
        }
    }

    Path dir() {
        return dir;
    }

    /**
     * The batch files already there, without reading them; a write cut short (a temporary file) is deleted, since
     * its batch was never queued.
     *
     * @throws UncheckedIOException when {@code dir} cannot be listed
     */
    List<Stored> existing() {
        List<Stored> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                Matcher m = BATCH_FILE.matcher(name);
                if (m.matches()) {
                    found.add(new Stored(Long.parseLong(m.group(1)), Integer.parseInt(m.group(2))));
                } else if (name.endsWith(AtomicFiles.TEMP_SUFFIX)) {
                    Files.deleteIfExists(file);
                } else if (!name.endsWith(CORRUPT_SUFFIX)) {
                    LOG.warnf("ignoring %s: not a queued batch", file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the delivery queue in " + dir, e);
        }
        return found;
    }

    /** @throws UncheckedIOException when the batch cannot be written; then no file is left */
    void write(Batch batch) {
        Path target = file(batch.sequence(), batch.values().size());
        try {
            AtomicFiles.write(target, out -> {
                GZIPOutputStream gzip = new GZIPOutputStream(out, 65536);
                batchWriter.writeValue(gzip, batch);
                gzip.finish();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot queue the batch of minute " + batch.minute() + " in " + dir, e);
        }
    }

    /**
     * The batch's values, from memory or its file. An unreadable file is logged and set aside as {@code *.corrupt};
     * then null.
     */
    List<MetricValue> read(long sequence, int size, int unsent) {
        List<MetricValue> values = loaded.get(sequence);
        if (values != null) {
            return values;
        }
        Path file = file(sequence, size);
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 65536)) {
            Batch batch = batchReader.readValue(in);
            if (batch.sequence() != sequence || batch.values().size() != size) {
                throw new IOException("content does not match the file name (sequence " + batch.sequence() + ", "
                        + batch.values().size() + " values)");
            }
            loaded.put(sequence, batch.values());
            return batch.values();
        } catch (IOException | RuntimeException e) {
            LOG.errorf("dropping unreadable queued batch %s (%d points), kept as %s%s: %s", file, unsent,
                    file.getFileName(), CORRUPT_SUFFIX, e.toString());
            try {
                Files.move(file, file.resolveSibling(file.getFileName() + CORRUPT_SUFFIX),
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailed) {
                LOG.warnf("cannot set aside %s: %s", file, moveFailed.toString());
            }
            return null;
        }
    }

    void delete(long sequence, int size) {
        loaded.remove(sequence);
        try {
            Files.deleteIfExists(file(sequence, size));
        } catch (IOException e) {
            LOG.warnf("cannot delete delivered batch file: %s", e.toString());
        }
    }

    /** Drops a batch's values from memory; its file stays. */
    void unload(long sequence) {
        loaded.remove(sequence);
    }

    /** Keeps in memory the values of these batches only. */
    void keepLoaded(Set<Long> sequences) {
        loaded.keySet().retainAll(sequences);
    }

    Set<Long> loaded() {
        return Set.copyOf(loaded.keySet());
    }

    private Path file(long sequence, int size) {
        return dir.resolve(String.format("%012d-%d.json.gz", sequence, size));
    }
}
