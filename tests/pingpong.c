// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmfdev_bench's ping-pong harness, and its two simplest ways: a pipe, and
 * a flag spun on in the node's RAM region.  The condvar and doorbell ways
 * are in mmfdev_bench.c, next to their benchmarks.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pingpong.h"
/*
 * Wait up to @timeout seconds for @pid, then kill it: whether it exited
 * by itself with status 0.
 */
static bool reap(pid_t pid, double timeout)
{
	double end = now() + timeout;
	int status;
	pid_t r;

	while (!(r = waitpid(pid, &status, WNOHANG)) && now() < end)
		usleep(1000);
	if (r == pid)
		return WIFEXITED(status) && !WEXITSTATUS(status);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return false;
}

/*
 * read() of @len bytes from a pipe, if they come within @timeout seconds
 * (a pipe delivers a write of up to PIPE_BUF bytes whole): true if they
 * did.
 */
static bool read_within(int fd, void *buf, size_t len, double timeout)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, (int)(timeout * 1000)) == 1 &&
	       read(fd, buf, len) == (ssize_t)len;
}

/*
 * Open @node (NULL: the default) and map the first page of its RAM
 * region: the page, or NULL.  *@devp gets the handle, or NULL.
 */
void *node_page(const char *node, size_t page, struct mmfdev **devp)
{
	void *p;

	*devp = NULL;
	if (mmfdev_open(node, 0, devp))
		return NULL;
	if (mmfdev_map(*devp, 0, 0, page, MMFDEV_MAP_READ | MMFDEV_MAP_WRITE,
		       &p, NULL)) {
		mmfdev_close(*devp);
		*devp = NULL;
		return NULL;
	}
	return p;
}

/* The child: wait for the parent's odd number, answer with the next. */
static void pp_child(struct pp *p, int trips, double budget)
{
	const struct pp_ops *ops = p->ops;
	char c;
	int i, r;

	alarm(2 * PP_TIMEOUT + (int)budget);
	if (read(p->in, &c, 1) != 1)
		_exit(1);
	if (!ops->attach(p) || write(p->out, &c, 1) != 1)
		_exit(1);
	if (ops->begin)
		ops->begin(p);
	for (i = 0; i < trips; i++) {
		r = ops->wait(p, 2 * i + 1);
		if (r > 0)
			break;
		if (r < 0 || ops->send(p, 2 * i + 2))
			_exit(1);
	}
	if (ops->end)
		ops->end(p);
	ops->detach(p);
	_exit(0);
}

/*
 * Round trips the way @p->ops says, after fork(): at most @trips, and if
 * @budget is not 0, no more than fit in @budget seconds.  The two first
 * say on their pipes that they are attached; the timing starts after.
 * Microseconds each, or -1; *@done, if not NULL, gets how many were made.
 * A child that fails exits; one that hangs is killed.
 */
double ping_pong_us(struct pp *p, int trips, double budget, int *done)
{
	const struct pp_ops *ops = p->ops;
	bool attached = false, begun = false;
	int up[2], down[2], i = 0;
	double t, us = -1;
	pid_t pid;
	char c = 0;

	if (pipe(up))
		return -1;
	if (pipe(down)) {
		close(up[0]);
		close(up[1]);
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		close(up[0]);
		close(down[1]);
		p->parent = false;
		p->in = down[0];
		p->out = up[1];
		pp_child(p, trips, budget);
	}
	close(up[1]);
	close(down[0]);
	p->parent = true;
	p->in = up[0];
	p->out = down[1];
	if (pid < 0)
		goto out;
	attached = ops->attach(p);
	if (!attached || (ops->init && !ops->init(p)))
		goto out;
	/* Ready here; the child says when it has attached too. */
	if (write(p->out, &c, 1) != 1 ||
	    !read_within(p->in, &c, 1, PP_TIMEOUT))
		goto out;
	if (ops->begin)
		ops->begin(p);
	begun = true;
	t = now();
	while (i < trips) {
		if (ops->send(p, 2 * i + 1) || ops->wait(p, 2 * i + 2))
			goto out;
		i++;
		if (budget && now() - t >= budget)
			break;
	}
	us = (now() - t) * 1e6 / i;
	if (ops->stop && ops->stop(p))
		us = -1;
out:
	if (begun && ops->end)
		ops->end(p);
	/* A pipe's reader sees EOF: the pipe ping-pong's child stops. */
	close(up[0]);
	close(down[1]);
	if (pid > 0) {
		if (us < 0)
			kill(pid, SIGKILL);
		if (!reap(pid, PP_TIMEOUT))
			us = -1;
	}
	if (attached)
		ops->detach(p);
	if (done)
		*done = i;
	return us;
}

/* The pipes themselves: one byte each way, EOF for the end. */
static bool pipe_attach(struct pp *p)
{
	return true;
}

static int pipe_wait(struct pp *p, uint32_t want)
{
	char c;
	ssize_t n = read(p->in, &c, 1);

	return n == 1 ? 0 : n ? -1 : 1;
}

static int pipe_send(struct pp *p, uint32_t v)
{
	char c = 0;

	return write(p->out, &c, 1) == 1 ? 0 : -1;
}

static void pipe_detach(struct pp *p)
{
}

static const struct pp_ops pipe_pp = {
	.attach = pipe_attach, .wait = pipe_wait, .send = pipe_send,
	.detach = pipe_detach,
};

/*
 * Round trips of one byte between two processes through two pipes: at
 * most @trips, and if @budget is not 0, no more than fit in @budget
 * seconds.  Microseconds each, or -1; *@done gets how many were made.
 * Either side sees EOF when the other is done, or dies.
 */
double pipe_ping_pong_us(int trips, double budget, int *done)
{
	struct pp p = { .ops = &pipe_pp };

	return ping_pong_us(&p, trips, budget, done);
}

/*
 * Spin until *@flag is @want: true, or false when it is PP_STOP or nothing
 * changed in PP_TIMEOUT seconds.  The clock is read only every 64Ki
 * looks, so a quick answer costs none of it.
 */
static bool spin_for(volatile uint32_t *flag, uint32_t want)
{
	double deadline = 0;
	unsigned int n = 0;
	uint32_t v;

	while ((v = __atomic_load_n(flag, __ATOMIC_ACQUIRE)) != want) {
		if (v == PP_STOP)
			return false;
		if (++n % 65536)
			continue;
		if (!deadline)
			deadline = now() + PP_TIMEOUT;
		else if (now() > deadline)
			return false;
	}
	return true;
}

/* A flag in the first page of the node's RAM region, spun on. */
static bool spin_attach(struct pp *p)
{
	p->shared = node_page(p->node, p->page, &p->dev);
	return p->shared;
}

static bool spin_init(struct pp *p)
{
	__atomic_store_n((uint32_t *)p->shared, 0, __ATOMIC_RELEASE);
	return true;
}

static int spin_wait(struct pp *p, uint32_t want)
{
	volatile uint32_t *flag = p->shared;

	if (spin_for(flag, want))
		return 0;
	return *flag == PP_STOP ? 1 : -1;
}

static int spin_send(struct pp *p, uint32_t v)
{
	__atomic_store_n((uint32_t *)p->shared, v, __ATOMIC_RELEASE);
	return 0;
}

static int spin_stop(struct pp *p)
{
	return spin_send(p, PP_STOP);
}

/* The node's page: unmapped, and the node closed. */
void node_detach(struct pp *p)
{
	munmap(p->shared, p->page);
	mmfdev_close(p->dev);
}

static const struct pp_ops spin_pp = {
	.attach = spin_attach, .init = spin_init, .wait = spin_wait,
	.send = spin_send, .stop = spin_stop, .detach = node_detach,
};

/*
 * Round trips through a flag in the first page of @node's RAM region,
 * busy-polled on both sides, after fork(): both processes open and map
 * the node themselves.  At most @trips, and if @budget is not 0, no more
 * than fit in @budget seconds.  Microseconds each, or -1; *@done, if not
 * NULL, gets how many were made.
 */
double spin_ping_pong_us(const char *node, size_t page, int trips,
				double budget, int *done)
{
	struct pp p = { .ops = &spin_pp, .node = node, .page = page };

	return ping_pong_us(&p, trips, budget, done);
}
