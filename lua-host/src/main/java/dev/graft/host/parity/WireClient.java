package dev.graft.host.parity;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 client on one keep-alive connection, for the dual run: sends requests
 * exactly as given (any Host, odd targets, repeated headers) one after the other, reads each
 * response (Content-Length, chunked, or until close), and reconnects when the server closes.
 * One per lane; not thread-safe.
 */
final class WireClient implements AutoCloseable {

    /** A response as received. */
    record Response(int status, List<String[]> headers, byte[] body) {}

    private final InetSocketAddress address;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    WireClient(InetSocketAddress address) {
        this.address = address;
    }

    Response send(ParityRequest r) throws IOException {
        if (socket == null) {
            socket = new Socket();
            socket.connect(address, 5000);
            socket.setSoTimeout(30_000);
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream(), 16384);
            out = socket.getOutputStream();
        }
        StringBuilder head = new StringBuilder(256);
        head.append(r.method()).append(' ').append(r.target()).append(" HTTP/1.1\r\n");
        boolean hasLength = false;
        for (ParityRequest.Header h : r.headers()) {
            head.append(h.name()).append(": ").append(h.value()).append("\r\n");
            hasLength |= h.name().equalsIgnoreCase("Content-Length");
        }
        byte[] body = r.body().map(b -> b.getBytes(StandardCharsets.ISO_8859_1)).orElse(new byte[0]);
        if (body.length > 0 && !hasLength) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
        Response resp;
        do {
            resp = read(r.method().equals("HEAD"));
        } while (resp.status() >= 100 && resp.status() < 200);
        String connection = header(resp, "connection");
        if (connection != null && connection.toLowerCase(Locale.ROOT).contains("close")) {
            close();
        }
        return resp;
    }

    private static String header(Response r, String name) {
        for (String[] h : r.headers()) {
            if (h[0].equalsIgnoreCase(name)) {
                return h[1];
            }
        }
        return null;
    }

    private Response read(boolean head) throws IOException {
        String status = line();
        if (status == null) {
            throw new IOException("connection closed before a response");
        }
        String[] parts = status.split(" ", 3);
        int code = Integer.parseInt(parts[1]);
        List<String[]> headers = new ArrayList<>();
        long length = -1;
        boolean chunked = false;
        String l;
        while ((l = line()) != null && !l.isEmpty()) {
            int colon = l.indexOf(':');
            String name = l.substring(0, colon).trim();
            String value = l.substring(colon + 1).trim();
            headers.add(new String[] {name, value});
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (head || code == 204 || code == 304 || (code >= 100 && code < 200)) {
            return new Response(code, headers, body.toByteArray());
        }
        if (chunked) {
            while (true) {
                String size = line();
                int n = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (n == 0) {
                    while ((l = line()) != null && !l.isEmpty()) {
                        // trailers
                    }
                    break;
                }
                body.write(in.readNBytes(n));
                line();
            }
        } else if (length >= 0) {
            body.write(in.readNBytes((int) length));
        } else {
            body.write(in.readAllBytes());
            close();
        }
        return new Response(code, headers, body.toByteArray());
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        if (c == -1 && b.size() == 0) {
            return null;
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a socket we are done with: nothing to do
            }
            socket = null;
        }
    }
}
