package dev.graft.bridge.shared;

/**
 * Why a {@link SharedDict} operation did not succeed. {@link #message()} is the exact
 * string lua-nginx-module returns as its {@code err} value.
 */
public enum DictError {
    EXISTS("exists"),
    NOT_FOUND("not found"),
    NOT_A_NUMBER("not a number"),
    NO_MEMORY("no memory"),
    NOT_A_LIST("value not a list"),
    IS_A_LIST("value is a list");

    private final String message;

    DictError(String message) {
        this.message = message;
    }

    /** The error string as OpenResty spells it. */
    public String message() {
        return message;
    }
}
