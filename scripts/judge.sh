#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# usage: scripts/judge.sh LOG NAME
#
# Turn a guest console log into TAP for the totals: the suite's own
# ok/not ok lines, plus a "not ok" when the guest never reported, when
# its kernel log shows trouble, or when no test passed.
set -euo pipefail

log=${1:?usage: judge.sh LOG NAME}
name=${2:-guest}

# What in a guest log means the kernel is unhappy, whatever the tests say.
trouble='WARNING:|BUG:|Oops|Kernel panic|Call Trace|general protection fault|UBSAN:|KASAN:|kernel BUG'

grep -E '^(not )?ok [0-9]+' "$log" || true
if ! grep -q '^MMFDEV-GUEST-DONE' "$log"; then
	echo "not ok - $name: the guest never reported"
fi
if grep -Eq "$trouble" "$log"; then
	echo "not ok - $name: kernel trouble in the guest log:"
	grep -E "$trouble" "$log" | head -n 5 | sed 's/^/#   /'
fi
if ! grep -Eq '^ok [0-9]+' "$log" ||
   [ "$(grep -Ec '^ok [0-9]+' "$log")" -eq "$(grep -Ec '^ok [0-9]+.*# SKIP' "$log")" ]; then
	echo "not ok - $name: no test passed"
fi
