package dev.graft.tests.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.tests.harness.Header;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaseLoaderTest {

    @TempDir
    Path scripts;

    private Path write(String module, String file, String json) throws IOException {
        Path dir = Files.createDirectories(scripts.resolve(module).resolve("cases"));
        return Files.writeString(dir.resolve(file), json);
    }

    @Test
    void loadsEveryModulesCasesInNameOrderWithTheirIds() throws IOException {
        write("waf", "002-b.json", "{\"name\": \"b\", \"modules\": {}, \"steps\": [{\"request\": {}, \"expect\": {}}]}");
        write("waf", "001-a.json", """
                {"name": "a", "modules": {"waf": {"mode": "block"}},
                 "steps": [{"request": {"method": "POST", "path": "/p", "headers": [["X-A", "1"], ["X-A", "2"]],
                                        "body": "b"},
                            "expect": {"status": 403, "headers": {"Server": null, "X": "1", "Y": ["1", "2"]},
                                       "body_contains": ["no"], "origin": {"method": "POST"}}}]}""");
        write("cors", "001-c.json", "{\"modules\": {}, \"steps\": [{\"request\": {}, \"expect\": {}}]}");
        Files.createDirectories(scripts.resolve("nocases"));

        List<CaseFile> files = CaseLoader.loadAll(scripts);

        assertThat(files).extracting(CaseFile::id).containsExactly("cors-001-c", "waf-001-a", "waf-002-b");
        LegacyCase a = ((CaseFile.Loaded) files.get(1)).legacyCase();
        assertThat(a.host()).isEqualTo("waf-001-a.test");
        assertThat(a.modules().path("waf").path("mode").asText()).isEqualTo("block");
        CaseStep step = a.steps().get(0);
        assertThat(step.request().headers()).containsExactly(new Header("X-A", "1"), new Header("X-A", "2"));
        assertThat(step.request().body()).contains("b");
        assertThat(step.expect().status()).hasValue(403);
        assertThat(step.expect().headers()).containsEntry("Server", new HeaderExpectation.Absent())
                .containsEntry("X", new HeaderExpectation.Value("1"))
                .containsEntry("Y", new HeaderExpectation.Values(List.of("1", "2")));
        assertThat(step.expect().origin()).isPresent();
        CaseStep defaults = ((CaseFile.Loaded) files.get(2)).legacyCase().steps().get(0);
        assertThat(defaults.request().method()).isEqualTo("GET");
        assertThat(defaults.request().path()).isEqualTo("/");
    }

    @Test
    void aBrokenFileIsKeptWithEveryReason() throws IOException {
        Path file = write("waf", "003-bad.json", """
                {"modules": [], "steps": [{"request": {"headers": [["only-name"]]}, "expect": {"status": "x"}}]}""");
        write("waf", "004-notjson.json", "{");
        List<CaseFile> files = CaseLoader.loadAll(scripts);
        assertThat(files.get(0)).isEqualTo(new CaseFile.Broken("waf-003-bad", file,
                "modules: [] (expected: an object of module settings); "
                        + "steps[0].request.headers[0]: [\"only-name\"] (expected: [name, value]); "
                        + "steps[0].expect.status: \"x\" (expected: a number)"));
        assertThat(files.get(1)).isInstanceOf(CaseFile.Broken.class);
        assertThat(((CaseFile.Broken) files.get(1)).error()).startsWith("not JSON: ");
    }

    @Test
    void theRepositoryHasCasesAndAllOfThemLoad() {
        List<CaseFile> files = CaseLoader.loadAll(CaseLoader.scriptsFolder());
        assertThat(files).isNotEmpty();
        assertThat(files).filteredOn(f -> f instanceof CaseFile.Broken).isEmpty();
    }
}
