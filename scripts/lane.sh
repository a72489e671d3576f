#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# usage: scripts/lane.sh LANE check|demo|bench|fetch
#
# One generic runner for every lane in scripts/lanes: fetch the lane's
# Debian kernel and headers (the current version, resolved now), build
# the module and the guest programs for it, pack an initramfs, boot it in
# QEMU under TCG and judge the console log.
#
# check: prints the TAP output, then "lane LANE: ..." with the counts, and
#        leaves "PASS FAIL SKIP SECONDS RELEASE PAGESIZE" in
#        build/lanes/LANE/result.  A WARNING/BUG/Oops/panic in the guest
#        log, or a guest that never reports, counts as a failure.
# demo:  prints what the example program printed inside the guest.
# bench: prints the benchmark's lines (ratios against same-run baselines).
# fetch: only downloads and unpacks the lane's kernel (and makes its build
#        root), which make check does for every lane ahead of time, while
#        the host tests run; nothing for a sanitizer lane.
#
# MMFDEV_QEMU_TIMEOUT (seconds, default 2400) bounds one boot;
# MMFDEV_KVM=1 asks for -accel kvm instead of TCG.
. "$(dirname "$0")/common.sh"

lane=${1:?usage: lane.sh LANE check|demo|bench|fetch}
mode=${2:-check}
case $mode in
check|demo|bench|fetch) ;;
*) die "mode must be check, demo, bench or fetch" ;;
esac

read -r arch image_meta headers_meta suite build guest < <(awk -v l="$lane" \
	'$1 == l { print $2, $3, $4, $5, $6, $7 }' "$TOP/scripts/lanes")
[ -n "${arch:-}" ] || die "unknown lane '$lane' (see scripts/lanes)"
[ -n "${suite:-}" ] || die "lane $lane names no apt suite (see scripts/lanes)"
build=${build:-kbuild}
case $build in kbuild|dkms) ;; *) die "lane $lane: build must be kbuild or dkms" ;; esac

dir=$BUILD_ROOT/lanes/$lane
mkdir -p "$dir"

case $arch in
x86_64)
	deb_arch=amd64 triple=x86_64-linux-gnu cross= karch=x86
	qemu=qemu-system-x86_64 console=ttyS0
	qemu_args=(-M q35 -cpu max)
	# edu's DMA engine reaches 28 bits, and x86 has RAM there.
	edu=edu dma_options=pci_dma_bits=28
	;;
arm64)
	deb_arch=arm64 triple=aarch64-linux-gnu cross=aarch64-linux-gnu-
	karch=arm64 qemu=qemu-system-aarch64 console=ttyAMA0
	qemu_args=(-M virt -cpu cortex-a76)
	# virt's RAM starts at 1 GiB: widen edu's engine to the PCI default.
	edu=edu,dma_mask=0xffffffff dma_options=
	;;
*)
	die "lane $lane: unknown arch $arch"
	;;
esac

# Guest memory: enough for a 1 GiB RAM region, which size= caps at half.
GUEST_MEM=3G

# What the guest runs beyond the suite (the lane's "guest" column):
#  pingpong=N		the events suite's ping-pong length (1000000)
#  endurance=C:B:S	endurance_test: C load/unload cycles, B unbind/bind
#			rounds, S seconds of kill -9
#  harden		fault_test, a kmemleak scan, a long kernel log
#  iommu		an IOMMU translates the PCI devices' DMA (x86_64: QEMU's
#			intel-iommu and intel_iommu=on; arm64: virt's SMMUv3),
#			so DMA buffers have IOVAs
#  swiotlb		swiotlb=force: every streaming DMA mapping bounces, so
#			a buffer is stale until synced
#  lockdown		last, lockdown_test: the module loaded unlocked, then
#			the kernel locked down (integrity) for good
#  trinity=N		Debian's trinity fuzzer, N system calls on the nodes
#			(scripts/guest-init.sh says which calls and nodes)
#  fault_skip=A+B	fault_test's tests that this lane leaves to the other
#			sanitizer lane (the harness's -T): what does not depend
#			on the architecture needs to run in only one of them
PINGPONG=1000000
ENDURANCE=
HARDEN=0
LOCKDOWN=0
TRINITY=
FAULT_SKIP=
APPEND=
for opt in ${guest//,/ }; do
	case $opt in
	-) ;;
	pingpong=*) PINGPONG=${opt#*=} ;;
	endurance=*) ENDURANCE=${opt#*=} ;;
	harden)
		[ "$suite" = debug ] || die "lane $lane: harden needs the debug kernel"
		HARDEN=1
		APPEND="$APPEND log_buf_len=64M panic_print=0x20"
		;;
	iommu)
		if [ "$arch" = x86_64 ]; then
			qemu_args+=(-device intel-iommu,intremap=off)
			APPEND="$APPEND intel_iommu=on"
		else
			qemu_args=(-M virt,iommu=smmuv3 "${qemu_args[@]:2}")
		fi
		;;
	swiotlb) APPEND="$APPEND swiotlb=force" ;;
	lockdown) LOCKDOWN=1 ;;
	trinity=*) TRINITY=${opt#*=} ;;
	fault_skip=*) FAULT_SKIP=$(echo "${opt#*=}" | tr + ' ') ;;
	*) die "lane $lane: unknown guest option '$opt'" ;;
	esac
done

prepare_tools() {
	ensure_host_tools
	# The suite also runs as 32-bit programs on x86_64 lanes: static,
	# with gcc's 32-bit libraries, so no i386 architecture is needed.
	# Not gcc-multilib: it conflicts with gcc-aarch64-linux-gnu.
	if [ "$arch" = x86_64 ]; then
		ensure_packages "gcc-$(gcc -dumpversion)-multilib"
	fi
	if [ "$arch" = arm64 ]; then
		ensure_foreign_arch arm64
		ensure_packages qemu-system-arm gcc-aarch64-linux-gnu \
			libc6-dev-arm64-cross libkmod-dev:arm64 libc6:arm64
	fi
}

# A sanitizer lane's kernel: built here from Debian's linux-source by
# scripts/debug-kernel.sh (cached under build/debug-kernel/ARCH), and its
# own KDIR.  brd is built in, so there is no brd.ko.
prepare_debug_kernel() {
	local vars

	vars=$("$TOP/scripts/debug-kernel.sh" "$arch" "$BUILD_ROOT/debug-kernel" |
		tail -n 3) || die "$lane: the debug kernel did not build"
	eval "$vars"
	KROOT=
	BRD_KO=
}

# Sets RELEASE, KDIR, VMLINUZ and KROOT (the extracted packages).
prepare_kernel() {
	local image_pkg headers_pkg common_pkg kbuild_pkg stamp deb pkgs dep more

	if [ "$suite" = debug ]; then
		prepare_debug_kernel
		return
	fi
	ensure_build_root "$suite"
	lane_apt_update_once
	# A fetch of this lane may be under way (make check's, ahead of
	# time): wait for it, then find its stamp.
	exec 7> "$dir/kernel.lock"
	flock 7
	image_pkg=$(resolve_dep "$image_meta:$deb_arch" '^linux-image-')
	RELEASE=${image_pkg#linux-image-}
	headers_pkg=linux-headers-$RELEASE
	common_pkg=$(resolve_dep "$headers_pkg:$deb_arch" '^linux-headers-.*common')
	kbuild_pkg=$(resolve_dep "$headers_pkg:$deb_arch" '^linux-kbuild-')
	pkgs=("$image_pkg:$deb_arch" "$headers_pkg:$deb_arch" "$common_pkg"
	      "$kbuild_pkg")
	# Since 7.2 the image is in linux-binary-REL and the rest (config,
	# device trees) in linux-base-REL; before, all of it was in the
	# image package.
	for dep in binary base; do
		if in_root apt-cache show "linux-$dep-$RELEASE:$deb_arch" \
			>/dev/null 2>&1; then
			pkgs+=("linux-$dep-$RELEASE:$deb_arch")
		fi
	done

	KROOT=$dir/kernel
	stamp="$suite $image_pkg $(candidate_version "$image_pkg:$deb_arch")"
	if [ "$(cat "$KROOT/.stamp" 2>/dev/null)" != "$stamp" ]; then
		rm -rf "$KROOT"
		mkdir -p "$KROOT"
		# With linux-modules-REL (7.2 on), where brd and the
		# importers are.
		more=()
		if in_root apt-cache show "linux-modules-$RELEASE:$deb_arch" \
			>/dev/null 2>&1; then
			more=("linux-modules-$RELEASE:$deb_arch")
		fi
		log "$lane: downloading ${pkgs[*]%%:*} ${more[*]%%:*}"
		prefetch_debs "${pkgs[@]}" "${more[@]}"
		for deb in "${pkgs[@]}"; do
			dpkg-deb -x "$(fetch_deb "$deb")" "$KROOT"
		done
		# The flavour's Makefile names the -common tree (and since
		# 7.2 its own output tree) by absolute /usr/src paths; point
		# them into our extraction.  The scripts symlink is relative
		# and already resolves there.
		sed -i -E "s#^(include |KBUILD_OUTPUT=)/usr/src/#\1$KROOT/usr/src/#" \
			"$KROOT/usr/src/$headers_pkg/Makefile"
		echo "$stamp" > "$KROOT/.stamp"
	fi
	# A build root runs the kbuild tools: give them their libraries.
	if [ -n "$LANE_ROOT" ] && ! in_root dpkg -s "$kbuild_pkg" >/dev/null 2>&1; then
		log "installing $kbuild_pkg in the build root"
		in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends "$kbuild_pkg" \
			> "$dir/apt-install.log" 2>&1 ||
			die "cannot install $kbuild_pkg in $LANE_ROOT"
	fi
	fetch_brd
	fetch_importers
	KDIR=$KROOT/usr/src/$headers_pkg
	for VMLINUZ in "$KROOT/boot/vmlinuz-$RELEASE" \
		       "$KROOT/usr/lib/modules/$RELEASE/vmlinuz" ""; do
		[ -f "$VMLINUZ" ] && break
	done
	[ -n "$VMLINUZ" ] || die "no kernel image in $image_pkg"
	exec 7>&-
}

# The RAM disk driver, for O_DIRECT tests on a real block device: from
# the image package, or since 7.2 from linux-modules-REL.  Sets BRD_KO
# (empty when the kernel has none).
fetch_brd() {
	BRD_KO=$(find "$KROOT" -name 'brd.ko*' | head -n1)
	if [ -z "$BRD_KO" ] && in_root apt-cache show \
		"linux-modules-$RELEASE:$deb_arch" >/dev/null 2>&1; then
		dpkg-deb --fsys-tarfile \
			"$(fetch_deb "linux-modules-$RELEASE:$deb_arch")" |
			tar -x -C "$KROOT" --wildcards '*/drivers/block/brd.ko*'
		BRD_KO=$(find "$KROOT" -name 'brd.ko*' | head -n1)
	fi
}

# The dma-buf importers for dma_test: DRM's vgem and V4L2's vivid, with
# the modules they need, from the same packages as brd.  module_chain
# prints a module's files, dependencies first; nothing when the kernel
# has none.
module_chain() {
	local f dep
	f=$(find "$KROOT" \( -name "$1.ko*" -o -name "${1//_/-}.ko*" \) |
		head -n1)
	[ -n "$f" ] || return 1
	for dep in $(modinfo -F depends "$f" | tr , ' '); do
		module_chain "$dep" || return 1
	done
	echo "$f"
}

IMPORTERS=()
fetch_importers() {
	local chain
	local m all=
	if [ -z "$(find "$KROOT" -name 'vgem.ko*' | head -n1)" ] &&
	   in_root apt-cache show "linux-modules-$RELEASE:$deb_arch" \
		>/dev/null 2>&1; then
		dpkg-deb --fsys-tarfile \
			"$(fetch_deb "linux-modules-$RELEASE:$deb_arch")" |
			tar -x -C "$KROOT" --wildcards '*/drivers/gpu/drm/*' \
				'*/drivers/dma-buf/*' '*/drivers/media/*' \
				'*/drivers/video/*' 2>/dev/null || true
	fi
	for m in vgem vivid; do
		chain=$(module_chain "$m" 2>/dev/null) || chain=
		all+=$chain$'\n'
	done
	mapfile -t IMPORTERS < <(printf '%s' "$all" | awk 'NF && !seen[$0]++')
}

build_module() {
	local mod=$dir/module

	[ "$build" = dkms ] && { build_module_dkms; return; }
	log "$lane: building mmfdev.ko for $RELEASE"
	rm -rf "$mod"
	mkdir -p "$mod"
	cp -r "$TOP/Kbuild" "$TOP/driver" "$TOP/include" "$mod/"
	if ! root_run "$BUILD_ROOT" make -s -j"$(nproc)" -C "$KDIR" M="$mod" \
		ARCH="$karch" CROSS_COMPILE="$cross" modules \
		> "$dir/build.log" 2>&1; then
		cat "$dir/build.log" >&2
		die "$lane: the module does not build against $RELEASE"
	fi
	cat "$dir/build.log" >&2
}

# dkms build, as the mmfdev-dkms package's postinst does it: the sources
# and dkms.conf that "make dkms-source" installs, built for the lane's
# headers (--kernelsourcedir) in a dkms tree of the lane's own, with the
# lane's build root's dkms (or the host's).  Modules are not signed (as
# with kbuild).  build.log gets kbuild's output, dkms.log dkms's.
build_module_dkms() {
	local mod=$dir/module src=$dir/dkms-src tree=$dir/dkms ver ko mlog

	log "$lane: building mmfdev.ko for $RELEASE with dkms"
	[ "$arch" = "$(uname -m)" ] || die "lane $lane: dkms builds native only"
	ver=$(sed -n 's/^VERSION[[:space:]]*:= *//p' "$TOP/Makefile")
	if [ -n "$LANE_ROOT" ]; then
		in_root dpkg -s dkms >/dev/null 2>&1 ||
			in_root env DEBIAN_FRONTEND=noninteractive apt-get install \
				-y -qq --no-install-recommends dkms \
				>> "$dir/apt-install.log" 2>&1 ||
			die "cannot install dkms in $LANE_ROOT"
	else
		ensure_packages dkms
	fi
	rm -rf "$mod" "$src" "$tree"
	mkdir -p "$mod/driver" "$tree"
	make -s -C "$TOP" dkms-source DESTDIR="$src" DKMS_SRC="/mmfdev-$ver" >&2
	if ! root_run "$BUILD_ROOT" dkms add "mmfdev/$ver" \
		--sourcetree "$src" --dkmstree "$tree" > "$dir/dkms.log" 2>&1 ||
	   ! root_run "$BUILD_ROOT" env sign_file=/nonexistent \
		dkms build "mmfdev/$ver" -k "$RELEASE/$arch" \
		--kernelsourcedir "$KDIR" --sourcetree "$src" --dkmstree "$tree" \
		>> "$dir/dkms.log" 2>&1; then
		cat "$dir/dkms.log" >&2
		find "$tree" -name make.log -exec cat {} + >&2
		die "$lane: dkms build fails against $RELEASE"
	fi
	mlog=$(find "$tree/mmfdev/$ver/$RELEASE" -name make.log | head -n1)
	[ -n "$mlog" ] || die "$lane: dkms left no make.log"
	cp "$mlog" "$dir/build.log"
	cat "$dir/dkms.log" "$dir/build.log" >&2
	ko=$(find "$tree/mmfdev/$ver/$RELEASE" -path '*/module/mmfdev.ko*' | head -n1)
	case $ko in
	*.xz) xz -dc "$ko" > "$mod/driver/mmfdev.ko" ;;
	*.zst) zstd -qdc "$ko" > "$mod/driver/mmfdev.ko" ;;
	*.gz) gzip -dc "$ko" > "$mod/driver/mmfdev.ko" ;;
	?*) cp "$ko" "$mod/driver/mmfdev.ko" ;;
	*) die "$lane: dkms built no mmfdev.ko" ;;
	esac
}

# The programs do not depend on the kernel they run on: one build per
# architecture, in build/user/ARCH, serves all of its lanes (make
# rebuilds what changed; the lock keeps two lanes of one architecture
# from building there at once).
build_user() {
	local top=$BUILD_ROOT/user/$arch

	user=$top/64
	mkdir -p "$top"
	log "$lane: building libmmfdev, the examples and the tests ($user)"
	flock "$top/lock" make -s -j"$(nproc)" -C "$TOP" BUILD="$user" \
		CC="${cross}gcc" AR="${cross}ar" \
		lib examples tests benchmarks tools >&2
	user32=
	if [ "$arch" = x86_64 ]; then
		user32=$top/32
		log "$lane: building the tests as 32-bit programs ($user32)"
		# gcc-multilib's one job: <asm/...> for -m32 (the x86 ones
		# serve both widths).
		mkdir -p "$top/include32"
		ln -sfn "/usr/include/$triple/asm" "$top/include32/asm"
		flock "$top/lock" make -s -j"$(nproc)" -C "$TOP" \
			BUILD="$user32" KMOD=0 LDFLAGS=-static \
			CC="gcc -m32 -idirafter $top/include32" lib tests >&2
	fi
}

lib_dirs() { # lib_dirs TRIPLE
	echo "/lib/$1 /usr/lib/$1 /usr/$1/lib"
}

# copy_libs ROOT TRIPLE ELF...: the ELF interpreter and every shared
# library the programs need, found in the host's multiarch directories.
copy_libs() {
	local root=$1 triple=$2 elf interp lib d found
	shift 2
	local queue=("$@") seen=" "
	while [ ${#queue[@]} -gt 0 ]; do
		elf=${queue[0]}
		queue=("${queue[@]:1}")
		interp=$(readelf -l "$elf" 2>/dev/null |
			sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
		if [ -n "$interp" ] && [ ! -e "$root$interp" ]; then
			for d in $(lib_dirs "$triple") /lib /lib64; do
				if [ -e "$d/$(basename "$interp")" ]; then
					mkdir -p "$root$(dirname "$interp")"
					cp -L "$d/$(basename "$interp")" "$root$interp"
					break
				fi
			done
			[ -e "$root$interp" ] || die "no $interp for $lane"
		fi
		for lib in $(readelf -d "$elf" |
			     sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
			case $seen in *" $lib "*) continue ;; esac
			seen="$seen$lib "
			found=
			for d in $(lib_dirs "$triple"); do
				if [ -e "$d/$lib" ]; then
					found=$d/$lib
					break
				fi
			done
			[ -n "$found" ] || die "$lane: cannot find $lib for $elf"
			mkdir -p "$root/lib/$triple"
			cp -L "$found" "$root/lib/$triple/$lib"
			queue+=("$found")
		done
	done
}

busybox_binary() {
	local bbdir=$dir/busybox
	if [ "$arch" = "$(uname -m)" ]; then
		echo /bin/busybox
		return
	fi
	if [ ! -x "$bbdir/busybox" ]; then
		# Unpacked aside and renamed into place: a fetch of this lane
		# may be doing the same.
		mkdir -p "$bbdir"
		rm -rf "$bbdir/deb.$$"
		dpkg-deb -x "$(fetch_deb "busybox-static:$deb_arch")" \
			"$bbdir/deb.$$"
		# /bin or /usr/bin, depending on the suite.
		find "$bbdir/deb.$$" -name busybox -type f \
			-exec mv {} "$bbdir/busybox" \;
		rm -rf "$bbdir/deb.$$"
	fi
	echo "$bbdir/busybox"
}

# Sets INITRD.
build_initramfs() {
	local root=$dir/initramfs-$mode
	local t tests suite
	# The kselftest programs, and those of every check run (tests/programs).
	mapfile -t tests < <(awk '!/^#/ && NF { print $1 }' "$TOP/tests/programs")
	mapfile -t suite < <(awk '!/^#/ && $2 == "suite" { print $1 }' "$TOP/tests/programs")
	local bins=("${tests[@]/#/$user/tests/}"
		    "$user/tests/mmfdev_bench"
		    "$user/examples/mmfdev-hello"
		    "$user/examples/mmfdev-edu"
		    "$user/examples/mmfdev-ring"
		    "$user/examples/mmfdev-rp1-gpio"
		    "$user/tools/mmfctl")

	rm -rf "$root"
	mkdir -p "$root"/{bin,dev,etc,lib/modules,proc,sys,tmp}
	cp "$(busybox_binary)" "$root/bin/busybox"
	install -m 0755 "$TOP/scripts/guest-init.sh" "$root/init"
	cat > "$root/etc/mmfdev.conf" <<-CONF
	MODE=$mode
	MODULE_OPTIONS="$MODULE_OPTIONS"
	IVSHMEM_TOKEN=$IVSHMEM_TOKEN
	DT_NODE=$DT_NODE
	DT_SHARED_NODE=$DT_SHARED_NODE
	DT_GPIO_NODE=$DT_GPIO_NODE
	HARDEN=$HARDEN
	LOCKDOWN=$LOCKDOWN
	TRINITY=$TRINITY
	FAULT_SKIP='$FAULT_SKIP'
	PINGPONG=$PINGPONG
	ENDURANCE=$ENDURANCE
	CONF
	cp "$dir/module/driver/mmfdev.ko" "$root/lib/modules/"
	case $BRD_KO in
	*.xz) xz -dc "$BRD_KO" > "$root/lib/modules/brd.ko" ;;
	*.zst) zstd -qdc "$BRD_KO" > "$root/lib/modules/brd.ko" ;;
	?*) cp "$BRD_KO" "$root/lib/modules/brd.ko" ;;
	esac
	mkdir -p "$root/lib/modules/importers"
	local i=0 m out
	for m in "${IMPORTERS[@]}"; do
		i=$((i + 1))
		out=$root/lib/modules/importers/$(printf %02d "$i")-$(basename "${m%%.ko*}").ko
		case $m in
		*.xz) xz -dc "$m" > "$out" ;;
		*.zst) zstd -qdc "$m" > "$out" ;;
		*) cp "$m" "$out" ;;
		esac
	done
	# The fuzzer, from the lane architecture's Debian package.
	if [ -n "$TRINITY" ]; then
		if [ ! -x "$dir/trinity/usr/bin/trinity" ]; then
			rm -rf "$dir/trinity"
			dpkg-deb -x "$(fetch_deb "trinity:$deb_arch")" "$dir/trinity"
		fi
		bins+=("$dir/trinity/usr/bin/trinity")
	fi
	cp "${bins[@]}" "$root/bin/"
	install -m 0755 "$TOP/tests/mmfctl_test.sh" "$root/bin/"
	install -m 0644 "$TOP/tests/programs" "$root/etc/mmfdev-programs"
	copy_libs "$root" "$triple" "${bins[@]}"
	if [ -n "$user32" ]; then
		for t in "${suite[@]}"; do
			cp "$user32/tests/$t" "$root/bin/${t}32"
		done
	fi
	INITRD=$dir/initramfs-$mode.cpio.gz
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$INITRD"
}

# The devices every lane gets: real device memory to bind to.
#  edu (1234:11e8): BAR0 = 1 MiB of registers with documented behaviour;
#  ivshmem-plain (1af4:1110): BAR0 = 256 bytes of registers, BAR2 = the
#    host file below, so the host can check what the guest wrote;
#  pci-testdev (1b36:0005): BAR0 MMIO and BAR1 I/O ports.
# edu's DMA engine also moves data in and out of mmfdev's DMA buffers,
# with the DMA mask set above for its reach.
MODULE_OPTIONS="pci_ids=1234:11e8,1af4:1110,1b36:0005 $dma_options"
IVSHMEM_SIZE=$((64 << 20))
IVSHMEM_GUEST_AT=$((64 << 10))

# Sets IVSHMEM_FILE and IVSHMEM_TOKEN: the host's bytes at offset 0.
prepare_ivshmem() {
	IVSHMEM_FILE=$dir/ivshmem-$mode.bin
	IVSHMEM_TOKEN=host-$$-$RANDOM
	rm -f "$IVSHMEM_FILE"
	truncate -s "$IVSHMEM_SIZE" "$IVSHMEM_FILE"
	printf 'MMFDEV-HOST:%s' "$IVSHMEM_TOKEN" |
		dd of="$IVSHMEM_FILE" conv=notrunc status=none
}

# After the guest: did its bytes reach the host file?  TAP on stdout.
check_ivshmem() {
	local want="MMFDEV-GUEST:$IVSHMEM_TOKEN" got
	got=$(dd if="$IVSHMEM_FILE" bs=1 skip="$IVSHMEM_GUEST_AT" \
		count=${#want} status=none | tr -d '\0')
	if [ "$got" = "$want" ]; then
		echo "ok - $lane: the host file holds the bytes the guest wrote through ivshmem"
	else
		echo "not ok - $lane: the host file has '$got' at $IVSHMEM_GUEST_AT, not '$want'"
	fi
}

# arm64 lanes boot a device tree that adds an mmfdev node: QEMU's own tree
# for this machine, with the PL061 GPIO block (and its interrupt, which the
# guest can raise by programming a level interrupt) handed to mmfdev as a
# register window ("gpio", 4 KiB: one page on 4 KiB kernels, less than a
# page on 16 KiB ones) and 2 MiB at the top of RAM reserved for it
# ("buffer").  Two more nodes share their windows ("mmfdev,shared"): one
# with the PL011 that uart-pl011 holds ("uart", 16 KiB, so a whole number
# of pages on both; only its first 4 KiB answer), and one shaped like the
# Raspberry Pi 5's RP1 GPIO node (io, rio and pads: 0xc000 bytes each,
# 0x10000 apart) on 2 MiB of RAM that no-map keeps from everyone.  One
# more node has only DMA buffers, one made at probe time, its coherent ones
# from a no-map shared-dma-pool, behind a bus whose dma-ranges offset RAM
# as the Raspberry Pi 5's does.  Sets
# DTB_ARGS, DT_NODE, DT_SHARED_NODE and DT_GPIO_NODE.
DT_NODE=
DT_SHARED_NODE=
DT_GPIO_NODE=
DTB_ARGS=()
prepare_dtb() {
	local dtb=$dir/virt.dtb dts=$dir/virt-mmfdev.dts

	[ "$arch" = arm64 ] || return 0
	"$qemu" "${qemu_args[@]}" -accel tcg -smp 2 -m "$GUEST_MEM" -nodefaults \
		-display none -M "virt,dumpdtb=$dtb.qemu" >/dev/null 2>&1 ||
		die "$lane: qemu could not dump its device tree"
	dtc -q -I dtb -O dts -o "$dts" "$dtb.qemu"
	cat >> "$dts" <<-'DTS'

	/ {
		/delete-node/ gpio-keys;
		/delete-node/ pl061@9030000;

		reserved-memory {
			#address-cells = <2>;
			#size-cells = <2>;
			ranges;

			mmfdev_buffer: buffer@7fe00000 {
				reg = <0x0 0x7fe00000 0x0 0x200000>;
				no-map;
			};

			gpio-standin@7fc00000 {
				reg = <0x0 0x7fc00000 0x0 0x200000>;
				no-map;
			};

			dma_pool: dma-pool@7f800000 {
				compatible = "shared-dma-pool";
				reg = <0x0 0x7f800000 0x0 0x400000>;
				no-map;
			};
		};

		mmfdev@9030000 {
			compatible = "mmfdev,device";
			reg = <0x0 0x09030000 0x0 0x1000>;
			reg-names = "gpio";
			/* the PL061's own: SPI 7, level high */
			interrupts = <0x0 0x7 0x4>;
			memory-region = <&mmfdev_buffer>;
			memory-region-names = "buffer";
		};

		mmfdev@9000000 {
			compatible = "mmfdev,device";
			reg = <0x0 0x09000000 0x0 0x4000>;
			reg-names = "uart";
			mmfdev,shared;
		};

		/*
		 * DMA buffers only, for a platform device on a bus that sees
		 * RAM where the Raspberry Pi 5's PCIe and RP1 do: at phys +
		 * 0x10_0000_0000 (bcm2712.dtsi's dma-ranges).
		 */
		dma-bus {
			compatible = "simple-bus";
			#address-cells = <2>;
			#size-cells = <2>;
			ranges;
			dma-ranges = <0x10 0x40000000 0x0 0x40000000 0x0 0xc0000000>;

			dmabuf {
				compatible = "mmfdev,device";
				mmfdev,dma-buffers = <4>;
				/* One made at probe time; coherent ones from dma_pool. */
				mmfdev,dma-alloc = "coherent:64K";
				memory-region = <&dma_pool>;
			};
		};

		mmfdev@7fc00000 {
			compatible = "mmfdev,device";
			reg = <0x0 0x7fc00000 0x0 0xc000>,
			      <0x0 0x7fc10000 0x0 0xc000>,
			      <0x0 0x7fc20000 0x0 0xc000>;
			reg-names = "io", "rio", "pads";
			mmfdev,shared;
		};
	};
	DTS
	dtc -q -I dts -O dtb -o "$dtb" "$dts"
	DTB_ARGS=(-dtb "$dtb")
	DT_NODE=mmfdev-9030000.mmfdev
	DT_SHARED_NODE=mmfdev-9000000.mmfdev
	DT_GPIO_NODE=mmfdev-7fc00000.mmfdev
}

# One boot of the guest, its console in LOG.  Sets QEMU_STATUS (timeout's
# 124 when the guest ran out of time).
QEMU_STATUS=0
boot_once() {
	local accel=tcg t=${MMFDEV_QEMU_TIMEOUT:-2400}
	[ "${MMFDEV_KVM:-0}" = 1 ] && accel=kvm
	log "$lane: booting $RELEASE in $qemu ($accel)"
	QEMU_STATUS=0
	timeout "$t" "$qemu" "${qemu_args[@]}" -accel "$accel" -smp 2 -m "$GUEST_MEM" \
		-nodefaults -no-user-config -display none -no-reboot \
		-serial "file:$LOG" -kernel "$VMLINUZ" -initrd "$INITRD" \
		"${DTB_ARGS[@]}" -device "$edu" -device pci-testdev \
		-object "memory-backend-file,id=ivshm,share=on,mem-path=$IVSHMEM_FILE,size=$IVSHMEM_SIZE" \
		-device ivshmem-plain,memdev=ivshm \
		-append "console=$console panic=-1 loglevel=3 $APPEND" </dev/null >&2 ||
		QEMU_STATUS=$?
	[ "$QEMU_STATUS" -eq 0 ] || log "$lane: qemu exited with status $QEMU_STATUS"
	tr -d '\r' < "$LOG" > "$LOG.txt" && mv "$LOG.txt" "$LOG"
}

# Sets LOG, QEMU_STATUS and FIRST_BOOT_LOG.
#
# An x86_64 kernel patches its own text while it runs (static keys): an
# int3 goes in first, and the CPU that meets it waits in the int3 handler
# until the patch is done.  Under QEMU's multi-threaded TCG, a vCPU now and
# then runs the int3 of a patch already finished, and the kernel dies of
# "Oops: int3" on a plain NOP.  Debian's 7.3 amd64 kernel did so in 2 of
# 150 boots here, in the scheduler, a second into the boot (once on the
# key that says sched_clock is stable).  It is the emulator's, not
# mmfdev's, which is not loaded yet: such a boot, dead before /init
# printed a line, is booted once more.  Any other death is the lane's
# failure, and so is a second one.
FIRST_BOOT_LOG=
boot() {
	local first=$dir/console-$mode.first-boot.log

	LOG=$dir/console-$mode.log
	rm -f "$first"
	boot_once
	if ! grep -q '^MMFDEV-GUEST: kernel=' "$LOG" &&
	   grep -q 'Oops: int3' "$LOG"; then
		FIRST_BOOT_LOG=$first
		mv "$LOG" "$FIRST_BOOT_LOG"
		log "$lane: the guest died of a stale int3 in its boot; booting again"
		boot_once
	fi
}

# The module must build without a warning on every kernel.  TAP.
check_build_log() {
	if grep -qE '(warning|error):' "$dir/build.log"; then
		echo "not ok - $lane: the module builds with warnings against $RELEASE"
		grep -E '(warning|error):' "$dir/build.log" | sed 's/^/# /'
	else
		echo "ok - $lane: the module builds ($build) without warnings against $RELEASE"
	fi
}

# The Raspberry Pi 5 overlays against the Pi 5 trees of this lane's own
# kernel packages, when they have the RP1 bus (7.x).  TAP.
check_pi5_trees() {
	local dtb
	[ -n "$KROOT" ] || return 0
	dtb=$(find "$KROOT" -name bcm2712-rpi-5-b.dtb | head -n1)
	[ -n "$dtb" ] || return 0
	if ! fdtget "$dtb" /__symbols__ pci_ep_bus >/dev/null 2>&1; then
		echo "ok - $lane: Pi 5 overlays # SKIP $RELEASE's Pi 5 tree has no RP1 bus"
		return 0
	fi
	"$TOP/scripts/pi5-dt-check.sh" "$KROOT" |
		sed -E "s/^((not )?ok - )/\1$lane: /"
}

judge() {
	local tap=$dir/result.tap pass fail skip info page

	"$TOP/scripts/judge.sh" "$LOG" "$lane" > "$tap"
	[ "$QEMU_STATUS" -eq 0 ] ||
		echo "not ok - $lane: qemu exited with status $QEMU_STATUS" >> "$tap"
	[ -z "$FIRST_BOOT_LOG" ] ||
		echo "# $lane: the first boot died of a stale int3 before its init," \
			"booted again (see $FIRST_BOOT_LOG)" >> "$tap"
	check_ivshmem >> "$tap"
	check_build_log >> "$tap"
	check_pi5_trees >> "$tap"
	info=$(grep -m1 '^MMFDEV-GUEST: kernel=' "$LOG" || true)
	page=$(sed -n 's/.*page_size=\([0-9]*\).*/\1/p' <<<"$info")
	pass=$(grep -Ec '^ok ' "$tap" || true)
	skip=$(grep -Ec '^ok .*# SKIP' "$tap" || true)
	pass=$((pass - skip))
	fail=$(grep -Ec '^not ok' "$tap" || true)
	echo "$pass $fail $skip $((SECONDS - start)) $RELEASE ${page:-?}" > "$dir/result"
	RESULT_FAIL=$fail
}

if [ "$mode" = fetch ]; then
	# Not for a foreign architecture that apt does not know yet: the
	# lane adds it (prepare_tools), with an apt-get update.
	if [ "$suite" != debug ] &&
	   { [ "$deb_arch" = "$(dpkg --print-architecture)" ] ||
	     dpkg --print-foreign-architectures | grep -qx "$deb_arch"; }; then
		prepare_kernel
		[ "$arch" = "$(uname -m)" ] || busybox_binary > /dev/null
		log "$lane: $RELEASE fetched"
	fi
	exit 0
fi

start=$SECONDS
prepare_tools
prepare_kernel
build_module
build_user
prepare_ivshmem
prepare_dtb
build_initramfs
boot

if [ "$mode" = bench ]; then
	grep -E '^(bench|MMFDEV-GUEST: kernel=)' "$LOG"
	grep -q '^MMFDEV-GUEST-DONE rc=0' "$LOG" ||
		die "the benchmark failed in the guest (see $LOG)"
	exit 0
fi

if [ "$mode" = demo ]; then
	sed -n '/^MMFDEV-GUEST: kernel=/,/^MMFDEV-GUEST: kernel log follows/p' \
		"$LOG" | grep -v 'kernel log follows'
	rc=$(sed -n 's/^MMFDEV-GUEST-DONE rc=//p' "$LOG")
	[ "${rc:-x}" = 0 ] || die "the demo failed in the guest (see $LOG)"
	! "$TOP/scripts/judge.sh" "$LOG" "$lane" |
		grep -E '^not ok - .*(kernel trouble|never re)' ||
		die "the guest log shows trouble (see $LOG)"
	exit 0
fi

judge
sed -n '/^MMFDEV-GUEST: kernel=/,/^MMFDEV-GUEST: kernel log follows/p' \
	"$LOG" | grep -v 'kernel log follows'
grep -e '^not ok - ' -A5 -e "^# $lane: " "$dir/result.tap" || true
read -r p f s t r ps < "$dir/result"
echo "lane $lane: kernel $r, page size $ps: $p passed, $f failed, $s skipped in ${t}s"
[ "$RESULT_FAIL" -eq 0 ]
