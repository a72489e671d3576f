#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make check: the host tests, the Debian packages (scripts/package-check.sh),
# then the kselftest suite in every QEMU lane, then one line:
# N passed, N failed, N skipped.
#
#   LANES="a b"     run only these lanes (names from scripts/lanes)
#   PACKAGES=0      skip the package check (make quick does)
#   PREBUILD=0      build each sanitizer kernel only when its lane comes
#   FETCH=0         fetch each lane's kernel only when the lane comes
#
# Each step prints one line as it starts, with what is still to come, and
# the run ends with a table of every step.  The measured seconds and
# counts go to build/check/timing.tsv, which scripts/update-timings.sh
# turns into doc/timings.md.
. "$(dirname "$0")/common.sh"

all_lanes=$(awk '!/^#/ && NF { print $1 }' "$TOP/scripts/lanes")
read -r -d "" -a lanes <<<"${LANES:-$all_lanes}" || true
for lane in "${lanes[@]}"; do
	grep -qE "^${lane}[[:space:]]" "$TOP/scripts/lanes" ||
		die "unknown lane '$lane' (see scripts/lanes)"
done
out=$BUILD_ROOT/check
rm -rf "$out"
mkdir -p "$out"
timing=$out/timing.tsv
: > "$timing"

status=0
run_start=$SECONDS
nr_lanes=${#lanes[@]}

# The counts of one TAP file: "passed failed skipped".
tap_counts() {
	local p s f
	p=$(grep -Ec '^ok ' "$1" || true)
	s=$(grep -Ec '^ok .*# SKIP' "$1" || true)
	f=$(grep -Ec '^not ok' "$1" || true)
	echo "$((p - s)) $f $s"
}

# step_done NAME START TAP: one line of timing.tsv.
step_done() {
	local c
	read -r -a c < <(tap_counts "$3")
	printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$((SECONDS - $2))" \
		"${c[0]}" "${c[1]}" "${c[2]}" >> "$timing"
}

# announce WHAT: "=== WHAT [m:ss]", for a run that is read as it goes.
announce() {
	local t=$((SECONDS - run_start))
	printf '=== %s [%d:%02d]\n' "$1" $((t / 60)) $((t % 60))
}

apt_update_once

# The sanitizer kernels take longest to make, and a TCG guest running the
# suite leaves a core idle much of the time: build them in the background
# while the steps before their lanes run, as SCHED_IDLE, so that they only
# take what the steps leave.  That needs the same session: with
# autogroups, a new one (setsid) would get an equal share of the CPU
# whatever its priority, and slow every step beside it.  set -m gives the
# job a process group of its own, which the trap below stops if the run
# ends first.  debug-kernel.sh's lock makes a sanitizer lane wait for its
# kernel; a failed build here is met again, and reported, in the lane.
debug_arches=()
for lane in "${lanes[@]}"; do
	arch=$(awk -v l="$lane" '$1 == l && $5 == "debug" { print $2 }' \
		"$TOP/scripts/lanes")
	[ -z "$arch" ] || debug_arches+=("$arch")
done
prebuild=
if [ ${#debug_arches[@]} -gt 0 ] && [ "${PREBUILD:-1}" != 0 ]; then
	set -m
	# shellcheck disable=SC2016 # expanded by the inner bash
	chrt --idle 0 nice -n 19 bash -c 'for a in "${@:3}"; do
			"$1/scripts/debug-kernel.sh" "$a" "$2" ||
				echo "($a: its lane builds it again)" >&2
		done > /dev/null' _ "$TOP" "$BUILD_ROOT/debug-kernel" \
		"${debug_arches[@]}" 2> "$out/debug-kernels.log" &
	prebuild=$!
	set +m
fi

# The lanes' kernels and build roots: downloads and unpacking, much of it
# a wait on the network, which the host tests and packages can use.  One
# lane after the other, each under its lane's lock (scripts/lane.sh
# fetch), which the lane itself takes again when it comes.
fetcher=
if [ "${FETCH:-1}" != 0 ]; then
	set -m
	for lane in "${lanes[@]}"; do
		"$TOP/scripts/lane.sh" "$lane" fetch ||
			echo "($lane: the lane fetches again)" >&2
	done > /dev/null 2> "$out/fetch.log" &
	fetcher=$!
	set +m
fi
# shellcheck disable=SC2317 # the EXIT trap calls it
stop_jobs() {
	local j
	for j in $fetcher $prebuild; do kill -- -"$j" 2>/dev/null || true; done
}
trap stop_jobs EXIT

announce "host tests (then packages and $nr_lanes lanes: ${lanes[*]})"
start=$SECONDS
"$TOP/scripts/host-tests.sh" > "$out/host.tap" 2> "$out/host.err" || status=1
cat "$out/host.tap"
[ $status -eq 0 ] || sed 's/^/# /' "$out/host.err" | tail -n 20
step_done host "$start" "$out/host.tap"

if [ "${PACKAGES:-1}" != 0 ]; then
	announce "packages"
	start=$SECONDS
	if ! "$TOP/scripts/package-check.sh" > "$out/packages.tap" \
		2> "$out/packages.err"; then
		status=1
		tail -n 20 "$out/packages.err" | sed 's/^/# /'
	fi
	cat "$out/packages.tap"
	step_done packages "$start" "$out/packages.tap"
fi

i=0
for lane in "${lanes[@]}"; do
	i=$((i + 1))
	rest=${lanes[*]:i}
	announce "lane $lane ($i/$nr_lanes; still to come: ${rest:-none})"
	start=$SECONDS
	rm -f "$BUILD_ROOT/lanes/$lane/result" "$BUILD_ROOT/lanes/$lane/result.tap"
	if ! "$TOP/scripts/lane.sh" "$lane" check > "$out/$lane.out" \
		2> "$out/$lane.err"; then
		status=1
		tail -n 20 "$out/$lane.err" | sed 's/^/# /'
	fi
	grep -v -E '^#  RUN|^#  +OK ' "$out/$lane.out" || true
	if [ -f "$BUILD_ROOT/lanes/$lane/result.tap" ]; then
		cp "$BUILD_ROOT/lanes/$lane/result.tap" "$out/$lane.tap"
	else
		echo "not ok - lane $lane did not run (see $out/$lane.err)" \
			> "$out/$lane.tap"
	fi
	step_done "$lane" "$start" "$out/$lane.tap"
done

# Host and package TAP first, then the lanes in the order they ran.
tapfiles=("$out/host.tap")
[ ! -f "$out/packages.tap" ] || tapfiles+=("$out/packages.tap")
for lane in "${lanes[@]}"; do tapfiles+=("$out/$lane.tap"); done
cat "${tapfiles[@]}" > "$out/all.tap"

# What failed, with the first lines that say why, next to the totals:
# the end of a long log is what is read first.
failures=$(awk '
	/^not ok/ { print; n = 3; next }
	n > 0 && /^#/ { print; n--; next }
	{ n = 0 }' "$out/all.tap")
if [ -n "$failures" ]; then
	echo "=== failures"
	head -n 14 <<<"$failures"
	more=$(($(wc -l <<<"$failures") - 14))
	[ "$more" -le 0 ] || echo "... $more more lines in $out/all.tap"
fi

read -r pass fail skip < <(tap_counts "$out/all.tap")
printf 'total\t%s\t%s\t%s\t%s\n' "$((SECONDS - run_start))" \
	"$pass" "$fail" "$skip" >> "$timing"

echo "=== summary"
printf '%-16s %-24s %-6s %6s %6s %7s %7s\n' step kernel page passed failed \
	skipped seconds
while IFS=$'\t' read -r step secs p f s; do
	kernel=- page=-
	if [ -f "$BUILD_ROOT/lanes/$step/result" ]; then
		read -r _ _ _ _ kernel page < "$BUILD_ROOT/lanes/$step/result"
	elif [ "$step" != host ] && [ "$step" != packages ] &&
	     [ "$step" != total ]; then
		kernel="did not run"
	fi
	printf '%-16s %-24s %-6s %6s %6s %7s %7s\n' "$step" "$kernel" "$page" \
		"$p" "$f" "$s" "$secs"
done < "$timing"

[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ] || status=1
echo "$pass passed, $fail failed, $skip skipped" | tee "$out/summary"
exit $status
