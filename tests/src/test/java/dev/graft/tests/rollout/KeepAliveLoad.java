package dev.graft.tests.rollout;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A steady load of keep-alive clients on loopback, each a thread with one connection at a
 * time, sending GETs back to back. Every request is counted: a complete response (by status
 * and by its {@code X-Stamp} header), or a failure (a reset, a connection closed before or
 * during the response, a malformed response). Nothing is retried: a request that did not get
 * its response is a failure. A connection is reopened only after a response that said
 * {@code Connection: close}, as an HTTP client does.
 */
final class KeepAliveLoad implements AutoCloseable {

    private final InetSocketAddress target;
    private final String host;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    final AtomicLong ok = new AtomicLong();
    final AtomicLong connections = new AtomicLong();
    final Map<Integer, AtomicLong> byStatus = new ConcurrentHashMap<>();
    final Map<String, AtomicLong> byStamp = new ConcurrentHashMap<>();
    final List<String> failures = new CopyOnWriteArrayList<>();
    private final long maxRequestsPerClient;
    /** What the test is doing now, named in failures. */
    volatile String phase = "start";

    KeepAliveLoad(InetSocketAddress target, String host, int clients, long maxRequestsPerClient) {
        this.target = target;
        this.host = host;
        this.maxRequestsPerClient = maxRequestsPerClient;
        for (int i = 0; i < clients; i++) {
            int id = i;
            Thread t = Thread.ofPlatform().name("load-" + i).daemon().unstarted(() -> run(id));
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    long total() {
        return ok.get() + failures.size();
    }

    long stamp(String value) {
        AtomicLong n = byStamp.get(value);
        return n == null ? 0 : n.get();
    }

    private void run(int id) {
        byte[] request = ("GET /load/" + id + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: load\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        long sent = 0;
        long onConnection = 0;
        long lastResponse = System.nanoTime();
        Socket socket = null;
        InputStream in = null;
        try {
            while (running.get() && sent < maxRequestsPerClient) {
                if (socket == null) {
                    socket = new Socket();
                    socket.setTcpNoDelay(true);
                    socket.connect(target, 5_000);
                    socket.setSoTimeout(15_000);
                    in = new BufferedInputStream(socket.getInputStream());
                    connections.incrementAndGet();
                    onConnection = 0;
                }
                sent++;
                long idleNanos = System.nanoTime() - lastResponse;
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(request);
                    out.flush();
                    Response r = Response.read(in);
                    lastResponse = System.nanoTime();
                    onConnection++;
                    ok.incrementAndGet();
                    byStatus.computeIfAbsent(r.status, k -> new AtomicLong()).incrementAndGet();
                    byStamp.computeIfAbsent(r.headers.getOrDefault("x-stamp", "none"), k -> new AtomicLong())
                            .incrementAndGet();
                    if ("close".equalsIgnoreCase(r.headers.getOrDefault("connection", ""))) {
                        socket.close();
                        socket = null;
                    }
                } catch (IOException e) {
                    failures.add("client " + id + " request " + sent + " (" + onConnection + " before on its connection, "
                            + (idleNanos / 1_000_000) + " ms after the last response, during " + phase + "): " + e);
                    closeQuietly(socket);
                    socket = null;
                }
            }
        } catch (IOException e) {
            failures.add("client " + id + " connect: " + e);
        } finally {
            closeQuietly(socket);
        }
    }

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already broken
            }
        }
    }

    /** Stops sending and waits for every client's last response. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(30_000);
        }
    }

    /** One HTTP/1.1 response read from a kept-alive stream: Content-Length or chunked. */
    record Response(int status, Map<String, String> headers, byte[] body) {

        static Response read(InputStream in) throws IOException {
            String statusLine = line(in);
            if (!statusLine.startsWith("HTTP/1.1 ")) {
                throw new IOException("bad status line: " + statusLine);
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            Map<String, String> headers = new java.util.HashMap<>();
            for (String l = line(in); !l.isEmpty(); l = line(in)) {
                int colon = l.indexOf(':');
                headers.put(l.substring(0, colon).strip().toLowerCase(Locale.ROOT), l.substring(colon + 1).strip());
            }
            byte[] body;
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                while (true) {
                    String size = line(in);
                    int semi = size.indexOf(';');
                    int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
                    if (n == 0) {
                        while (!line(in).isEmpty()) {
                            // trailers
                        }
                        break;
                    }
                    b.write(exactly(in, n));
                    line(in);
                }
                body = b.toByteArray();
            } else {
                body = exactly(in, Integer.parseInt(headers.getOrDefault("content-length", "0")));
            }
            return new Response(status, headers, body);
        }

        private static byte[] exactly(InputStream in, int n) throws IOException {
            byte[] b = in.readNBytes(n);
            if (b.length != n) {
                throw new EOFException("body ended after " + b.length + " of " + n + " bytes");
            }
            return b;
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new EOFException("connection closed " + (sb.isEmpty() ? "before a response" : "mid-line: " + sb));
                }
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }
    }
}
