# SPDX-License-Identifier: GPL-2.0-only
# Shared helpers for mmfdev's scripts.  Source it; it sets TOP and BUILD_ROOT.

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_ROOT=$TOP/build
DEB_CACHE=$BUILD_ROOT/debs

log() { printf '>>> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Package lists are refreshed once per top-level command, so that the
# kernel versions resolved below are today's; child scripts inherit that.
APT_UPDATED=${MMFDEV_APT_UPDATED:-}
apt_update_once() {
	[ -n "$APT_UPDATED" ] && return 0
	log "apt-get update"
	# Another apt may hold the lists lock for a while: wait, then retry.
	local try
	for try in 1 2 3 4 5; do
		as_root apt-get -o DPkg::Lock::Timeout=120 update -qq >&2 && break
		[ "$try" = 5 ] && die "apt-get update failed"
		sleep 15
	done
	APT_UPDATED=1
	export MMFDEV_APT_UPDATED=1
}

# ensure_packages PKG...: install the Debian packages that are missing.
ensure_packages() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	apt_update_once
	log "installing ${missing[*]}"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		-o DPkg::Lock::Timeout=300 \
		--no-install-recommends "${missing[@]}" >&2
}

# ensure_foreign_arch ARCH: let apt see ARCH packages (multiarch).
ensure_foreign_arch() {
	local arch=$1
	[ "$arch" = "$(dpkg --print-architecture)" ] && return 0
	if ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
		log "dpkg --add-architecture $arch"
		as_root dpkg --add-architecture "$arch"
		APT_UPDATED=
	fi
	# An arch added by hand earlier may still lack package lists.
	if ! apt-cache show "libc6:$arch" >/dev/null 2>&1; then
		APT_UPDATED=
	fi
	apt_update_once
}

# resolve_dep PKG PATTERN: the first dependency of PKG matching PATTERN,
# i.e. what a metapackage points to today.
resolve_dep() {
	local pkg=$1 pattern=$2 dep
	apt_update_once
	dep=$(apt-cache depends "$pkg" 2>/dev/null |
		awk -v p="$pattern" '$1 ~ /^\|?Depends:$/ {
			gsub(/[<>]/, "", $2)
			if ($2 ~ p) { print $2; exit }
		}')
	[ -n "$dep" ] || die "cannot resolve $pkg ($pattern) with apt-cache"
	printf '%s\n' "${dep%%:*}"
}

# fetch_deb PKG[:ARCH]: download a package into the cache, print its path.
fetch_deb() {
	local spec=$1 name arch ver file
	name=${spec%%:*}
	arch=$(dpkg --print-architecture)
	[ "$spec" != "$name" ] && arch=${spec#*:}
	apt_update_once
	ver=$(apt-cache policy "$name:$arch" | awk '/Candidate:/ { print $2 }')
	[ -n "$ver" ] && [ "$ver" != "(none)" ] || die "no candidate for $spec"
	mkdir -p "$DEB_CACHE"
	file=$(ls "$DEB_CACHE/${name}_${ver//:/%3a}_"*.deb 2>/dev/null | head -n1 || true)
	if [ -z "$file" ]; then
		log "downloading $name:$arch $ver"
		(cd "$DEB_CACHE" && apt-get download -qq "$name:$arch=$ver" \
			>/dev/null 2>&1) || die "apt-get download $name:$arch failed"
		file=$(ls "$DEB_CACHE/${name}_${ver//:/%3a}_"*.deb | head -n1)
	fi
	printf '%s\n' "$file"
}

# Host tools every build needs.
ensure_host_tools() {
	ensure_packages make gcc libc6-dev pkg-config libkmod-dev kmod \
		xz-utils cpio dwarves bc busybox-static qemu-system-x86 binutils \
		device-tree-compiler \
		file
}
