/**
 * What the end-to-end suites stand on: a raw-socket HTTP client that sends requests byte for
 * byte, the demo origins, and the proxies under test behind one interface
 * ({@link dev.graft.tests.harness.ProxyLauncher}): real nginx + lua-nginx-module through
 * {@code NginxConfigGenerator}, and Graft in process through {@code GraftServer}.
 * {@link dev.graft.tests.harness.LaunchPolicy} decides what a suite does when one cannot run.
 */
package dev.graft.tests.harness;
