#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Run the mmfdev kselftest programs (default: the ones beside this script)
# and exit as kselftest does: 0 all passed, 1 something failed, 4 every
# program skipped (no mmfdev device here).
here=$(dirname "$0")
[ $# -gt 0 ] || set -- "$here/mmfdev_test" "$here/pci_test" "$here/phys_test" \
	"$here/dt_test"

failed=0 ran=0
for t in "$@"; do
	"$t"
	case $? in
	0) ran=1 ;;
	4) ;;
	*) failed=1 ;;
	esac
done
[ $failed -eq 0 ] || exit 1
[ $ran -eq 1 ] || exit 4
exit 0
