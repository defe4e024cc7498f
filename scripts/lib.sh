# Shared shell helpers for aarvark's scripts. Source it; do not run it.
# shellcheck shell=bash

AARVARK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
AARVARK_CACHE="${AARVARK_ROOT}/.cache"

die() { echo "aarvark: $*" >&2; exit 3; }
note() { echo "aarvark: $*" >&2; }

# java_major JAVA_BIN -> prints the feature version (17, 22, 25...) or nothing.
java_major() {
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n1
}

# find_jdk: prints a JAVA_HOME with a JDK >= 22 (javac included), or fails with a clear message.
# Order: $AARVARK_JAVA_HOME, $JAVA_HOME, every JDK under /usr/lib/jvm (newest first), java on PATH.
find_jdk() {
  local candidates=() c home
  [ -n "${AARVARK_JAVA_HOME:-}" ] && candidates+=("$AARVARK_JAVA_HOME")
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if [ -d /usr/lib/jvm ]; then
    while IFS= read -r c; do candidates+=("$c"); done < <(ls -d /usr/lib/jvm/*/ 2>/dev/null | sed 's:/$::' | sort -rV)
  fi
  if command -v javac >/dev/null 2>&1; then
    home="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
    candidates+=("$home")
  fi
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    local major; major="$(java_major "$c/bin/java")"
    if [ -n "$major" ] && [ "$major" -ge 22 ]; then echo "$c"; return 0; fi
  done
  echo "aarvark: no JDK 22 or newer found (looked at \$AARVARK_JAVA_HOME, \$JAVA_HOME, /usr/lib/jvm/*, javac on PATH); aarvark needs the FFM API of JDK >= 22 - install one (e.g. Temurin 25) and set JAVA_HOME" >&2
  return 1
}

# apt_install PKG...: installs the Debian packages that are not installed yet (one apt-get update first).
apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  note "installing Debian packages: ${missing[*]}"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null \
    || die "apt-get update failed; cannot install ${missing[*]}"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed"
}
