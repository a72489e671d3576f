#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# pi5-dt-check.sh [DIR]: check the Raspberry Pi 5 overlays in driver/dts
# against device trees, without a board and without the network.
#
# DIR is an extracted Debian kernel package tree (linux-base-<rel>, which
# holds usr/lib/modules/<rel>/dtb/broadcom/).  For each
# bcm2712-rpi-5-b.dtb and bcm2712-d-rpi-5-b.dtb found under it, the
# mainline overlay is applied with fdtoverlay; Raspberry Pi OS's overlay is
# applied to driver/dts/test/rpios-bcm2712-standin.dts.  Each merged tree
# must have exactly one "mmfdev,device" node under the RP1 bus, with the
# expected reg, reg-names "io rio pads" and mmfdev,shared; its windows must
# be those of the tree's own RP1 GPIO node, and must translate through
# every "ranges" up to the root to CPU 0x1f000d0000, 0x1f000e0000 and
# 0x1f000f0000.  Each overlay must be refused by the other tree.
#
# Needs dtc, fdtoverlay and fdtget (device-tree-compiler).  Prints only TAP
# lines, "ok - pi5 dt: ..." or "not ok - pi5 dt: ...", and exits 0 even when
# a check fails: the caller counts the "not ok" lines.  Without DIR, or when
# DIR has no such dtb, the Debian checks are reported as skipped.

set -u

TOP=$(cd "$(dirname "$0")/.." && pwd)
DTS=$TOP/driver/dts
MAINLINE_DTS=$DTS/mmfdev-rpi5-overlay.dts
RPIOS_DTS=$DTS/mmfdev-rpi5-rpios-overlay.dts
STANDIN_DTS=$DTS/test/rpios-bcm2712-standin.dts

# What the merged trees must contain.
MAINLINE_BUS_LABEL=pci_ep_bus
RPIOS_BUS_LABEL=rp1
MAINLINE_REG="0 400d0000 0 c000 0 400e0000 0 c000 0 400f0000 0 c000"
RPIOS_REG="c0 400d0000 0 c000 c0 400e0000 0 c000 c0 400f0000 0 c000"
REG_NAMES="io rio pads"
CPU_WINDOWS="1f000d0000 1f000e0000 1f000f0000"
DEV_NAME=mmfdev-1f000d0000.mmfdev
PAGE_16K=$((0x4000))

if [ $# -gt 1 ] || { [ $# -eq 1 ] && [ ! -d "$1" ]; }; then
	echo "usage: $0 [DIR]  (DIR: an extracted kernel package tree)" >&2
	exit 2
fi
DIR=${1:-}

ok() { echo "ok - pi5 dt: $*"; }
not_ok() { echo "not ok - pi5 dt: $*"; }
skip() { echo "ok - pi5 dt: $1 # SKIP $2"; }
check() { # check WHAT COMMAND...: one TAP line from the command's status
	local what=$1
	shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}

missing=
for tool in dtc fdtoverlay fdtget; do
	command -v "$tool" > /dev/null || missing="$missing $tool"
done
if [ -n "$missing" ]; then
	not_ok "device-tree-compiler is installed (missing:$missing)"
	exit 0
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# compile NAME SOURCE OUTPUT [DTC-OPTION...]: dtc -@, warnings are failures
compile() {
	local name=$1 src=$2 out=$3 log
	shift 3
	if ! log=$(dtc -@ "$@" -I dts -O dtb -o "$out" "$src" 2>&1); then
		not_ok "$name compiles with dtc -@ ($(echo "$log" | head -n 1))"
		return 1
	fi
	if [ -n "$log" ]; then
		not_ok "$name compiles with dtc -@ without warnings ($(echo "$log" |
			head -n 1))"
		return 1
	fi
	ok "$name compiles with dtc -@ without warnings"
}

# cells_of DTB NODE PROP DEFAULT: a #address-cells/#size-cells value
cells_of() {
	fdtget -t u "$1" "$2" "$3" 2> /dev/null || echo "$4"
}

# bus_type DTB NODE: how the kernel matches addresses on NODE's children:
# pci (device_type "pci": I/O must meet I/O and memory memory), flags
# (3 address cells: the first cell must be equal) or default (numbers)
bus_type() {
	if [ "$(fdtget "$1" "$2" device_type 2> /dev/null)" = pci ]; then
		echo pci
	elif [ "$(cells_of "$1" "$2" '#address-cells' 2)" -eq 3 ]; then
		echo flags
	else
		echo default
	fi
}

# pci_space CELL: the kind of PCI address a phys.hi cell gives
pci_space() {
	case $(((0x$1 >> 24) & 3)) in
	1) echo io ;;
	2 | 3) echo mem ;;
	*) echo config ;;
	esac
}

# num CELL...: the number the last one or two hex cells make
num() {
	if [ $# -ge 2 ]; then
		shift $(($# - 2))
		echo $(((0x$1 << 32) | 0x$2))
	else
		echo $((0x$1))
	fi
}

# translate DTB NODE LENGTH CELL...: translate the address CELL... in
# NODE's parent's address space through every "ranges" up to the root, as
# of_translate_address() does, checking that LENGTH bytes fit in every
# window; print the CPU address in hex
translate() {
	local dtb=$1 node=$2 len=$3
	shift 3
	local -a addr=("$@") r child par
	local bus parent na ns pna type ptype fna pfna i n da cp size off hit
	while :; do
		bus=${node%/*}
		[ -n "$bus" ] || break
		parent=${bus%/*}
		[ -n "$parent" ] || parent=/
		na=$(cells_of "$dtb" "$bus" '#address-cells' 2)
		ns=$(cells_of "$dtb" "$bus" '#size-cells' 1)
		pna=$(cells_of "$dtb" "$parent" '#address-cells' 2)
		read -ra r <<< "$(fdtget -t x "$dtb" "$bus" ranges 2> /dev/null ||
			echo none)"
		if [ "${r[*]}" = none ]; then
			return 1        # no ranges: not translatable
		fi
		if [ ${#r[@]} -eq 0 ]; then
			[ "$na" -eq "$pna" ] || return 1
			node=$bus       # empty ranges: 1:1
			continue
		fi
		type=$(bus_type "$dtb" "$bus")
		ptype=$(bus_type "$dtb" "$parent")
		[ "$parent" = / ] && ptype=default
		fna=0
		[ "$type" = default ] || fna=1
		pfna=0
		[ "$ptype" = default ] || pfna=1
		da=$(num "${addr[@]:fna}")
		hit=
		n=$((na + pna + ns))
		for ((i = 0; i + n <= ${#r[@]}; i += n)); do
			child=("${r[@]:i:na}")
			par=("${r[@]:i+na:pna}")
			size=$(num "${r[@]:i+na+pna:ns}")
			if [ "$type" = pci ] && [ "$(pci_space "${addr[0]}")" != \
				"$(pci_space "${child[0]}")" ]; then
				continue
			fi
			if [ "$type" = flags ] &&
				((0x${addr[0]} != 0x${child[0]})); then
				continue
			fi
			cp=$(num "${child[@]:fna}")
			((da >= cp && da + len <= cp + size)) || continue
			off=$((da - cp + $(num "${par[@]:pfna}")))
			addr=()
			[ "$pfna" -eq 1 ] && addr=("${par[0]}")
			if [ $((pna - pfna)) -ge 2 ]; then
				addr+=("$(printf '%x' $((off >> 32)))")
			elif ((off >> 32)); then
				return 1
			fi
			addr+=("$(printf '%x' $((off & 0xffffffff)))")
			hit=1
			break
		done
		[ -n "$hit" ] || return 1
		node=$bus
	done
	printf '%x\n' "$(num "${addr[@]}")"
}

# nodes_with DTB BUS COMPATIBLE: the paths of BUS's children that have it
nodes_with() {
	local dtb=$1 bus=$2 want=$3 sub c
	for sub in $(fdtget -l "$dtb" "$bus" 2> /dev/null); do
		for c in $(fdtget "$dtb" "$bus/$sub" compatible 2> /dev/null); do
			if [ "$c" = "$want" ]; then
				echo "$bus/$sub"
				break
			fi
		done
	done
}

# windows_translate DTB NODE: every reg window of NODE reaches the CPU at
# CPU_WINDOWS, each start and length a multiple of 16 KiB
windows_translate() {
	local dtb=$1 node=$2 bus na ns i cpu len got=
	local -a reg
	bus=${node%/*}
	na=$(cells_of "$dtb" "$bus" '#address-cells' 2)
	ns=$(cells_of "$dtb" "$bus" '#size-cells' 1)
	read -ra reg <<< "$(fdtget -t x "$dtb" "$node" reg)"
	for ((i = 0; i + na + ns <= ${#reg[@]}; i += na + ns)); do
		len=$(num "${reg[@]:i+na:ns}")
		cpu=$(translate "$dtb" "$node" "$len" "${reg[@]:i:na}") ||
			return 1
		(((0x$cpu | len) % PAGE_16K == 0)) || return 1
		got="$got $cpu"
	done
	[ "${got# }" = "$CPU_WINDOWS" ]
}

# check_merged NAME DTB LABEL REG: the checks on one merged tree
check_merged() {
	local name=$1 dtb=$2 label=$3 want_reg=$4 bus nodes node gpio what
	bus=$(fdtget "$dtb" /__symbols__ "$label" 2> /dev/null)
	if [ -z "$bus" ]; then
		not_ok "$name: the RP1 bus is labelled $label"
		return
	fi
	nodes=$(nodes_with "$dtb" "$bus" mmfdev,device)
	if [ -z "$nodes" ] || [ "$(echo "$nodes" | wc -l)" -ne 1 ]; then
		not_ok "$name: one mmfdev,device node under $bus (found:" \
			"$(echo "$nodes" | tr '\n' ' '))"
		return
	fi
	node=$nodes
	ok "$name: one mmfdev,device node, $node"
	check "$name: reg is <$want_reg>" \
		test "$(fdtget -t x "$dtb" "$node" reg 2> /dev/null)" = "$want_reg"
	check "$name: reg-names is \"$REG_NAMES\"" \
		test "$(fdtget "$dtb" "$node" reg-names 2> /dev/null)" = "$REG_NAMES"
	check "$name: mmfdev,shared is present and empty" \
		test "$(fdtget -t x "$dtb" "$node" mmfdev,shared 2> /dev/null ||
			echo absent)" = ""
	gpio=$(nodes_with "$dtb" "$bus" raspberrypi,rp1-gpio | head -n 1)
	what="$name: the windows are those of the RP1 GPIO node ${gpio:-(none)}"
	if [ -n "$gpio" ] && [ "$(fdtget -t x "$dtb" "$node" reg)" = \
		"$(fdtget -t x "$dtb" "$gpio" reg 2> /dev/null)" ]; then
		ok "$what"
	else
		not_ok "$what"
	fi
	what="$name: the windows translate to CPU 0x${CPU_WINDOWS// /, 0x},"
	what="$what 16 KiB-aligned (/dev/$DEV_NAME)"
	if windows_translate "$dtb" "$node"; then
		ok "$what"
	else
		not_ok "$what"
	fi
}

# refused NAME DTB DTBO: fdtoverlay must fail to apply DTBO to DTB
refused() {
	local log
	if log=$(fdtoverlay -i "$2" -o "$TMP/refused.dtb" "$3" 2>&1); then
		not_ok "$1 (it applied)"
	else
		ok "$1 ($(echo "$log" | grep -o 'FDT_ERR_[A-Z_]*' | head -n 1))"
	fi
}

# apply NAME BASE DTBO OUT LABEL: fdtoverlay must apply DTBO to BASE,
# whose RP1 bus should be labelled LABEL
apply() {
	local log why
	if log=$(fdtoverlay -i "$2" -o "$4" "$3" 2>&1); then
		ok "$1"
		return 0
	fi
	why=$(echo "$log" | grep -o 'FDT_ERR_[A-Z_]*' | head -n 1)
	[ -n "$why" ] || why=$(echo "$log" | grep -v '^$' | head -n 1)
	if ! fdtget "$2" /__symbols__ "$5" > /dev/null 2>&1; then
		why="$why; the tree has no $5 label, so no RP1 bus to target"
	fi
	not_ok "$1 ($why)"
	return 1
}

have_mainline=
have_rpios=
compile mmfdev-rpi5-overlay.dts "$MAINLINE_DTS" "$TMP/mainline.dtbo" &&
	have_mainline=1
compile mmfdev-rpi5-rpios-overlay.dts "$RPIOS_DTS" "$TMP/rpios.dtbo" &&
	have_rpios=1

# Raspberry Pi OS: the stand-in tree.  Its axi and rp1 nodes have ranges
# and no unit address, as in Raspberry Pi OS's own tree.
if compile test/rpios-bcm2712-standin.dts "$STANDIN_DTS" "$TMP/standin.dtb" \
	-W no-unit_address_vs_reg; then
	if [ -n "$have_rpios" ] &&
		apply "stand-in: the Raspberry Pi OS overlay applies" \
			"$TMP/standin.dtb" "$TMP/rpios.dtbo" \
			"$TMP/standin-rpios.dtb" "$RPIOS_BUS_LABEL"; then
		check_merged stand-in "$TMP/standin-rpios.dtb" \
			"$RPIOS_BUS_LABEL" "$RPIOS_REG"
	fi
	if [ -n "$have_mainline" ]; then
		refused "stand-in: the mainline overlay is refused" \
			"$TMP/standin.dtb" "$TMP/mainline.dtbo"
	fi
fi

# Debian: the mainline trees from the kernel package.
n=0
for base in bcm2712-rpi-5-b.dtb bcm2712-d-rpi-5-b.dtb; do
	found=
	if [ -n "$DIR" ]; then
		found=$(find "$DIR" -name "$base" -type f 2> /dev/null | sort)
	fi
	if [ -z "$found" ]; then
		skip "$base" "not found under ${DIR:-(no DIR given)}"
		continue
	fi
	while IFS= read -r dtb; do
		n=$((n + 1))
		name=${dtb#"$DIR"}
		name=${name#/}
		name=${name#usr/lib/modules/}
		if [ -n "$have_mainline" ] &&
			apply "$name: the mainline overlay applies" "$dtb" \
				"$TMP/mainline.dtbo" "$TMP/debian-$n.dtb" \
				"$MAINLINE_BUS_LABEL"; then
			check_merged "$name" "$TMP/debian-$n.dtb" \
				"$MAINLINE_BUS_LABEL" "$MAINLINE_REG"
		fi
		if [ -n "$have_rpios" ]; then
			refused "$name: the Raspberry Pi OS overlay is refused" \
				"$dtb" "$TMP/rpios.dtbo"
		fi
	done <<< "$found"
done
exit 0
