#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# check-lib-doc.sh [HEADER [SYMFILE]]: libmmfdev's public header is
# documented in kernel-doc, and completely.  HEADER defaults to
# lib/include/mmfdev.h, SYMFILE to lib/libmmfdev.sym.  The judge is the
# kernel's own scripts/kernel-doc, from linux-source-6.12
# (scripts/get-kselftest.sh extracts it into build/ksft):
#
# - every symbol SYMFILE exports has a kernel-doc comment in HEADER
#   (kernel-doc -rst -function SYMBOL renders it);
# - so has every macro HEADER defines, but its include guard;
# - kernel-doc -none -Wall (-Wreturn, -Wshort-desc,
#   -Wcontents-before-sections) prints no warning and no error: every
#   parameter described, every value-returning function with a Return:
#   section, every comment attached to the declaration it names;
# - no other comment style: no Doxygen "/**<" member comments.
#
# Prints TAP lines, "ok - lib doc: ..." or "not ok - lib doc: ...", the
# reasons of a failure as "#   " lines after it, and exits 1 when a check
# fails (0 when all pass).
. "$(dirname "$0")/common.sh"

header=${1:-$TOP/lib/include/mmfdev.h}
symfile=${2:-$TOP/lib/libmmfdev.sym}

# A failure of the check itself is a failed test, never silence.
trap 'echo "not ok - lib doc: check-lib-doc.sh failed at line $LINENO"' ERR

"$TOP/scripts/get-kselftest.sh" >&2
ensure_packages perl
kdoc() { perl "$BUILD_ROOT/ksft/scripts/kernel-doc" "$@"; }

status=0
report() { # report DESCRIPTION REASONS: ok when REASONS is empty
	if [ -z "$2" ]; then
		echo "ok - lib doc: $1"
	else
		echo "not ok - lib doc: $1"
		printf '%s\n' "$2" | sed 's/^/#   /'
		status=1
	fi
}

# missing_docs NAME...: the names kernel-doc has no comment for in $header
missing_docs() {
	local args=() n rendered
	for n in "$@"; do args+=(-function "$n"); done
	rendered=$(kdoc -rst -sphinx-version 4 "${args[@]}" "$header" \
		2>/dev/null | sed -n \
		-e 's/^\.\. c:macro:: \([A-Za-z_0-9]*\)$/\1/p' \
		-e 's/^\.\. c:function:: .*[ *]\([A-Za-z_0-9]*\) (.*/\1/p')
	comm -23 <(printf '%s\n' "$@" | sort -u) <(sort -u <<<"$rendered") |
		sed 's/^/no kernel-doc comment for /'
}

mapfile -t syms < <(sed -n 's/^\t\(mmfdev_[a-z_0-9]*\);$/\1/p' "$symfile")
[ ${#syms[@]} -gt 0 ]
report "every export of $(basename "$symfile") has a kernel-doc comment" \
	"$(missing_docs "${syms[@]}")"

mapfile -t macros < <(sed -n 's/^#[ \t]*define[ \t]\+\([A-Za-z_0-9]\+\).*/\1/p' \
	"$header" | grep -vx MMFDEV_H | sort -u)
report "every macro of $(basename "$header") has a kernel-doc comment" \
	"$(missing_docs "${macros[@]}")"

report "kernel-doc -none -Wall on $(basename "$header") warns about nothing" \
	"$(kdoc -none -Wall "$header" 2>&1)"

report "$(basename "$header") has no Doxygen-style comments" \
	"$(grep -n '/\*\*<\|[@\\]\(brief\|param\|return\)\b' "$header" || true)"

exit $status
