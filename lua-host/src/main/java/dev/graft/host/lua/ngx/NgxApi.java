package dev.graft.host.lua.ngx;

import static java.util.Objects.requireNonNull;

import dev.graft.host.exchange.Exchange;
import dev.graft.host.lua.lib.LuaNull;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds one VM's {@code ngx} table: the request core of lua-nginx-module's API as views over
 * the exchange that {@link RequestScope} points at. Other parts of {@code ngx} (regex, shared
 * dicts, time, encodings) are installed into the same table by the libraries in
 * {@code dev.graft.host.lua.lib}.
 *
 * <table>
 *   <caption>what lives where</caption>
 *   <tr><td>{@link NgxVar}</td><td>ngx.var</td></tr>
 *   <tr><td>{@link NgxReq}</td><td>ngx.req.*</td></tr>
 *   <tr><td>{@link NgxResponse}</td><td>ngx.header, ngx.status, ngx.resp, say/print/flush/eof, exit, redirect</td></tr>
 *   <tr><td>here</td><td>ngx.ctx, ngx.log, ngx.get_phase, ngx.worker, ngx.config, ngx.null, ngx.arg, print</td></tr>
 *   <tr><td>{@link NgxConstants}</td><td>ngx.HTTP_*, ngx.OK..., log levels</td></tr>
 * </table>
 * Each function checks the running phase against the contexts lua-nginx-module documents
 * for it and fails with the same message ("API disabled in the context of log_by_lua*").
 */
public final class NgxApi {

    private static final Logger LOG = LoggerFactory.getLogger("graft.lua");
    private static final LuaString CTX = LuaString.valueOf("ctx");
    private static final LuaString STATUS = LuaString.valueOf("status");
    private static final int STDERR = 0;
    private static final int ERR = 4;
    private static final int WARN = 5;
    private static final int INFO = 7;
    private static final int DEBUG = 8;

    private NgxApi() {}

    /**
     * What the API needs to know about its worker.
     *
     * @param workerId        this VM's worker index ({@code ngx.worker.id()})
     * @param workerCount     how many workers there are ({@code ngx.worker.count()})
     * @param defaultUpstream {@code $graft_upstream} before a stage sets it ("" for none)
     */
    public record Settings(int workerId, int workerCount, String defaultUpstream) {
        public Settings {
            requireNonNull(defaultUpstream, "defaultUpstream");
            if (workerId < 0 || workerCount < 1 || workerId >= workerCount) {
                throw new IllegalArgumentException("workerId: " + workerId + " (expected: 0 <= id < workerCount "
                        + workerCount + ")");
            }
        }
    }

    /** Creates the ngx table for a VM whose calls go through {@code scope}. */
    public static LuaTable create(RequestScope scope, Settings settings) {
        requireNonNull(scope, "scope");
        requireNonNull(settings, "settings");
        LuaTable ngx = new LuaTable();
        NgxConstants.install(ngx);
        ngx.rawset("var", NgxVar.create(scope, settings.defaultUpstream()));
        ngx.rawset("req", NgxReq.create(scope));
        NgxResponse response = NgxResponse.install(ngx, scope);
        ngx.rawset("null", LuaNull.NULL);
        ngx.rawset("log", Fn.of("log", a -> {
            log(scope, a.checkint(1), a, 2);
            return LuaValue.NONE;
        }));
        ngx.rawset("get_phase", Fn.of("get_phase", a -> scope.phaseName()));
        ngx.rawset("arg", bodyFilterArgs(scope));

        LuaTable worker = new LuaTable();
        LuaValue id = LuaValue.valueOf(settings.workerId());
        LuaValue count = LuaValue.valueOf(settings.workerCount());
        LuaValue pid = LuaValue.valueOf(ProcessHandle.current().pid());
        worker.rawset("id", Fn.of("id", a -> id));
        worker.rawset("count", Fn.of("count", a -> count));
        worker.rawset("pid", Fn.of("pid", a -> pid));
        worker.rawset("exiting", Fn.of("exiting", a -> LuaValue.FALSE));
        ngx.rawset("worker", worker);

        LuaTable config = new LuaTable();
        config.rawset("subsystem", LuaValue.valueOf("http"));
        config.rawset("ngx_lua_version", LuaValue.valueOf(10026));
        config.rawset("nginx_version", LuaValue.valueOf(1027001));
        config.rawset("debug", LuaValue.FALSE);
        config.rawset("is_console", LuaValue.FALSE);
        LuaValue empty = LuaValue.valueOf("");
        config.rawset("prefix", Fn.of("prefix", a -> empty));
        config.rawset("nginx_configure", Fn.of("nginx_configure", a -> empty));
        ngx.rawset("config", config);

        // ngx.ctx and ngx.status are per request: resolved on access, never stored in the table
        LuaTable mt = new LuaTable();
        mt.rawset(LuaValue.INDEX, Fn.index("ngx", (t, k) -> {
            if (CTX.raweq(k)) {
                return ctx(scope);
            }
            if (STATUS.raweq(k)) {
                return response.status();
            }
            return LuaValue.NIL;
        }));
        mt.rawset(LuaValue.NEWINDEX, Fn.newindex("ngx", (t, k, v) -> {
            if (CTX.raweq(k)) {
                Exchange ex = requestOf(scope);
                if (!v.istable()) {
                    throw new LuaError("ctx should be a table while setting ngx.ctx");
                }
                ex.luaCtx(v);
            } else if (STATUS.raweq(k)) {
                response.status(v);
            } else {
                t.rawset(k, v);
            }
        }));
        ngx.setmetatable(mt);
        return ngx;
    }

    /** OpenResty's {@code print}: ngx.log at NOTICE. */
    public static LuaValue print(RequestScope scope) {
        return Fn.of("print", a -> {
            log(scope, 6, a, 1);
            return LuaValue.NONE;
        });
    }

    private static Exchange requestOf(RequestScope scope) {
        return scope.exchange().orElseThrow(() -> new LuaError("no request found"));
    }

    private static LuaValue ctx(RequestScope scope) {
        Exchange ex = requestOf(scope);
        Object ctx = ex.luaCtx();
        if (ctx instanceof LuaTable t) {
            return t;
        }
        LuaTable t = new LuaTable();
        ex.luaCtx(t);
        return t;
    }

    /** ngx.arg in body_filter: [1] the chunk, [2] whether it is the last. */
    private static LuaTable bodyFilterArgs(RequestScope scope) {
        LuaTable arg = new LuaTable();
        LuaTable mt = new LuaTable();
        mt.rawset(LuaValue.INDEX, Fn.of("arg", a -> {
            int i = a.arg(2).optint(0);
            return i == 1 ? scope.bodyChunk() : i == 2 ? LuaValue.valueOf(scope.bodyEof()) : LuaValue.NIL;
        }));
        mt.rawset(LuaValue.NEWINDEX, Fn.of("arg", a -> {
            int i = a.arg(2).optint(0);
            LuaValue v = a.arg(3);
            if (i == 1) {
                scope.check(RequestScope.BODY_FILTER);
                scope.bodyChunk(v.isnil() ? LuaValue.EMPTYSTRING : v.isstring() ? v.checkstring()
                        : flatten(v), scope.bodyEof());
            } else if (i == 2) {
                scope.check(RequestScope.BODY_FILTER);
                scope.bodyEof(v.toboolean());
            } else {
                throw new LuaError("bad index " + a.arg(2).tojstring() + " for ngx.arg");
            }
            return LuaValue.NONE;
        }));
        arg.setmetatable(mt);
        return arg;
    }

    private static LuaString flatten(LuaValue v) {
        if (!v.istable()) {
            throw new LuaError("bad chunk data type: " + v.typename());
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        LuaTable t = (LuaTable) v;
        for (int i = 1; i <= t.length(); i++) {
            LuaString s = t.rawget(i).checkstring();
            out.write(s.m_bytes, s.m_offset, s.m_length);
        }
        return LuaString.valueUsing(out.toByteArray());
    }

    /** ngx.log: levels as lua-nginx-module numbers them, sent to SLF4J with the request id. */
    private static void log(RequestScope scope, int level, Varargs a, int first) {
        if (level < STDERR || level > DEBUG) {
            throw new LuaError("bad log level: " + level);
        }
        boolean enabled = level <= ERR ? LOG.isErrorEnabled() : level == WARN ? LOG.isWarnEnabled()
                : level <= INFO ? LOG.isInfoEnabled() : LOG.isDebugEnabled();
        // the arguments are checked even when the level is off, so a bad call fails everywhere
        StringBuilder msg = enabled ? new StringBuilder(64) : null;
        int n = a.narg();
        for (int i = first; i <= n; i++) {
            LuaValue v = a.arg(i);
            int type = v.type();
            if (!enabled && (type == LuaValue.TSTRING || type == LuaValue.TNUMBER || type == LuaValue.TNIL
                    || type == LuaValue.TBOOLEAN)) {
                continue; // valid, and not written: no text to make (a long line is a UTF-8 decode)
            }
            String s = switch (type) {
                case LuaValue.TSTRING -> v.tojstring();
                case LuaValue.TNUMBER -> LuaBytes.number(v).tojstring();
                case LuaValue.TNIL -> "nil";
                case LuaValue.TBOOLEAN -> v.toboolean() ? "true" : "false";
                default -> {
                    if (v == LuaNull.NULL) {
                        yield "null";
                    }
                    LuaValue meta = v.getmetatable();
                    if (v.istable() && meta != null && !meta.rawget(LuaValue.TOSTRING).isnil()) {
                        yield enabled ? v.tostring().tojstring() : "";
                    }
                    throw new LuaError("bad argument #" + i + " to 'log' (expected table to have __tostring "
                            + "metamethod, got " + v.typename() + ")");
                }
            };
            if (enabled) {
                msg.append(s);
            }
        }
        if (!enabled) {
            return;
        }
        String id = scope.exchange().map(Exchange::requestId).orElse("-");
        String phase = scope.phaseName().tojstring();
        if (level <= ERR) {
            LOG.error("[{}] {}: {}", id, phase, msg);
        } else if (level == WARN) {
            LOG.warn("[{}] {}: {}", id, phase, msg);
        } else if (level <= INFO) {
            LOG.info("[{}] {}: {}", id, phase, msg);
        } else {
            LOG.debug("[{}] {}: {}", id, phase, msg);
        }
    }
}
