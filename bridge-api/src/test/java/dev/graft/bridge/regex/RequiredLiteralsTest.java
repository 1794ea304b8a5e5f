package dev.graft.bridge.regex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The literal extraction of {@link RequiredLiterals}, on representative patterns. */
class RequiredLiteralsTest {

    private static Optional<LiteralPrefilter> prefilter(String pcre, String options) {
        try {
            PcreRegex.Result r = PcreRegex.compile(pcre, options);
            assertThat(r).isInstanceOf(PcreRegex.Compiled.class);
            return ((PcreRegex.Compiled) r).prefilter();
        } catch (RegexOptions.UnknownFlag e) {
            throw new AssertionError(e);
        }
    }

    /** The clauses as text: a caseless literal is marked with /i. */
    private static List<List<String>> clauses(String pcre, String options) {
        return prefilter(pcre, options).orElseThrow().clauses().stream()
                .map(c -> c.stream().map(l -> l.text() + (l.caseless() ? "/i" : "")).toList())
                .toList();
    }

    @Test
    void alternationsGiveOneClauseOfEveryBranch() {
        assertThat(clauses("(?:sqlmap|nikto|nmap)", "jo")).containsExactly(List.of("sqlmap", "nikto", "nmap"));
        assertThat(clauses("foo|bar", "")).containsExactly(List.of("foo", "bar"));
        // each branch gives its best clause: bar after \d+
        assertThat(clauses("foo|\\d+bar", "")).containsExactly(List.of("foo", "bar"));
    }

    @Test
    void caselessLiteralsAreLowerCaseAndMarked() {
        assertThat(clauses("SELECT", "i")).containsExactly(List.of("select/i"));
        assertThat(clauses("a(?i)Bc", "")).containsExactly(List.of("abc/i"));
        assertThat(clauses("(?i:AB)|CD", "")).containsExactly(List.of("ab/i", "CD"));
        // (?i) holds to the end of its group: the second branch is caseless too
        assertThat(clauses("(?:x(?i)y|Zw)q", "")).containsExactly(List.of("xyq/i", "zwq/i"));
        // chars without letters are never caseless
        assertThat(clauses("<\\?=", "i")).containsExactly(List.of("<?="));
    }

    @Test
    void unicodeCaseFoldingDropsCharsOtherCharsFoldTo() {
        // under iu, the Kelvin sign matches k and the long s matches s: no plain ASCII-caseless literal
        assertThat(clauses("kab", "iu")).containsExactly(List.of("ab/i"));
        assertThat(clauses("xss", "iu")).containsExactly(List.of("x/i"));
        // a non-ASCII char has case variants under iu, and is exact without i
        assertThat(prefilter("é", "iu")).isEmpty();
        assertThat(clauses("é", "u")).containsExactly(List.of("é"));
        // without u, case folding is ASCII only: k is a plain caseless literal
        assertThat(clauses("kab", "i")).containsExactly(List.of("kab/i"));
    }

    @Test
    void smallClassesAreSetsOfChars() {
        assertThat(clauses("%0[ad]", "i")).containsExactly(List.of("%0a/i", "%0d/i"));
        assertThat(clauses("[\\r\\n]x", "")).containsExactly(List.of("\rx", "\nx"));
        // a class too large, negated or with \d says nothing
        assertThat(clauses("[a-z]foo", "")).containsExactly(List.of("foo"));
        assertThat(clauses("[^a]foo", "")).containsExactly(List.of("foo"));
        assertThat(clauses("[\\dab]foo", "")).containsExactly(List.of("foo"));
        assertThat(prefilter("[\\x01-\\x08]", "")).isEmpty();
    }

    @Test
    void quantifiersThatAllowZeroCopiesSayNothing() {
        assertThat(prefilter("(?:abc){0}", "")).isEmpty();
        assertThat(prefilter("(?:abc)?", "")).isEmpty();
        assertThat(prefilter("(?:abc)*", "")).isEmpty();
        assertThat(prefilter("a{0,3}", "")).isEmpty();
        assertThat(clauses("x(?:abc){0}y", "")).containsExactly(List.of("xy"));
        assertThat(clauses("x(?:ab)?y", "")).containsExactly(List.of("xaby", "xy"));
        assertThat(clauses("(?:ab)+", "")).containsExactly(List.of("ab"));
        assertThat(clauses("(?:ab){2}", "")).containsExactly(List.of("abab"));
        // a match of X{2,5} starts with two copies of X
        assertThat(clauses("(?:ab){2,5}", "")).containsExactly(List.of("abab"));
        assertThat(clauses("ab{3}c", "")).containsExactly(List.of("abbbc"));
        // a match of b+ starts and ends with b; lazy and possessive quantifiers match the same strings
        assertThat(clauses("ab+c", "")).containsExactly(List.of("ab"), List.of("bc"));
        assertThat(clauses("ab+?c", "")).containsExactly(List.of("ab"), List.of("bc"));
        assertThat(clauses("ab*+c", "")).containsExactly(List.of("a"), List.of("c"));
    }

    @Test
    void optionalGroupsAndEmptyBranchesGiveNothingOnTheirOwn() {
        assertThat(prefilter("(?:a|)", "")).isEmpty();
        assertThat(prefilter("(?:foo|\\d)", "")).isEmpty();
        assertThat(prefilter("", "")).isEmpty();
        assertThat(prefilter("^\\s*$", "")).isEmpty();
        assertThat(prefilter("\\d+", "")).isEmpty();
        assertThat(prefilter(".*", "")).isEmpty();
    }

    @Test
    void anchorsAndLookaroundMatchTheEmptyString() {
        assertThat(clauses("^GET$", "")).containsExactly(List.of("GET"));
        assertThat(clauses("\\bunion\\b", "i")).containsExactly(List.of("union/i"));
        assertThat(clauses("\\Aab\\z", "")).containsExactly(List.of("ab"));
        // lookaround content may lie outside the match: ignored
        assertThat(clauses("a(?=bc)d", "")).containsExactly(List.of("ad"));
        assertThat(clauses("(?<=xy)z", "")).containsExactly(List.of("z"));
        assertThat(prefilter("(?!abc)", "")).isEmpty();
    }

    @Test
    void backReferencesSayNothing() {
        assertThat(clauses("(a)\\1b", "")).containsExactly(List.of("a"), List.of("b"));
        assertThat(clauses("(?<n>x)\\k<n>y", "")).containsExactly(List.of("x"), List.of("y"));
    }

    @Test
    void literalsBehindUnknownPiecesBecomeSeparateClauses() {
        // every match holds "http/" and one of the methods: both are checked, the longer first
        assertThat(clauses("[\\r\\n]\\s*(?:get|post)\\s+\\S+\\s+http/\\d", "i"))
                .containsExactly(List.of("http//i"), List.of("get/i", "post/i"));
    }

    @Test
    void escapesAreTheCharsTheyStandFor() {
        assertThat(clauses("\\x41\\x{42}\\101\\t", "")).containsExactly(List.of("ABA\t"));
        assertThat(clauses("\\$\\{?IFS\\b", "")).containsExactly(List.of("${IFS", "$IFS"));
        assertThat(clauses("\\Q.*\\E", "")).containsExactly(List.of(".*"));
        assertThat(clauses("\\x00", "")).containsExactly(List.of("\0"));
    }

    @Test
    void supplementaryCharsAreOneAtom() {
        // the ? applies to the whole code point, not to its low surrogate
        assertThat(clauses("a\\x{1F600}?b", "u")).containsExactly(List.of("a\uD83D\uDE00b", "ab"));
        assertThat(clauses("a\uD83D\uDE00?b", "u")).containsExactly(List.of("a\uD83D\uDE00b", "ab"));
    }

    @Test
    void subsumedLiteralsArePruned() {
        assertThat(clauses("/(?:pma|pma/x)", "")).containsExactly(List.of("/pma"));
        assertThat(clauses("(?:\\.\\.|/\\.\\./)", "")).containsExactly(List.of(".."));
    }

    @Test
    void syntaxTheAnalysisDoesNotModelGivesNoPrefilter() {
        assertThat(RequiredLiterals.of(Pattern.compile("abc", Pattern.COMMENTS))).isEmpty();
        assertThat(RequiredLiterals.of(Pattern.compile("abc", Pattern.LITERAL))).isEmpty();
        assertThat(RequiredLiterals.of(Pattern.compile("[a-c&&[b]]xyz"))).isEmpty();
        assertThat(RequiredLiterals.of(Pattern.compile("[a[b]]xyz"))).isEmpty();
        assertThat(RequiredLiterals.of(Pattern.compile("(?x)a b"))).isEmpty();
        assertThat(RequiredLiterals.of(Pattern.compile("\\uD83D\\uDE00?"))).isEmpty();
        assertThat(RequiredLiterals.of(Pattern.compile("\\N{LATIN SMALL LETTER A}bc"))).isEmpty();
    }

    @Test
    void literalsMustBeNonEmptyAndLowerCaseWhenCaseless() {
        assertThatThrownBy(() -> new LiteralPrefilter.Literal("", false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("text: \"\" (expected: a non-empty literal)");
        assertThatThrownBy(() -> new LiteralPrefilter.Literal("Ab", true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("text: Ab (expected: ASCII lower case when caseless)");
        assertThatThrownBy(() -> LiteralPrefilter.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void scannersFindCaselessLiteralsFromAStartOffset() {
        LiteralPrefilter f = LiteralPrefilter.of(List.of(List.of(new LiteralPrefilter.Literal("select", true),
                new LiteralPrefilter.Literal("Union", false))));
        assertThat(f.mayMatch("1 SeLeCt 2")).isTrue();
        assertThat(f.mayMatch("1 union 2")).isFalse();
        assertThat(f.mayMatch("1 Union 2")).isTrue();
        assertThat(f.mayMatch("xselect", 2)).isFalse();
        assertThat(f.mayMatch("xselect", 1)).isTrue();
        assertThat(f.mayMatch(new StringBuilder("SELEC"), 0)).isFalse();
        byte[] bytes = "..SELECT..".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(f.mayMatchLatin1(bytes, 2, 6, 0)).isTrue();
        assertThat(f.mayMatchLatin1(bytes, 2, 5, 0)).isFalse();
        assertThat(f.mayMatch("aSELECTb".toCharArray(), 7, 1)).isTrue();
        assertThat(f.mayMatch("aSELECTb".toCharArray(), 6, 1)).isFalse();
    }
}
