#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# usage: scripts/debug-kernel.sh ARCH OUT
#
# Build a sanitizer kernel for an x86_64 or arm64 QEMU lane: Debian's
# linux-source-6.12, configured as tinyconfig plus
# scripts/debug-kernel.config and scripts/debug-kernel-ARCH.config
# (KASAN, lockdep, kmemleak, fault injection and what the guest and
# mmfdev need).  The source is unpacked once into OUT/src, and each
# architecture builds out of tree in OUT/ARCH, which is also the KDIR
# that out-of-tree modules build against.
#
# A stamp (the source package's version and the fragments' sha256) keeps
# a second run with nothing changed from doing anything.
#
# The last three lines of stdout are KDIR=..., VMLINUZ=... and
# RELEASE=..., for the caller to eval.  Everything else goes to stderr;
# the build's own output goes to OUT/ARCH/build.log.
#
# MMFDEV_JOBS (default: the number of CPUs) is make's -j.
# shellcheck source-path=SCRIPTDIR source=common.sh disable=SC1091
. "$(dirname "$0")/common.sh"

arch=${1:?usage: debug-kernel.sh ARCH OUT}
out=${2:?usage: debug-kernel.sh ARCH OUT}
case $arch in
x86_64) karch=x86_64 cross='' image=arch/x86/boot/bzImage target=bzImage ;;
arm64)
	karch=arm64 cross=aarch64-linux-gnu-
	image=arch/arm64/boot/Image target=Image
	ensure_packages gcc-aarch64-linux-gnu
	;;
*) die "debug-kernel.sh: no sanitizer kernel for '$arch' (x86_64, arm64)" ;;
esac
mkdir -p "$out"
out=$(cd "$out" && pwd)
# make check builds these kernels in the background, and a lane that
# needs one waits here for its build, then finds it up to date.  One lock
# per architecture; the source both build from has a lock of its own,
# held shared while a build reads it and exclusive while it is unpacked.
exec 9> "$out/$arch.lock"
if ! flock -n 9; then
	log "waiting for the $arch debug kernel build already running in $out"
	flock 9
fi
src=$out/src
obj=$out/$arch
fragments=("$TOP/scripts/debug-kernel.config"
	"$TOP/scripts/debug-kernel-$arch.config")
jobs=${MMFDEV_JOBS:-$(nproc)}
kmake=(make -C "$src" O="$obj" ARCH="$karch" CROSS_COMPILE="$cross")

report() {
	log "debug kernel $(cat "$obj/include/config/kernel.release") in $obj"
	log "build log: $obj/build.log"
	printf 'KDIR=%q\n' "$obj"
	printf 'VMLINUZ=%q\n' "$obj/$image"
	printf 'RELEASE=%q\n' "$(cat "$obj/include/config/kernel.release")"
}

# Every assignment of the fragments must survive olddefconfig: an option
# whose dependencies are missing is dropped without a word.
check_config() {
	local line sym bad=0

	while IFS= read -r line; do
		case $line in
		CONFIG_*=*)
			grep -qxF -- "$line" "$obj/.config" && continue
			sym=${line%%=*}
			;;
		"# CONFIG_"*" is not set")
			sym=${line#"# "}
			sym=${sym%" is not set"}
			grep -q "^$sym=" "$obj/.config" || continue
			;;
		*) continue ;;
		esac
		printf 'dropped: %s (now: %s)\n' "$line" \
			"$(grep -E "^(# )?${sym}[= ]" "$obj/.config" || echo absent)" >&2
		bad=1
	done < <(cat "${fragments[@]}")
	[ "$bad" = 0 ] || die "the .config lost options of the debug-kernel fragments"
}

ensure_packages make gcc libc6-dev bc bison flex libelf-dev libssl-dev \
	openssl xz-utils cpio kmod perl python3
lane_apt_update_once
version=$(candidate_version linux-source-6.12)
case $version in
""|"(none)") die "apt has no candidate for linux-source-6.12" ;;
esac
stamp="linux-source-6.12 $version $(cat "${fragments[@]}" | sha256sum | cut -d' ' -f1)"

if [ "$(cat "$obj/stamp" 2>/dev/null)" = "$stamp" ] &&
	[ -f "$obj/$image" ]; then
	log "$arch debug kernel up to date ($stamp)"
	report
	exit 0
fi
rm -f "$obj/stamp"

# The whole source, once per version of the package, and clean: each
# architecture builds out of it (O=), which needs a tree with no .config.
src_current() {
	[ "$(cat "$out/src.version" 2>/dev/null)" = "$version" ] &&
		[ -f "$src/Makefile" ] && [ ! -e "$src/.config" ]
}
exec 8> "$out/src.lock"
flock -s 8
if ! src_current; then
	# Waits for the other architecture's build to finish with it.
	flock -x 8
fi
if ! src_current; then
	deb=$(fetch_deb linux-source-6.12)
	log "extracting $(basename "$deb") into $src"
	rm -rf "$src" "$src.tmp" "$out/src.version" "$out"/*/stamp
	mkdir -p "$src.tmp"
	dpkg-deb --fsys-tarfile "$deb" |
		tar -xO ./usr/src/linux-source-6.12.tar.xz |
		xz -dc -T0 |
		tar -x -C "$src.tmp" --strip-components=1
	mv "$src.tmp" "$src"
	echo "$version" > "$out/src.version"
fi
flock -s 8

mkdir -p "$obj"
log "configuring $arch: tinyconfig + debug-kernel.config + debug-kernel-$arch.config"
{
	"${kmake[@]}" tinyconfig &&
	ARCH=$karch "$src/scripts/kconfig/merge_config.sh" -m -O "$obj" \
		"$obj/.config" "${fragments[@]}" &&
	"${kmake[@]}" olddefconfig
} > "$obj/config.log" 2>&1 || {
	cat "$obj/config.log" >&2
	die "configuring the $arch debug kernel failed"
}
check_config

log "building $target and modules (make -j$jobs, log in $obj/build.log)"
if ! "${kmake[@]}" -j"$jobs" "$target" modules > "$obj/build.log" 2>&1; then
	tail -n 60 "$obj/build.log" >&2
	die "the $arch debug kernel does not build"
fi
[ -f "$obj/Module.symvers" ] || die "no Module.symvers in $obj"
echo "$stamp" > "$obj/stamp"
report
