package dev.graft.host.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpRequestGuardTest {

    private static final String GET = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";

    /** What came out of the guard: the bytes it passed, and a rejection if any. */
    private record Out(String bytes, RequestRejection rejection) {}

    private static Out feed(boolean byteByByte, String... pieces) {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpRequestGuard());
        for (String piece : pieces) {
            byte[] bytes = piece.getBytes(StandardCharsets.ISO_8859_1);
            if (byteByByte) {
                for (byte b : bytes) {
                    channel.writeInbound(Unpooled.wrappedBuffer(new byte[]{b}));
                }
            } else {
                channel.writeInbound(Unpooled.wrappedBuffer(bytes));
            }
        }
        StringBuilder passed = new StringBuilder();
        RequestRejection rejection = null;
        List<Object> all = new ArrayList<>();
        Object msg;
        while ((msg = channel.readInbound()) != null) {
            all.add(msg);
        }
        for (Object o : all) {
            if (o instanceof ByteBuf buf) {
                passed.append(buf.toString(StandardCharsets.ISO_8859_1));
                assertThat(buf.release()).isTrue();
            } else if (o instanceof RequestRejection r) {
                assertThat(rejection).as("one rejection at most").isNull();
                rejection = r;
            }
        }
        assertThat(channel.finishAndReleaseAll()).isFalse();
        return new Out(passed.toString(), rejection);
    }

    @Test
    void well_formed_pipelined_requests_pass_unchanged() {
        String input = GET
                + "POST /f HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello\r\n\r\nxy"
                + "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nab\r\nc\r\n0\r\nX-T: 1\r\n\r\n"
                + "\r\n" + GET;
        for (boolean byteByByte : new boolean[]{false, true}) {
            Out out = feed(byteByByte, input);
            assertThat(out.rejection()).isNull();
            assertThat(out.bytes()).isEqualTo(input);
        }
    }

    @Test
    void body_bytes_that_look_like_heads_are_not_inspected() {
        // Bare LFs and folding inside bodies are data, not head syntax.
        String input = "POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n\n \nab\r\r\n\nx" + GET;
        Out out = feed(false, input);
        assertThat(out.rejection()).isNull();
        assertThat(out.bytes()).isEqualTo(input);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
            "GET / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
            "GET / HTTP/1.1\r\nContent-Length: 5, 5\r\n\r\nhello",
            "GET / HTTP/1.1\r\nContent-Length: +5\r\n\r\nhello",
            "GET / HTTP/1.1\r\nContent-Length: 0x5\r\n\r\nhello",
            "GET / HTTP/1.1\r\nContent-Length:\r\n\r\n",
            "GET / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n",
            "GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
            "GET / HTTP/1.1\r\nTransfer-Encoding : chunked\r\n\r\n",
            "GET / HTTP/1.1\r\nContent-Length\t: 5\r\n\r\nhello",
            "GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\n\tfolded\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\nX: b\r\n\r\n",
            "GET / HTTP/1.1\nHost: a\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\n\n",
            "GET /\r HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET / HTTP/1.1\r\n: empty-name\r\n\r\n",
            "GET / HTTP/1.1\r\nno-colon\r\n\r\n",
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nz\r\n",
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n",
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n\r\n",
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000\r\n",
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n",
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n",
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\n0\r\n\r\n",
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: 1\r\n folded\r\n\r\n",
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\n",
    })
    void smuggling_prone_heads_and_broken_framing_are_rejected(String input) {
        for (boolean byteByByte : new boolean[]{false, true}) {
            Out out = feed(byteByByte, input);
            assertThat(out.rejection()).as("rejection").isNotNull();
            assertThat(out.rejection().status()).isEqualTo(400);
            // The codec never sees the end of an offending head.
            assertThat(input).startsWith(out.bytes());
            assertThat(out.bytes().length()).isLessThan(input.length());
        }
    }

    @Test
    void a_bad_request_after_a_good_one_passes_the_good_one_first() {
        String good = "POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc";
        Out out = feed(false, good + "GET / HTTP/1.1\r\nHost: a\r\n x\r\n\r\n" + GET);
        assertThat(out.bytes()).startsWith(good);
        assertThat(out.bytes()).doesNotContain(" x\r\n");
        assertThat(out.rejection()).isNotNull();
    }

    @Test
    void input_after_a_rejection_is_dropped() {
        Out out = feed(false, "GET / HTTP/1.1\nHost: a\r\n\r\n", GET, GET);
        assertThat(out.bytes()).isEqualTo("GET / HTTP/1.1");
        assertThat(out.rejection()).isNotNull();
    }

    @Test
    void leading_empty_lines_are_tolerated_and_value_whitespace_is_trimmed() {
        String input = "\r\n\r\nPOST / HTTP/1.1\r\nContent-Length:  3 \r\ntransfer-encodinG-X: y\r\n\r\nabc" + GET;
        Out out = feed(true, input);
        assertThat(out.rejection()).isNull();
        assertThat(out.bytes()).isEqualTo(input);
    }

    private static String headers(int count, int valueLength) {
        StringBuilder b = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < count; i++) {
            b.append("X-H").append(i).append(": ").append("v".repeat(valueLength)).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    @Test
    void bug_many_small_headers_were_refused_nginx_counts_only_bytes() {
        Out out = feed(false, headers(120, 3));
        assertThat(out.rejection()).isNull();
    }

    @Test
    void bug_a_header_line_over_8k_was_accepted_nginx_answers_494() {
        Out out = feed(false, "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(10_000) + "\r\n\r\n");
        assertThat(out.rejection()).isNotNull();
        assertThat(out.rejection().status()).isEqualTo(494);
        // a line that fits a large buffer passes
        assertThat(feed(false, "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(8_000) + "\r\n\r\n").rejection()).isNull();
    }

    @Test
    void request_line_over_a_large_buffer_is_414_as_nginx() {
        String line = "GET /" + "a".repeat(8176) + " HTTP/1.1\r\n";
        assertThat(line.length()).isEqualTo(8192);
        assertThat(feed(false, line + "Host: a\r\n\r\n").rejection()).isNull();
        String longer = "GET /" + "a".repeat(8177) + " HTTP/1.1\r\n";
        Out out = feed(true, longer + "Host: a\r\n\r\n");
        assertThat(out.rejection().status()).isEqualTo(414);
    }

    @Test
    void a_head_needing_more_than_four_large_buffers_is_494_as_nginx() {
        // each 6000-byte line fills most of a buffer: the fifth needs a fifth large buffer
        assertThat(feed(false, headers(4, 6000)).rejection()).isNull();
        assertThat(feed(false, headers(5, 6000)).rejection().status()).isEqualTo(494);
    }

    @Test
    void bug_nul_in_a_head_passed_and_high_bytes_in_names_were_refused_nginx_does_the_opposite() {
        assertThat(feed(false, "GET / HTTP/1.1\r\nHost: a\r\nX: a\u0000b\r\n\r\n").rejection().status()).isEqualTo(400);
        assertThat(feed(false, "GET / HTTP/1.1\r\nHost: a\r\nX\u00e9: 1\r\n\r\n").rejection()).isNull();
    }

    @Test
    void bug_a_lower_case_version_passed_nginx_answers_400() {
        assertThat(feed(false, "GET / http/1.1\r\nHost: a\r\n\r\n").rejection().status()).isEqualTo(400);
        assertThat(feed(false, "GET / Http/1.1\r\nHost: a\r\n\r\n").rejection().status()).isEqualTo(400);
        assertThat(feed(true, "GET /http/ HTTP/1.1\r\nHost: a\r\n\r\n").rejection()).isNull();
    }

    @Test
    void bug_an_unknown_transfer_encoding_was_400_nginx_answers_501() {
        for (String te : new String[]{"gzip, chunked", "chunked, chunked", "xchunked"}) {
            for (boolean byteByByte : new boolean[]{false, true}) {
                assertThat(feed(byteByByte, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: " + te + "\r\n\r\n")
                        .rejection().status()).as(te).isEqualTo(501);
            }
        }
        assertThat(feed(false, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n")
                .rejection().status()).isEqualTo(400);
    }
}
