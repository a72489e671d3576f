#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0-only
#
# /init of the mmfdev test initramfs.  scripts/lane.sh puts MODE (check or
# demo) in /etc/mmfdev.conf.  Everything goes to the console, which the
# host reads: the MMFDEV-GUEST lines, the TAP output, and at the end the
# kernel log, which the host scans for WARN/BUG/Oops.
/bin/busybox --install -s /bin
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
. /etc/mmfdev.conf

ko=/lib/modules/mmfdev.ko
kb=$(awk '/^KernelPageSize:/ { print $2; exit }' /proc/self/smaps)
echo "MMFDEV-GUEST: kernel=$(uname -r) arch=$(uname -m) page_size=$((kb * 1024))"

# The tests reload the module with the same options, and know what the
# host put in the ivshmem file.
export MMFDEV_MODULE=$ko MMFDEV_MODULE_OPTIONS="$MODULE_OPTIONS"
export MMFDEV_IVSHMEM_TOKEN="$IVSHMEM_TOKEN" MMFDEV_DT_NODE="$DT_NODE"
export MMFDEV_DT_SHARED_NODE="$DT_SHARED_NODE" MMFDEV_DT_GPIO_NODE="$DT_GPIO_NODE"

# A RAM disk, when the kernel has brd: O_DIRECT needs a block device.
# The sanitizer kernel has it built in.
if [ -f /lib/modules/brd.ko ]; then
	insmod /lib/modules/brd.ko rd_nr=1 rd_size=8192
fi
[ -b /dev/ram0 ] && export MMFDEV_BLOCK_DEVICE=/dev/ram0

# The dma-buf importers for dma_test, when the kernel has them as modules,
# each after what it needs: vgem, and two vivid capture devices, one for
# each of its allocators (vmalloc, dma-contig).
for m in /lib/modules/importers/*.ko; do
	case $m in
	*-vivid.ko) insmod "$m" n_devs=2 node_types=0x1,0x1 allocators=0,1 ;;
	*.ko) [ -f "$m" ] && insmod "$m" ;;
	esac
done

# The sanitizer lane: fault injection ready for fail-nth (which needs
# failslab and fail_page_alloc to consider every allocation, quietly),
# and a kmemleak baseline, so the scan at the end reports only what
# leaked while the tests ran.
if [ "$HARDEN" = 1 ]; then
	mount -t debugfs debugfs /sys/kernel/debug
	for f in /sys/kernel/debug/failslab /sys/kernel/debug/fail_page_alloc; do
		echo N > "$f/ignore-gfp-wait"
		echo 0 > "$f/verbose"
	done
	echo N > /sys/kernel/debug/fail_page_alloc/ignore-gfp-highmem
	echo 0 > /sys/kernel/debug/fail_page_alloc/min-order
	echo clear > /sys/kernel/debug/kmemleak
fi
# The events suite's long ping-pong: shorter where syscalls are slower.
export MMFDEV_PINGPONG=$PINGPONG

# run_trinity N: trinity makes N system calls, from 4 children, on
# mknod copies of every mmfdev node (its "pseudo" file descriptors, the
# only kind enabled: -V names their files), but two whose hardware turns a stray
# register write into something no driver can answer for: edu, whose DMA
# engine then writes wherever the bytes say (no IOMMU here), or makes
# QEMU abort on a range outside its buffer; and the node that shares the
# console UART's registers, whose writes can silence the console.  The
# seed is printed, so that "trinity -s SEED" with the same options replays
# the run.
run_trinity() {
	local v=/tmp/victims n name dev skip seed calls out t
	mkdir -p $v
	for n in /dev/mmfdev /dev/mmfdev-*; do
		name=${n#/dev/}
		skip=
		case $name in
		"$DT_SHARED_NODE") skip="the console UART's registers" ;;
		mmfdev-pci-*)
			dev=/sys/bus/pci/devices/${name#mmfdev-pci-}
			[ "$(cat $dev/vendor):$(cat $dev/device)" = 0x1234:0x11e8 ] &&
				skip="edu: its DMA engine reaches all of memory"
			;;
		esac
		if [ -n "$skip" ]; then
			echo "# trinity: not on $n ($skip)"
			continue
		fi
		dev=$(cat /sys/class/misc/$name/dev)
		mknod $v/$name c ${dev%:*} ${dev#*:}
	done
	seed=$(($(date +%s) % 1000000))
	# poll(2) is ppoll(2) on arm64.
	calls="ioctl mmap munmap mremap madvise read write pread64 pwrite64 close fsync"
	if [ "$(uname -m)" = x86_64 ]; then calls="$calls poll"; else calls="$calls ppoll"; fi
	echo "# trinity: $1 calls, seed $seed, on: $(ls $v | tr '\n' ' ')"
	echo "# trinity: calls: $calls"
	out=/tmp/trinity.out
	t=$(cut -d' ' -f1 /proc/uptime)
	# Its output as it comes, for a run that stops half way.
	{
		cd /tmp && timeout 900 trinity --dangerous -q -l off --stats \
			-V $v -N "$1" -C 4 -s "$seed" --enable-fds=pseudo \
			$(for c in $calls; do printf -- '-c %s ' $c; done)
		echo $? > /tmp/trinity.rc
	} 2>&1 | tee $out | sed 's/^/# trinity: /'
	n=$(cat /tmp/trinity.rc)
	if [ "$n" = 0 ]; then
		echo "ok 1 trinity: $1 calls on the nodes, seed $seed, in $(awk -v t=$t '{ printf "%d", $1 - t }' /proc/uptime) s"
	else
		tail -n 20 $out | sed 's/^/# /'
		echo "not ok 1 trinity: exit $n, seed $seed"
		return 1
	fi
}

rc=0
if ! insmod "$ko" $MODULE_OPTIONS; then
	echo "MMFDEV-GUEST: insmod $ko failed"
	rc=1
elif [ "$MODE" = bench ]; then
	# The huge-mapping lines want a 1 GiB RAM region (the guest has 3 GiB).
	if ! rmmod mmfdev || ! insmod "$ko" $MODULE_OPTIONS size=1G; then
		echo "MMFDEV-GUEST: cannot reload mmfdev with size=1G"
		rc=1
		[ -e /dev/mmfdev ] || insmod "$ko" $MODULE_OPTIONS
	fi
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor"):$(cat "$d/device")" = 0x1234:0x11e8 ] &&
			export MMFDEV_BENCH_PCI="mmfdev-pci-${d##*/}"
	done
	mmfdev_bench || rc=$?
elif [ "$MODE" = demo ]; then
	echo "MMFDEV-GUEST: /dev/mmfdev: $(ls -l /dev/mmfdev)"
	echo "MMFDEV-GUEST: running mmfdev-hello"
	mmfdev-hello /dev/mmfdev "hello from the guest" || rc=$?
	echo "MMFDEV-GUEST: the first bytes of the region, through read():"
	dd if=/dev/mmfdev bs=64 count=1 2>/dev/null | hexdump -C
	# Device memory: edu's registers, mapped, drive its factorial unit.
	edu=
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor"):$(cat "$d/device")" = 0x1234:0x11e8 ] &&
			edu=/dev/mmfdev-pci-${d##*/}
	done
	if [ -n "$edu" ]; then
		echo "MMFDEV-GUEST: running mmfdev-edu $edu 10"
		mmfdev-edu "$edu" 10 || rc=$?
	else
		echo "MMFDEV-GUEST: no edu device bound to mmfdev"
		rc=1
	fi
	rmmod mmfdev || rc=1
else
	ls /dev/mmfdev*
	# The suite's programs (tests/programs); x86_64 lanes add the same
	# suite built as 32-bit programs.
	suite=$(awk '!/^#/ && $2 == "suite" { print $1 }' /etc/mmfdev-programs)
	for t in $suite $(printf '%s32 ' $suite); do
		[ -x "/bin/$t" ] || continue
		# The 32-bit runs repeat the long ping-pong a tenth as long.
		case $t in *32) export MMFDEV_PINGPONG=$((PINGPONG / 10)) ;; esac
		echo "# $t (uptime $(cut -d' ' -f1 /proc/uptime) s)"
		"$t" || rc=$?
	done
	# The ring example: two processes, doorbells, nothing lost.
	if mmfdev-ring /dev/mmfdev 100000; then
		echo "ok 1 example: mmfdev-ring passes 100000 records"
	else
		echo "not ok 1 example: mmfdev-ring failed"
		rc=1
	fi
	# The Raspberry Pi 5 example, on the arm64 lanes' RP1-shaped RAM:
	# its writes must land at RP1's documented offsets.
	if [ -z "$DT_GPIO_NODE" ]; then
		echo "ok 1 example: mmfdev-rp1-gpio # SKIP no RP1-shaped node"
	elif mmfdev-rp1-gpio --self-check "$DT_GPIO_NODE" 17; then
		echo "ok 1 example: mmfdev-rp1-gpio writes at RP1's offsets"
	else
		echo "not ok 1 example: mmfdev-rp1-gpio --self-check failed"
		rc=1
	fi
	# mmfctl, with the module loaded; it reloads the module and
	# leaves it loaded with the same options.
	echo "# mmfctl_test.sh"
	mmfctl_test.sh || rc=$?
	# The sanitizer lane: every allocation failure the driver can meet.
	if [ "$HARDEN" = 1 ]; then
		echo "# fault_test (uptime $(cut -d' ' -f1 /proc/uptime) s)"
		skip=
		for t in $FAULT_SKIP; do
			echo "# fault_test: $t is left to the other sanitizer lane"
			skip="$skip -T $t"
		done
		# shellcheck disable=SC2086 # one -T NAME per word
		fault_test $skip || rc=$?
	fi
	# Load/unload, bind/unbind and kill -9, as many times as the lane says.
	if [ -n "$ENDURANCE" ]; then
		echo "# endurance_test $ENDURANCE (uptime $(cut -d' ' -f1 /proc/uptime) s)"
		IFS=: read -r c b s <<-EOF
		$ENDURANCE
		EOF
		MMFDEV_ENDURANCE_CYCLES=$c MMFDEV_ENDURANCE_BINDS=$b \
			MMFDEV_ENDURANCE_SECONDS=$s endurance_test || rc=$?
	fi
	# A fuzzer someone else wrote: Debian's trinity, on copies of the
	# nodes, with the calls that reach the driver, then the unload.
	if [ -n "$TRINITY" ]; then
		echo "# trinity (uptime $(cut -d' ' -f1 /proc/uptime) s)"
		run_trinity "$TRINITY" || rc=1
	fi
	# Unload at the end too: a leak or a WARN on exit shows in the log.
	rmmod mmfdev || rc=1
	echo "# done (uptime $(cut -d' ' -f1 /proc/uptime) s)"
	if [ "$HARDEN" = 1 ]; then
		# Objects must be a few seconds old before kmemleak reports
		# them; the second scan confirms what the first one saw.
		sleep 6
		echo scan > /sys/kernel/debug/kmemleak
		sleep 1
		echo scan > /sys/kernel/debug/kmemleak
		echo "MMFDEV-GUEST: kmemleak report follows"
		cat /sys/kernel/debug/kmemleak
		echo "MMFDEV-GUEST: kmemleak report ends"
	fi
	# Kernel lockdown, last: nothing undoes it.  The module is loaded
	# unlocked (the kernel refuses unsigned modules once locked), then
	# lockdown_test locks the kernel down and checks what still opens.
	if [ "$LOCKDOWN" = 1 ]; then
		mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
		echo "# lockdown_test (uptime $(cut -d' ' -f1 /proc/uptime) s)"
		if insmod "$ko" $MODULE_OPTIONS; then
			MMFDEV_LOCKDOWN=1 lockdown_test || rc=$?
			rmmod mmfdev || rc=1
		else
			echo "not ok 1 lockdown: insmod $ko failed"
			rc=1
		fi
	fi
fi

echo "MMFDEV-GUEST: kernel log follows"
dmesg
echo "MMFDEV-GUEST-DONE rc=$rc"
poweroff -f
