#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Tests that need no VM, as TAP: the library builds and exports exactly
# its versioned symbols, every export is documented, the public header is
# strict C99, the library's error paths, checkpatch, no literal page size.
. "$(dirname "$0")/common.sh"

ensure_host_tools
"$TOP/scripts/get-kselftest.sh"
cd "$TOP"

n=0 failed=0
tap() { # tap RESULT DESCRIPTION
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n host: $2"; else
		echo "not ok $n host: $2"; failed=1; fi
}
run() { # run DESCRIPTION COMMAND...: ok when COMMAND succeeds
	local what=$1 out
	shift
	if out=$("$@" 2>&1); then tap 0 "$what"; else
		tap 1 "$what"
		printf '%s\n' "$out" | sed 's/^/#   /'
	fi
}

echo "TAP version 13"
run "library, example and tests build" \
	make -s lib examples host-tests tests

# mmfctl on a machine without mmfdev: usage, exit codes, no devices.
mmfctl=build/host/tools/mmfctl
run "mmfctl builds, and builds with KMOD=0" \
	sh -c 'make -s tools && make -s BUILD=build/host/nokmod KMOD=0 tools'
mmfctl_helps() {
	local c n=0
	"$mmfctl" --help >/dev/null || return 1
	for c in $("$mmfctl" --help | sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p'); do
		"$mmfctl" "$c" --help | grep -q "^Usage: mmfctl $c" || return 1
		n=$((n + 1))
	done
	[ "$n" -ge 10 ]
}
run "mmfctl: --help of the tool and of every command exits 0" mmfctl_helps
exits() { # exits STATUS COMMAND...
	local want=$1 rc=0
	shift
	"$@" >/dev/null 2>&1 || rc=$?
	[ "$rc" = "$want" ] || { echo "exit status $rc, not $want: $*"; return 1; }
}
run "mmfctl: usage errors exit 1" sh -c "
	set -e; $(declare -f exits)
	exits 1 $mmfctl; exits 1 $mmfctl frob; exits 1 $mmfctl list x
	exits 1 $mmfctl peek d r 0x; exits 1 $mmfctl peek d r 18446744073709551616
	exits 1 $mmfctl poke -w 8 d r 0 256; exits 1 $mmfctl dump --width 3 d r
	exits 1 $mmfctl dma; exits 1 $mmfctl dma alloc d bogus 1M
	exits 1 $mmfctl dma alloc d streaming 1Q
	exits 1 $mmfctl dma sync --to-device d 0"
run "mmfctl: a missing device exits 2 and names ENOENT" sh -c "
	$(declare -f exits); exits 2 $mmfctl info mmfdev-none &&
	$mmfctl info mmfdev-none 2>&1 | grep -qx 'mmfctl: info: /dev/mmfdev-none: No such file or directory (ENOENT)'"
run "mmfctl: KMOD=0 refuses load-module as a usage error" sh -c "
	$(declare -f exits); exits 1 build/host/nokmod/tools/mmfctl load-module"
if [ ! -e /dev/mmfdev ]; then
	run "mmfctl: list without devices prints nothing, list --json no devices" \
		sh -c "[ -z \"\$($mmfctl list)\" ] &&
		[ \"\$($mmfctl list --json | tr -d ' \n')\" = '{\"devices\":[]}' ]"
fi
run "the bash completion parses" bash -n tools/mmfctl/mmfctl.bash-completion

so=build/host/lib/libmmfdev.so
syms=$(sed -n 's/^\t\(mmfdev_[a-z_0-9]*\);$/\1/p' lib/libmmfdev.sym | sort)

exports_match() {
	local got
	got=$(nm -D --defined-only "$so" | awk '$2 == "T" { print $3 }' |
		grep -v '^LIBMMFDEV' | sort)
	diff <(awk '/^LIBMMFDEV_/ { v = $1 }
		    /^\tmmfdev_[a-z_0-9]*;$/ { sub(/;/, ""); sub(/\t/, "");
		    print $0 "@@" v }' lib/libmmfdev.sym | sort) <(echo "$got")
}
run "exports are exactly lib/libmmfdev.sym, versioned" exports_match

documented() {
	local s missing=0
	for s in $syms; do
		grep -Eq "^(/\*\*| \*) $s\(\) - " lib/include/mmfdev.h ||
			{ echo "undocumented: $s"; missing=1; }
	done
	return $missing
}
run "every exported function is documented in mmfdev.h" documented

# mmfdev.h is complete kernel-doc, as the kernel's scripts/kernel-doc
# sees it (scripts/check-lib-doc.sh); and that check must bite.
lib_doc_rc=0
lib_doc=$(scripts/check-lib-doc.sh) || lib_doc_rc=$?
while read -r line; do
	case $line in
	"ok - "*) tap 0 "${line#ok - }" ;;
	"not ok - "*) tap 1 "${line#not ok - }" ;;
	"#"*) echo "$line" ;;
	esac
done <<<"$lib_doc"
[ "$lib_doc_rc" = 0 ] || grep -q '^not ok - ' <<<"$lib_doc" ||
	tap 1 "lib doc: scripts/check-lib-doc.sh exited $lib_doc_rc"
lib_doc_fails() { # lib_doc_fails NAME REASON DOCTOR...: fails, saying REASON
	local h=build/host/lib-doc-$1.h want=$2 out
	shift 2
	"$@" lib/include/mmfdev.h > "$h"
	! cmp -s lib/include/mmfdev.h "$h" || { echo "$h: not doctored"; return 1; }
	if out=$(scripts/check-lib-doc.sh "$h" 2>&1) ||
		! grep -q "$want" <<<"$out"; then
		printf '%s\n' "$out"
		return 1
	fi
}
run "lib doc: the check fails when mmfdev_read32() loses its @addr" \
	lib_doc_fails no-param "^#   .*'addr' not described in 'mmfdev_read32'" \
	sed '/^ \* mmfdev_read32() - /,/^ \*\/$/{/^ \* @addr:/d}'
run "lib doc: the check fails when mmfdev_sync() loses its comment" \
	lib_doc_fails no-comment '^#   no kernel-doc comment for mmfdev_sync$' \
	awk '/^\/\*\*$/ { c = $0; inc = 1; next }
	     inc { c = c "\n" $0; if ($0 == " */") { inc = 0
		   if (c !~ /\n \* mmfdev_sync\(\) - /) print c }; next }
	     { print }'
# lib/abi.c holds mmfdev.h's mirrors of uapi constants to the uapi values.
abi_drift_fails() { # abi_drift_fails SED-SCRIPT: lib/abi.c refuses that drift
	local d=build/host/abi-drift
	mkdir -p "$d"
	sed "$1" lib/include/mmfdev.h > "$d/mmfdev.h"
	! cmp -s lib/include/mmfdev.h "$d/mmfdev.h" || { echo "not doctored"; return 1; }
	! cc -std=gnu11 -Iinclude/uapi -I"$d" -fsyntax-only lib/abi.c \
		2> "$d/err" && grep -q 'static assertion failed' "$d/err"
}
run "lib/abi.c fails the build when a region flag drifts from the uapi" \
	abi_drift_fails 's/^\(#define MMFDEV_REGION_SHARED\t\).*/\1(1U << 5)/'
run "lib/abi.c fails the build when a cache mode drifts from the uapi" \
	abi_drift_fails 's/^\(#define MMFDEV_CACHE_WB\t\t\).*/\14/'
run "lib/abi.c fails the build when a DMA sync flag drifts from the uapi" \
	abi_drift_fails 's/^\(#define MMFDEV_DMA_FOR_CPU\t\).*/\1(1U << 4)/'

run "soname is libmmfdev.so.1" \
	sh -c "readelf -d $so | grep -q 'SONAME.*libmmfdev.so.1\]'"
run "mmfdev.h is strict C99 (-pedantic -Werror)" \
	sh -c 'echo "#include <mmfdev.h>" |
		cc -std=c99 -pedantic -Wall -Wextra -Werror -fsyntax-only \
			-Ilib/include -x c -'
run "the uapi header is strict C99 (-pedantic -Werror)" \
	sh -c 'echo "#include <linux/mmfdev.h>" |
		cc -std=c99 -pedantic -Wall -Wextra -Werror -fsyntax-only \
			-Iinclude/uapi -x c -'
run "pkg-config finds libmmfdev" \
	sh -c 'PKG_CONFIG_PATH=build/host/lib pkg-config --exists libmmfdev'
run "a program links against the shared library" \
	sh -c "cc -Ilib/include -o build/host/link-test \
		lib/examples/mmfdev-hello.c -Lbuild/host/lib -lmmfdev \
		-Wl,-rpath,$TOP/build/host/lib && build/host/link-test \
		/dev/null 2>&1 | grep -q 'No such device'"
run "no literal page size in the driver, library or tests" \
	sh -c '! grep -rn "4096" driver lib tests include &&
		! grep -rnwE --include="*.[ch]" "0x1000" driver lib include'
# Kernel pointers reach no log unhashed (doc/security.md): %p, never %px.
run "no %px in the driver" sh -c '! grep -rn "%px" driver'
run "checkpatch.pl --strict is clean" scripts/checkpatch.sh
# The driver's names (mmfd_*) never equal the library's exports (mmfdev_*),
# so that a backtrace or a grep names one thing.  What the driver defines
# at file scope starts in column 0.
driver_names_apart() {
	local clash
	clash=$(grep -hE '^[A-Za-z_#]' driver/*.[ch] | grep -v '^#include' |
		grep -oE '[A-Za-z_][A-Za-z0-9_]*' | sort -u |
		comm -12 - <(printf '%s\n' $syms))
	[ -z "$clash" ] ||
		{ echo "driver names that are library exports:" $clash; return 1; }
}
run "no driver name equals a library export" driver_names_apart

# The man pages: one source format (scdoc), every export in libmmfdev(3).
ensure_packages scdoc
run "the man pages build with scdoc" make -s man
in_man() {
	local s missing=0
	for s in $syms; do
		grep -q "$s(" doc/libmmfdev.3.scd ||
			{ echo "not in libmmfdev(3): $s"; missing=1; }
	done
	return $missing
}
run "every exported function is in libmmfdev(3)" in_man
# The Pi 5 overlays compile and apply to the Raspberry Pi OS stand-in
# tree; the arm64 lanes apply them to their own kernel's Pi 5 trees.
while read -r line; do
	case $line in
	"ok - "*"# SKIP"*) ;;
	"ok - "*) tap 0 "${line#ok - }" ;;
	"not ok - "*) tap 1 "${line#not ok - }" ;;
	esac
done < <(scripts/pi5-dt-check.sh)

# The guest-log judge must catch what the tests cannot see.
judge_says() { # judge_says pass|fail LOG-LINE...
	local f=build/host/judge-test.log want=$1
	shift
	printf '%s\n' "$@" > "$f"
	scripts/judge.sh "$f" test > "$f.tap"
	if grep -q '^not ok - ' "$f.tap"; then [ "$want" = fail ]; else
		[ "$want" = pass ]; fi
}
done_line="MMFDEV-GUEST-DONE rc=0"
run "judge: a clean log passes" judge_says pass "ok 1 a" "$done_line"
run "judge: a kernel WARNING fails" judge_says fail "ok 1 a" \
	"[ 1.0] WARNING: CPU: 0 PID: 1 at mm/x.c:1 f+0x1/0x2" "$done_line"
run "judge: a BUG fails" judge_says fail "ok 1 a" \
	"[ 1.0] BUG: kernel NULL pointer dereference" "$done_line"
run "judge: an Oops fails" judge_says fail "ok 1 a" \
	"[ 1.0] Oops: 0000 [#1] PREEMPT SMP" "$done_line"
run "judge: a KASAN report fails" judge_says fail "ok 1 a" \
	"[ 1.0] BUG: KASAN: slab-use-after-free in mmfdev_release+0x1/0x2" \
	"$done_line"
run "judge: a lockdep splat fails" judge_says fail "ok 1 a" \
	"[ 1.0] WARNING: possible circular locking dependency detected" \
	"$done_line"
run "judge: sleeping in atomic context fails" judge_says fail "ok 1 a" \
	"[ 1.0] BUG: sleeping function called from invalid context at x.c:1" \
	"$done_line"
run "judge: a kmemleak report fails" judge_says fail "ok 1 a" \
	"unreferenced object 0xffff888004a1c000 (size 64):" "$done_line"
run "judge: a hung task fails" judge_says fail "ok 1 a" \
	"[ 1.0] INFO: task events_test:80 blocked for more than 60 seconds." \
	"$done_line"
run "judge: an injected allocation failure's trace passes" judge_says pass \
	"ok 1 a" "[ 1.0] insmod: vmalloc error: size 8192, vm_struct allocation failed" \
	"[ 1.0] CPU: 0 UID: 0 PID: 70 Comm: insmod" "[ 1.0] Call Trace:" \
	"[ 1.0]  <TASK>" "$done_line"
run "judge: a stack trace of its own fails" judge_says fail "ok 1 a" \
	"[ 1.0] Call Trace:" "$done_line"
run "judge: an arm64 stack trace of its own fails" judge_says fail "ok 1 a" \
	"[ 1.0] Call trace:" "$done_line"
run "judge: an injected allocation failure's arm64 trace passes" \
	judge_says pass "ok 1 a" \
	"[ 1.0] insmod: page allocation failure: order:0, mode:0xcc0(GFP_KERNEL)" \
	"[ 1.0] CPU: 1 UID: 0 PID: 70 Comm: insmod" "[ 1.0] Call trace:" \
	"[ 1.0]  show_stack+0x18/0x24" "$done_line"
run "judge: a silent guest fails" judge_says fail "ok 1 a"
judge_shows_boot_death() {
	local f=build/host/judge-test.log
	printf '%s\n' "[ 2.9] Run /init as init process" \
		"[ 3.0] Kernel panic - not syncing: No working init found." > "$f"
	scripts/judge.sh "$f" test > "$f.tap"
	grep -q '^not ok - test: the guest never reached its init' "$f.tap" &&
		grep -q '^#   .*No working init found' "$f.tap"
}
run "judge: a guest that died in its boot fails, with its last words" \
	judge_shows_boot_death
run "judge: a guest where all was skipped fails" judge_says fail \
	"ok 1 a # SKIP no device" "$done_line"

# The library's own error paths, as a kselftest.
echo "# lib_test"
build/host/tests/lib_test | grep -E '^(not )?ok |^#' | grep -v '^# Totals' ||
	failed=1

# The same, and everything else userspace, built with AddressSanitizer
# (LeakSanitizer included) and UndefinedBehaviorSanitizer; any report
# fails.  The device suites skip here (no module), which still runs
# their setup, skip and teardown paths under the sanitizers.
SAN_CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer"
SAN_CFLAGS+=" -fno-sanitize-recover=all"
san=build/host-asan
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=87
san_clean() { # san_clean LOG: no sanitizer report in LOG
	! grep -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$1"
}
run "the library, examples and tests build with ASan and UBSan" \
	make -s BUILD=$san CFLAGS="$SAN_CFLAGS" lib examples host-tests tests \
		tools
run "lib_test passes under ASan and UBSan" \
	sh -c "$san/tests/lib_test > $san/lib_test.log 2>&1"
run "lib_test: no sanitizer report" san_clean $san/lib_test.log
san_programs() {
	local t rc
	: > $san/programs.log
	for t in $san/examples/mmfdev-hello $san/examples/mmfdev-edu \
		 $san/examples/mmfdev-ring $san/examples/mmfdev-rp1-gpio; do
		"$t" /dev/null >> $san/programs.log 2>&1
		rc=$?
		# Usage or device errors are theirs to report; 86 and 87
		# are the sanitizers'.
		[ $rc -eq 86 ] || [ $rc -eq 87 ] && return 1
	done
	# mmfctl: help, a listing with no devices, usage and system errors.
	for t in "--help" "list" "list --json" "peek" "dump /nonexistent 0" \
		 "poke /nonexistent 0 0x10 0x1ffffffffffffffff"; do
		# shellcheck disable=SC2086
		$san/tools/mmfctl $t >> $san/programs.log 2>&1
		rc=$?
		[ $rc -eq 86 ] || [ $rc -eq 87 ] && return 1
	done
	for t in $(awk '!/^#/ && NF { print $1 }' tests/programs); do
		MMFDEV_NODE=/nonexistent "$san/tests/$t" >> $san/programs.log 2>&1
		rc=$?
		[ $rc -eq 86 ] || [ $rc -eq 87 ] && return 1
	done
	san_clean $san/programs.log
}
run "examples, mmfctl and kselftests run clean under ASan and UBSan" \
	san_programs
exit $failed
