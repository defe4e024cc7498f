#!/usr/bin/env bash
# Fetches the Debian bookworm arm64 packages the Linux guest is made of and extracts what the
# images need into OUT (an absolute path):
#   OUT/Image                    the kernel (linux-image-<abi>-arm64-unsigned: /boot/vmlinuz, a plain Image)
#   OUT/config-<release>         that kernel's config, for reference
#   OUT/VERSION                  exact package names and versions, kernel release, module load order
#   OUT/parts/busybox            busybox-static:arm64, and parts/busybox.applets (its applet names)
#   OUT/parts/lib/modules/<release>/...   only the modules the initramfs loads (+ their modules.dep
#                                lines), and modules.load: the load order, dependencies first
#   OUT/parts/.complete          stamp: everything above is in place
#
# The packages come from deb.debian.org through apt with a private configuration: its own
# sources list, state and cache under OUT/apt, architecture arm64, an empty dpkg status. The
# host's apt sources and dpkg state are never touched (no `dpkg --add-architecture arm64`).
# apt checks the Release signatures (debian-archive-keyring) and every file's hash.
#
# Usage: fetch.sh OUT [MODULE...]   (default modules: virtio_mmio virtio_console virtio_net)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/../../scripts/lib.sh"

OUT="${1:?usage: fetch.sh OUT [MODULE...]}"; shift
[ "${OUT#/}" != "$OUT" ] || die "linux guest: OUT must be an absolute path (got '$OUT')"
WANT=("$@"); [ ${#WANT[@]} -gt 0 ] || WANT=(virtio_mmio virtio_console virtio_net)
SUITE=bookworm
META=linux-image-arm64          # the metapackage that always points at the current kernel ABI
BUSYBOX=busybox-static

apt_install debian-archive-keyring kmod   # kmod: depmod, to compute modules.dep
command -v dpkg-deb >/dev/null || die "linux guest: dpkg-deb is missing (a Debian host is needed)"

# --- private apt configuration -----------------------------------------------------------------
APT="$OUT/apt"
rm -rf "$APT"
trap 'rm -rf "$APT" "$OUT/Image.tmp"' EXIT   # the extracted packages take ~350 MB: never leave them
mkdir -p "$APT/lists/partial" "$APT/archives/partial" "$APT/etc/preferences.d" "$APT/etc/apt.conf.d" "$APT/dl"
KEY=/usr/share/keyrings/debian-archive-keyring.gpg
cat > "$APT/etc/sources.list" <<EOF
deb [arch=arm64 signed-by=$KEY] http://deb.debian.org/debian $SUITE main
deb [arch=arm64 signed-by=$KEY] http://deb.debian.org/debian $SUITE-updates main
deb [arch=arm64 signed-by=$KEY] http://deb.debian.org/debian-security $SUITE-security main
EOF
OPTS=(-o "Dir::Etc::sourcelist=$APT/etc/sources.list" -o "Dir::Etc::sourceparts=-"
      -o "Dir::Etc::preferences=$APT/etc/preferences" -o "Dir::Etc::preferencesparts=$APT/etc/preferences.d"
      -o "Dir::Etc::parts=$APT/etc/apt.conf.d"
      -o "Dir::State=$APT" -o "Dir::State::status=/dev/null" -o "Dir::Cache=$APT"
      -o "APT::Architecture=arm64" -o "APT::Architectures::=arm64" -o "Acquire::Languages=none"
      -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root")
field() { # field PACKAGE NAME -> the candidate version's control field NAME
  apt-cache "${OPTS[@]}" show --no-all-versions "$1" 2>/dev/null | sed -n "s/^$2: //p"
}

note "linux guest: reading Debian $SUITE arm64 package lists (private apt configuration in $APT)"
apt-get "${OPTS[@]}" -qq update >/dev/null || die "linux guest: apt-get update of the private $SUITE arm64 sources failed"

# --- resolve the kernel: metapackage -> linux-image-<abi>-arm64 -> its -unsigned twin --------------
# The metapackage depends on the signed package, whose vmlinuz carries an appended PE signature;
# the -unsigned package (same source version) holds the same kernel as a plain Image.
DEP="$(field "$META" Depends)"
SIGNED="$(echo "$DEP" | tr ',' '\n' | sed -n 's/^ *\(linux-image-[0-9][^ ]*-arm64\) (= \(.*\))$/\1/p' | head -n1)"
KVERSION="$(echo "$DEP" | tr ',' '\n' | sed -n 's/^ *linux-image-[0-9][^ ]*-arm64 (= \(.*\))$/\1/p' | head -n1)"
[ -n "$SIGNED" ] && [ -n "$KVERSION" ] || die "linux guest: cannot resolve $META (Depends: '$DEP') to a linux-image-<abi>-arm64 package"
KPKG="$SIGNED-unsigned"
[ "$(field "$KPKG" Version)" = "$KVERSION" ] \
  || die "linux guest: $KPKG=$KVERSION (the plain-Image twin of $SIGNED) is not in the archive"
BBVERSION="$(field "$BUSYBOX" Version)"
[ -n "$BBVERSION" ] || die "linux guest: $BUSYBOX:arm64 is not in the archive"

note "linux guest: downloading $KPKG=$KVERSION and $BUSYBOX=$BBVERSION"
( cd "$APT/dl" && apt-get "${OPTS[@]}" -qq download "$KPKG=$KVERSION" "$BUSYBOX=$BBVERSION" >/dev/null ) \
  || die "linux guest: apt-get download $KPKG=$KVERSION $BUSYBOX=$BBVERSION failed"
KDEB="$(ls "$APT"/dl/"${KPKG}"_*.deb)"
BDEB="$(ls "$APT"/dl/"${BUSYBOX}"_*.deb)"
X="$APT/x"
dpkg -x "$KDEB" "$X" || die "linux guest: dpkg -x $KDEB failed"
dpkg -x "$BDEB" "$X" || die "linux guest: dpkg -x $BDEB failed"

# --- kernel Image --------------------------------------------------------------------------------
KREL="${SIGNED#linux-image-}"                      # e.g. 6.1.0-56-arm64 (= uname -r)
VMLINUZ="$X/boot/vmlinuz-$KREL"
MODDIR="$X/lib/modules/$KREL"
[ -f "$VMLINUZ" ] && [ -d "$MODDIR" ] || die "linux guest: $KPKG has no boot/vmlinuz-$KREL or lib/modules/$KREL"
IMAGE_TMP="$OUT/Image.tmp"
if [ "$(head -c 2 "$VMLINUZ" | od -An -tx1 | tr -d ' ')" = 1f8b ]; then
  gzip -dc "$VMLINUZ" > "$IMAGE_TMP"              # not the case for bookworm, but cheap to allow
else
  cp "$VMLINUZ" "$IMAGE_TMP"
fi
# arm64 boot protocol (Documentation/arm64/booting.rst): the 64-byte header has magic "ARM\x64" at 56.
[ "$(dd if="$IMAGE_TMP" bs=1 skip=56 count=4 2>/dev/null)" = "$(printf 'ARM\144')" ] \
  || die "linux guest: $VMLINUZ from $KPKG is not an arm64 Image (no 'ARM\\x64' magic at offset 56)"
cp "$X/boot/config-$KREL" "$OUT/config-$KREL"

# --- modules: modules.dep (the package ships none: depmod runs in its postinst) -> load order ------
depmod -b "$X" "$KREL" || die "linux guest: depmod -b $X $KREL failed"
declare -A DEPS=() SEEN=()
while IFS=: read -r mod deps; do DEPS["$mod"]="$deps"; done < "$MODDIR/modules.dep"
ORDER=()
visit() { # depth first: a module's dependencies before the module itself
  local m="$1" d
  [ -n "${SEEN[$m]:-}" ] && return 0
  SEEN["$m"]=1
  for d in ${DEPS[$m]}; do visit "$d"; done
  ORDER+=("$m")
}
for name in "${WANT[@]}"; do
  pat="/${name//[-_]/[-_]}\\.ko"                  # modprobe treats - and _ alike
  path="$(printf '%s\n' "${!DEPS[@]}" | grep -m1 -E "$pat\$" || true)"
  if [ -z "$path" ]; then
    grep -qE "$pat\$" "$MODDIR/modules.builtin" && { note "linux guest: $name is built into $KREL; nothing to load"; continue; }
    die "linux guest: module $name is neither in $KPKG's modules.dep nor built in"
  fi
  visit "$path"
done

rm -rf "$OUT/parts"
PMOD="$OUT/parts/lib/modules/$KREL"
mkdir -p "$PMOD"
: > "$PMOD/modules.dep"
for m in "${ORDER[@]}"; do
  mkdir -p "$PMOD/$(dirname "$m")"
  cp "$MODDIR/$m" "$PMOD/$m"
  echo "$m:${DEPS[$m]}" >> "$PMOD/modules.dep"
done
printf '%s\n' "${ORDER[@]}" > "$PMOD/modules.load"

# --- busybox and its applet names ----------------------------------------------------------------
# busybox is an arm64 binary, so `busybox --list` cannot run here. Its applet names are stored as
# one sorted table of NUL-terminated strings that starts with "[" "[[" and ends with an empty
# string; read that table and check it looks right.
cp "$X/bin/busybox" "$OUT/parts/busybox"
off="$(LC_ALL=C grep -m1 -obUaP '\x00\[\x00\[\[\x00' "$X/bin/busybox" | cut -d: -f1)"
[ -n "$off" ] || die "linux guest: cannot find the applet table in $BUSYBOX's busybox"
dd if="$X/bin/busybox" iflag=skip_bytes skip="$((off + 1))" bs=65536 count=1 2>/dev/null \
  | tr '\0' '\n' | awk 'NF == 0 { end = 1 } !end { print }' \
  > "$OUT/parts/busybox.applets"
n="$(wc -l < "$OUT/parts/busybox.applets")"
LC_ALL=C sort -c "$OUT/parts/busybox.applets" 2>/dev/null && [ "$n" -gt 100 ] \
  || die "linux guest: the applet table read from $BUSYBOX's busybox is not a sorted list of applets ($n names)"
for a in sh mount insmod modprobe setsid cttyhack poweroff hostname dmesg grep uname; do
  grep -qx "$a" "$OUT/parts/busybox.applets" || die "linux guest: $BUSYBOX's busybox has no '$a' applet"
done

# --- record versions, publish, clean up ----------------------------------------------------------
cat > "$OUT/VERSION" <<EOF
# Debian $SUITE arm64 packages of this guest (written by guest-images/linux/fetch.sh)
kernel_metapackage=$META
kernel_package=$KPKG
kernel_version=$KVERSION
kernel_release=$KREL
kernel_deb_sha256=$(sha256sum "$KDEB" | cut -d' ' -f1)
busybox_package=$BUSYBOX
busybox_version=$BBVERSION
busybox_deb_sha256=$(sha256sum "$BDEB" | cut -d' ' -f1)
busybox_applets=$n
modules_load_order=$(for m in "${ORDER[@]}"; do basename "$m" .ko; done | tr '\n' ' ' | sed 's/ $//')
EOF
mv "$IMAGE_TMP" "$OUT/Image"
touch "$OUT/parts/.complete"
note "linux guest: $KPKG $KVERSION ($KREL), $BUSYBOX $BBVERSION; modules: $(sed -n 's/^modules_load_order=//p' "$OUT/VERSION")"
