#!/usr/bin/env bash
# Runs Maven with a JDK >= 22 (found by scripts/lib.sh), quietly, from the repository root.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
JAVA_HOME="$(find_jdk)" || exit 3
export JAVA_HOME
# Maven's own Guava uses sun.misc.Unsafe; JDK >= 23 warns about it on every run. Allow it quietly.
if [ "$(java_major "$JAVA_HOME/bin/java")" -ge 23 ]; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
cd "$AARVARK_ROOT"
# Maven 3.8 prints stray ANSI reset codes in quiet mode even with colours off; strip them.
mvn -B -q -Dstyle.color=never "$@" 2>&1 | sed -u 's/\x1b\[[0-9;]*m//g'
exit "${PIPESTATUS[0]}"
