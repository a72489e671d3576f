#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Extract the kselftest harness, checkpatch.pl and kernel-doc from Debian's
# linux-source-6.12 package into build/ksft.  Nothing of the kernel's
# source is ever committed; this runs at build time.
. "$(dirname "$0")/common.sh"

dest=$BUILD_ROOT/ksft
[ -f "$dest/tools/testing/selftests/kselftest_harness.h" ] &&
	[ -f "$dest/scripts/checkpatch.pl" ] &&
	[ -f "$dest/scripts/kernel-doc" ] && exit 0

ensure_packages xz-utils
deb=$(fetch_deb linux-source-6.12)
log "extracting the kselftest harness, checkpatch.pl and kernel-doc" \
	"from $(basename "$deb")"
tmp=$dest.tmp
rm -rf "$tmp"
mkdir -p "$tmp"
dpkg-deb --fsys-tarfile "$deb" |
	tar -xO ./usr/src/linux-source-6.12.tar.xz |
	xz -dc -T0 |
	tar -x -C "$tmp" --strip-components=1 \
		linux-source-6.12/tools/testing/selftests/kselftest_harness.h \
		linux-source-6.12/tools/testing/selftests/kselftest.h \
		linux-source-6.12/scripts/checkpatch.pl \
		linux-source-6.12/scripts/spelling.txt \
		linux-source-6.12/scripts/const_structs.checkpatch \
		linux-source-6.12/scripts/kernel-doc
rm -rf "$dest"
mv "$tmp" "$dest"
