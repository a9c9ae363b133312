# Sourced by ./ptlab and ./run-tests: picks the JDK (JAVA_HOME if it is >= 17, else the newest JDK >= 17 under
# /usr/lib/jvm, else the java on PATH) and exports JAVA_HOME and PTLAB_JAVA for it.
ptlab_java_major() { # prints the major version of the java binary $1
  "$1" -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit}'
}
ptlab_pick_jdk() {
  local best="" best_major=0 cand major
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(ptlab_java_major "$JAVA_HOME/bin/java")
    if [ "${major:-0}" -ge 17 ]; then PTLAB_JAVA="$JAVA_HOME/bin/java"; export JAVA_HOME PTLAB_JAVA; return 0; fi
  fi
  for cand in /usr/lib/jvm/*/; do
    [ -x "${cand}bin/javac" ] || continue
    [ -L "${cand%/}" ] && continue
    major=$(ptlab_java_major "${cand}bin/java")
    if [ "${major:-0}" -ge 17 ] && [ "${major:-0}" -gt "$best_major" ]; then best="${cand%/}"; best_major=$major; fi
  done
  if [ -z "$best" ] && command -v javac >/dev/null 2>&1; then
    best=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    major=$(ptlab_java_major "$best/bin/java")
    [ "${major:-0}" -ge 17 ] || best=""
  fi
  if [ -z "$best" ]; then
    echo "ptlab: no JDK >= 17 found (set JAVA_HOME, or apt-get install openjdk-17-jdk-headless)" >&2
    return 1
  fi
  JAVA_HOME="$best"; PTLAB_JAVA="$best/bin/java"; export JAVA_HOME PTLAB_JAVA
}
