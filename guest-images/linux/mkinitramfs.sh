#!/usr/bin/env bash
# Packs one initramfs from what fetch.sh left in OUT/parts and the files next to this script:
#   /init                    ./init (both modes; the default mode is in /etc/aarvark-mode)
#   /bin/busybox             busybox-static:arm64, with a link per applet in /bin;
#                            /sbin, /usr/bin and /usr/sbin are links to /bin
#   /lib/modules/<release>/  the virtio modules, modules.dep for them, modules.load (load order)
#   /etc/aarvark-mode, /etc/hostname, /etc/passwd, /etc/group, /etc/udhcpc.script, /root
# Output: a gzip'd newc cpio, owned by root, with fixed timestamps (same inputs, same bytes).
#
# Usage: mkinitramfs.sh MODE OUT/initramfs-MODE.cpio.gz   (MODE: shell or smoke)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/../../scripts/lib.sh"

MODE="${1:?usage: mkinitramfs.sh shell|smoke OUTPUT}"
DEST="${2:?usage: mkinitramfs.sh shell|smoke OUTPUT}"
case "$MODE" in shell|smoke) ;; *) die "linux guest: unknown initramfs mode '$MODE' (shell or smoke)" ;; esac
PARTS="$(dirname "$DEST")/parts"
[ -f "$PARTS/.complete" ] || die "linux guest: $PARTS is incomplete; run fetch.sh first"

apt_install cpio gzip

ROOT="$(dirname "$DEST")/rootfs-$MODE"
rm -rf "$ROOT"
mkdir -p "$ROOT"/{bin,dev,etc,lib,proc,root,sys,tmp,run,usr}
ln -s bin "$ROOT/sbin"
ln -s ../bin "$ROOT/usr/bin"
ln -s ../bin "$ROOT/usr/sbin"

install -m 0755 "$PARTS/busybox" "$ROOT/bin/busybox"
while read -r applet; do
  [ "$applet" = busybox ] || ln -s busybox "$ROOT/bin/$applet"
done < "$PARTS/busybox.applets"

cp -a "$PARTS/lib/modules" "$ROOT/lib/"
install -m 0755 "$HERE/init" "$ROOT/init"
install -m 0755 "$HERE/udhcpc.script" "$ROOT/etc/udhcpc.script"
echo "$MODE" > "$ROOT/etc/aarvark-mode"
echo aarvark > "$ROOT/etc/hostname"
echo 'root:x:0:0:root:/root:/bin/sh' > "$ROOT/etc/passwd"
echo 'root:x:0:' > "$ROOT/etc/group"
chmod 1777 "$ROOT/tmp"

# Fixed timestamps and a sorted file list: the archive depends only on its contents.
find "$ROOT" -exec touch -h -d @0 {} +
( cd "$ROOT" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 --reproducible ) \
  | gzip -9 -n > "$DEST.tmp" || die "linux guest: packing $DEST failed (cpio | gzip)"
mv "$DEST.tmp" "$DEST"
rm -rf "$ROOT"
note "linux guest: $(basename "$DEST") ($(du -k "$DEST" | cut -f1) KiB, mode $MODE)"
