package dev.graft.host.lua.lib;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.shared.DictItem;
import dev.graft.bridge.shared.DictResult;
import dev.graft.bridge.shared.SharedDict;
import dev.graft.bridge.shared.SharedDict.StoreMode;
import dev.graft.bridge.shared.SharedDicts;
import dev.graft.bridge.shared.SharedValue;
import java.util.List;
import java.util.Optional;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * {@code ngx.shared.DICT}: the Lua face of {@link SharedDict}. Each dict is a table
 * whose metatable's {@code __index} holds the methods, so {@code dict:get(k)} works and
 * {@code dict.get(k)} fails with OpenResty's {@code bad "zone" argument}. Return values
 * and error strings follow lua-resty-core's shdict.lua, as measured on OpenResty.
 */
public final class NgxShared {

    private static final LuaString NIL_KEY = LuaValue.valueOf("nil key");
    private static final LuaString EMPTY_KEY = LuaValue.valueOf("empty key");
    private static final LuaString KEY_TOO_LONG = LuaValue.valueOf("key too long");
    private static final LuaString BAD_VALUE_TYPE = LuaValue.valueOf("bad value type");

    private NgxShared() {}

    /** The table stored as {@code ngx.shared.NAME}: it carries its dict. */
    static final class DictHandle extends LuaTable {
        final SharedDict dict;

        DictHandle(SharedDict dict, LuaTable meta) {
            this.dict = dict;
            setmetatable(meta);
        }
    }

    /** Sets {@code ngx.shared} to a table with one entry per dict of {@code dicts}. */
    public static void install(LuaTable ngx, SharedDicts dicts) {
        requireNonNull(ngx, "ngx");
        requireNonNull(dicts, "dicts");
        LuaTable meta = new LuaTable();
        meta.set(LuaValue.INDEX, methods());
        LuaTable shared = new LuaTable();
        for (String name : dicts.names()) {
            shared.set(name, new DictHandle(dicts.get(name).orElseThrow(), meta));
        }
        ngx.set("shared", shared);
    }

    /** The dict a method was called on, or the error OpenResty raises for {@code dict.get(k)}. */
    private static SharedDict zone(Varargs a) {
        if (a.arg1() instanceof DictHandle h) {
            return h.dict;
        }
        throw new LuaError("bad \"zone\" argument");
    }

    /** The key's bytes, or null after putting the error in {@code err[0]}. */
    private static byte[] key(Varargs a, LuaValue[] err) {
        LuaValue k = a.arg(2);
        if (k.isnil()) {
            err[0] = NIL_KEY;
            return null;
        }
        LuaString s = k.isstring() ? k.strvalue() : k.tostring().checkstring();
        if (s.m_length == 0) {
            err[0] = EMPTY_KEY;
            return null;
        }
        if (s.m_length > SharedDict.MAX_KEY_LENGTH) {
            err[0] = KEY_TOO_LONG;
            return null;
        }
        byte[] b = new byte[s.m_length];
        System.arraycopy(s.m_bytes, s.m_offset, b, 0, s.m_length);
        return b;
    }

    private static LuaValue lua(SharedValue v) {
        return switch (v) {
            case SharedValue.Text t -> LuaString.valueUsing(t.bytes());
            case SharedValue.Num n -> LuaValue.valueOf(n.value());
            case SharedValue.Bool b -> LuaValue.valueOf(b.value());
        };
    }

    /** A storable value, or empty for a type the dict refuses. nil is handled by the caller. */
    private static Optional<SharedValue> value(LuaValue v, boolean allowBoolean) {
        if (v.isnumber() && v.type() == LuaValue.TNUMBER) {
            return Optional.of(new SharedValue.Num(v.todouble()));
        }
        if (v.type() == LuaValue.TSTRING) {
            LuaString s = v.strvalue();
            byte[] b = new byte[s.m_length];
            System.arraycopy(s.m_bytes, s.m_offset, b, 0, s.m_length);
            return Optional.of(new SharedValue.Text(b));
        }
        if (allowBoolean && v.isboolean()) {
            return Optional.of(new SharedValue.Bool(v.toboolean()));
        }
        return Optional.empty();
    }

    private static long ttlMillis(LuaValue v, String argName) {
        if (v.isnil()) {
            return 0;
        }
        double s = v.checkdouble();
        if (s < 0) {
            throw new LuaError("bad \"" + argName + "\" argument");
        }
        return (long) (s * 1000);
    }

    private static Varargs store(Varargs a, StoreMode mode) {
        SharedDict d = zone(a);
        LuaValue[] err = new LuaValue[1];
        byte[] k = key(a, err);
        if (k == null) {
            return LuaValue.varargsOf(LuaValue.NIL, err[0]);
        }
        long ttl = ttlMillis(a.arg(4), "exptime");
        int flags = a.optint(5, 0);
        LuaValue v = a.arg(3);
        if (v.isnil()) {
            // a nil value deletes, whatever the mode (nginx: only set/safe_set are documented so)
            d.delete(k);
            return LuaValue.varargsOf(LuaValue.TRUE, LuaValue.NIL, LuaValue.FALSE);
        }
        Optional<SharedValue> sv = value(v, true);
        if (sv.isEmpty()) {
            return LuaValue.varargsOf(LuaValue.NIL, BAD_VALUE_TYPE);
        }
        return result(d.store(mode, k, sv.get(), ttl, flags), true);
    }

    /** (true, nil, forcible) or (false, err, forcible), as shdict.lua's set family. */
    private static Varargs result(DictResult<?> r, boolean boolOnFailure) {
        return switch (r) {
            case DictResult.Ok<?> ok -> LuaValue.varargsOf(LuaValue.TRUE, LuaValue.NIL, LuaValue.valueOf(ok.forcible()));
            case DictResult.Failed<?> f -> LuaValue.varargsOf(boolOnFailure ? LuaValue.FALSE : LuaValue.NIL,
                    LuaValue.valueOf(f.error().message()), LuaValue.valueOf(f.forcible()));
        };
    }

    private static Varargs failure(DictResult.Failed<?> f) {
        return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(f.error().message()));
    }

    private static Varargs get(Varargs a, boolean stale) {
        SharedDict d = zone(a);
        LuaValue[] err = new LuaValue[1];
        byte[] k = key(a, err);
        if (k == null) {
            return LuaValue.varargsOf(LuaValue.NIL, err[0]);
        }
        DictResult<Optional<DictItem>> r = stale ? d.getStale(k) : d.get(k);
        return switch (r) {
            case DictResult.Ok<Optional<DictItem>> ok -> {
                if (ok.value().isEmpty()) {
                    yield LuaValue.NIL;
                }
                DictItem item = ok.value().get();
                LuaValue flags = item.flags() == 0 ? LuaValue.NIL : LuaValue.valueOf(item.flags());
                yield stale
                        ? LuaValue.varargsOf(lua(item.value()), flags, LuaValue.valueOf(item.stale()))
                        : (item.flags() == 0 ? lua(item.value()) : LuaValue.varargsOf(lua(item.value()), flags));
            }
            case DictResult.Failed<Optional<DictItem>> f -> failure(f);
        };
    }

    private static Varargs incr(Varargs a) {
        SharedDict d = zone(a);
        LuaValue[] err = new LuaValue[1];
        byte[] k = key(a, err);
        if (k == null) {
            return LuaValue.varargsOf(LuaValue.NIL, err[0]);
        }
        LuaValue delta = a.arg(3).tonumber();
        if (delta.isnil()) {
            throw new LuaError("cannot convert 'nil' to 'double'");
        }
        LuaValue initArg = a.arg(4);
        Optional<Double> init = Optional.empty();
        if (!initArg.isnil()) {
            if (initArg.type() != LuaValue.TNUMBER) {
                throw new LuaError("bad init arg: number expected, got " + initArg.typename());
            }
            init = Optional.of(initArg.todouble());
        }
        long initTtl = init.isPresent() ? ttlMillis(a.arg(5), "init_ttl") : 0;
        DictResult<Double> r = d.incr(k, delta.todouble(), init, initTtl);
        return switch (r) {
            case DictResult.Ok<Double> ok -> initArg.isnil()
                    ? LuaValue.valueOf(ok.value())
                    : LuaValue.varargsOf(LuaValue.valueOf(ok.value()), LuaValue.NIL, LuaValue.valueOf(ok.forcible()));
            case DictResult.Failed<Double> f -> initArg.isnil()
                    ? failure(f)
                    : LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(f.error().message()), LuaValue.valueOf(f.forcible()));
        };
    }

    private static Varargs push(Varargs a, boolean left) {
        SharedDict d = zone(a);
        LuaValue[] err = new LuaValue[1];
        byte[] k = key(a, err);
        if (k == null) {
            return LuaValue.varargsOf(LuaValue.NIL, err[0]);
        }
        Optional<SharedValue> v = value(a.arg(3), false);
        if (v.isEmpty()) {
            return LuaValue.varargsOf(LuaValue.NIL, BAD_VALUE_TYPE);
        }
        return switch (d.push(k, v.get(), left)) {
            case DictResult.Ok<Integer> ok -> LuaValue.valueOf(ok.value());
            case DictResult.Failed<Integer> f -> failure(f);
        };
    }

    private static Varargs pop(Varargs a, boolean left) {
        SharedDict d = zone(a);
        LuaValue[] err = new LuaValue[1];
        byte[] k = key(a, err);
        if (k == null) {
            return LuaValue.varargsOf(LuaValue.NIL, err[0]);
        }
        return switch (d.pop(k, left)) {
            case DictResult.Ok<Optional<SharedValue>> ok -> ok.value().map(NgxShared::lua).orElse(LuaValue.NIL);
            case DictResult.Failed<Optional<SharedValue>> f -> failure(f);
        };
    }

    private static LuaTable methods() {
        LuaTable m = new LuaTable();
        m.set("get", new LuaFn("get", a -> get(a, false)));
        m.set("get_stale", new LuaFn("get_stale", a -> get(a, true)));
        m.set("set", new LuaFn("set", a -> store(a, StoreMode.SET)));
        m.set("safe_set", new LuaFn("safe_set", a -> store(a, StoreMode.SAFE_SET)));
        m.set("add", new LuaFn("add", a -> store(a, StoreMode.ADD)));
        m.set("safe_add", new LuaFn("safe_add", a -> store(a, StoreMode.SAFE_ADD)));
        m.set("replace", new LuaFn("replace", a -> store(a, StoreMode.REPLACE)));
        m.set("delete", new LuaFn("delete", a -> {
            SharedDict d = zone(a);
            LuaValue[] err = new LuaValue[1];
            byte[] k = key(a, err);
            if (k == null) {
                return LuaValue.varargsOf(LuaValue.NIL, err[0]);
            }
            d.delete(k);
            return LuaValue.TRUE;
        }));
        m.set("incr", new LuaFn("incr", NgxShared::incr));
        m.set("lpush", new LuaFn("lpush", a -> push(a, true)));
        m.set("rpush", new LuaFn("rpush", a -> push(a, false)));
        m.set("lpop", new LuaFn("lpop", a -> pop(a, true)));
        m.set("rpop", new LuaFn("rpop", a -> pop(a, false)));
        m.set("llen", new LuaFn("llen", a -> {
            SharedDict d = zone(a);
            LuaValue[] err = new LuaValue[1];
            byte[] k = key(a, err);
            if (k == null) {
                return LuaValue.varargsOf(LuaValue.NIL, err[0]);
            }
            return switch (d.llen(k)) {
                case DictResult.Ok<Integer> ok -> LuaValue.valueOf(ok.value());
                case DictResult.Failed<Integer> f -> failure(f);
            };
        }));
        m.set("ttl", new LuaFn("ttl", a -> {
            SharedDict d = zone(a);
            LuaValue[] err = new LuaValue[1];
            byte[] k = key(a, err);
            if (k == null) {
                return LuaValue.varargsOf(LuaValue.NIL, err[0]);
            }
            return switch (d.ttl(k)) {
                case DictResult.Ok<Double> ok -> LuaValue.valueOf(ok.value());
                case DictResult.Failed<Double> f -> failure(f);
            };
        }));
        m.set("expire", new LuaFn("expire", a -> {
            SharedDict d = zone(a);
            LuaValue[] err = new LuaValue[1];
            byte[] k = key(a, err);
            if (k == null) {
                return LuaValue.varargsOf(LuaValue.NIL, err[0]);
            }
            if (a.arg(3).isnil()) {
                throw new LuaError("bad \"exptime\" argument");
            }
            return switch (d.expire(k, ttlMillis(a.arg(3), "exptime"))) {
                case DictResult.Ok<Boolean> ok -> LuaValue.TRUE;
                case DictResult.Failed<Boolean> f -> failure(f);
            };
        }));
        m.set("flush_all", new LuaFn("flush_all", a -> {
            zone(a).flushAll();
            return LuaValue.NONE;
        }));
        m.set("flush_expired", new LuaFn("flush_expired", a -> LuaValue.valueOf(zone(a).flushExpired(a.optint(2, 0)))));
        m.set("get_keys", new LuaFn("get_keys", a -> {
            List<byte[]> keys = zone(a).keys(a.optint(2, 1024));
            LuaTable t = new LuaTable(keys.size(), 0);
            for (int i = 0; i < keys.size(); i++) {
                t.rawset(i + 1, LuaString.valueUsing(keys.get(i)));
            }
            return t;
        }));
        m.set("capacity", new LuaFn("capacity", a -> LuaValue.valueOf((double) zone(a).capacity())));
        m.set("free_space", new LuaFn("free_space", a -> LuaValue.valueOf((double) zone(a).freeSpace())));
        return m;
    }
}
