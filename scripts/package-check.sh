#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The Debian packages, as TAP on stdout ("ok - packages: ..."): build them
# with dpkg-buildpackage from a copy of the tree (build/pkg/src, so that
# the .debs land in build/pkg/debs), run lintian, then install them with
# apt-get in a clean Debian 12 root and use them there: dkms has built
# the module for that root's kernel headers, the group and the udev rule
# are there, a program finds the library through pkg-config, and purging
# the packages takes it all away again; then make dkms-install and
# dkms-remove, from the same tree.
#
# The clean root is an overlay on build/roots/bookworm (made once by
# ensure_build_root, with dkms and kernel headers), thrown away after.
. "$(dirname "$0")/common.sh"

pkg=$BUILD_ROOT/pkg
debs=$pkg/debs
version=$(sed -n 's/^VERSION[[:space:]]*:= *//p' "$TOP/Makefile")

failed=0
tap() { # tap RESULT DESCRIPTION
	if [ "$1" = 0 ]; then echo "ok - packages: $2"; else
		echo "not ok - packages: $2"; failed=1; fi
}
skip() { echo "ok - packages: $1 # SKIP $2"; }
run() { # run DESCRIPTION COMMAND...: ok when COMMAND succeeds
	local what=$1 out
	shift
	if out=$("$@" 2>&1); then tap 0 "$what"; else
		tap 1 "$what"
		printf '%s\n' "$out" | tail -n 20 | sed 's/^/#   /'
	fi
}

echo "TAP version 13"
start=$SECONDS
ensure_packages dpkg-dev debhelper dh-dkms lintian mmdebstrap libkmod-dev \
	pkg-config
# mmfdev-tools once the tree has mmfctl and its man page; until then, the
# build profile pkg.mmfdev.notools leaves the package out.
profile=-Ppkg.mmfdev.notools
if [ -f "$TOP/tools/mmfctl/mmfctl.c" ] && [ -f "$TOP/doc/mmfctl.1.scd" ]; then
	profile=
	ensure_packages scdoc
fi

changelog_version() {
	local v
	v=$(cd "$TOP" && dpkg-parsechangelog -SVersion)
	[ "$v" = "$version" ] ||
		{ echo "debian/changelog has $v, the Makefile $version"; return 1; }
}
run "debian/changelog's version is the Makefile's ($version)" changelog_version

build_debs() {
	rm -rf "$pkg"
	mkdir -p "$pkg/src" "$debs"
	# The tree as it is now, committed or not, without build/.
	(cd "$TOP" && git ls-files -z --cached --others --exclude-standard |
		xargs -0 cp --parents -t "$pkg/src")
	(cd "$pkg/src" && dpkg-buildpackage -us -uc -b $profile) \
		> "$pkg/build.log" 2>&1 || { tail -n 30 "$pkg/build.log"; return 1; }
	mv "$pkg"/*.deb "$pkg"/*.changes "$pkg"/*.buildinfo "$debs/"
}
t=$SECONDS
run "dpkg-buildpackage -b builds them${profile:+ (without mmfdev-tools: no mmfctl or no man page yet)}" \
	build_debs
echo "# dpkg-buildpackage: $((SECONDS - t)) s"
if ! ls "$debs"/mmfdev-dkms_*.deb >/dev/null 2>&1; then
	echo "# no packages: nothing more to test"
	exit 1
fi

expected() { # every package of debian/control that this build makes
	local p want=(mmfdev-dkms libmmfdev1 libmmfdev-dev)
	[ -n "$profile" ] || want+=(mmfdev-tools)
	for p in "${want[@]}"; do
		ls "$debs/${p}_${version}_"*.deb >/dev/null || return 1
	done
}
names="mmfdev-dkms, libmmfdev1, libmmfdev-dev"
[ -n "$profile" ] || names+=", mmfdev-tools"
run "$names are built" expected

# lintian, as Debian's archive would run it, with every level shown.
# A tag fails unless debian/*.lintian-overrides overrides it, with a
# comment there that says why.
lint() {
	lintian --pedantic -I --fail-on error,warning,info,pedantic \
		"$debs"/mmfdev_*.changes
}
t=$SECONDS
run "lintian shows no tag that is not overridden" lint
echo "# lintian: $((SECONDS - t)) s"

# The clean root: an overlay on the cached bookworm root.
ensure_build_root bookworm
base=$LANE_ROOT
lane_apt_update_once
o=$pkg/overlay
mkdir -p "$o/upper" "$o/work" "$o/root"
cat > "$debs/in-root.sh" <<'EOF'
#!/bin/bash
# Runs inside the overlay root; TAP on stdout.
version=$1
failed=0
tap() {
	if [ "$1" = 0 ]; then echo "ok - packages: $2"; else
		echo "not ok - packages: $2"; failed=1; fi
}
run() {
	local what=$1 out
	shift
	if out=$("$@" 2>&1); then tap 0 "$what"; else
		tap 1 "$what"
		printf '%s\n' "$out" | tail -n 20 | sed 's/^/#   /'
	fi
}
cd /debs
export DEBIAN_FRONTEND=noninteractive
rel=$(cd /usr/src && ls -d linux-headers-*-amd64 linux-headers-*-arm64 2>/dev/null |
	sed 's/^linux-headers-//' | sort -V | tail -n1)

install_debs() {
	apt-get install -y --no-install-recommends \
		$(ls ./*.deb | grep -v dbgsym) > apt-install.log 2>&1 ||
		{ tail -n 30 apt-install.log; return 1; }
}
run "apt-get install ./*.deb works in a clean Debian 12 root" install_debs

dkms_installed() {
	local s
	s=$(dkms status "mmfdev/$version")
	echo "$s"
	grep -q "^mmfdev/$version, $rel, [^:]*: installed" <<<"$s"
}
run "dkms status: mmfdev $version built and installed for $rel" dkms_installed

module_fits() {
	local ko
	ko=$(ls /lib/modules/"$rel"/updates/dkms/mmfdev.ko* | head -n1)
	[ -n "$ko" ] || return 1
	modinfo -F vermagic "$ko" | grep -q "^$rel " || return 1
	# Every parameter has a line in the modprobe.d example.
	local p ex=/usr/share/doc/mmfdev-dkms/examples/modprobe.d/mmfdev.conf
	for p in $(modinfo -F parm "$ko" | cut -d: -f1); do
		grep -q "^#   $p=" "$ex" || { echo "$p missing from $ex"; return 1; }
	done
}
run "mmfdev.ko is in updates/dkms, for $rel, its parameters in the example" module_fits

rebuild() {
	dkms build "mmfdev/$version" -k "$rel" --force > dkms-build.log 2>&1 ||
		{ tail -n 30 dkms-build.log; return 1; }
	local log=/var/lib/dkms/mmfdev/$version/$rel/$(uname -m)/log/make.log
	cp "$log" dkms-make.log
	grep -q 'CC \[M\].*driver/main.o' "$log" &&
		! grep -E '(warning|error):' "$log"
}
run "dkms build --force builds it again, without warnings" rebuild

group_ok() {
	local gid
	gid=$(getent group mmfdev | cut -d: -f3)
	[ -n "$gid" ] && [ "$gid" -lt 1000 ]
}
run "the system group mmfdev exists" group_ok

rule_ok() {
	local r=/lib/udev/rules.d/60-mmfdev.rules
	local ex=/usr/share/doc/mmfdev-dkms/examples/trust-all-memory
	# The group gets only the nodes that cannot reach beyond themselves;
	# those that reach all of memory only through the packaged opt-in.
	grep -q 'KERNEL=="mmfdev|mmfdev-\*", ATTR{reach}=="contained|isolated", GROUP="mmfdev", MODE="0660"' $r &&
		[ "$(grep -vc '^#' $r)" = 1 ] &&
		! grep -v '^#' $r | grep -q 0666 &&
		[ -f /usr/lib/sysusers.d/mmfdev.conf ] &&
		grep -q 'ATTR{reach}=="all-memory", GROUP="mmfdev", MODE="0660"' \
			$ex/61-mmfdev-all-memory.rules &&
		grep -qx 'options mmfdev rawio_cap=0' $ex/mmfdev-all-memory.conf &&
		[ ! -e /etc/udev/rules.d/61-mmfdev-all-memory.rules ]
}
run "udev gives group mmfdev, 0660, only contained and isolated nodes; the all-memory opt-in is an example; sysusers.d names the group" rule_ok

cat > /tmp/t.c <<'C'
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <mmfdev.h>
int main(int argc, char **argv)
{
	struct mmfdev *dev;
	int ret = mmfdev_open("/nonexistent/mmfdev", 0, &dev);

	if (ret != -ENOENT) {
		printf("open: %d, not -ENOENT\n", ret);
		return 1;
	}
	if (argc < 2 || strcmp(mmfdev_version_string(), argv[1])) {
		printf("version %s\n", mmfdev_version_string());
		return 1;
	}
	return 0;
}
C
shared_ok() {
	gcc -Wall -Werror -o /tmp/t /tmp/t.c $(pkg-config --cflags --libs libmmfdev) &&
		ldd /tmp/t | grep -Eq 'libmmfdev.so.1 => /(usr/)?lib/' &&
		/tmp/t "$version"
}
run "gcc \$(pkg-config --cflags --libs libmmfdev): links, -ENOENT, version $version" shared_ok
static_ok() {
	gcc -static -o /tmp/t-static /tmp/t.c \
		$(pkg-config --static --cflags --libs libmmfdev) &&
		/tmp/t-static "$version"
}
run "the static library links and runs" static_ok

if ls mmfdev-tools_*.deb >/dev/null 2>&1; then
	run "mmfctl --help runs" mmfctl --help
fi

purge_ok() {
	apt-get purge -y mmfdev-dkms libmmfdev-dev libmmfdev1 > apt-purge.log 2>&1 ||
		{ tail -n 30 apt-purge.log; return 1; }
	[ -z "$(dkms status mmfdev)" ] && ! ls /lib/modules/"$rel"/updates/dkms/mmfdev.ko* &&
		[ ! -e "/usr/src/mmfdev-$version" ]
}
run "apt-get purge removes the module from dkms and the sources" purge_ok

# Without the packages: make dkms-install and dkms-remove, from the tree.
dkms_make_ok() {
	make -C /src dkms-install DKMS_ARGS="-k $rel" > make-dkms.log 2>&1 ||
		{ tail -n 30 make-dkms.log; return 1; }
	dkms status "mmfdev/$version" | grep -q ", $rel, [^:]*: installed" &&
		ls /lib/modules/"$rel"/updates/dkms/mmfdev.ko* || return 1
	make -C /src dkms-remove >> make-dkms.log 2>&1 ||
		{ tail -n 30 make-dkms.log; return 1; }
	[ -z "$(dkms status mmfdev)" ] && [ ! -e "/usr/src/mmfdev-$version" ]
}
run "make dkms-install installs the module for $rel, make dkms-remove removes it" dkms_make_ok
exit $failed
EOF

in_root_tests() {
	rm -rf "$o/upper" "$o/work"
	mkdir -p "$o/upper" "$o/work"
	cp /etc/resolv.conf "$debs/resolv.conf"
	unshare -m --propagation private bash -s "$base" "$o" "$debs" "$version" \
		"$pkg/src" <<-'NS'
	set -e
	base=$1 o=$2 debs=$3 version=$4 src=$5
	mount -t overlay overlay \
		-o "lowerdir=$base,upperdir=$o/upper,workdir=$o/work" "$o/root"
	mount -t proc proc "$o/root/proc"
	mount --bind /dev "$o/root/dev"
	mkdir -p "$o/root/debs" "$o/root/src"
	mount --bind "$debs" "$o/root/debs"
	mount --bind "$src" "$o/root/src"
	cp "$debs/resolv.conf" "$o/root/etc/resolv.conf"
	exec chroot "$o/root" /bin/bash /debs/in-root.sh "$version"
	NS
}
t=$SECONDS
if ! res=$(in_root_tests); then
	failed=1
	grep -q '^not ok' <<<"$res" ||
		res+=$'\nnot ok - packages: the tests in the clean root ran to the end'
fi
printf '%s\n' "$res"
echo "# in the clean root: $((SECONDS - t)) s"
rm -rf "$o" "$debs/resolv.conf"
echo "# packages: $((SECONDS - start)) s in all"
exit $failed
