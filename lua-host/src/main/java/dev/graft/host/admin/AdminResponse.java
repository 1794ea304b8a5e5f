package dev.graft.host.admin;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;

/** What an admin endpoint answers: a status, a content type and a body. */
public record AdminResponse(int status, String contentType, byte[] body) {

    public AdminResponse {
        requireNonNull(contentType, "contentType");
        requireNonNull(body, "body");
    }

    public static AdminResponse json(int status, String json) {
        return new AdminResponse(status, "application/json", (json + "\n").getBytes(StandardCharsets.UTF_8));
    }

    public static AdminResponse text(int status, String contentType, String text) {
        return new AdminResponse(status, contentType, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A JSON error body {@code {"error": message}}. */
    public static AdminResponse error(int status, String message) {
        return json(status, "{\"error\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
    }
}
