/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The benchmark's ping-pong harness (pingpong.c): two processes pass
 * numbers back and forth through one struct pp_ops each way of passing
 * them, and the harness times the round trips.
 */
#ifndef MMFDEV_BENCH_PINGPONG_H
#define MMFDEV_BENCH_PINGPONG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "mmfdev.h"

static inline double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * The ping-pongs between two processes.  The one that counts writes
 * PP_STOP where the other looks for its next number: no more round trips.
 */
#define PP_STOP		UINT32_MAX

/* Give up on a round trip, in either process, after this many seconds. */
#define PP_TIMEOUT	60

struct cv_backing;

/*
 * A ping-pong between a parent and the child it forks: the parent sends
 * 2i + 1 and waits for 2i + 2, the child waits for 2i + 1 and answers
 * 2i + 2.  Each way of passing the numbers is a struct pp_ops; each
 * process attaches to what the two share by itself, after fork().
 */
struct pp;

struct pp_ops {
	/* Open and map what the two share, in each process: true if done. */
	bool (*attach)(struct pp *p);
	/* The parent's, attached, before the child attaches (optional). */
	bool (*init)(struct pp *p);
	/* Around each side's round trips (optional). */
	void (*begin)(struct pp *p);
	void (*end)(struct pp *p);
	/* Until the number is @want: 0, 1 for PP_STOP, -1 on an error. */
	int (*wait)(struct pp *p, uint32_t want);
	/* Hand @v over: 0, or -1 on an error. */
	int (*send)(struct pp *p, uint32_t v);
	/* The parent's, done: end the child's round trips (optional). */
	int (*stop)(struct pp *p);
	void (*detach)(struct pp *p);
};

struct pp {
	const struct pp_ops *ops;
	const char *node;		/* the node (NULL: the default) */
	const struct cv_backing *cv;	/* the condvar's, or NULL */
	size_t page;
	/* Each process's own, once forked. */
	bool parent;
	int in, out;			/* the pipes from and to the other */
	struct mmfdev *dev;
	void *shared;			/* the shared page */
	int mine, theirs;		/* doorbell lines */
	struct timespec deadline;
};

void *node_page(const char *node, size_t page, struct mmfdev **devp);
double ping_pong_us(struct pp *p, int trips, double budget, int *done);
double pipe_ping_pong_us(int trips, double budget, int *done);
double spin_ping_pong_us(const char *node, size_t page, int trips,
			 double budget, int *done);
void node_detach(struct pp *p);

#endif /* MMFDEV_BENCH_PINGPONG_H */
