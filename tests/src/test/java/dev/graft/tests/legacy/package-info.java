/**
 * The legacy cases (legacy-scripts/&lt;module&gt;/cases/*.json, format in legacy-scripts/README.md):
 * loading them, the config that serves one customer per case, sending their steps and checking
 * each expectation. /work/devtools/ngx-cases.py is the same harness in python for running cases
 * on nginx while writing them.
 */
package dev.graft.tests.legacy;
