package dev.graft.bridge.regex;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PCRE constructs: copied as they are, translated, or refused. */
class PcrePatternTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
        // same meaning in both engines: copied
        "a+b*c? => a+b*c?",
        "(?:ab)|c => (?:ab)|c",
        "a++b => a++b",
        "(?>ab) => (?>ab)",
        "(?=a)(?!b) => (?=a)(?!b)",
        "(?<=a)(?<!b) => (?<=a)(?<!b)",
        "\\d\\w\\s\\h\\v\\R => \\d\\w\\s\\h\\v\\R",
        "\\A\\z\\Z\\b\\B => \\A\\z\\Z\\b\\B",
        "a{2,3} => a{2,3}",
        "a{2} => a{2}",
        "a{2,} => a{2,}",
        "(?i)a => (?i)a",
        "(?i-s:a) => (?i-s:a)",
        // translated
        "[[:alpha:]] => [\\p{Alpha}]",
        "[[:^digit:]] => [\\P{Digit}]",
        "[[:word:][:space:]] => [\\w\\s]",
        "a{,3} => a\\{,3\\}",
        "x{ => x\\{",
        "(?<n_1>a)\\k<n_1> => (a)(?:\\1)",
        "(?P<n>a)(?P=n) => (a)(?:\\1)",
        "(?'n'a)\\k{n} => (a)(?:\\1)",
        "(a)\\g{-1}\\g1 => (a)(?:\\1)(?:\\1)",
        "(a)\\10 => (a)\\x{8}",
        "\\x4 => \\x{4}",
        "\\o{101} => \\x{41}",
        "\\012 => \\x{a}",
        "\\N => [^\\n]",
        "a(?#note)b => ab",
        "\\Q.*\\E => \\x{2e}\\x{2a}",
        "[a&&b] => [a\\&\\&b]",
        "[[] => [\\[]",
        "[]a] => [\\]a]",
        "[\\b] => [\\x{8}]",
        "\\p{Greek} => \\p{IsGreek}",
        "\\pL => \\p{IsL}",
        "\\y => y",
        "(?x) a b => ab",
    })
    void translated(String pcre, String java) {
        PcrePattern.Result r = PcrePattern.translate(pcre, false, false);
        assertThat(r).isInstanceOf(PcrePattern.Translated.class);
        String out = ((PcrePattern.Translated) r).javaPattern();
        assertThat(out).isEqualTo(java);
        Pattern.compile(out);
    }

    @ParameterizedTest(name = "{0} refused")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
        "foo\\Kbar => \\K",
        "(?|(a)|(b)) => branch reset",
        "(a)?(?(1)b|c) => conditional",
        "(a(?R)?b) => recursion",
        "(a)(?1) => recursion",
        "(?<n>a)(?&n) => recursion",
        "(?P>n) => recursion",
        "(*UTF8)a => (*VERB)",
        "(*CR)a => (*VERB)",
        "\\X => \\X",
        "\\C => \\C",
        "(?U)a+ => ungreedy",
        "(?X)a => (?X)",
        "\\ua => \\u",
        "a(?C1)b => callout",
        "(a => missing )",
        "a) => unmatched parentheses",
        "[a => missing terminating ]",
        "[[:foo:]] => unknown POSIX class name",
        "(?<a>x)(?<a>y) => same name",
        "\\k<nope> => non-existent",
        "(?<1a>x) => invalid subpattern name",
        "\\g<1> => subroutine",
    })
    void refused(String pcre, String reasonFragment) {
        PcrePattern.Result r = PcrePattern.translate(pcre, false, false);
        assertThat(r).isInstanceOf(PcrePattern.Refused.class);
        assertThat(((PcrePattern.Refused) r).reason()).contains(reasonFragment);
    }

    @org.junit.jupiter.api.Test
    void extendedModeStripsBlanksAndCommentsButNotInsideClasses() {
        PcrePattern.Result r = PcrePattern.translate(" a [ #] # comment\n b ", true, false);
        assertThat(((PcrePattern.Translated) r).javaPattern()).isEqualTo("a[ #]b");
    }

    @org.junit.jupiter.api.Test
    void namesMapToGroupNumbersAndDuplicatesNeedTheDOption() {
        PcrePattern.Result r = PcrePattern.translate("(?<x>a)(b)(?<y_z>c)|(?<x>d)", false, true);
        PcrePattern.Translated t = (PcrePattern.Translated) r;
        assertThat(t.groupCount()).isEqualTo(4);
        assertThat(t.names()).isEqualTo(Map.of("x", List.of(1, 4), "y_z", List.of(3)));
        assertThat(PcrePattern.translate("(?<x>a)|(?<x>d)", false, false)).isInstanceOf(PcrePattern.Refused.class);
    }
}
