package dev.graft.tests.legacy;

import java.nio.file.Path;

/** A case file as loaded: a case, or why the file is not one. */
public sealed interface CaseFile {

    String id();

    Path file();

    record Loaded(LegacyCase legacyCase) implements CaseFile {
        @Override
        public String id() {
            return legacyCase.id();
        }

        @Override
        public Path file() {
            return legacyCase.file();
        }
    }

    record Broken(String id, Path file, String error) implements CaseFile {}
}
