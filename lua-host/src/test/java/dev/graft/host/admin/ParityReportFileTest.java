package dev.graft.host.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's reading of graft parity's report.md: the first table, module to verdict. */
class ParityReportFileTest {

    @TempDir
    Path dir;

    @Test
    void reads_the_verdict_of_each_module_from_the_first_table() throws Exception {
        Path report = dir.resolve("report.md");
        Files.writeString(report, """
                # Lua/Java parity

                **FAILED** in 48.5 s.

                | module | java? | cases | generated | mismatches | verdict |
                | --- | --- | --- | --- | --- | --- |
                | normalize | java | 46 | 1000 | 0 | ok |
                | waf | java | 91 | 1000 | 1 | FAIL |

                ## waf

                | path | lua | java |
                | --- | --- | --- |
                | status | 403 | 200 |
                """);
        ParityReportFile.Verdicts v = new ParityReportFile(report).read();
        assertThat(v.found()).isTrue();
        assertThat(v.modified()).isPresent();
        assertThat(v.byModule()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("normalize", "ok", "waf", "FAIL"));
    }

    @Test
    void a_missing_report_is_not_found() {
        ParityReportFile.Verdicts v = new ParityReportFile(dir.resolve("none.md")).read();
        assertThat(v.found()).isFalse();
        assertThat(v.byModule()).isEmpty();
    }
}
