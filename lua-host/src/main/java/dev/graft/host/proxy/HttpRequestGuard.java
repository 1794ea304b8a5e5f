package dev.graft.host.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Checks the raw bytes of requests in front of {@code HttpServerCodec}, for what Netty's
 * decoder tolerates but a request-smuggling-safe proxy must refuse: bare CR or LF in a head,
 * obsolete line folding, whitespace before a header's colon, Content-Length together with
 * Transfer-Encoding, duplicate or non-numeric Content-Length, a Transfer-Encoding other than
 * exactly {@code chunked}, and broken chunk framing.
 *
 * <p>It frames requests itself (head, then Content-Length bytes or chunks) so that it knows where
 * each head starts, also for pipelined requests; body bytes are only counted. Buffers pass
 * through unchanged and uncopied. On the first violation it forwards the bytes before it, then a
 * {@link RequestRejection} in place of the rest, and drops all later input.
 *
 * <p>It also applies nginx's header buffers ({@code client_header_buffer_size 1k},
 * {@code large_client_header_buffers 4 8k}) byte for byte: a head is read into a 1k buffer; when a
 * buffer is full, the line in progress moves to a new large buffer. A request line that does not
 * fit one large buffer is 414; a header line that does not, or a head that needs more large
 * buffers than there are, is nginx's 494 (sent as 400 "Request Header Or Cookie Too Large").
 * A NUL byte anywhere in a head is 400, as in nginx; a header name may hold any other byte (the
 * frontend drops the names nginx ignores).
 */
final class HttpRequestGuard extends ChannelInboundHandlerAdapter {

    private static final int LINE_PREFIX = 128;
    private static final int TAIL = 16;
    private static final byte[] CONTENT_LENGTH = "content-length".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] TRANSFER_ENCODING = "transfer-encoding".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] CHUNKED = "chunked".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private enum State { HEAD, FIXED_BODY, CHUNK_SIZE, CHUNK_EXTENSION, CHUNK_SIZE_LF, CHUNK_DATA, CHUNK_DATA_CR, CHUNK_DATA_LF, TRAILER, REJECTED }

    /** nginx's client_header_buffer_size. */
    static final int FIRST_BUFFER = 1024;

    private State state = State.HEAD;

    // nginx's header buffers
    private final int largeBuffer;
    private final int largeBuffers;
    private int bufferSize = FIRST_BUFFER;
    private int bufferUsed;
    private int largeUsed;
    private int status = 400;

    // head and trailer lines
    private final byte[] line = new byte[LINE_PREFIX];
    /** The last bytes of the line, for the request line's version. */
    private final byte[] tail = new byte[TAIL];
    private int lineLength;
    private boolean sawCr;
    private boolean requestLineSeen;
    private int contentLengths;
    private long contentLength;
    private boolean contentLengthValid;
    private int transferEncodings;
    private boolean transferEncodingChunked;

    // body
    private long remaining;
    private int chunkSizeDigits;
    private String violation = "";

    /** nginx's defaults: 4 large buffers of 8k. */
    HttpRequestGuard() {
        this(8 * 1024, 4);
    }

    HttpRequestGuard(int largeBuffer, int largeBuffers) {
        this.largeBuffer = largeBuffer;
        this.largeBuffers = largeBuffers;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (state == State.REJECTED) {
            buf.release();
            return;
        }
        int bad = scan(buf);
        if (bad < 0) {
            ctx.fireChannelRead(buf);
            return;
        }
        int clean = bad - buf.readerIndex();
        if (clean > 0) {
            ctx.fireChannelRead(buf.retainedSlice(buf.readerIndex(), clean));
        }
        ReferenceCountUtil.release(buf);
        ctx.fireChannelRead(new RequestRejection(status, violation));
    }

    /** Whether the guard refused the input; nothing passes after that. */
    boolean rejected() {
        return state == State.REJECTED;
    }

    /** Scans the readable bytes; returns the index of the first violation, or -1. */
    private int scan(ByteBuf buf) {
        int i = buf.readerIndex();
        int end = buf.writerIndex();
        while (i < end) {
            switch (state) {
                case FIXED_BODY, CHUNK_DATA -> {
                    long skip = Math.min(remaining, end - i);
                    i += (int) skip;
                    remaining -= skip;
                    if (remaining == 0 && state == State.FIXED_BODY) {
                        startLines(State.HEAD);
                    } else if (remaining == 0) {
                        state = State.CHUNK_DATA_CR;
                    }
                }
                case REJECTED -> {
                    return i;
                }
                default -> {
                    if (!step(buf.getByte(i))) {
                        state = State.REJECTED;
                        return i;
                    }
                    i++;
                }
            }
        }
        return -1;
    }

    private boolean step(byte b) {
        return switch (state) {
            case HEAD, TRAILER -> lineByte(b);
            case CHUNK_SIZE -> chunkSizeByte(b);
            case CHUNK_EXTENSION -> {
                if (b == '\r') {
                    state = State.CHUNK_SIZE_LF;
                    yield true;
                }
                yield b != '\n' || fail("chunk extension: bare LF (expected: CRLF)");
            }
            case CHUNK_SIZE_LF -> {
                if (b != '\n') {
                    yield fail("chunk size line: bare CR (expected: CRLF)");
                }
                if (remaining == 0) {
                    startLines(State.TRAILER);
                } else {
                    state = State.CHUNK_DATA;
                }
                yield true;
            }
            case CHUNK_DATA_CR -> {
                state = State.CHUNK_DATA_LF;
                yield b == '\r' || fail("chunk data: longer than its size (expected: CRLF after the data)");
            }
            case CHUNK_DATA_LF -> {
                state = State.CHUNK_SIZE;
                remaining = 0;
                chunkSizeDigits = 0;
                yield b == '\n' || fail("chunk data: CR without LF (expected: CRLF after the data)");
            }
            case FIXED_BODY, CHUNK_DATA, REJECTED -> throw new IllegalStateException("state: " + state);
        };
    }

    private boolean chunkSizeByte(byte b) {
        int digit = hex(b);
        if (digit >= 0) {
            if (++chunkSizeDigits > 15) {
                return fail("chunk size: too many digits (expected: at most 15 hex digits)");
            }
            remaining = remaining << 4 | digit;
            return true;
        }
        if (chunkSizeDigits == 0) {
            return fail("chunk size: not a hex number (expected: hex digits)");
        }
        if (b == ';' || b == ' ' || b == '\t') {
            state = State.CHUNK_EXTENSION;
            return true;
        }
        if (b == '\r') {
            state = State.CHUNK_SIZE_LF;
            return true;
        }
        return fail("chunk size: not a hex number (expected: hex digits)");
    }

    private boolean lineByte(byte b) {
        if (state == State.HEAD && !headerBuffer()) {
            return false;
        }
        if (b == 0) {
            return fail("head: NUL byte (expected: none)");
        }
        if (sawCr) {
            sawCr = false;
            return b == '\n' ? endOfLine() : fail("head: bare CR (expected: CRLF)");
        }
        if (b == '\r') {
            sawCr = true;
            return true;
        }
        if (b == '\n') {
            return fail("head: bare LF (expected: CRLF)");
        }
        if (lineLength == 0 && (b == ' ' || b == '\t') && (requestLineSeen || state == State.TRAILER)) {
            return fail("head: obsolete line folding (expected: no line starting with whitespace)");
        }
        if (lineLength < LINE_PREFIX) {
            line[lineLength] = b;
        }
        tail[lineLength % TAIL] = b;
        lineLength++;
        return true;
    }

    /** Takes one byte into nginx's current header buffer; moves to a new large one when full. */
    private boolean headerBuffer() {
        if (bufferUsed == bufferSize) {
            int carried = lineLength + (sawCr ? 1 : 0);
            boolean requestLine = !requestLineSeen;
            if (carried >= largeBuffer || largeUsed == largeBuffers) {
                status = requestLine ? 414 : 494;
                return fail(requestLine ? "request line: longer than " + largeBuffer + " bytes (expected: at most that)"
                        : "head: over " + largeBuffers + " buffers of " + largeBuffer + " bytes (expected: within them)");
            }
            largeUsed++;
            bufferSize = largeBuffer;
            bufferUsed = carried;
        }
        bufferUsed++;
        return true;
    }

    private boolean endOfLine() {
        int length = lineLength;
        lineLength = 0;
        if (state == State.TRAILER) {
            if (length == 0) {
                startLines(State.HEAD);
                return true;
            }
            return fieldName(length) >= 0 || fail("trailer: malformed field (expected: name:value)");
        }
        if (!requestLineSeen) {
            // Empty lines before the request line are tolerated (RFC 9112 section 2.2).
            requestLineSeen = length > 0;
            return length == 0 || versionIsUpperCase(length)
                    || fail("request line: version not 'HTTP/' in upper case (expected: as nginx reads it)");
        }
        return length == 0 ? endOfHead() : headerLine(length);
    }

    /**
     * Whether the request line's last word, when it looks like a version (after the last space
     * among its last bytes), starts with "HTTP/" exactly: nginx's parser refuses "http/1.1".
     */
    private boolean versionIsUpperCase(int length) {
        int from = Math.max(0, length - TAIL);
        int space = -1;
        for (int i = length - 1; i >= from; i--) {
            if (tail[i % TAIL] == ' ') {
                space = i;
                break;
            }
        }
        if (space < 0 || length - space - 1 < 5) {
            return true;
        }
        byte[] http = {'H', 'T', 'T', 'P', '/'};
        boolean upper = true;
        boolean anyCase = true;
        for (int k = 0; k < 5; k++) {
            byte b = tail[(space + 1 + k) % TAIL];
            upper &= b == http[k];
            anyCase &= (b & ~0x20) == http[k] || b == '/' && http[k] == '/';
        }
        return upper || !anyCase;
    }

    private boolean headerLine(int length) {
        int colon = fieldName(length);
        if (colon < 0) {
            return fail("header: malformed field (expected: name:value without whitespace before ':')");
        }
        if (nameIs(CONTENT_LENGTH, colon)) {
            contentLengths++;
            contentLength = -1;
            contentLengthValid = false;
            if (length <= LINE_PREFIX) {
                contentLength = digits(colon + 1, length);
                contentLengthValid = contentLength >= 0;
            }
        } else if (nameIs(TRANSFER_ENCODING, colon)) {
            transferEncodings++;
            transferEncodingChunked = length <= LINE_PREFIX && valueIs(CHUNKED, colon + 1, length);
        }
        return true;
    }

    private boolean endOfHead() {
        if (contentLengths > 0 && transferEncodings > 0) {
            return fail("header: Content-Length with Transfer-Encoding (expected: one of them)");
        }
        if (contentLengths > 1) {
            return fail("header: Content-Length repeated (expected: once)");
        }
        if (contentLengths == 1 && !contentLengthValid) {
            return fail("header: Content-Length not a number (expected: decimal digits)");
        }
        if (transferEncodings > 1) {
            return fail("header: Transfer-Encoding repeated (expected: once)");
        }
        if (transferEncodings == 1 && !transferEncodingChunked) {
            // nginx: "client sent unknown Transfer-Encoding", 501
            status = 501;
            return fail("header: Transfer-Encoding (expected: exactly 'chunked')");
        }
        if (transferEncodings == 1) {
            state = State.CHUNK_SIZE;
            remaining = 0;
            chunkSizeDigits = 0;
        } else if (contentLengths == 1 && contentLength > 0) {
            state = State.FIXED_BODY;
            remaining = contentLength;
        } else {
            startLines(State.HEAD);
        }
        return true;
    }

    private void startLines(State next) {
        state = next;
        lineLength = 0;
        sawCr = false;
        if (next == State.HEAD) {
            requestLineSeen = false;
            bufferSize = FIRST_BUFFER;
            bufferUsed = 0;
            largeUsed = 0;
            contentLengths = 0;
            transferEncodings = 0;
            transferEncodingChunked = false;
            contentLengthValid = false;
        }
    }

    /** The index of the colon ending a valid field name, or -1. */
    private int fieldName(int length) {
        int limit = Math.min(length, LINE_PREFIX);
        for (int i = 0; i < limit; i++) {
            byte b = line[i];
            if (b == ':') {
                return i == 0 ? -1 : i;
            }
            if (b == ' ' || b == '\t' || (b >= 0 && b < 0x21) || b == 0x7F) {
                return -1;
            }
        }
        // A name longer than the prefix kept is neither Content-Length nor Transfer-Encoding;
        // its syntax is left to the codec.
        return length > LINE_PREFIX ? LINE_PREFIX : -1;
    }

    private boolean nameIs(byte[] name, int colon) {
        if (colon != name.length) {
            return false;
        }
        for (int i = 0; i < colon; i++) {
            if ((line[i] | 0x20) != name[i]) {
                return false;
            }
        }
        return true;
    }

    private boolean valueIs(byte[] value, int from, int to) {
        int start = skipSpace(from, to);
        int end = trimSpace(start, to);
        if (end - start != value.length) {
            return false;
        }
        for (int i = 0; i < value.length; i++) {
            if ((line[start + i] | 0x20) != value[i]) {
                return false;
            }
        }
        return true;
    }

    private long digits(int from, int to) {
        int start = skipSpace(from, to);
        int end = trimSpace(start, to);
        if (end == start || end - start > 18) {
            return -1;
        }
        long value = 0;
        for (int i = start; i < end; i++) {
            byte b = line[i];
            if (b < '0' || b > '9') {
                return -1;
            }
            value = value * 10 + (b - '0');
        }
        return value;
    }

    private int skipSpace(int from, int to) {
        while (from < to && (line[from] == ' ' || line[from] == '\t')) {
            from++;
        }
        return from;
    }

    private int trimSpace(int from, int to) {
        while (to > from && (line[to - 1] == ' ' || line[to - 1] == '\t')) {
            to--;
        }
        return to;
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        int lower = b | 0x20;
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
    }

    private boolean fail(String why) {
        violation = why;
        return false;
    }
}
