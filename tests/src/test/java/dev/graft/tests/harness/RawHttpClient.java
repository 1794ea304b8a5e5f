package dev.graft.tests.harness;

import static java.util.Objects.requireNonNull;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An HTTP/1.1 client over a plain socket that writes a {@link RawRequest} byte for byte, one
 * request per connection. java.net.http.HttpClient cannot send an arbitrary Host, repeated or
 * restricted headers, or an unencoded target, which is what the cases and the cross-check need.
 * It adds nothing: Host, Content-Length and Connection are the caller's to write.
 */
public final class RawHttpClient {

    private static final int MAX_LINE = 64 * 1024;
    private static final int MAX_BODY = 16 * 1024 * 1024;

    private final Duration timeout;

    private RawHttpClient(Duration timeout) {
        this.timeout = timeout;
    }

    public static RawHttpClient withTimeout(Duration timeout) {
        return new RawHttpClient(requireNonNull(timeout, "timeout"));
    }

    public ClientResult send(InetSocketAddress address, RawRequest request) {
        requireNonNull(address, "address");
        requireNonNull(request, "request");
        try (Socket socket = new Socket()) {
            socket.connect(address, (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head(request));
                if (request.body().isPresent()) {
                    out.write(request.body().get());
                }
                out.flush();
            } catch (IOException refusedMidway) {
                // a server may answer (413, 400) and close before taking the whole request: read that answer
            }
            InputStream in = new BufferedInputStream(socket.getInputStream());
            return read(in, request.method().equals("HEAD"));
        } catch (IOException | RuntimeException e) {
            return new ClientResult.NoAnswer(e.toString());
        }
    }

    private static byte[] head(RawRequest request) {
        StringBuilder head = new StringBuilder(256);
        head.append(request.method()).append(' ').append(request.target()).append(' ').append(request.version()).append("\r\n");
        for (Header h : request.headers()) {
            head.append(h.name()).append(": ").append(h.value()).append("\r\n");
        }
        head.append("\r\n");
        return head.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Reads one response; 1xx interim responses are skipped. */
    static ClientResult read(InputStream in, boolean head) throws IOException {
        while (true) {
            String statusLine = line(in);
            if (statusLine == null) {
                return new ClientResult.NoAnswer("connection closed before a status line");
            }
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                return new ClientResult.NoAnswer("status line: \"" + statusLine + "\" (expected: HTTP/x.y NNN ...)");
            }
            int status;
            try {
                status = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                return new ClientResult.NoAnswer("status: \"" + parts[1] + "\" (expected: a number)");
            }
            List<Header> headers = new ArrayList<>();
            for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
                int colon = l.indexOf(':');
                if (colon <= 0) {
                    return new ClientResult.NoAnswer("header line: \"" + l + "\" (expected: name: value)");
                }
                headers.add(new Header(l.substring(0, colon).trim(), l.substring(colon + 1).trim()));
            }
            if (status >= 100 && status < 200 && status != 101) {
                continue;
            }
            RawResponse framing = new RawResponse(status, headers, new byte[0]);
            if (head || status == 204 || status == 304 || status < 200) {
                return new ClientResult.Answered(framing);
            }
            List<String> te = framing.values("Transfer-Encoding");
            if (!te.isEmpty() && te.get(te.size() - 1).toLowerCase().contains("chunked")) {
                return new ClientResult.Answered(new RawResponse(status, headers, chunked(in)));
            }
            List<String> length = framing.values("Content-Length");
            if (!length.isEmpty()) {
                int n = Integer.parseInt(length.get(0).trim());
                byte[] body = in.readNBytes(n);
                if (body.length != n) {
                    return new ClientResult.NoAnswer("body: " + body.length + " bytes (expected: Content-Length " + n + ")");
                }
                return new ClientResult.Answered(new RawResponse(status, headers, body));
            }
            return new ClientResult.Answered(new RawResponse(status, headers, in.readNBytes(MAX_BODY)));
        }
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in);
            if (sizeLine == null) {
                throw new IOException("chunked body ended without the last chunk");
            }
            int semi = sizeLine.indexOf(';');
            int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            if (size == 0) {
                for (String trailer = line(in); trailer != null && !trailer.isEmpty(); trailer = line(in)) {
                    // trailers are not compared
                }
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length != size) {
                throw new IOException("chunk: " + chunk.length + " bytes (expected: " + size + ")");
            }
            body.write(chunk);
            line(in);
        }
    }

    /** A CRLF- or LF-terminated line as ISO-8859-1 (bytes kept one to one), or null at EOF. */
    private static String line(InputStream in) throws IOException {
        StringBuilder out = new StringBuilder(64);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int len = out.length();
                if (len > 0 && out.charAt(len - 1) == '\r') {
                    out.setLength(len - 1);
                }
                return out.toString();
            }
            if (out.length() >= MAX_LINE) {
                throw new IOException("line longer than " + MAX_LINE + " bytes");
            }
            out.append((char) c);
        }
        return out.isEmpty() ? null : out.toString();
    }
}
