package dev.graft.host.record;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.graft.host.config.GraftConfig;
import dev.graft.host.exchange.Exchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records requests the proxy serves, for the parity check to replay ({@code graft parity
 * --traffic FILE}): opt-in through the config's {@code record} section ({@link RecordSettings}),
 * sampled, one JSON line per request with what the client sent (method, target, headers in
 * order with configured ones redacted, body cut at a limit, client address), appended until the
 * file reaches its size cap.
 *
 * <p>One recorder per event loop, confined to it. Each line is one append-mode write, so the
 * loops' lines never interleave; the cap is checked against the file's size before each write.
 */
public final class RequestRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(RequestRecorder.class);
    private static final JsonFactory JSON = new JsonFactory();

    /** Records nothing: the config has no {@code record} section. */
    public static final RequestRecorder OFF = new RequestRecorder(null, new SplittableRandom(0));

    private final RecordSettings settings;
    private final SplittableRandom random;
    private FileChannel channel;
    private boolean full;

    private RequestRecorder(RecordSettings settings, SplittableRandom random) {
        this.settings = settings;
        this.random = random;
    }

    /** The recorder a loop uses for {@code config}: {@link #OFF} unless the config opts in. */
    public static RequestRecorder of(GraftConfig config) {
        requireNonNull(config, "config");
        if (config.raw() == null) {
            return OFF;
        }
        return switch (RecordSettings.read(config.raw(), java.nio.file.Path.of(""))) {
            case RecordSettings.Read.On on -> new RequestRecorder(on.settings(), new SplittableRandom());
            case RecordSettings.Read.Off off -> OFF;
            case RecordSettings.Read.Invalid i -> OFF;
        };
    }

    /** A recorder with these settings (tests). */
    public static RequestRecorder with(RecordSettings settings, long seed) {
        return new RequestRecorder(requireNonNull(settings, "settings"), new SplittableRandom(seed));
    }

    public boolean enabled() {
        return settings != null && !full;
    }

    /** Records the request of {@code ex} as the client sent it; call before any stage ran. */
    public void record(Exchange ex) {
        if (settings == null || full || (settings.sample() < 1 && random.nextDouble() >= settings.sample())) {
            return;
        }
        try {
            byte[] line = line(ex);
            if (channel == null) {
                channel = FileChannel.open(settings.file(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND);
            }
            if (channel.size() + line.length > settings.maxBytes()) {
                full = true;
                LOG.warn("record: {} reached its cap of {} bytes; recording stops", settings.file(), settings.maxBytes());
                return;
            }
            channel.write(ByteBuffer.wrap(line));
        } catch (IOException e) {
            full = true;
            LOG.error("record: {}: {}; recording stops", settings.file(), e.toString());
        }
    }

    byte[] line(Exchange ex) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("time", ex.startEpochMillis());
            g.writeStringField("client", ex.remote().getAddress() == null ? ex.remote().getHostString()
                    : ex.remote().getAddress().getHostAddress());
            g.writeStringField("method", ex.method());
            g.writeStringField("target", ex.requestUri());
            g.writeArrayFieldStart("headers");
            for (Map.Entry<String, String> h : ex.requestHeaders()) {
                g.writeStartArray();
                g.writeString(h.getKey());
                g.writeString(settings.redact().contains(h.getKey().toLowerCase(Locale.ROOT)) ? "<redacted>" : h.getValue());
                g.writeEndArray();
            }
            g.writeEndArray();
            if (ex.body().isPresent() && ex.body().get().length > 0) {
                byte[] b = ex.body().get();
                int n = Math.min(b.length, settings.maxBodyBytes());
                g.writeStringField("body", new String(b, 0, n, StandardCharsets.ISO_8859_1));
                if (n < b.length) {
                    g.writeBooleanField("body_truncated", true);
                }
            }
            g.writeEndObject();
        }
        out.write('\n');
        return out.toByteArray();
    }
}
