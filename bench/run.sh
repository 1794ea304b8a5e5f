#!/usr/bin/env bash
# bench/run.sh: every Graft benchmark in one command, then BENCHMARKS.md at the repo root.
#
#   bench/run.sh            the full run (about 12-14 minutes on 2 cores)
#   bench/run.sh --quick    a smoke run (about 4 minutes): fewer stages, shorter iterations
#
# 1. installs what is missing from Debian packages (wrk, nginx, libnginx-mod-http-lua, lua-cjson)
# 2. builds bench/target-bench/benchmarks.jar (the JMH benchmarks, the load harness, the host)
# 3. JMH: each module's Lua stage and Java stage (where the port exists), the bridge
# 4. load: empty pipeline, all-Lua, all-Java, half-and-half and the nginx peer, side by side
# 5. writes BENCHMARKS.md: machine, date, commands, tables, ratios
#
# Environment: BENCH_OUT (results folder), BENCH_REPS, BENCH_SECONDS, BENCH_WARMUP,
# BENCH_CONNECTIONS, BENCH_CONFIGS (empty,lua,java,mix,nginx), BENCH_SKIP_JMH=1, BENCH_SKIP_LOAD=1,
# BENCH_NO_BUILD=1 (reuse bench/target-bench/benchmarks.jar).
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
export GRAFT_HOME=$ROOT
cd "$ROOT"

quick=0
[[ ${1:-} == --quick ]] && quick=1

started=$(date -u +%s)
stamp=$(date -u +%Y%m%dT%H%M%SZ)
OUT=${BENCH_OUT:-$ROOT/bench/target-bench/results/$stamp}
mkdir -p "$OUT"
commands=$OUT/commands.txt
: >"$commands"
say() { printf '[bench] %s\n' "$*" >&2; }
run() { printf '%s\n' "$*" >>"$commands"; "$@"; }

# --- 1. packages
missing=()
for pkg in wrk nginx libnginx-mod-http-lua lua-cjson; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if (( ${#missing[@]} )); then
  say "installing ${missing[*]}"
  sudo_cmd=()
  (( $(id -u) != 0 )) && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  # Debian starts the packaged nginx on port 80: the benchmarks start their own
  "${sudo_cmd[@]}" systemctl disable --now nginx >/dev/null 2>&1 || true
fi

# --- 2. build
# shellcheck source=.ci/jdk.sh
source "$ROOT/.ci/jdk.sh"
graft_select_jdk || exit 1
if (( $(graft_java_major "$JAVA_HOME/bin/java") >= 24 )); then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
JAR=$ROOT/bench/target-bench/benchmarks.jar
if [[ ${BENCH_NO_BUILD:-0} == 1 && -f $JAR ]]; then
  say "BENCH_NO_BUILD=1: using the existing $JAR"
else
  say "building benchmarks.jar with $JAVA_HOME"
  printf '%s\n' "mvn -B -q -Dgraft.buildDir=target-bench -Dmaven.test.skip=true -Pbench-jar -pl bench -am package" >>"$commands"
  if ! mvn -B -q -Dgraft.buildDir=target-bench -Dmaven.test.skip=true -Pbench-jar -pl bench -am package >"$OUT/build.log" 2>&1; then
    sed 's/\x1b\[[0-9;]*m//g' "$OUT/build.log" | grep -E '^\[ERROR\]' | head -20 >&2
    say "the build failed (full log: $OUT/build.log); nothing was measured"
    exit 1
  fi
fi
JAVA=$JAVA_HOME/bin/java

{
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "- CPU: $(nproc) cores, $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)"
  echo "- memory: $(free -g | awk '/^Mem:/ {print $2}') GiB; kernel $(uname -r)"
  echo "- JDK: $("$JAVA" -version 2>&1 | head -1)"
  echo "- nginx: $(nginx -v 2>&1 | sed 's/^nginx version: //'), lua-nginx-module $(dpkg-query -W -f='${Version}' libnginx-mod-http-lua 2>/dev/null)"
  echo "- wrk: $(dpkg-query -W -f='${Version}' wrk 2>/dev/null)"
  echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$OUT/machine.md"

# --- 3. JMH
if [[ ${BENCH_SKIP_JMH:-0} != 1 ]]; then
  if (( quick )); then
    jmh_opts=(-f 1 -wi 1 -w 1 -i 2 -r 1)
  else
    jmh_opts=(-f 1 -wi 2 -w 1 -i 3 -r 1)
  fi
  # Java ports and the host's adapter land module by module: benchmark the ones that exist
  "$JAVA" -cp "$JAR" dev.graft.bench.stage.JavaStages >"$OUT/java-stages.txt" 2>&1 || true
  mapfile -t java_ok < <(awk '$2 == "ok" {print $1}' "$OUT/java-stages.txt")
  benches=('stage\.LuaStageBench' 'stage\.ExchangeBuildBench' 'bridge\.BridgeBench\.')
  lua_params=()
  (( quick )) && lua_params=(-p module=normalize,waf,ratelimit,router)
  say "JMH: Lua stages, exchange build, bridge"
  run "$JAVA" -jar "$JAR" "${benches[@]}" "${jmh_opts[@]}" "${lua_params[@]}" -prof gc \
    -rf json -rff "$OUT/jmh-lua.json" >"$OUT/jmh-lua.log" 2>&1 || say "JMH (Lua) failed: see $OUT/jmh-lua.log"
  if (( ${#java_ok[@]} )); then
    list=$(IFS=,; echo "${java_ok[*]}")
    say "JMH: Java stages ($list)"
    run "$JAVA" -jar "$JAR" 'stage\.JavaStageBench' "${jmh_opts[@]}" -p "module=$list" -prof gc \
      -rf json -rff "$OUT/jmh-java.json" >"$OUT/jmh-java.log" 2>&1 || say "JMH (Java) failed: see $OUT/jmh-java.log"
  else
    say "JMH: no Java stage can run yet (see $OUT/java-stages.txt)"
  fi
  # one JSON array for the report
  "$JAVA" -cp "$JAR" dev.graft.bench.report.JmhMerge "$OUT/jmh.json" "$OUT/jmh-lua.json" "$OUT/jmh-java.json"
  "$JAVA" -cp "$JAR" dev.graft.bench.report.JmhReport "$OUT/jmh.json" "$OUT/jmh.md"
fi

# --- 4. load
if [[ ${BENCH_SKIP_LOAD:-0} != 1 ]]; then
  if (( quick )); then
    reps=${BENCH_REPS:-2}; seconds=${BENCH_SECONDS:-4}; warmup=${BENCH_WARMUP:-5}
  else
    reps=${BENCH_REPS:-3}; seconds=${BENCH_SECONDS:-6}; warmup=${BENCH_WARMUP:-10}
  fi
  say "load: $reps x ${seconds}s per configuration"
  run "$JAVA" -cp "$JAR" dev.graft.bench.load.LoadBench --out "$OUT" --jar "$JAR" --reps "$reps" \
    --seconds "$seconds" --warmup "$warmup" --connections "${BENCH_CONNECTIONS:-32}" \
    --configs "${BENCH_CONFIGS:-empty,lua,java,mix,nginx}" | tee "$OUT/load.log" >&2
fi

# --- 5. BENCHMARKS.md
echo "- load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/machine.md"
elapsed=$(( $(date -u +%s) - started ))
{
  echo "# Graft benchmarks"
  echo
  echo "Written by \`bench/run.sh$([[ $quick == 1 ]] && echo ' --quick')\` in $((elapsed / 60)) min $((elapsed % 60)) s. Every comparison"
  echo "is between configurations measured side by side in this run; absolute numbers move with the"
  echo "machine's load (see the load average below), ratios much less. Targets are reported against,"
  echo "never asserted. Raw results: \`${OUT#"$ROOT"/}\` (JMH JSON, load.json, logs)."
  echo
  echo "## Machine"
  echo
  cat "$OUT/machine.md"
  echo
  load_start=$(sed -n 's/^- load average at start: \([0-9.]*\).*/\1/p' "$OUT/machine.md")
  if awk -v l="${load_start:-0}" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
    echo "**The machine was busy** (load average ${load_start} on $(nproc) cores when the run started): other"
    echo "processes took CPU from every measurement, so absolute numbers are noisy and the spreads wide;"
    echo "compare the ratios, and re-run on an idle machine before drawing conclusions from small differences."
    echo
  fi
  [[ -f $OUT/jmh.md ]] && { cat "$OUT/jmh.md"; echo; }
  [[ -f $OUT/load.md ]] && { cat "$OUT/load.md"; echo; }
  # written by hand from profiles (JFR, JMH's gc profiler): why each missed target is missed
  [[ -f $ROOT/bench/PROFILES.md ]] && { cat "$ROOT/bench/PROFILES.md"; echo; }
  echo "## Commands"
  echo
  echo '```'
  cat "$commands"
  if [[ -f $OUT/load.json ]]; then
    echo "# started by the load harness:"
    "$JAVA" -cp "$JAR" dev.graft.bench.report.JsonLines "$OUT/load.json" commands
  fi
  echo '```'
} >"$ROOT/BENCHMARKS.md"
say "wrote BENCHMARKS.md ($((elapsed / 60)) min $((elapsed % 60)) s)"
