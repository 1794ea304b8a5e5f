package dev.graft.host.lua.ngx;

import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * The numeric constants of the {@code ngx} table: status codes ({@code ngx.HTTP_*}), method
 * codes ({@code ngx.HTTP_GET} ...), core results ({@code ngx.OK} ...) and log levels
 * ({@code ngx.STDERR} .. {@code ngx.DEBUG}), with lua-nginx-module's values.
 */
final class NgxConstants {

    private NgxConstants() {}

    static final int OK = 0;
    static final int ERROR = -1;
    static final int AGAIN = -2;
    static final int DONE = -4;
    static final int DECLINED = -5;

    /** Method names by their lua-nginx-module code, in bit order (2 = GET ... 32768 = TRACE). */
    static final String[] METHODS = {
        "GET", "HEAD", "POST", "PUT", "DELETE", "MKCOL", "COPY", "MOVE", "OPTIONS",
        "PROPFIND", "PROPPATCH", "LOCK", "UNLOCK", "PATCH", "TRACE"
    };

    /** The method name for a code such as {@code ngx.HTTP_POST}, or null. */
    static String methodName(int code) {
        for (int i = 0; i < METHODS.length; i++) {
            if (code == 2 << i) {
                return METHODS[i];
            }
        }
        return null;
    }

    static void install(LuaTable ngx) {
        Object[][] statuses = {
            {"HTTP_CONTINUE", 100}, {"HTTP_SWITCHING_PROTOCOLS", 101},
            {"HTTP_OK", 200}, {"HTTP_CREATED", 201}, {"HTTP_ACCEPTED", 202},
            {"HTTP_NO_CONTENT", 204}, {"HTTP_PARTIAL_CONTENT", 206},
            {"HTTP_SPECIAL_RESPONSE", 300}, {"HTTP_MOVED_PERMANENTLY", 301},
            {"HTTP_MOVED_TEMPORARILY", 302}, {"HTTP_SEE_OTHER", 303}, {"HTTP_NOT_MODIFIED", 304},
            {"HTTP_TEMPORARY_REDIRECT", 307}, {"HTTP_PERMANENT_REDIRECT", 308},
            {"HTTP_BAD_REQUEST", 400}, {"HTTP_UNAUTHORIZED", 401}, {"HTTP_PAYMENT_REQUIRED", 402},
            {"HTTP_FORBIDDEN", 403}, {"HTTP_NOT_FOUND", 404}, {"HTTP_NOT_ALLOWED", 405},
            {"HTTP_NOT_ACCEPTABLE", 406}, {"HTTP_REQUEST_TIMEOUT", 408}, {"HTTP_CONFLICT", 409},
            {"HTTP_GONE", 410}, {"HTTP_UPGRADE_REQUIRED", 426}, {"HTTP_TOO_MANY_REQUESTS", 429},
            {"HTTP_CLOSE", 444}, {"HTTP_ILLEGAL", 451},
            {"HTTP_INTERNAL_SERVER_ERROR", 500}, {"HTTP_METHOD_NOT_IMPLEMENTED", 501},
            {"HTTP_BAD_GATEWAY", 502}, {"HTTP_SERVICE_UNAVAILABLE", 503},
            {"HTTP_GATEWAY_TIMEOUT", 504}, {"HTTP_VERSION_NOT_SUPPORTED", 505},
            {"HTTP_INSUFFICIENT_STORAGE", 507},
            {"OK", OK}, {"ERROR", ERROR}, {"AGAIN", AGAIN}, {"DONE", DONE}, {"DECLINED", DECLINED},
            {"STDERR", 0}, {"EMERG", 1}, {"ALERT", 2}, {"CRIT", 3}, {"ERR", 4}, {"WARN", 5},
            {"NOTICE", 6}, {"INFO", 7}, {"DEBUG", 8},
        };
        for (Object[] c : statuses) {
            ngx.rawset((String) c[0], LuaValue.valueOf((Integer) c[1]));
        }
        for (int i = 0; i < METHODS.length; i++) {
            ngx.rawset("HTTP_" + METHODS[i], LuaValue.valueOf(2 << i));
        }
    }
}
