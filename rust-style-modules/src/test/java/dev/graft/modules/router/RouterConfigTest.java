package dev.graft.modules.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.modules.testing.Json;
import dev.graft.modules.testing.RecordBinder;
import org.junit.jupiter.api.Test;

class RouterConfigTest {

    private static RouterConfig conf(String json) {
        return RecordBinder.bind(Json.parse(json), RouterConfig.class);
    }

    @Test
    void defaultsAreTheLuaModules() {
        RouterConfig c = RouterConfig.defaults();
        assertThat(c.routes()).isEmpty();
        assertThat(c.poolMap()).isEmpty();
        assertThat(c.defaultUpstream()).isEmpty();
        assertThat(c.maintenance()).isEmpty();
        assertThat(c.routeHeader()).isEmpty();
        assertThat(c.problems()).isEmpty();
    }

    @Test
    void maintenanceFalseIsNoneAndTrueIsTheDefaultPage() {
        assertThat(conf("{\"maintenance\": false}").maintenance()).isEmpty();
        Maintenance m = conf("{\"maintenance\": true}").maintenance().orElseThrow();
        assertThat(m.page()).isEqualTo(Maintenance.DEFAULT_PAGE);
        assertThat(m.retryAfter()).isEmpty();
        assertThat(conf("{\"maintenance\": {\"retry_after\": \"\"}}").maintenance().orElseThrow().retryAfter()).isEmpty();
        assertThat(conf("{\"maintenance\": {\"retry_after\": 120}}").maintenance().orElseThrow().retryAfter()
                .orElseThrow().value()).isEqualTo("120");
    }

    @Test
    void unusableRoutesAndTargetsAreWordedAsTheLuaLogLines() {
        RouterConfig c = conf("{\"pools\": {\"web\": {\"targets\": [{\"upstream\": \"a\", \"weight\": -1},"
                + " {\"upstream\": \"b\", \"weight\": 2}, {\"upstream\": \"a\", \"weight\": 1.5}, {\"weight\": 1}]},"
                + " \"dead\": {\"targets\": [{\"upstream\": \"a\", \"weight\": 0}]}, \"none\": {}},"
                + " \"routes\": [{\"prefix\": \"/\"}, {\"pool\": \"dead\"}, \"junk\", {\"regex\": \"(\", \"upstream\": \"a\"},"
                + " {\"bucket\": \"b\"}, {\"pool\": \"web\"}, {\"maintenance\": true}]}");
        assertThat(c.problems()).hasSize(10);
        assertThat(c.problems().subList(0, 6)).containsExactly(
                "router: pools.web.targets[1]: not {upstream=<name>, weight=<integer >= 0>}, ignored",
                "router: pools.web.targets[3]: not {upstream=<name>, weight=<integer >= 0>}, ignored",
                "router: pools.web.targets[4]: not {upstream=<name>, weight=<integer >= 0>}, ignored",
                "router: pools.dead: no target with a positive weight",
                "router: pools.none.targets: missing (expected: a list of {upstream, weight})",
                "router: routes[1]: no action (expected: upstream, pool, bucket or maintenance), route ignored");
        assertThat(c.problems().get(6))
                .isEqualTo("router: routes[2].pool: dead (expected: the name of a usable pool in pools), route ignored");
        assertThat(c.problems().get(7)).isEqualTo("router: routes[3]: not an object, route ignored");
        assertThat(c.problems().get(8)).startsWith("router: routes[4].regex: ( (expected: a regex; pcre_compile() failed: ");
        assertThat(c.problems().get(9))
                .isEqualTo("router: routes[5].prefix: missing (expected: a bucket route maps <prefix><key>), route ignored");
    }

    @Test
    void poolCookieDefaults() {
        Pool p = conf("{\"pools\": {\"web\": {\"targets\": [{\"upstream\": \"a\"}], \"cookie\": \"\","
                + " \"cookie_path\": \"\", \"cookie_max_age\": 60, \"hash_header\": \"X-User\"}}}").poolMap().get("web");
        assertThat(p.cookieName("web")).hasValue("graft_sticky_web");
        assertThat(p.cookieAttributes()).isEqualTo("; Path=; Max-Age=60; HttpOnly; SameSite=Lax");
        assertThat(p.hashHeader()).hasValue("x-user");
        Pool off = conf("{\"pools\": {\"web\": {\"targets\": [{\"upstream\": \"a\"}], \"sticky\": false}}}").poolMap().get("web");
        assertThat(off.cookieName("web")).isEmpty();
    }
}
