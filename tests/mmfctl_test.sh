#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# mmfctl in a guest with the mmfdev module loaded, as TAP lines
# "ok N mmfctl: ...".  Plain POSIX sh, for busybox.  Exit 0 when every
# test passed.
#
# MMFCTL: the program (default mmfctl, from PATH).  MMFDEV_MODULE and
# MMFDEV_MODULE_OPTIONS: the .ko and the options it was loaded with; the
# module tests reload it with them at the end.  Without MMFDEV_MODULE
# those tests skip.
M=${MMFCTL:-mmfctl}
T=${TMPDIR:-/tmp}/mmfctl-test.$$
mkdir -p "$T" || exit 1
trap 'rm -rf "$T"' EXIT

n=0 failed=0
pass() { n=$((n + 1)); echo "ok $n mmfctl: $1"; }
fail() {
	n=$((n + 1))
	echo "not ok $n mmfctl: $1"
	failed=1
	# What the last command said, for the log.
	[ -s "$T/out" ] && sed 's/^/#   out: /' "$T/out" | head -n 20
	[ -s "$T/err" ] && sed 's/^/#   err: /' "$T/err" | head -n 5
}
skip() { n=$((n + 1)); echo "ok $n mmfctl: $1 # SKIP $2"; }

# run CMD...: runs it with stdout in $T/out, stderr in $T/err; sets rc.
run() {
	"$@" > "$T/out" 2> "$T/err"
	rc=$?
}

# expect RC DESCRIPTION CMD...: passes when CMD exits with RC.
expect() {
	want=$1 what=$2
	shift 2
	run "$@"
	if [ "$rc" = "$want" ]; then pass "$what"; else
		echo "#   exit status $rc, not $want"
		fail "$what"
	fi
}

# expect_out DESCRIPTION EXPECTED CMD...: exit 0 and stdout exactly so.
expect_out() {
	what=$1 want=$2
	shift 2
	run "$@"
	if [ "$rc" = 0 ] && [ "$(cat "$T/out")" = "$want" ]; then
		pass "$what"
	else
		echo "#   exit status $rc; wanted:"
		printf '%s\n' "$want" | sed 's/^/#   want: /'
		fail "$what"
	fi
}

# expect_err RC ERRNO DESCRIPTION CMD...: exits RC, says "(ERRNO)".
expect_err() {
	want=$1 errno=$2 what=$3
	shift 3
	run "$@"
	if [ "$rc" = "$want" ] && grep -q "^mmfctl: .*($errno)\$" "$T/err"; then
		pass "$what"
	else
		echo "#   exit status $rc, not $want, or no ($errno)"
		fail "$what"
	fi
}

echo "TAP version 13"

# --- usage ------------------------------------------------------------------
expect 0 "--help exits 0" "$M" --help
expect 0 "--version exits 0" "$M" --version
if grep -q "^mmfctl (libmmfdev) [0-9]" "$T/out"; then
	pass "--version names the library's version"
else
	fail "--version names the library's version"
fi
cmds=$("$M" --help | sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p')
ncmds=0 helps=0
for c in $cmds; do
	ncmds=$((ncmds + 1))
	run "$M" "$c" --help
	if [ "$rc" = 0 ] && grep -q "^Usage: mmfctl $c" "$T/out"; then
		helps=$((helps + 1))
	else
		echo "#   $c --help: exit status $rc"
	fi
done
if [ "$ncmds" -ge 10 ] && [ "$helps" = "$ncmds" ]; then
	pass "--help of each of the $ncmds commands exits 0"
else
	fail "--help of each command exits 0 ($helps of $ncmds)"
fi
expect 1 "no command is a usage error" "$M"
expect 1 "an unknown command is a usage error" "$M" frobnicate
expect 1 "an unknown option is a usage error" "$M" list --frob
expect 1 "too few arguments is a usage error" "$M" peek mmfdev ram
expect 1 "too many arguments is a usage error" "$M" peek mmfdev ram 0 0
expect 1 "a number with junk is a usage error" "$M" peek mmfdev ram 0x10q
expect 1 "a negative number is a usage error" "$M" peek mmfdev ram -4
expect 1 "a number past 64 bits is a usage error" \
	"$M" peek mmfdev ram 0x10000000000000000
expect 1 "a value wider than --width is a usage error" \
	"$M" poke --width 8 mmfdev ram 0 0x100
expect 1 "a width other than 8/16/32/64 is a usage error" \
	"$M" peek --width 12 mmfdev ram 0
if grep -q "^Try 'mmfctl peek --help'.\$" "$T/err"; then
	pass "a usage error points to the command's --help"
else
	fail "a usage error points to the command's --help"
fi
helps=0
for s in alloc free info sync; do
	run "$M" dma "$s" --help
	if [ "$rc" = 0 ] && grep -q "^Usage: mmfctl dma $s " "$T/out"; then
		helps=$((helps + 1))
	else
		echo "#   dma $s --help: exit status $rc"
	fi
done
if [ "$helps" = 4 ]; then
	pass "--help of each dma subcommand exits 0"
else
	fail "--help of each dma subcommand exits 0 ($helps of 4)"
fi
expect 1 "dma without a subcommand is a usage error" "$M" dma
expect 1 "an unknown dma subcommand is a usage error" "$M" dma frobnicate
expect 1 "dma alloc of an unknown kind is a usage error" \
	"$M" dma alloc mmfdev bogus 1M
expect 1 "dma alloc of a size with junk is a usage error" \
	"$M" dma alloc mmfdev streaming 1Q
expect 1 "dma alloc of a size past 64 bits is a usage error" \
	"$M" dma alloc mmfdev streaming 17179869184G
expect 1 "dma free of an index past 32 bits is a usage error" \
	"$M" dma free mmfdev 0x100000000
expect 1 "dma sync without a direction is a usage error" \
	"$M" dma sync --for-cpu mmfdev 0
expect 1 "dma sync without a side is a usage error" \
	"$M" dma sync --to-device mmfdev 0
expect 1 "dma sync with two directions is a usage error" \
	"$M" dma sync --to-device --from-device --for-device mmfdev 0
expect 1 "dma sync of 0 bytes is a usage error" \
	"$M" dma sync --from-device --for-cpu --length 0 mmfdev 0
expect 1 "dma info with too many arguments is a usage error" \
	"$M" dma info mmfdev 0 1
if grep -q "^Try 'mmfctl dma info --help'.\$" "$T/err"; then
	pass "a dma usage error points to the subcommand's --help"
else
	fail "a dma usage error points to the subcommand's --help"
fi

# --- errors from the system -------------------------------------------------
expect_err 2 ENOENT "a missing device exits 2, naming ENOENT" \
	"$M" peek mmfdev-no-such-device ram 0
if grep -qx "mmfctl: peek: /dev/mmfdev-no-such-device: No such file or directory (ENOENT)" "$T/err"; then
	pass "the error names the command, the node and the errno"
else
	fail "the error names the command, the node and the errno"
fi
expect_err 2 ENODEV "a node of another driver exits 2, naming ENODEV" \
	"$M" info /dev/null
expect_err 2 ENOENT "a missing region exits 2, naming ENOENT" \
	"$M" peek /dev/mmfdev no-such-region 0
expect_err 2 ENXIO "a range past the region's end exits 2, naming ENXIO" \
	"$M" dump mmfdev ram 0x100000000
expect_err 2 EOPNOTSUPP "dma alloc on the RAM node exits 2 (EOPNOTSUPP)" \
	"$M" dma alloc mmfdev streaming 1M
expect_err 2 EOPNOTSUPP "dma info on the RAM node exits 2 (EOPNOTSUPP)" \
	"$M" dma info mmfdev

# --- list and info ----------------------------------------------------------
ram_size=$(awk '$2 == "ram" { print $4 }' /sys/class/misc/mmfdev/regions)
expect 0 "list exits 0" "$M" list
sed 's/^/# /' "$T/out"
if grep -q "^DEVICE  *IDX  *REGION  *KIND  *SIZE  *OFFSET  *FLAGS  *CACHE\$" "$T/out" &&
   grep -q "^mmfdev  *0  *ram  *ram  *$ram_size  *0x0  *read,write,mmap  *[a-z,]*wb\*[a-z,]*$" "$T/out"; then
	pass "list shows /dev/mmfdev's RAM region"
else
	fail "list shows /dev/mmfdev's RAM region"
fi
expect 0 "list --json exits 0" "$M" list --json
j=$T/out
if [ "$(head -n 1 "$j")" = "{" ] && [ "$(tail -n 1 "$j")" = "}" ] &&
   grep -q '^  "devices": \[' "$j" &&
   grep -q '"path": "/dev/mmfdev",' "$j" &&
   grep -q "{\"index\": 0, \"name\": \"ram\", \"kind\": \"ram\", \"size\": $((ram_size)), \"offset\": 0, \"flags\": \[\"read\", \"write\", \"mmap\"\]" "$j" &&
   grep -q '"name": "doorbell0", "kind": "doorbell", "trigger": "edge", "flags": \["can_ring"\]' "$j" &&
   [ "$(tr -cd '{' < "$j" | wc -c)" = "$(tr -cd '}' < "$j" | wc -c)" ] &&
   [ "$(tr -cd '[' < "$j" | wc -c)" = "$(tr -cd ']' < "$j" | wc -c)" ]; then
	pass "list --json has the devices, regions and lines, balanced"
else
	fail "list --json has the devices, regions and lines, balanced"
fi
expect 0 "info exits 0" "$M" info mmfdev
sed 's/^/# /' "$T/out"
if grep -qx "device: mmfdev" "$T/out" && grep -qx "path: /dev/mmfdev" "$T/out" &&
   grep -q "^  *0  *doorbell0  *doorbell  *edge  *can_ring  *[0-9]*\$" "$T/out"; then
	pass "info shows the device, its regions and event lines"
else
	fail "info shows the device, its regions and event lines"
fi

# --- poke, peek, fill and dump on the RAM region ----------------------------
expect 0 "fill exits 0" "$M" fill --value 0xab mmfdev ram 0 0x40
expect 0 "poke exits 0" "$M" poke mmfdev ram 0x10 0x11223344
expect_out "dump shows the poked value in the filled range" \
"00000000  ab ab ab ab ab ab ab ab  ab ab ab ab ab ab ab ab  |................|
00000010  44 33 22 11 ab ab ab ab  ab ab ab ab ab ab ab ab  |D3\".............|
00000020  ab ab ab ab ab ab ab ab  ab ab ab ab ab ab ab ab  |................|
*
00000040" "$M" dump mmfdev ram 0 0x40
expect_out "dump -v prints every line, from an offset" \
"00000028  ab ab ab ab ab ab ab ab  ab ab ab ab ab ab ab ab  |................|
00000038  ab ab ab ab ab                                    |.....|
0000003d" "$M" dump -v /dev/mmfdev 0 0x28 0x15
expect_out "peek reads the 32-bit value back" 0x11223344 \
	"$M" peek mmfdev ram 0x10
expect_out "peek --width 8" 0x11 "$M" peek --width 8 mmfdev ram 0x13
expect_out "peek --width 16" 0x1122 "$M" peek --width 16 mmfdev ram 0x12
expect_out "peek --width 64" 0xabababab11223344 \
	"$M" peek -w 64 mmfdev ram 0x10
expect 0 "poke --width 64" "$M" poke --width 64 mmfdev 0 0x18 0x0102030405060708
expect_out "peek --width 64 after poke --width 64" 0x0102030405060708 \
	"$M" peek --width 64 mmfdev 0 0x18
if command -v hexdump > /dev/null &&
   [ "$("$M" dump mmfdev ram 0 0x40)" = \
     "$(dd if=/dev/mmfdev bs=64 count=1 2> /dev/null | hexdump -C)" ]; then
	pass "dump prints what hexdump -C prints of the node"
else
	fail "dump prints what hexdump -C prints of the node"
fi

# --- save and load ------------------------------------------------------------
dd if=/dev/urandom of="$T/pattern" bs=1024 count=300 2> /dev/null
expect 0 "load exits 0" "$M" load "$T/pattern" mmfdev ram
expect 0 "save exits 0" "$M" save mmfdev ram "$T/saved"
if [ ! -s "$T/err" ]; then
	pass "save prints nothing when stderr is not a terminal"
else
	fail "save prints nothing when stderr is not a terminal"
fi
want=$(sha256sum < "$T/pattern" | cut -d' ' -f1)
got=$(head -c $((300 * 1024)) "$T/saved" | sha256sum | cut -d' ' -f1)
size=$(wc -c < "$T/saved")
if [ "$want" = "$got" ] && [ "$size" -eq $((ram_size)) ]; then
	pass "save after load holds the loaded bytes, and the whole region"
else
	echo "#   sha256 $got, not $want; $size bytes, not $((ram_size))"
	fail "save after load holds the loaded bytes, and the whole region"
fi
got=$("$M" save mmfdev ram - | sha256sum | cut -d' ' -f1)
if [ "$got" = "$(sha256sum < "$T/saved" | cut -d' ' -f1)" ] &&
   [ "$got" = "$(sha256sum < /dev/mmfdev | cut -d' ' -f1)" ]; then
	pass "save to stdout matches the file and the node's bytes"
else
	fail "save to stdout matches the file and the node's bytes"
fi
dd if=/dev/zero of="$T/big" bs=1 count=1 seek=$((ram_size)) 2> /dev/null
expect_err 2 EFBIG "load of a file larger than the region exits 2 (EFBIG)" \
	"$M" load "$T/big" mmfdev ram
expect 0 "fill of the whole region exits 0" "$M" fill mmfdev ram
if [ "$(sha256sum < /dev/mmfdev | cut -d' ' -f1)" = \
     "$(head -c $((ram_size)) /dev/zero | sha256sum | cut -d' ' -f1)" ]; then
	pass "fill without --value zeroes the region"
else
	fail "fill without --value zeroes the region"
fi

# --- device memory: QEMU's edu ----------------------------------------------
edu=
for d in /sys/bus/pci/devices/*; do
	[ "$(cat "$d/vendor"):$(cat "$d/device")" = 0x1234:0x11e8 ] &&
		edu=mmfdev-pci-${d##*/}
done
if [ -n "$edu" ] && [ -e "/dev/$edu" ]; then
	"$M" info "$edu" | sed 's/^/# /'
	sed 's/^/# regions: /' "/sys/class/misc/$edu/regions"
	expect_out "peek of edu's ID register" 0x010000ed "$M" peek "$edu" bar0 0
	expect_out "peek of edu's ID register, by region index and path" \
		0x010000ed "$M" peek --width 32 "/dev/$edu" 0 0x0
	expect 0 "poke of edu's liveness register" \
		"$M" poke "$edu" bar0 4 0x12345678
	expect_out "peek of edu's liveness register: the complement" \
		0xedcba987 "$M" peek "$edu" bar0 4
	expect_out "dump --width 32 of edu's registers" \
"00000000  ed 00 00 01 87 a9 cb ed                           |........|
00000008" "$M" dump --width 32 "$edu" bar0 0 8
	expect_err 2 EINVAL "an unaligned MMIO peek exits 2 (EINVAL)" \
		"$M" peek "$edu" bar0 2
else
	skip "edu" "no edu device bound to mmfdev"
fi

# --- events -----------------------------------------------------------------
expect_err 2 ETIMEDOUT "wait that times out exits 2 (ETIMEDOUT)" \
	"$M" wait --timeout 100 mmfdev doorbell0
"$M" wait --timeout 30000 --count 3 mmfdev doorbell1 > "$T/wait" 2>&1 &
waiter=$!
rings=0
# The waiter counts what comes after it opened the node: ring until it
# has had enough.
while kill -0 "$waiter" 2> /dev/null && [ $rings -lt 60 ]; do
	"$M" ring mmfdev doorbell1 || break
	rings=$((rings + 1))
	sleep 1
done
wait "$waiter"
wrc=$?
if [ "$wrc" = 0 ] && grep -qx "doorbell1: 3 events" "$T/wait"; then
	pass "wait --count 3 returns after three rings ($rings rung)"
else
	sed 's/^/#   /' "$T/wait"
	fail "wait --count 3 returns after three rings (exit $wrc)"
fi
expect 0 "ring --count 5 by line index" "$M" ring --count 5 mmfdev 2
expect_err 2 ENOENT "wait on a missing line exits 2 (ENOENT)" \
	"$M" wait mmfdev no-such-line

# --- the module ---------------------------------------------------------------
if [ -z "$MMFDEV_MODULE" ] || ! "$M" --help | grep -q load-module; then
	skip "unload-module and load-module" "no MMFDEV_MODULE or no libkmod"
else
	expect 0 "unload-module exits 0" "$M" unload-module
	if [ ! -e /sys/module/mmfdev ] && [ ! -e /dev/mmfdev ]; then
		pass "the module is gone after unload-module"
	else
		fail "the module is gone after unload-module"
	fi
	expect_err 2 ENOENT "unload-module without the module exits 2 (ENOENT)" \
		"$M" unload-module
	# shellcheck disable=SC2086 # the options are words
	expect 0 "load-module --module with parameters exits 0" \
		"$M" load-module --module "$MMFDEV_MODULE" \
		$MMFDEV_MODULE_OPTIONS size=64K doorbells=2
	if [ "$(cat /sys/module/mmfdev/parameters/size 2> /dev/null)" = 65536 ] &&
	   [ "$(cat /sys/module/mmfdev/parameters/doorbells 2> /dev/null)" = 2 ] &&
	   "$M" info mmfdev > "$T/out" 2> "$T/err" &&
	   grep -qx "event lines: 2" "$T/out"; then
		pass "the module came back with the parameters given"
	else
		fail "the module came back with the parameters given"
	fi
	# shellcheck disable=SC2086
	expect_err 2 EEXIST "load-module of a loaded module exits 2 (EEXIST)" \
		"$M" load-module --module "$MMFDEV_MODULE" $MMFDEV_MODULE_OPTIONS
	expect 1 "load-module with an empty parameter is a usage error" \
		"$M" load-module --module "$MMFDEV_MODULE" ""
	"$M" unload-module
	# shellcheck disable=SC2086
	expect 0 "load-module with the lane's options exits 0" \
		"$M" load-module --module "$MMFDEV_MODULE" $MMFDEV_MODULE_OPTIONS
	i=0
	while [ ! -e /dev/mmfdev ] && [ $i -lt 50 ]; do
		sleep 1
		i=$((i + 1))
	done
	if [ -e /dev/mmfdev ] && { [ -z "$edu" ] || [ -e "/dev/$edu" ]; } &&
	   [ "$(awk '$2 == "ram" { print $4 }' /sys/class/misc/mmfdev/regions)" = "$ram_size" ]; then
		pass "the module is back as it was, its nodes too"
	else
		fail "the module is back as it was, its nodes too"
	fi
fi

echo "1..$n"
exit $failed
