# SPDX-License-Identifier: GPL-2.0-only
# Shared helpers for mmfdev's scripts.  Source it; it sets TOP and BUILD_ROOT.

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_ROOT=$TOP/build
DEB_CACHE=$BUILD_ROOT/debs

# A log line carries the seconds since its script started: the .err files
# of make check then show where a step's time went.
log() { printf '>>> [%ss] %s\n' "$SECONDS" "$*" >&2; }
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

# The package world a lane's kernel comes from: the host's own apt, or a
# build root of another Debian suite (ensure_build_root sets LANE_ROOT).
# Every apt query and download below goes through it.
LANE_ROOT=
in_root() {
	if [ -n "$LANE_ROOT" ]; then chroot "$LANE_ROOT" "$@"; else "$@"; fi
}

lane_apt_update_once() {
	local var
	if [ -z "$LANE_ROOT" ]; then
		apt_update_once
		return
	fi
	var=MMFDEV_ROOT_UPDATED_$(basename "$LANE_ROOT" | tr -c 'A-Za-z0-9\n' _)
	[ -n "${!var:-}" ] && return 0
	log "apt-get update in $(basename "$LANE_ROOT")"
	cp /etc/resolv.conf "$LANE_ROOT/etc/resolv.conf"
	# Two lanes of one root may get here at once (make check fetches
	# ahead, scripts/lane.sh LANE fetch): one update at a time.
	(
		flock 9
		in_root apt-get -o DPkg::Lock::Timeout=120 update -qq >&2
	) 9> "$LANE_ROOT.lock" || die "apt-get update failed in $LANE_ROOT"
	export "$var=1"
}

# candidate_version PKG[:ARCH]: the version apt would install.
candidate_version() {
	in_root apt-cache policy "$1" | awk '/Candidate:/ { print $2 }'
}

# resolve_dep PKG PATTERN: the first dependency of PKG matching PATTERN,
# i.e. what a metapackage points to today.
resolve_dep() {
	local pkg=$1 pattern=$2 dep
	lane_apt_update_once
	dep=$(in_root apt-cache depends "$pkg" 2>/dev/null |
		awk -v p="$pattern" '$1 ~ /^\|?Depends:$/ {
			gsub(/[<>]/, "", $2)
			if ($2 ~ p) { print $2; exit }
		}')
	[ -n "$dep" ] || die "cannot resolve $pkg ($pattern) with apt-cache"
	printf '%s\n' "${dep%%:*}"
}

# fetch_deb PKG[:ARCH]: download a package into the cache, print its path.
fetch_deb() {
	local spec=$1 name arch ver file dl
	name=${spec%%:*}
	arch=$(dpkg --print-architecture)
	[ "$spec" != "$name" ] && arch=${spec#*:}
	lane_apt_update_once
	ver=$(candidate_version "$name:$arch")
	[ -n "$ver" ] && [ "$ver" != "(none)" ] || die "no candidate for $spec"
	mkdir -p "$DEB_CACHE"
	# The architecture is part of the name: the same version of a
	# package may be in the cache for another one.
	file=$(ls "$DEB_CACHE/${name}_${ver//:/%3a}_"{"$arch",all}.deb \
		2>/dev/null | head -n1 || true)
	if [ -z "$file" ]; then
		log "downloading $name:$arch $ver"
		# A directory of this process's own: downloads may run side
		# by side (prefetch_debs), and the rename into the cache is
		# what makes a file appear there whole.
		dl=/var/cache/mmfdev-debs/$BASHPID
		rm -rf "${LANE_ROOT}$dl"
		mkdir -p "${LANE_ROOT}$dl"
		in_root sh -c 'cd "$1" && apt-get download -qq "$2"' sh "$dl" \
			"$name:$arch=$ver" >/dev/null 2>&1 ||
			die "apt-get download $name:$arch failed"
		mv "${LANE_ROOT}$dl/${name}_${ver//:/%3a}_"*.deb "$DEB_CACHE/"
		rmdir "${LANE_ROOT}$dl"
		file=$(ls "$DEB_CACHE/${name}_${ver//:/%3a}_"{"$arch",all}.deb \
			2>/dev/null | head -n1)
	fi
	printf '%s\n' "$file"
}

# prefetch_debs PKG[:ARCH]...: fetch_deb for each, side by side: the
# downloads wait on the network, not the CPU.  A failure is left for the
# caller's own fetch_deb of that package to report.
prefetch_debs() {
	local spec

	for spec in "$@"; do
		fetch_deb "$spec" > /dev/null 2>&1 &
	done
	wait || true
}

# host_mirror: the Debian archive the host's apt already uses, so that a
# build root reaches the same place.
host_mirror() {
	apt-get indextargets --format '$(REPO_URI) $(RELEASE)' |
		awk '$2 !~ /-security$/ { print $1; exit }'
}

# ensure_build_root SUITE: a build root for kernels whose tools the host
# cannot run, made once with mmdebstrap and kept under build/roots/.
#
#  trixie-backports: Debian 13 with its backports, where the newest
#	kernels are; their kbuild needs glibc >= 2.38 and gcc-14.  Kernel
#	packages are taken from backports, everything else from trixie.
#  bookworm: Debian 12 with dkms and this architecture's kernel headers,
#	where scripts/package-check.sh installs the packages.
#
# "host" means no root: the host's own apt and compilers.  Sets LANE_ROOT.
ensure_build_root() {
	local suite=$1 root stamp mirror base includes
	local arches sources=()
	LANE_ROOT=
	[ "$suite" = host ] && return 0
	mirror=$(host_mirror)
	[ -n "$mirror" ] || die "no Debian archive in the host's apt sources"
	arches=$(dpkg --print-architecture)
	case $suite in
	trixie-backports)
		base=trixie arches=$arches,arm64
		includes=build-essential,kmod,bc,gcc-aarch64-linux-gnu
		sources=("deb $mirror $base main" "deb $mirror $suite main")
		;;
	bookworm)
		base=bookworm
		includes=build-essential,kmod,dkms,pkg-config,adduser
		includes+=,linux-headers-$arches
		sources=("deb $mirror $base main" "deb $mirror $base-updates main")
		# The newest 6.1 kernels are often in -security only.
		local sec
		sec=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' |
			awk -v s="$base-security" '$2 == s { print $1; exit }')
		[ -z "$sec" ] || sources+=("deb $sec $base-security main")
		;;
	*) die "unknown build root '$suite'" ;;
	esac
	root=$BUILD_ROOT/roots/$suite
	stamp="$base $suite $includes $mirror"
	[ "$suite" = trixie-backports ] || stamp="$stamp ${sources[*]}"
	mkdir -p "$(dirname "$root")"
	# One maker at a time; whoever waited finds the root made.
	exec 9> "$root.lock"
	flock 9
	if [ "$(cat "$root.stamp" 2>/dev/null)" != "$stamp" ]; then
		ensure_packages mmdebstrap
		log "making the $suite build root (mmdebstrap)"
		rm -rf "$root" "$root.stamp"
		# A build root is thrown away, not recovered after a crash:
		# dpkg need not fsync every file it unpacks (52 s against
		# 60-65 s for the bookworm root).
		mmdebstrap --quiet --variant=apt --architectures="$arches" \
			--dpkgopt=force-unsafe-io \
			--include="$includes" "$base" "$root" "${sources[@]}" >&2 ||
			die "mmdebstrap $suite failed"
		echo "$stamp" > "$root.stamp"
	fi
	exec 9>&-
	if [ "$suite" = "$base" ]; then
		LANE_ROOT=$root
		return 0
	fi
	# Kernel packages from $suite, for every architecture apt knows.
	cat > "$root/etc/apt/preferences.d/mmfdev-kernel" <<-PREF
	Package: linux-* linux-*:arm64
	Pin: release n=$suite
	Pin-Priority: 500
	PREF
	LANE_ROOT=$root
}

# root_run DIR CMD...: CMD in the lane's build root (or on the host), with
# DIR visible at the same path inside, and /proc mounted (objtool reads
# it).  The mounts live in a private namespace and go away with CMD.
root_run() {
	local d=$1
	shift
	if [ -z "$LANE_ROOT" ]; then
		"$@"
		return
	fi
	mkdir -p "$LANE_ROOT$d"
	unshare -m --propagation private sh -c '
		root=$1 d=$2
		shift 2
		mount -t proc proc "$root/proc" &&
		mount --bind "$d" "$root$d" &&
		exec chroot "$root" "$@"' sh "$LANE_ROOT" "$d" "$@"
}

# Host tools every build needs.
ensure_host_tools() {
	ensure_packages make gcc libc6-dev pkg-config libkmod-dev kmod \
		xz-utils zstd cpio dwarves bc busybox-static qemu-system-x86 binutils \
		device-tree-compiler \
		file
}
