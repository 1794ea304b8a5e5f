package dev.graft.host.lua.ngx;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.Phase;
import dev.graft.host.exchange.Exchange;
import dev.graft.host.lua.InstructionBudget;
import java.util.Optional;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;

/**
 * What the {@code ngx} API of one VM is looking at right now: the exchange and phase of the
 * host call in progress, plus the few facts that live only for that call (an exit status,
 * the body-filter chunk). One per VM, reused for every call: the request's own state lives
 * on the {@link Exchange}, because phases of different requests interleave on one VM.
 *
 * <p>Between calls (and while the driver's {@code init} runs) there is no exchange and the
 * phase is {@code init}: request APIs then fail the way they do in {@code init_by_lua}.
 */
public final class RequestScope {

    /** Phase bits for the context checks, one per phase plus init. */
    static final int REWRITE = 1;
    static final int ACCESS = 1 << 1;
    static final int CONTENT = 1 << 2;
    static final int HEADER_FILTER = 1 << 3;
    static final int BODY_FILTER = 1 << 4;
    static final int LOG = 1 << 5;
    static final int INIT = 1 << 6;
    static final int REQUEST = REWRITE | ACCESS | CONTENT;
    static final int ANY_REQUEST = REQUEST | HEADER_FILTER | BODY_FILTER | LOG;

    private static final LuaString INIT_NAME = LuaString.valueOf("init");
    private static final LuaString[] PHASE_NAMES = new LuaString[Phase.values().length];

    static {
        for (Phase p : Phase.values()) {
            PHASE_NAMES[p.ordinal()] = LuaString.valueOf(p.luaName());
        }
    }

    private final InstructionBudget budget;
    private final LuaStrings strings = new LuaStrings();
    private Exchange exchange;
    private Phase phase;
    private int phaseBit = INIT;

    // --- the current call only
    private boolean exited;
    private int exitStatus;
    private boolean jumped;
    private LuaValue chunk = LuaValue.NIL;
    private boolean eof;

    public RequestScope(InstructionBudget budget) {
        this.budget = requireNonNull(budget, "budget");
    }

    /** Points the API at a request phase; clears the per-call facts. */
    public void enter(Exchange exchange, Phase phase) {
        this.exchange = requireNonNull(exchange, "exchange");
        this.phase = requireNonNull(phase, "phase");
        this.phaseBit = bit(phase);
        exchange.phase(phase);
        exited = false;
        exitStatus = 0;
        jumped = false;
    }

    /**
     * Detaches the API from the request: back to the init context. The body-filter chunk
     * stays for the host to read; it clears it with {@link #bodyChunk(LuaValue, boolean)}.
     */
    public void leave() {
        exchange = null;
        phase = null;
        phaseBit = INIT;
    }

    /** The exchange of the call in progress, if a request phase is running. */
    public Optional<Exchange> exchange() {
        return Optional.ofNullable(exchange);
    }

    /** The phase of the call in progress, empty during init. */
    public Optional<Phase> phase() {
        return Optional.ofNullable(phase);
    }

    /** Whether the current call asked to end its phase handler with {@link #exitStatus()}. */
    public boolean exited() {
        return exited;
    }

    /** The status given to ngx.exit (or the redirect status) in the current call. */
    public int exitStatus() {
        return exitStatus;
    }

    /** Whether {@code ngx.req.set_uri(uri, true)} asked to restart the rewrite phase. */
    public boolean jumped() {
        return jumped;
    }

    /** Sets the body-filter arguments ({@code ngx.arg[1]}, {@code ngx.arg[2]}). */
    public void bodyChunk(LuaValue chunk, boolean eof) {
        this.chunk = requireNonNull(chunk, "chunk");
        this.eof = eof;
    }

    /** The body-filter chunk as the script left it. */
    public LuaValue bodyChunk() {
        return chunk;
    }

    public boolean bodyEof() {
        return eof;
    }

    void bodyEof(boolean eof) {
        this.eof = eof;
    }

    // --- for the API classes

    /** The exchange, for an API that {@link #check}ed that a request phase runs. */
    Exchange ex() {
        return exchange;
    }

    /** The VM's memo of Lua strings made from request strings. */
    LuaStrings strings() {
        return strings;
    }

    int phaseBit() {
        return phaseBit;
    }

    LuaString phaseName() {
        return phase == null ? INIT_NAME : PHASE_NAMES[phase.ordinal()];
    }

    /**
     * Fails like lua-nginx-module's context check when the running phase is not in
     * {@code allowed}, and returns the exchange otherwise.
     */
    Exchange check(int allowed) {
        if ((phaseBit & allowed) == 0) {
            throw new LuaError("API disabled in the context of " + contextName());
        }
        return exchange;
    }

    String contextName() {
        return phase == null ? "init_by_lua*" : phase.luaName() + "_by_lua*";
    }

    /** Ends the current phase handler with a status: unwinds the Lua stack. */
    LuaError exit(int status) {
        exited = true;
        exitStatus = status;
        throw budget.interrupt(InstructionBudget.Stop.EXIT);
    }

    /** Records an exit without unwinding (header_filter: OpenResty returns at once there). */
    void exitLater(int status) {
        exited = true;
        exitStatus = status;
    }

    /** Restarts the rewrite phase with the new URI: unwinds like an exit. */
    LuaError jump() {
        jumped = true;
        throw budget.interrupt(InstructionBudget.Stop.EXIT);
    }

    private static int bit(Phase p) {
        return switch (p) {
            case REWRITE -> REWRITE;
            case ACCESS -> ACCESS;
            case CONTENT -> CONTENT;
            case HEADER_FILTER -> HEADER_FILTER;
            case BODY_FILTER -> BODY_FILTER;
            case LOG -> LOG;
        };
    }
}
