#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# usage: scripts/debug-kernel.sh OUT
#
# Build a sanitizer kernel for an x86_64 QEMU lane: Debian's
# linux-source-6.12, configured as tinyconfig plus
# scripts/debug-kernel.config (KASAN, lockdep, kmemleak, fault injection
# and what the guest and mmfdev need), built in OUT/src.  That tree is
# also the KDIR that out-of-tree modules build against.
#
# A stamp (the source package's version and the fragment's sha256) keeps
# a second run with nothing changed from doing anything.
#
# The last three lines of stdout are KDIR=..., VMLINUZ=... and
# RELEASE=..., for the caller to eval.  Everything else goes to stderr;
# the build's own output goes to OUT/build.log.
#
# MMFDEV_JOBS (default: the number of CPUs) is make's -j.
# shellcheck source-path=SCRIPTDIR source=common.sh disable=SC1091
. "$(dirname "$0")/common.sh"

out=${1:?usage: debug-kernel.sh OUT}
mkdir -p "$out"
out=$(cd "$out" && pwd)
src=$out/src
fragment=$TOP/scripts/debug-kernel.config
jobs=${MMFDEV_JOBS:-$(nproc)}
kmake=(make -C "$src" ARCH=x86_64)

report() {
	log "debug kernel $(cat "$src/include/config/kernel.release") in $src"
	log "build log: $out/build.log"
	printf 'KDIR=%q\n' "$src"
	printf 'VMLINUZ=%q\n' "$src/arch/x86/boot/bzImage"
	printf 'RELEASE=%q\n' "$(cat "$src/include/config/kernel.release")"
}

# Every assignment of the fragment must survive olddefconfig: an option
# whose dependencies are missing is dropped without a word.
check_config() {
	local line sym bad=0

	while IFS= read -r line; do
		case $line in
		CONFIG_*=*)
			grep -qxF -- "$line" "$src/.config" && continue
			sym=${line%%=*}
			;;
		"# CONFIG_"*" is not set")
			sym=${line#"# "}
			sym=${sym%" is not set"}
			grep -q "^$sym=" "$src/.config" || continue
			;;
		*) continue ;;
		esac
		printf 'dropped: %s (now: %s)\n' "$line" \
			"$(grep -E "^(# )?${sym}[= ]" "$src/.config" || echo absent)" >&2
		bad=1
	done < "$fragment"
	[ "$bad" = 0 ] || die "the .config lost options of $(basename "$fragment")"
}

ensure_packages make gcc libc6-dev bc bison flex libelf-dev libssl-dev \
	xz-utils cpio kmod perl python3
lane_apt_update_once
version=$(candidate_version linux-source-6.12)
case $version in
""|"(none)") die "apt has no candidate for linux-source-6.12" ;;
esac
stamp="linux-source-6.12 $version $(sha256sum < "$fragment" | cut -d' ' -f1)"

if [ "$(cat "$out/stamp" 2>/dev/null)" = "$stamp" ] &&
	[ -f "$src/arch/x86/boot/bzImage" ]; then
	log "debug kernel up to date ($stamp)"
	report
	exit 0
fi
rm -f "$out/stamp"

# The whole source, once per version of the package.
if [ "$(cat "$out/src.version" 2>/dev/null)" != "$version" ] ||
	[ ! -f "$src/Makefile" ]; then
	deb=$(fetch_deb linux-source-6.12)
	log "extracting $(basename "$deb") into $src"
	rm -rf "$src" "$src.tmp" "$out/src.version"
	mkdir -p "$src.tmp"
	dpkg-deb --fsys-tarfile "$deb" |
		tar -xO ./usr/src/linux-source-6.12.tar.xz |
		xz -dc -T0 |
		tar -x -C "$src.tmp" --strip-components=1
	mv "$src.tmp" "$src"
	echo "$version" > "$out/src.version"
fi

log "configuring: tinyconfig + $(basename "$fragment")"
{
	"${kmake[@]}" tinyconfig &&
	(cd "$src" && ARCH=x86_64 scripts/kconfig/merge_config.sh -m \
		.config "$fragment") &&
	"${kmake[@]}" olddefconfig
} > "$out/config.log" 2>&1 || {
	cat "$out/config.log" >&2
	die "configuring the debug kernel failed"
}
check_config

log "building bzImage and modules (make -j$jobs, log in $out/build.log)"
if ! "${kmake[@]}" -j"$jobs" bzImage modules > "$out/build.log" 2>&1; then
	tail -n 60 "$out/build.log" >&2
	die "the debug kernel does not build"
fi
[ -f "$src/Module.symvers" ] || die "no Module.symvers in $src"
echo "$stamp" > "$out/stamp"
report
