#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# update-timings.sh [TIMING.TSV [TIMINGS.MD]]: put the times of the last
# make check into doc/timings.md, the one place the docs quote them from.
#
# TIMING.TSV (default build/check/timing.tsv, written by scripts/check.sh)
# has one line per step, tab-separated:
#
#	step	seconds	passed	failed	skipped
#
# and a last line "total	SECONDS	P	F	S".  The table between the
# "timings:begin" and "timings:end" comments of TIMINGS.MD (default
# doc/timings.md) is replaced by one made from it, with the date of the
# file and the commit (git rev-parse --short HEAD, "-dirty" when the tree
# has changes).  Nothing outside the markers changes.  Run it right after
# a make check whose times you mean to record, then commit doc/timings.md.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tsv=${1:-$top/build/check/timing.tsv}
md=${2:-$top/doc/timings.md}
begin='<!-- timings:begin -->'
end='<!-- timings:end -->'

die() {
	echo "update-timings: $*" >&2
	exit 1
}

[ -r "$tsv" ] || die "$tsv: no such file (run make check first)"
[ -r "$md" ] || die "$md: no such file"
if [ "$(grep -cxF -- "$begin" "$md")" != 1 ] ||
   [ "$(grep -cxF -- "$end" "$md")" != 1 ]; then
	die "$md: needs one '$begin' line and one '$end' line"
fi

date=$(date -u -r "$tsv" +%Y-%m-%d)
commit=$(git -C "$top" rev-parse --short HEAD 2>/dev/null) || commit=unknown
if [ "$commit" != unknown ] && ! git -C "$top" diff --quiet HEAD -- 2>/dev/null; then
	commit=$commit-dirty
fi

table=$(mktemp)
out=$(mktemp)
trap 'rm -f "$table" "$out"' EXIT

# The TSV to a Markdown table; the total last, in bold.  Refuse a file
# that is not what check.sh writes, rather than publish a wrong table.
awk -F '\t' -v date="$date" -v commit="$commit" '
function dur(s,	m, h) {
	h = int(s / 3600); m = int((s % 3600) / 60); s = s % 60
	if (h)
		return sprintf("%d h %d min %d s", h, m, s)
	if (m)
		return sprintf("%d min %d s", m, s)
	return sprintf("%d s", s)
}
function bad(why) {
	printf "update-timings: %s:%d: %s\n", FILENAME, FNR, why > "/dev/stderr"
	failed = 1
	exit 1
}
/^[ \t]*$/ { next }
{
	if (NF != 5)
		bad("want 5 tab-separated fields, got " NF)
	for (i = 2; i <= 5; i++)
		if ($i !~ /^[0-9]+$/)
			bad("field " i " is not a whole number: " $i)
	if (total)
		bad("a line after the total line")
	if ($1 == "total") {
		total = sprintf("| **total** | **%s** | **%d** | **%d** | **%d** |", dur($2), $3, $4, $5)
		next
	}
	rows[++n] = sprintf("| `%s` | %s | %d | %d | %d |", $1, dur($2), $3, $4, $5)
}
END {
	if (failed)
		exit 1
	if (!total) {
		print "update-timings: " FILENAME ": no total line" > "/dev/stderr"
		exit 1
	}
	printf "Last measured `make check`: %s, commit `%s`.\n\n", date, commit
	print "| step | time | passed | failed | skipped |"
	print "|---|---|---|---|---|"
	for (i = 1; i <= n; i++)
		print rows[i]
	print total
}' "$tsv" > "$table"

awk -v begin="$begin" -v end="$end" -v table="$table" '
$0 == begin {
	print
	print ""
	while ((getline line < table) > 0)
		print line
	print ""
	skip = 1
	next
}
$0 == end { skip = 0 }
!skip' "$md" > "$out"

cat "$out" > "$md"
echo "update-timings: $md: $(grep -c '^| `' "$table") steps, from $tsv ($date, $commit)"
