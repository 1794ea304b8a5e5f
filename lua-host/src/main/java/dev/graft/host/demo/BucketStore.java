package dev.graft.host.demo;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bucket origin's objects, in memory, keyed by path ({@code /<bucket>/<key>}). Bounded in
 * object count and size so a demo cannot be made to eat the heap.
 */
public final class BucketStore {

    public static final int MAX_OBJECTS = 1024;
    public static final int MAX_OBJECT_BYTES = 1 << 20;

    /** When the seeded objects were "last modified": fixed, so responses are reproducible. */
    public static final Instant SEED_TIME = Instant.parse("2025-01-01T00:00:00Z");

    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    /** One stored object. */
    public record StoredObject(byte[] body, String contentType, String etag, String lastModified) {}

    /** The result of a put. */
    public sealed interface PutResult {
        record Stored(StoredObject object) implements PutResult {}

        record TooLarge() implements PutResult {}

        record Full() implements PutResult {}
    }

    private final Map<String, StoredObject> objects = new ConcurrentHashMap<>();

    /** A store with the demo objects: /assets/logo.txt, /assets/site.css, /docs/readme.txt. */
    public static BucketStore seeded() {
        BucketStore s = new BucketStore();
        s.put("/assets/logo.txt", "  __ _ _ __ __ _ / _| |_\n / _` | '__/ _` | |_| __|\n| (_| | | | (_| |  _| |_\n"
                + " \\__, |_|  \\__,_|_|  \\__|\n |___/\n", "text/plain", SEED_TIME);
        s.put("/assets/site.css", "body { font-family: sans-serif; margin: 2em; }\n", "text/css", SEED_TIME);
        s.put("/docs/readme.txt", "This object lives in the demo bucket origin.\n", "text/plain", SEED_TIME);
        return s;
    }

    private void put(String path, String text, String contentType, Instant when) {
        put(path, text.getBytes(StandardCharsets.UTF_8), contentType, when);
    }

    public Optional<StoredObject> get(String path) {
        return Optional.ofNullable(objects.get(requireNonNull(path, "path")));
    }

    public PutResult put(String path, byte[] body, String contentType, Instant when) {
        requireNonNull(path, "path");
        requireNonNull(body, "body");
        requireNonNull(contentType, "contentType");
        if (body.length > MAX_OBJECT_BYTES) {
            return new PutResult.TooLarge();
        }
        if (objects.size() >= MAX_OBJECTS && !objects.containsKey(path)) {
            return new PutResult.Full();
        }
        StoredObject o = new StoredObject(body.clone(), contentType, etag(body), HTTP_DATE.format(when));
        objects.put(path, o);
        return new PutResult.Stored(o);
    }

    private static String etag(byte[] body) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(d, 0, 8) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
