package dev.graft.host.lua;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.Phase;
import dev.graft.host.exchange.Exchange;
import dev.graft.host.lua.ngx.NgxApi;
import dev.graft.host.lua.ngx.RequestScope;
import java.util.List;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * One Lua VM: a LuaJ {@link Globals} with the sandboxed standard library, the {@code ngx} API
 * and the given libraries, owned by one event-loop thread (like one nginx worker's Lua VM).
 * Not thread-safe; never shared.
 *
 * <p>Every call from the host goes through {@link #call} (a request phase) or
 * {@link #callInit}: they point the {@code ngx} API at the exchange, give the call a fresh
 * instruction budget, and turn every way a call can end into a {@link CallResult}, so that no
 * Lua failure escapes as an exception.
 */
public final class LuaVm {

    /** VM initialisation (the driver's init, which requires every module) gets this many budgets. */
    private static final long INIT_BUDGETS = 50;

    private final Globals globals;
    private final InstructionBudget budget;
    private final RequestScope scope;
    private final LuaTable ngx;

    private LuaVm(Globals globals, InstructionBudget budget, RequestScope scope, LuaTable ngx) {
        this.globals = globals;
        this.budget = budget;
        this.scope = scope;
        this.ngx = ngx;
    }

    /**
     * Builds a VM.
     *
     * @param scripts           the scripts folder that {@code require} and {@code io.open} see
     * @param settings          worker facts and the default upstream for {@code ngx}
     * @param instructionBudget instructions one call may run
     * @param libraries         installed in order after the core
     */
    public static LuaVm create(LuaScripts scripts, NgxApi.Settings settings, long instructionBudget,
            List<LuaLibrary> libraries) {
        requireNonNull(scripts, "scripts");
        requireNonNull(settings, "settings");
        requireNonNull(libraries, "libraries");
        InstructionBudget budget = new InstructionBudget(instructionBudget);
        RequestScope scope = new RequestScope(budget);
        Globals g = Sandbox.globals(scripts, budget, scope);
        LuaTable ngx = NgxApi.create(scope, settings);
        g.rawset("ngx", ngx);
        g.get("package").get("loaded").set("ngx", ngx);
        for (LuaLibrary lib : libraries) {
            lib.install(g, ngx);
        }
        // LuaJIT names OpenResty code expects, unless a library provided its own
        if (g.rawget("unpack").isnil()) {
            g.rawset("unpack", g.get("table").get("unpack"));
        }
        return new LuaVm(g, budget, scope, ngx);
    }

    public Globals globals() {
        return globals;
    }

    public LuaTable ngx() {
        return ngx;
    }

    public RequestScope scope() {
        return scope;
    }

    /** Instructions the last call ran (for tests, benchmarks and diagnostics). */
    public long instructionsUsed() {
        return budget.used();
    }

    /** {@code require(name)} outside any request, with the init budget. */
    public CallResult require(String name) {
        return callInit(globals.get("require"), LuaValue.valueOf(name));
    }

    /** Calls {@code fn(args)} outside any request (ngx.get_phase() is "init"). */
    public CallResult callInit(LuaValue fn, Varargs args) {
        requireNonNull(fn, "fn");
        requireNonNull(args, "args");
        scope.leave();
        budget.reset((long) budget.budget() * INIT_BUDGETS);
        return run(fn, args);
    }

    /** Calls {@code fn(args)} as the {@code phase} handler of {@code exchange}. */
    public CallResult call(Exchange exchange, Phase phase, LuaValue fn, Varargs args) {
        requireNonNull(exchange, "exchange");
        requireNonNull(phase, "phase");
        scope.enter(exchange, phase);
        budget.reset();
        try {
            return run(fn, args);
        } finally {
            scope.leave();
        }
    }

    private CallResult run(LuaValue fn, Varargs args) {
        Varargs values;
        int depth = budget.depth();
        try {
            values = fn.invoke(args);
        } catch (LuaError e) {
            return stopped().orElseGet(() -> failed(e));
        } catch (StackOverflowError e) {
            return stopped().orElseGet(() -> new CallResult.Failed("?", "stack overflow"));
        } catch (RuntimeException e) {
            // a bug in a Java function that Lua called: contained like a Lua error
            return stopped().orElseGet(() -> new CallResult.Failed("?", "java exception: " + e));
        } finally {
            budget.unwindTo(depth);
        }
        // a pcall that swallowed the stop as the script's last act still ends the call stopped
        return stopped().orElse(new CallResult.Returned(values));
    }

    private java.util.Optional<CallResult> stopped() {
        return switch (budget.stop()) {
            case NONE -> java.util.Optional.empty();
            case EXIT -> java.util.Optional.of(scope.jumped() ? new CallResult.Jumped()
                    : new CallResult.Exited(scope.exitStatus()));
            case BUDGET -> {
                String where = budget.stopLocation();
                yield java.util.Optional.of(new CallResult.BudgetStopped(moduleOf(where), where));
            }
        };
    }

    private static CallResult failed(LuaError e) {
        String message = e.getMessage() == null ? String.valueOf(e.getMessageObject()) : e.getMessage();
        return new CallResult.Failed(moduleOf(message), message);
    }

    /**
     * The module a location or message points at: the first "path.lua:" in it, named by its
     * folder ("waf/handler.lua" is waf) or by its file ("pipeline.lua" is pipeline).
     */
    static String moduleOf(String text) {
        int lua = text.indexOf(".lua:");
        if (lua < 0) {
            return "?";
        }
        int start = lua;
        while (start > 0 && !Character.isWhitespace(text.charAt(start - 1)) && text.charAt(start - 1) != '\''
                && text.charAt(start - 1) != '"' && text.charAt(start - 1) != '[') {
            start--;
        }
        String path = text.substring(start, lua);
        int slash = path.indexOf('/');
        return slash > 0 ? path.substring(0, slash) : path.isEmpty() ? "?" : path;
    }
}
