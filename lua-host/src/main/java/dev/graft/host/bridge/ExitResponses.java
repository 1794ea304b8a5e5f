package dev.graft.host.bridge;

import dev.graft.bridge.Outcome;
import dev.graft.host.exchange.Exchange;
import dev.graft.host.lua.ngx.ErrorPages;
import dev.graft.host.lua.ngx.NgxResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Map;

/**
 * What an {@link Outcome.Exit} does to the exchange, the same as its Lua counterpart: headers
 * as {@code ngx.header}, a body as {@code ngx.print} + {@code ngx.exit(status)} (Content-Type
 * text/plain unless the exit names one), no body as {@code ngx.exit(status)} alone, whose page
 * the host renders ({@link ErrorPages}, as {@code LuaPipeline} does).
 */
final class ExitResponses {

    private ExitResponses() {}

    /** Sets the exit's headers: the first value of a name replaces, the next ones add. */
    static void headers(Exchange ex, Outcome.Exit exit) {
        HttpHeaders h = ex.responseHeaders();
        List<Map.Entry<String, String>> headers = exit.headers();
        for (int i = 0; i < headers.size(); i++) {
            Map.Entry<String, String> e = headers.get(i);
            String name = e.getKey();
            if (firstOf(headers, i)) {
                if (e.getValue().isEmpty()) {
                    h.remove(name);
                } else {
                    h.set(name, e.getValue());
                }
            } else if (!e.getValue().isEmpty()) {
                h.add(name, e.getValue());
            }
        }
    }

    /** Whether no header before position {@code i} has the name of header {@code i} (any case). */
    private static boolean firstOf(List<Map.Entry<String, String>> headers, int i) {
        String name = headers.get(i).getKey();
        for (int j = 0; j < i; j++) {
            if (headers.get(j).getKey().equalsIgnoreCase(name)) {
                return false;
            }
        }
        return true;
    }

    /** Writes the exit's body as Lua output (status and default Content-Type as ngx.print). */
    static void output(Exchange ex, Outcome.Exit exit, byte[] body) {
        ex.status(exit.status());
        NgxResponse.defaultContentType(ex);
        ex.output().writeBytes(body);
    }

    /**
     * The response of a request phase ended by {@code exit} on the native path: the output, or
     * nginx's page for the status (LuaPipeline's rules for ngx.exit).
     */
    static void respond(Exchange ex, Outcome.Exit exit) {
        headers(ex, exit);
        if (exit.body().isPresent()) {
            output(ex, exit, exit.body().get());
            return;
        }
        if (ex.output().size() > 0) {
            if (ex.status() == 0) {
                ex.status(200);
            }
            return;
        }
        page(ex, exit.status());
    }

    /** The response becomes nginx's page for {@code status} (LuaPipeline.respondWithPage). */
    static void page(Exchange ex, int status) {
        ex.status(status);
        ex.output().reset();
        byte[] page = ErrorPages.page(status);
        if (page.length > 0) {
            ex.responseHeaders().set(HttpHeaderNames.CONTENT_TYPE, "text/html");
            ex.output().writeBytes(page);
        } else if (status >= 200 && status < 300 && status != 204) {
            NgxResponse.defaultContentType(ex);
        }
    }

    /** A contained failure: 500 with the request id (LuaPipeline.internalError). */
    static void internalError(Exchange ex) {
        ex.status(500);
        ex.output().reset();
        ex.responseHeaders().set(HttpHeaderNames.CONTENT_TYPE, "text/html");
        ex.output().writeBytes(ErrorPages.internalError(ex.requestId()));
    }
}
