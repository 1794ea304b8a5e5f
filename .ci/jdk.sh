# Finds a JDK 21 or newer. Sourced by ./graft and .ci/run (bash).
#
#   graft_select_jdk   sets and exports JAVA_HOME (and puts its bin first on PATH), or prints
#                      one line saying what it found and returns 1.
# Order: $JAVA_HOME if it is a JDK >= 21, else `java` on PATH if it is, else the newest JDK
# >= 21 under /usr/lib/jvm (GRAFT_JVM_DIR overrides it, for tests).

# The major version of a java binary ("17", "21", "25"), or nothing if it does not run.
graft_java_major() {
  local line ver
  line=$("$1" -version 2>&1 | head -n 1) || return 0
  ver=$(printf '%s\n' "$line" | sed -n 's/.*version "\([^"]*\)".*/\1/p')
  ver=${ver#1.}
  printf '%s\n' "${ver%%[.+-]*}"
}

# A JDK home is usable when it has java and javac and java is version 21 or newer.
graft_jdk_ok() {
  local home=$1 major
  [[ -x $home/bin/java && -x $home/bin/javac ]] || return 1
  major=$(graft_java_major "$home/bin/java")
  [[ $major =~ ^[0-9]+$ ]] && (( major >= 21 ))
}

graft_select_jdk() {
  local found="" home java major best="" best_major=0 dir
  if [[ -n ${JAVA_HOME:-} ]]; then
    if graft_jdk_ok "$JAVA_HOME"; then
      best=$JAVA_HOME
    elif [[ -x $JAVA_HOME/bin/java ]]; then
      found="$(graft_java_major "$JAVA_HOME/bin/java") at $JAVA_HOME/bin/java"
    fi
  fi
  if [[ -z $best ]] && java=$(command -v java 2>/dev/null); then
    home=$(dirname "$(dirname "$(readlink -f "$java")")")
    if graft_jdk_ok "$home"; then
      best=$home
    elif [[ -z $found ]]; then
      found="$(graft_java_major "$java") at $java"
    fi
  fi
  if [[ -z $best ]]; then
    for dir in "${GRAFT_JVM_DIR:-/usr/lib/jvm}"/*/; do
      dir=${dir%/}
      [[ -L $dir ]] && continue
      graft_jdk_ok "$dir" || continue
      major=$(graft_java_major "$dir/bin/java")
      if (( major > best_major )); then
        best=$dir
        best_major=$major
      fi
    done
  fi
  if [[ -z $best ]]; then
    echo "graft: needs a JDK 21 or newer (found ${found:-none}); install openjdk-21-jdk or set JAVA_HOME" >&2
    return 1
  fi
  export JAVA_HOME=$best
  export PATH="$JAVA_HOME/bin:$PATH"
}
