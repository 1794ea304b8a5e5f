package dev.graft.host.lua.lib;

import static java.util.Objects.requireNonNull;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * The time functions of {@code ngx}: now, time, update_time, today, localtime, utctime,
 * http_time, cookie_time, parse_http_time.
 *
 * <p>Like nginx, {@code ngx.now} and {@code ngx.time} read a cached time that changes only
 * when {@link #refresh()} (the host, at the start of each request or phase) or
 * {@code ngx.update_time()} runs. The clock is injected so tests and the parity harness
 * fix it. One instance per VM; not thread-safe.
 */
public final class NgxTime {

    private static final DateTimeFormatter HTTP_TIME =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT);
    private static final DateTimeFormatter COOKIE_TIME_2 =
            DateTimeFormatter.ofPattern("EEE, dd-MMM-yy HH:mm:ss 'GMT'", Locale.ROOT);
    private static final DateTimeFormatter COOKIE_TIME_4 =
            DateTimeFormatter.ofPattern("EEE, dd-MMM-yyyy HH:mm:ss 'GMT'", Locale.ROOT);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT);
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    // the three formats ngx_parse_http_time accepts: RFC 1123, RFC 850, asctime
    private static final Pattern RFC1123 =
            Pattern.compile("[A-Za-z]+, (\\d{1,2}) ([A-Za-z]{3}) (\\d{4}) (\\d\\d):(\\d\\d):(\\d\\d).*", Pattern.DOTALL);
    private static final Pattern RFC850 =
            Pattern.compile("[A-Za-z]+, (\\d{1,2})-([A-Za-z]{3})-(\\d\\d) (\\d\\d):(\\d\\d):(\\d\\d).*", Pattern.DOTALL);
    private static final Pattern ASCTIME =
            Pattern.compile("[A-Za-z]+ ([A-Za-z]{3}) +(\\d{1,2}) (\\d\\d):(\\d\\d):(\\d\\d) (\\d{4}).*", Pattern.DOTALL);
    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    private final InstantSource clock;
    private final ZoneId zone;
    private long cachedMillis;

    private NgxTime(InstantSource clock, ZoneId zone) {
        this.clock = clock;
        this.zone = zone;
        this.cachedMillis = clock.millis();
    }

    /** Installs the time functions on {@code ngx}; local-time functions use the system zone. */
    public static NgxTime install(LuaTable ngx, InstantSource clock) {
        return install(ngx, clock, ZoneId.systemDefault());
    }

    /**
     * Installs the time functions on {@code ngx} and returns the cache, which the host
     * refreshes at each request start (nginx refreshes it once per event-loop turn).
     */
    public static NgxTime install(LuaTable ngx, InstantSource clock, ZoneId zone) {
        requireNonNull(ngx, "ngx");
        NgxTime t = new NgxTime(requireNonNull(clock, "clock"), requireNonNull(zone, "zone"));
        ngx.set("now", new LuaFn("now", a -> LuaValue.valueOf(t.cachedMillis / 1000.0)));
        ngx.set("time", new LuaFn("time", a -> LuaValue.valueOf((double) Math.floorDiv(t.cachedMillis, 1000))));
        ngx.set("update_time", new LuaFn("update_time", a -> {
            t.refresh();
            return LuaValue.NONE;
        }));
        ngx.set("today", new LuaFn("today", a -> LuaValue.valueOf(DAY.format(t.local()))));
        ngx.set("localtime", new LuaFn("localtime", a -> LuaValue.valueOf(DAY_TIME.format(t.local()))));
        ngx.set("utctime", new LuaFn("utctime", a -> LuaValue.valueOf(DAY_TIME.format(
                LocalDateTime.ofInstant(Instant.ofEpochMilli(t.cachedMillis), ZoneOffset.UTC)))));
        ngx.set("http_time", new LuaFn("http_time", a -> LuaValue.valueOf(httpTime((long) Math.floor(a.checkdouble(1))))));
        ngx.set("cookie_time", new LuaFn("cookie_time", a -> LuaValue.valueOf(cookieTime((long) Math.floor(a.checkdouble(1))))));
        ngx.set("parse_http_time", new LuaFn("parse_http_time", a -> {
            long s = parseHttpTime(a.checkjstring(1));
            return s == Long.MIN_VALUE ? LuaValue.NIL : LuaValue.valueOf((double) s);
        }));
        return t;
    }

    /** Re-reads the clock, as nginx's ngx_time_update. */
    public void refresh() {
        cachedMillis = clock.millis();
    }

    /** The cached time in epoch milliseconds. */
    public long cachedMillis() {
        return cachedMillis;
    }

    private LocalDateTime local() {
        return LocalDateTime.ofInstant(Instant.ofEpochMilli(cachedMillis), zone);
    }

    static String httpTime(long epochSeconds) {
        return HTTP_TIME.format(ZonedDateTime.ofInstant(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC));
    }

    /** nginx writes a two-digit year up to 2037 and four digits after. */
    static String cookieTime(long epochSeconds) {
        ZonedDateTime t = ZonedDateTime.ofInstant(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC);
        return (t.getYear() > 2037 ? COOKIE_TIME_4 : COOKIE_TIME_2).format(t);
    }

    /** Epoch seconds, or Long.MIN_VALUE when the text is none of the three HTTP date formats. */
    static long parseHttpTime(String text) {
        int day;
        int month;
        int year;
        int h;
        int mi;
        int s;
        Matcher m;
        if ((m = RFC1123.matcher(text)).matches()) {
            day = Integer.parseInt(m.group(1));
            month = month(m.group(2));
            year = Integer.parseInt(m.group(3));
            h = Integer.parseInt(m.group(4));
            mi = Integer.parseInt(m.group(5));
            s = Integer.parseInt(m.group(6));
        } else if ((m = RFC850.matcher(text)).matches()) {
            day = Integer.parseInt(m.group(1));
            month = month(m.group(2));
            year = Integer.parseInt(m.group(3));
            year += year < 70 ? 2000 : 1900;
            h = Integer.parseInt(m.group(4));
            mi = Integer.parseInt(m.group(5));
            s = Integer.parseInt(m.group(6));
        } else if ((m = ASCTIME.matcher(text)).matches()) {
            month = month(m.group(1));
            day = Integer.parseInt(m.group(2));
            h = Integer.parseInt(m.group(3));
            mi = Integer.parseInt(m.group(4));
            s = Integer.parseInt(m.group(5));
            year = Integer.parseInt(m.group(6));
        } else {
            return Long.MIN_VALUE;
        }
        if (month < 0 || h > 23 || mi > 59 || s > 59) {
            return Long.MIN_VALUE;
        }
        try {
            return LocalDateTime.of(year, month + 1, day, h, mi, s).toEpochSecond(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return Long.MIN_VALUE;
        }
    }

    private static int month(String name) {
        int i = MONTHS.indexOf(name);
        return i >= 0 && i % 3 == 0 ? i / 3 : -1;
    }
}
