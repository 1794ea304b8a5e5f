/**
 * nginx against Graft on the same requests: seeded generated requests and the comparison of two
 * answers, with the one list of what may differ
 * ({@link dev.graft.tests.crosscheck.ResponseComparison#EXPECTED_DIFFERENCES}).
 */
package dev.graft.tests.crosscheck;
