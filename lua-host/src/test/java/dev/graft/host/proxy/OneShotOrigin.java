package dev.graft.host.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * An origin that answers the first request of each connection with keep-alive, then closes the
 * connection without answering when the next request arrives: what a kept-alive connection looks
 * like when the origin's idle timeout races with the proxy reusing it.
 */
final class OneShotOrigin implements AutoCloseable {

    private final ServerSocket server;

    OneShotOrigin() throws IOException {
        server = new ServerSocket(0);
        Thread.ofPlatform().daemon().start(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread.ofPlatform().daemon().start(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            if (!readHead(in)) {
                return;
            }
            socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
            readHead(in);
        } catch (IOException e) {
            // the proxy went away; nothing to do
        }
    }

    private static boolean readHead(InputStream in) throws IOException {
        int matched = 0;
        int b;
        while ((b = in.read()) >= 0) {
            matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : 0;
            if (matched == 4) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
