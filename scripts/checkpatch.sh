#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# checkpatch.pl --strict over the driver and the uapi header.  The only
# accepted findings are the version comparisons in driver/compat.h, which
# exists to hold exactly those.
. "$(dirname "$0")/common.sh"

"$TOP/scripts/get-kselftest.sh"
ensure_packages perl
cp=$BUILD_ROOT/ksft/scripts/checkpatch.pl
cd "$TOP"
status=0
for f in $(git ls-files 'driver/*.[ch]' 'include/uapi/*.h'); do
	ignore=
	[ "$f" = driver/compat.h ] && ignore=--ignore=LINUX_VERSION_CODE,CONSTANT_COMPARISON
	if ! perl "$cp" --no-tree --strict --quiet --show-types $ignore \
		-f "$f"; then
		status=1
	fi
done
exit $status
