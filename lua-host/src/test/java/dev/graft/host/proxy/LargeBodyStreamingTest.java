package dev.graft.host.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.host.config.GraftConfig;
import dev.graft.host.config.GraftConfig.Limits;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Large bodies stream through the proxy in both directions without being held: 256 MiB by
 * default, {@code -Dgraft.test.largeBytes=1073741824} for the 1 GiB run (with
 * {@code -DargLine=-Xmx256m} it shows the heap bound). Prints the peak heap it saw.
 */
class LargeBodyStreamingTest {

    private static final long SIZE = Long.getLong("graft.test.largeBytes", 256L * 1024 * 1024);

    private static TestOrigin origin;
    private static ProxyServer proxy;
    private static final AtomicLong peakHeap = new AtomicLong();
    private static Thread sampler;

    @BeforeAll
    static void start() {
        origin = new TestOrigin();
        GraftConfig config = TestConfigs.config(
                Map.of("origin", TestConfigs.upstream(origin.port(), 2000, 30_000, 60_000)), "origin",
                new Limits(8192, 32768, 100, 1024 * 1024, 60_000));
        proxy = ProxyServer.start(config, loop -> new StubPipeline(), new RecordingMetrics());
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        sampler = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    @AfterAll
    static void stop() {
        sampler.interrupt();
        System.out.printf("large body streaming: %d bytes each way, max heap %d MiB, peak heap used %d MiB, transport %s%n",
                SIZE, Runtime.getRuntime().maxMemory() >> 20, peakHeap.get() >> 20, proxy.transport());
        proxy.close();
        origin.close();
    }

    @Test
    void a_large_upload_streams_to_the_origin_intact() throws IOException {
        byte[] block = new byte[TestOrigin.PATTERN_SIZE];
        for (int i = 0; i < block.length; i++) {
            block[i] = TestOrigin.pattern(i);
        }
        CRC32 sent = new CRC32();
        try (RawClient c = new RawClient(proxy.port())) {
            c.send("PUT /upload HTTP/1.1\r\nHost: a\r\nContent-Length: " + SIZE + "\r\n\r\n");
            OutputStream out = c.output();
            long left = SIZE;
            while (left > 0) {
                int n = (int) Math.min(block.length, left);
                out.write(block, 0, n);
                sent.update(block, 0, n);
                left -= n;
            }
            out.flush();
            RawClient.Response r = c.read();
            assertThat(r.text()).isEqualTo("bytes=" + SIZE + " crc=" + Long.toHexString(sent.getValue()));
        }
    }

    @Test
    void a_large_chunked_upload_streams_to_the_origin_intact() throws IOException {
        long size = SIZE / 4;
        byte[] block = new byte[TestOrigin.PATTERN_SIZE];
        for (int i = 0; i < block.length; i++) {
            block[i] = TestOrigin.pattern(i);
        }
        byte[] chunkHead = (Integer.toHexString(block.length) + "\r\n").getBytes();
        byte[] crlf = "\r\n".getBytes();
        CRC32 sent = new CRC32();
        try (RawClient c = new RawClient(proxy.port())) {
            c.send("POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
            OutputStream out = c.output();
            for (long left = size; left > 0; left -= block.length) {
                out.write(chunkHead);
                out.write(block);
                out.write(crlf);
                sent.update(block);
            }
            out.write("0\r\n\r\n".getBytes());
            out.flush();
            assertThat(c.read().text()).isEqualTo("bytes=" + size + " crc=" + Long.toHexString(sent.getValue()));
        }
    }

    @Test
    void a_large_download_streams_to_the_client_intact() {
        for (String chunked : new String[]{"", "&chunked"}) {
            CRC32 expected = new CRC32();
            byte[] block = new byte[TestOrigin.PATTERN_SIZE];
            for (int i = 0; i < block.length; i++) {
                block[i] = TestOrigin.pattern(i);
            }
            for (long left = SIZE; left > 0; left -= block.length) {
                expected.update(block, 0, (int) Math.min(block.length, left));
            }
            CRC32 received = new CRC32();
            AtomicLong count = new AtomicLong();
            try (RawClient c = new RawClient(proxy.port())) {
                c.send("GET /download?n=" + SIZE + chunked + " HTTP/1.1\r\nHost: a\r\n\r\n");
                RawClient.Response r = c.read(false, (bytes, offset, length) -> {
                    received.update(bytes, offset, length);
                    count.addAndGet(length);
                });
                assertThat(r.status()).isEqualTo(200);
            } catch (UncheckedIOException e) {
                throw e;
            }
            assertThat(count.get()).isEqualTo(SIZE);
            assertThat(received.getValue()).isEqualTo(expected.getValue());
        }
    }
}
