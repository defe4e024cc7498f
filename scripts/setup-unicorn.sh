#!/usr/bin/env bash
# Fetches the pinned libunicorn 2.1.1 build from Debian trixie with a private apt configuration
# (its own sources list and state inside .cache/unicorn; the host's apt stays untouched), checks
# the .deb's SHA-256, and extracts libunicorn.so.2 into .cache/unicorn/lib.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

PKG=libunicorn2t64
VERSION=2.1.1-2+b2
ARCH="$(dpkg --print-architecture)"
case "$ARCH" in
  amd64) DEB_SHA256=3f760a28c65a93662edbcb21fceb2e0a1c0ab0e8277564fc572e6532949e3e3f ;;
  *) die "libunicorn: no pinned $PKG $VERSION build for host architecture '$ARCH' (only amd64 is pinned); set AARVARK_UNICORN_LIB to a libunicorn >= 2.1 build" ;;
esac
MULTIARCH="$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)"

DIR="$AARVARK_CACHE/unicorn"
LIB="$DIR/lib/libunicorn.so.2"
[ -f "$LIB" ] && [ -f "$DIR/lib/.deb-sha256" ] && [ "$(cat "$DIR/lib/.deb-sha256")" = "$DEB_SHA256" ] && exit 0

command -v dpkg-deb >/dev/null || die "libunicorn: dpkg-deb is missing (a Debian host is needed)"
apt_install debian-archive-keyring ca-certificates

APT="$DIR/apt"
rm -rf "$APT"
mkdir -p "$APT/lists/partial" "$APT/archives/partial" "$APT/etc/preferences.d" "$APT/etc/apt.conf.d" "$APT/dl"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" > "$APT/etc/sources.list"
OPTS=(-o "Dir::Etc::sourcelist=$APT/etc/sources.list" -o "Dir::Etc::sourceparts=-"
      -o "Dir::Etc::preferencesparts=$APT/etc/preferences.d" -o "Dir::Etc::parts=$APT/etc/apt.conf.d"
      -o "Dir::State=$APT" -o "Dir::State::status=/dev/null" -o "Dir::Cache=$APT"
      -o "APT::Architectures::=$ARCH" -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root")
note "libunicorn: fetching $PKG=$VERSION from Debian trixie (private apt configuration in $APT)"
apt-get "${OPTS[@]}" -qq update >/dev/null || die "libunicorn: apt-get update of the private trixie source failed"
( cd "$APT/dl" && apt-get "${OPTS[@]}" -qq download "$PKG=$VERSION" >/dev/null ) \
  || die "libunicorn: apt-get download $PKG=$VERSION failed"
DEB="$(ls "$APT"/dl/${PKG}_*.deb | head -n1)"
GOT="$(sha256sum "$DEB" | cut -d' ' -f1)"
[ "$GOT" = "$DEB_SHA256" ] || die "libunicorn: $DEB has SHA-256 $GOT, expected the pinned $DEB_SHA256; refusing it"
rm -rf "$DIR/x" && dpkg -x "$DEB" "$DIR/x"
mkdir -p "$DIR/lib"
cp "$DIR/x/usr/lib/$MULTIARCH/libunicorn.so.2" "$LIB"
echo "$DEB_SHA256" > "$DIR/lib/.deb-sha256"
rm -rf "$DIR/x" "$APT"
note "libunicorn: installed $LIB"
