#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make demo: build everything, boot the module in QEMU (the first lane, or
# LANE=...), run the example program there and show what it printed.
. "$(dirname "$0")/common.sh"

lane=${LANE:-$(awk '!/^#/ && NF { print $1; exit }' "$TOP/scripts/lanes")}
"$TOP/scripts/lane.sh" "$lane" demo
