#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make check: the host tests, the Debian packages (scripts/package-check.sh),
# then the kselftest suite in every QEMU lane
# (LANES="a b" picks some), then one line: N passed, N failed, N skipped.
. "$(dirname "$0")/common.sh"

all_lanes=$(awk '!/^#/ && NF { print $1 }' "$TOP/scripts/lanes")
lanes=${LANES:-$all_lanes}
out=$BUILD_ROOT/check
rm -rf "$out"
mkdir -p "$out"

status=0
apt_update_once
echo "=== host tests"
"$TOP/scripts/host-tests.sh" > "$out/host.tap" 2> "$out/host.err" || status=1
cat "$out/host.tap"
[ $status -eq 0 ] || sed 's/^/# /' "$out/host.err" | tail -n 20

echo "=== packages"
if ! "$TOP/scripts/package-check.sh" > "$out/packages.tap" 2> "$out/packages.err"; then
	status=1
	tail -n 20 "$out/packages.err" | sed 's/^/# /'
fi
cat "$out/packages.tap"

for lane in $lanes; do
	echo "=== lane $lane"
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
done

cat "$out"/*.tap > "$out/all.tap"

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

echo "=== summary"
for lane in $lanes; do
	if [ -f "$BUILD_ROOT/lanes/$lane/result" ]; then
		read -r p f s t r ps < "$BUILD_ROOT/lanes/$lane/result"
		printf '%-16s kernel %-24s page %-6s %3s passed %3s failed %3s skipped %5ss\n' \
			"$lane" "$r" "$ps" "$p" "$f" "$s" "$t"
	else
		printf '%-16s did not run\n' "$lane"
	fi
done
pass=$(grep -Ec '^ok ' "$out/all.tap" || true)
skip=$(grep -Ec '^ok .*# SKIP' "$out/all.tap" || true)
fail=$(grep -Ec '^not ok' "$out/all.tap" || true)
pass=$((pass - skip))
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ] || status=1
echo "$pass passed, $fail failed, $skip skipped" | tee "$out/summary"
exit $status
