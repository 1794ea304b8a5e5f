/**
 * The contract between Graft's host and Java stages: {@link dev.graft.bridge.Phase phases},
 * the {@link dev.graft.bridge.StageModule module SPI}, the sealed
 * {@link dev.graft.bridge.Outcome}, the typed views of an exchange, declared
 * {@link dev.graft.bridge.CtxKey context keys}, and shared dicts.
 *
 * <p>Everything in this package is non-null: optional values are {@link java.util.Optional}.
 * This module depends on the JDK only.
 */
package dev.graft.bridge;
