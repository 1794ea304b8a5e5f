package dev.graft.bench.stage;

import dev.graft.host.exchange.Exchange;

/** What Lua and Java stage runs share, so that both sides do the same work around the stage. */
final class StageRun {

    private StageRun() {}

    /** The head a fast origin answers with: 200, 1 KiB of HTML. */
    static void originResponse(Exchange ex) {
        if (ex.status() == 0) {
            ex.status(200);
            ex.responseHeaders().set("Content-Type", "text/html; charset=utf-8");
            ex.responseHeaders().set("Content-Length", "1024");
            ex.responseHeaders().set("Server", "origin");
        }
    }
}
