package dev.graft.modules.auth;

import dev.graft.bridge.CtxKeys;
import dev.graft.bridge.HeaderFields;
import dev.graft.bridge.Outcome;
import dev.graft.bridge.Phase;
import dev.graft.bridge.RequestView;
import dev.graft.bridge.StageExchange;
import dev.graft.bridge.StageExchange.LogLevel;
import dev.graft.bridge.StageModule;
import dev.graft.modules.lua.HeaderLimit;
import dev.graft.modules.lua.LuaText;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Java port of legacy-scripts/auth/handler.lua: one scheme guards a request, chosen by path
 * in the order signed URLs, basic auth, API keys; refusals are 401/403 text pages with the Lua
 * module's words; an accepted caller goes to {@code ngx.ctx.auth_user} and the credential is
 * removed before proxying.
 */
public final class AuthStage implements StageModule<AuthConfig> {

    /** The basic credentials as the Lua pattern reads them (a constant, compiled once). */
    private static final Pattern BASIC =
            Pattern.compile("^[ \t]*[Bb][Aa][Ss][Ii][Cc][ \t]+([A-Za-z0-9+/=]+)[ \t]*$");

    @Override
    public String name() {
        return "auth";
    }

    @Override
    public Class<AuthConfig> configType() {
        return AuthConfig.class;
    }

    @Override
    public Set<Phase> phases() {
        return Set.of(Phase.ACCESS);
    }

    @Override
    public boolean securityCritical() {
        return true;
    }

    @Override
    public Outcome access(StageExchange exchange, AuthConfig config) {
        config.loadProblems().reportOnce(exchange);
        if (HeaderLimit.exceeded(exchange.request().headers())) {
            return Outcome.fallback(HeaderLimit.FALLBACK);
        }
        String uri = exchange.request().uri();
        if (config.signed().isPresent() && PathPrefixes.covers(config.signed().get().paths(), uri)) {
            return signed(exchange, config, config.signed().get(), uri);
        }
        if (config.basic().isPresent() && PathPrefixes.covers(config.basic().get().paths(), uri)) {
            return basic(exchange, config, config.basic().get());
        }
        if (config.keys().isPresent() && PathPrefixes.covers(config.keyPaths(), uri)) {
            return key(exchange, config);
        }
        return Outcome.proceed();
    }

    private static Outcome refuse(int status, String message, Optional<String> challenge) {
        List<Map.Entry<String, String>> headers = new ArrayList<>(2);
        challenge.ifPresent(c -> headers.add(Map.entry("WWW-Authenticate", c)));
        headers.add(Map.entry("Content-Type", "text/plain"));
        return Outcome.exit(status, headers, (message + "\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    private static Outcome accept(StageExchange exchange, AuthConfig config, String user) {
        // every user comes from the settings (valid UTF-8), so it always crosses as TEXT unchanged
        exchange.put(CtxKeys.AUTH_USER, LuaText.ctxText(user).orElseThrow());
        config.userHeader().ifPresent(h -> setRequestHeader(exchange.request().headers(), h, user));
        return Outcome.proceed();
    }

    private static void stripArgs(RequestView request, Set<String> names) {
        QueryArgs.without(request.args(), names).ifPresent(request::args);
    }

    /** The signature without its trailing '=' padding (Lua: gsub(sig, "=+$", "")). */
    private static String withoutPadding(String sig) {
        int end = sig.length();
        while (end > 0 && sig.charAt(end - 1) == '=') {
            end--;
        }
        return sig.substring(0, end);
    }

    private static boolean digits(String s) {
        if (s.isEmpty() || s.length() > 12) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static Outcome signed(StageExchange exchange, AuthConfig config, SignedUrls s, String uri) {
        QueryArgs args = QueryArgs.parse(exchange.request().args());
        List<Optional<String>> expires = args.get(s.expiresName());
        List<Optional<String>> signature = args.get(s.signatureName());
        if (expires.isEmpty() || signature.isEmpty()) {
            return refuse(403, "signature required", Optional.empty());
        }
        // a repeated or value-less argument is never valid
        if (expires.size() != 1 || signature.size() != 1 || expires.get(0).isEmpty() || signature.get(0).isEmpty()
                || s.secret().isEmpty() || !digits(expires.get(0).get())) {
            return refuse(403, "invalid signature", Optional.empty());
        }
        String exp = expires.get(0).get();
        String sig = signature.get(0).get();
        byte[] mac = hmacSha1(s.secret().get(), uri + exp);
        boolean ok = sig.length() == 40
                ? Codec.equal(LuaText.asciiLower(sig), Codec.hex(mac))
                : Codec.equal(withoutPadding(sig), Codec.base64url(mac));
        if (!ok) {
            exchange.log(LogLevel.INFO, "auth: bad signature for " + uri);
            return refuse(403, "invalid signature", Optional.empty());
        }
        if (exchange.clock().instant().getEpochSecond() > Long.parseLong(exp)) {
            return refuse(403, "expired", Optional.empty());
        }
        if (config.strip()) {
            stripArgs(exchange.request(), s.credentialArgs());
        }
        return accept(exchange, config, s.userName());
    }

    private static Outcome basic(StageExchange exchange, AuthConfig config, BasicAuth b) {
        List<String> values = exchange.request().headers().all("authorization");
        String user = null;
        String pass = null;
        if (values.size() == 1) {
            Matcher m = BASIC.matcher(values.get(0));
            Optional<String> plain = m.matches() ? Codec.decodeBase64(m.group(1)) : Optional.empty();
            if (plain.isPresent()) {
                int colon = plain.get().indexOf(':');
                if (colon >= 0) {
                    user = plain.get().substring(0, colon);
                    pass = plain.get().substring(colon + 1);
                }
            }
        }
        if (user == null) {
            return refuse(401, "authentication required", Optional.of(b.challenge()));
        }
        Optional<String> want = b.password(user);
        if (want.isEmpty() || !Codec.equal(pass, want.get())) {
            exchange.log(LogLevel.INFO, "auth: basic credentials refused for user " + user);
            return refuse(401, "authentication required", Optional.of(b.challenge()));
        }
        if (config.strip()) {
            exchange.request().headers().remove("Authorization");
        }
        return accept(exchange, config, user);
    }

    private static Outcome key(StageExchange exchange, AuthConfig config) {
        // get_headers()[name] reads '_' as '-'
        List<String> header = exchange.request().headers().all(config.keyHeaderName().replace('_', '-'));
        // Lua: a string, a table when repeated, nil when absent; "" counts as absent
        List<Optional<String>> given = header.size() == 1 && header.get(0).isEmpty() ? List.of()
                : header.stream().map(Optional::of).toList();
        if (given.isEmpty() && config.keyQueryArg().isPresent()) {
            given = QueryArgs.parse(exchange.request().args()).get(config.keyQueryArg().get());
            if (given.size() == 1 && given.get(0).filter(v -> !v.isEmpty()).isEmpty()) {
                given = List.of(); // "?api_key" or "?api_key=": no key given
            }
        }
        if (given.isEmpty()) {
            return refuse(401, "authentication required", Optional.of(config.keyChallenge()));
        }
        if (given.size() > 1) {
            // repeated header or argument: ambiguous, never valid
            return refuse(403, "invalid api key", Optional.empty());
        }
        String key = given.get(0).orElseThrow();
        String stored = switch (config.hash()) {
            case PLAIN -> key;
            case MD5 -> Codec.hex(digest("MD5", key));
            case SHA1 -> Codec.hex(digest("SHA-1", key));
            case NONE -> "";
        };
        Optional<String> user = config.userOf(stored);
        if (user.isEmpty()) {
            exchange.log(LogLevel.INFO, "auth: unknown api key");
            return refuse(403, "invalid api key", Optional.empty());
        }
        if (config.strip()) {
            // both places go, whichever carried the key: the origin never sees a credential
            exchange.request().headers().remove(config.keyHeaderName());
            config.keyQueryArg().ifPresent(a -> stripArgs(exchange.request(), Set.of(a)));
        }
        return accept(exchange, config, user.get());
    }

    private static byte[] digest(String algorithm, String text) {
        try {
            return MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.ISO_8859_1));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }

    private static byte[] hmacSha1(String secret, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.ISO_8859_1), "HmacSHA1"));
            return mac.doFinal(text.getBytes(StandardCharsets.ISO_8859_1));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }

    /** ngx.req.set_header: an empty value removes the header, as lua-nginx-module does. */
    private static void setRequestHeader(HeaderFields headers, String name, String value) {
        if (value.isEmpty()) {
            headers.remove(name);
        } else {
            headers.set(name, value);
        }
    }
}
