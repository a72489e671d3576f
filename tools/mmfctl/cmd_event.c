// SPDX-License-Identifier: LGPL-2.1-or-later
/* mmfctl wait and ring: the event lines. */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "mmfctl.h"

/* --- wait, ring -------------------------------------------------------------- */

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmd_wait(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "timeout", required_argument, NULL, 't' },
		{ "count", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	int64_t timeout_ns = -1, deadline = 0;
	uint64_t want = 1, got = 0;
	struct mmfdev_event *e;
	unsigned int index;
	struct target t;
	int c, ret;

	while ((c = next_opt(argc, argv, "ht:c:", opts)) != -1) {
		if (c == 't')
			timeout_ns = arg_u64("timeout", optarg,
					     INT64_MAX / 1000000) * 1000000;
		else
			want = arg_u64("count", optarg, UINT64_MAX);
	}
	if (!want)
		die_usage("count must be at least 1");
	want_args(argc, 2, 2);
	open_target(&t, argv[optind], false);
	e = get_line(&t, argv[optind + 1]);
	index = mmfdev_event_get_index(e);

	/* A new handle has seen what came before it was opened. */
	if (timeout_ns >= 0)
		deadline = now_ns() + timeout_ns;
	while (got < want) {
		int64_t left = -1;
		uint64_t n;

		if (timeout_ns >= 0) {
			left = deadline - now_ns();
			if (left < 0)
				left = 0;
		}
		ret = mmfdev_event_wait(t.dev, MMFDEV_EVENT_BIT(index), left,
					NULL);
		if (!ret)
			ret = mmfdev_event_read(t.dev, index, NULL, &n, NULL);
		if (ret)
			die_sys(ret, "%s: event line '%s': %" PRIu64 " of %"
				PRIu64 " events", t.path,
				mmfdev_event_get_name(e), got, want);
		got += n;
	}
	printf("%s: %" PRIu64 " event%s\n", mmfdev_event_get_name(e), got,
	       got == 1 ? "" : "s");
	mmfdev_event_free(e);
	close_target(&t);
	return 0;
}

static int cmd_ring(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "count", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	struct mmfdev_event *e;
	uint64_t count = 1, i;
	struct target t;
	int c, ret;

	while ((c = next_opt(argc, argv, "hc:", opts)) != -1)
		count = arg_u64("count", optarg, UINT64_MAX);
	want_args(argc, 2, 2);
	open_target(&t, argv[optind], true);
	e = get_line(&t, argv[optind + 1]);
	for (i = 0; i < count; i++) {
		ret = mmfdev_event_ring(t.dev, mmfdev_event_get_index(e));
		if (ret)
			die_sys(ret, "%s: event line '%s'", t.path,
				mmfdev_event_get_name(e));
	}
	mmfdev_event_free(e);
	close_target(&t);
	return 0;
}

const struct command event_commands[] = {
	{ "wait", cmd_wait, "[--timeout MS] [--count N] DEV LINE",
	  "Wait for events on an event line",
	  "Counts the events that come after the device is opened, until\n"
	  "there are N (default 1), then prints 'LINE: N events'.  Level\n"
	  "lines are not unmasked.  Running out of time is an ETIMEDOUT\n"
	  "error.\n",
	  "  -t, --timeout MS      give up after MS milliseconds\n"
	  "  -c, --count N         wait for N events (default 1)\n" },
	{ "ring", cmd_ring, "[--count N] DEV LINE",
	  "Ring a doorbell event line", NULL,
	  "  -c, --count N         ring N times (default 1)\n" },
	{ NULL, NULL, NULL, NULL, NULL, NULL }
};
