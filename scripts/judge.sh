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

# What in a guest log means the kernel is unhappy, whatever the tests say:
# oopses and WARNs, the sanitizers (KASAN, UBSAN, lockdep, the atomic
# sleep check), kmemleak's report, hung tasks, and stack traces (x86_64
# prints "Call Trace:", arm64 "Call trace:").
trouble='WARNING:|BUG:|Oops|Kernel panic|Call [Tt]race|general protection fault'
trouble+='|UBSAN:|KASAN:|kernel BUG|possible circular locking|inconsistent lock state'
trouble+='|possible recursive locking|sleeping function called|unreferenced object'
trouble+='|suspected memory leak|blocked for more than'

# An allocation failure that fault injection caused is expected, and the
# page or vmalloc allocator's report of it comes with a stack trace: that
# trace alone is not trouble.  Anything else in it still is.
expected='page allocation failure|vmalloc error:|FAULT_INJECTION: forcing'

troubles() {
	awk -v t="$trouble" -v e="$expected" '
		$0 ~ e { quiet = NR + 40; next }
		$0 ~ t {
			if ($0 ~ /Call [Tt]race/ && NR <= quiet)
				next
			print
		}' "$log"
}

grep -E '^(not )?ok [0-9]+' "$log" || true
if ! grep -q '^MMFDEV-GUEST-DONE' "$log"; then
	# Say how far it got: a guest that died in its boot leaves only
	# the kernel's last words.
	never="never reported"
	grep -q '^MMFDEV-GUEST: kernel=' "$log" || never="never reached its init"
	echo "not ok - $name: the guest $never; its console ends:"
	grep -v '^[[:space:]]*$' "$log" | tail -n 6 | cut -c1-160 | sed 's/^/#   /'
fi
found=$(troubles)
if [ -n "$found" ]; then
	echo "not ok - $name: kernel trouble in the guest log:"
	head -n 5 <<<"$found" | sed 's/^/#   /'
fi
if ! grep -Eq '^ok [0-9]+' "$log" ||
   [ "$(grep -Ec '^ok [0-9]+' "$log")" -eq "$(grep -Ec '^ok [0-9]+.*# SKIP' "$log")" ]; then
	echo "not ok - $name: no test passed"
fi
