package dev.graft.host.lua.lib;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.shared.SharedDicts;
import java.time.InstantSource;
import java.time.ZoneId;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * Installs every request-independent {@code ngx} library into one VM: what the host calls
 * once per {@code Globals} it builds.
 *
 * <pre>
 *   ngx.null, ngx.md5 ... ngx.quote_sql_str  ({@link NgxCodecs})
 *   ngx.now, ngx.time ... ngx.parse_http_time ({@link NgxTime})
 *   ngx.shared.DICT                            ({@link NgxShared})
 *   ngx.re.*, require "ngx.re"                 ({@link NgxRegex})
 *   require "cjson", require "cjson.safe"      ({@link CjsonLibrary})
 *   bit, unpack, table.new, table.clear        ({@link LuaJitCompat})
 * </pre>
 */
public final class NgxLibraries {

    private NgxLibraries() {}

    /**
     * Installs all libraries into {@code g} and {@code ngx} (which the caller has created
     * and will publish as the global {@code ngx}). Returns the VM's time cache, which the
     * host refreshes at the start of each request.
     */
    public static NgxTime installAll(Globals g, LuaTable ngx, SharedDicts dicts, InstantSource clock, ZoneId zone,
            RegexCache regexCache) {
        requireNonNull(g, "g");
        requireNonNull(ngx, "ngx");
        if (ngx.rawget("null").isnil()) {
            ngx.rawset("null", LuaNull.NULL);
        }
        NgxCodecs.install(ngx);
        NgxTime time = NgxTime.install(ngx, clock, zone);
        NgxShared.install(ngx, dicts);
        NgxRegex.install(ngx, regexCache);
        NgxRegex.installSplitModule(g, regexCache);
        CjsonLibrary.install(g);
        LuaJitCompat.install(g);
        return time;
    }

    /** {@link #installAll} with the system zone and a default regex cache. */
    public static NgxTime installAll(Globals g, LuaTable ngx, SharedDicts dicts, InstantSource clock) {
        return installAll(g, ngx, dicts, clock, ZoneId.systemDefault(), RegexCache.withDefaults());
    }

    /** The value every VM must use as {@code ngx.null} (it is also {@code cjson.null}). */
    public static LuaValue ngxNull() {
        return LuaNull.NULL;
    }
}
