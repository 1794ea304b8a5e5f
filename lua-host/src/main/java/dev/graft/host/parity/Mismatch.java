package dev.graft.host.parity;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One effect that differs between the Lua and the Java side of a module for one request.
 *
 * @param module  the module under comparison
 * @param phase   the host phase after which the effect first differs
 * @param source  where the request came from (a case id, "generated seed S #N", a traffic line)
 * @param request the request, readable
 * @param path    the effect path ({@code response.header.location}, {@code ctx.waf_score}...)
 * @param lua     the value on the Lua side ({@code <absent>} when Lua has none)
 * @param java    the value on the Java side
 * @param allowed the allow-list entry that accepts this difference, if any
 */
public record Mismatch(String module, String phase, String source, String request, String path, String lua,
                       String java, Optional<AllowList.Entry> allowed) {

    public static final String ABSENT = "<absent>";

    public Mismatch {
        requireNonNull(module, "module");
        requireNonNull(phase, "phase");
        requireNonNull(source, "source");
        requireNonNull(request, "request");
        requireNonNull(path, "path");
        requireNonNull(lua, "lua");
        requireNonNull(java, "java");
        requireNonNull(allowed, "allowed");
    }

    /** As the gate prints it. */
    public String describe() {
        return module + " / " + phase + " / " + path + (allowed.isPresent() ? "  (allowed: " + allowed.get().reason()
                + ", until " + allowed.get().expires() + ")" : "") + "\n  source:  " + source
                + "\n  request: " + request.replace("\n", "\n  ") + "\n  lua:     " + ParityRequest.abbreviate(lua, 400)
                + "\n  java:    " + ParityRequest.abbreviate(java, 400);
    }
}
