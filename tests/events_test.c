// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmfdev kselftest: event lines through the ABI, on the doorbells every
 * device has.  Separately opened processes ring and wait; counts show
 * every event, none merged or lost; timeouts, poll/epoll and eventfds;
 * a long ping-pong.  Interrupts and removal under waiters are in
 * pci_test (edu MSI and INTx) and dt_test (a device-tree level interrupt).
 *
 *   events_test [harness options]     node: MMFDEV_NODE or /dev/mmfdev
 *
 * MMFDEV_PINGPONG sets the ping-pong's message count (default 1000000).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/mmfdev.h>

#include "kselftest_harness.h"
#include "mmfdev.h"
#include "common.h"

static const char *node = MMFDEV_DEFAULT_PATH;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* The device's doorbells: their count and the first one's index. */
static int doorbells(int fd, unsigned int *first, unsigned int *n)
{
	struct mmfdev_device_info dev = { .argsz = sizeof(dev) };
	unsigned int i;

	if (ioctl(fd, MMFDEV_IOC_DEVICE_INFO, &dev))
		return -errno;
	*n = 0;
	for (i = 0; i < dev.num_events; i++) {
		struct mmfdev_event_info info;

		if (event_info(fd, i, &info))
			return -errno;
		if (info.kind != MMFDEV_EVENT_KIND_DOORBELL)
			continue;
		if (!*n)
			*first = i;
		(*n)++;
	}
	return 0;
}

FIXTURE(bell) {
	int fd;
	unsigned int first, n;
};

FIXTURE_SETUP(bell)
{
	self->fd = open(node, O_RDWR | O_CLOEXEC);
	if (self->fd < 0 && errno == ENOENT)
		SKIP(return, "%s does not exist", node);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, doorbells(self->fd, &self->first, &self->n));
	if (self->n < 3)
		SKIP(return, "%u doorbells; these tests want 3", self->n);
}

FIXTURE_TEARDOWN(bell)
{
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F(bell, discovery)
{
	struct mmfdev_device_info dev = { .argsz = sizeof(dev) };
	struct mmfdev_event_info info;
	char path[128], line[128], name[64], kind[32], trig[32];
	unsigned int i, idx, flags;
	unsigned long long count;
	FILE *f;

	ASSERT_EQ(0, ioctl(self->fd, MMFDEV_IOC_DEVICE_INFO, &dev));
	EXPECT_GE(MMFDEV_MAX_EVENTS, dev.num_events);
	for (i = 0; i < self->n; i++) {
		ASSERT_EQ(0, event_info(self->fd, self->first + i, &info));
		EXPECT_EQ(MMFDEV_EVENT_KIND_DOORBELL, info.kind);
		EXPECT_EQ(MMFDEV_EVENT_TRIGGER_EDGE, info.trigger);
		EXPECT_EQ(MMFDEV_EVENT_FLAG_RING, info.flags);
		snprintf(name, sizeof(name), "doorbell%u", i);
		EXPECT_STREQ(name, info.name);
	}
	EXPECT_EQ(-1, event_info(self->fd, dev.num_events, &info));
	EXPECT_EQ(EINVAL, errno);

	/* sysfs says the same. */
	snprintf(path, sizeof(path), "/sys/class/misc/%s/events", dev.name);
	f = fopen(path, "re");
	ASSERT_NE(NULL, f) TH_LOG("%s: %s", path, strerror(errno));
	for (i = 0; fgets(line, sizeof(line), f); i++) {
		ASSERT_EQ(6, sscanf(line, "%u %63s %31s %31s %x %llu", &idx, name,
				    kind, trig, &flags, &count));
		EXPECT_EQ(i, idx);
		ASSERT_EQ(0, event_info(self->fd, i, &info));
		EXPECT_STREQ(info.name, name);
		if (info.kind == MMFDEV_EVENT_KIND_DOORBELL) {
			EXPECT_STREQ("doorbell", kind);
			EXPECT_STREQ("edge", trig);
		}
	}
	fclose(f);
	EXPECT_EQ(dev.num_events, i);
}

TEST_F(bell, ring_counts_every_event)
{
	unsigned int line = self->first;
	struct mmfdev_event_status st;
	uint64_t before, after, count0;

	ASSERT_EQ(0, event_status(self->fd, line, 0, &st));
	count0 = st.count;
	EXPECT_EQ(0, st.new_events);

	before = now_ns();
	ASSERT_EQ(0, event_ring(self->fd, line));
	ASSERT_EQ(0, event_ring(self->fd, line));
	ASSERT_EQ(0, event_ring(self->fd, line));
	after = now_ns();

	/* PEEK looks without moving the mark. */
	ASSERT_EQ(0, event_status(self->fd, line, MMFDEV_EVENT_STATUS_PEEK,
				  &st));
	EXPECT_EQ(3, st.new_events);
	ASSERT_EQ(0, event_status(self->fd, line, 0, &st));
	EXPECT_EQ(count0 + 3, st.count);
	EXPECT_EQ(3, st.new_events);
	EXPECT_LE(before, st.timestamp_ns);
	EXPECT_GE(after, st.timestamp_ns);
	ASSERT_EQ(0, event_status(self->fd, line, 0, &st));
	EXPECT_EQ(0, st.new_events);

	/* Another line saw nothing. */
	ASSERT_EQ(0, event_status(self->fd, line + 1, 0, &st));
	EXPECT_EQ(0, st.new_events);

	/* Bad arguments. */
	EXPECT_EQ(-1, event_status(self->fd, line, 0x80, &st));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, event_ring(self->fd, 1000));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(bell, ring_needs_write_access)
{
	int ro = open(node, O_RDONLY | O_CLOEXEC);
	struct mmfdev_event_status st;

	ASSERT_LE(0, ro);
	EXPECT_EQ(-1, event_ring(ro, self->first));
	EXPECT_EQ(EBADF, errno);
	/* Reading and waiting are fine. */
	EXPECT_EQ(0, event_status(ro, self->first, 0, &st));
	close(ro);
}

TEST_F(bell, wait_timeouts)
{
	uint64_t pending = 0, t;
	int ret;

	/* 0: only look. */
	t = now_ns();
	EXPECT_EQ(-1, event_wait(self->fd, 1ULL << self->first, 0, &pending));
	EXPECT_EQ(ETIMEDOUT, errno);
	EXPECT_GT(50000000ULL, now_ns() - t);

	/* 100 ms: at least that long. */
	t = now_ns();
	ret = event_wait(self->fd, 1ULL << self->first, 100000000, &pending);
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(ETIMEDOUT, errno);
	EXPECT_LE(100000000ULL, now_ns() - t);

	/* Something pending: returns at once, with the line. */
	ASSERT_EQ(0, event_ring(self->fd, self->first + 1));
	ret = event_wait(self->fd, 0, -1, &pending);
	EXPECT_EQ(0, ret);
	EXPECT_EQ(1ULL << (self->first + 1), pending);
	/* Waiting does not consume. */
	ret = event_wait(self->fd, 1ULL << (self->first + 1), 0, &pending);
	EXPECT_EQ(0, ret);

	/* A line beyond the device's is refused. */
	EXPECT_EQ(-1, event_wait(self->fd, 1ULL << 63, 0, &pending));
	EXPECT_EQ(EINVAL, errno);
}

/*
 * Three waiters in processes of their own, on line sets {A}, {B} and
 * {A, B}: ringing B wakes the second and third, the first times out.
 * Each says on @ready that its file is open: events from then on are
 * new to it, however late it gets to waiting.
 */
static int waiter(unsigned int first, uint64_t lines, uint64_t want,
		  int ready)
{
	int fd = open(node, O_RDONLY | O_CLOEXEC);
	uint64_t pending = 0;
	int ret;

	if (fd < 0 || write(ready, "r", 1) != 1)
		return 10;
	ret = event_wait(fd, lines << first, 2000000000LL, &pending);
	if (!want)
		return ret == -1 && errno == ETIMEDOUT ? 0 : 11;
	if (ret)
		return 12;
	return pending == want << first ? 0 : 13;
}

TEST_F_TIMEOUT(bell, waiters_on_several_lines, 60)
{
	pid_t pids[3];
	int i, status, ready[2];
	char c;

	ASSERT_EQ(0, pipe2(ready, O_CLOEXEC));
	pids[0] = fork();
	if (!pids[0])
		_exit(waiter(self->first, 1, 0, ready[1]));
	pids[1] = fork();
	if (!pids[1])
		_exit(waiter(self->first, 2, 2, ready[1]));
	pids[2] = fork();
	if (!pids[2])
		_exit(waiter(self->first, 3, 2, ready[1]));
	close(ready[1]);
	for (i = 0; i < 3; i++)
		ASSERT_EQ(1, read(ready[0], &c, 1));
	close(ready[0]);
	ASSERT_EQ(0, event_ring(self->fd, self->first + 1));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
			TH_LOG("waiter %d: status 0x%x", i, status);
	}
}

TEST_F(bell, poll_and_epoll)
{
	struct pollfd pfd = { .fd = self->fd, .events = POLLIN };
	struct mmfdev_event_status st;
	struct epoll_event ev = { .events = EPOLLIN }, out;
	int ep;

	EXPECT_EQ(0, poll(&pfd, 1, 0));
	ASSERT_EQ(0, event_ring(self->fd, self->first + 2));
	EXPECT_EQ(1, poll(&pfd, 1, 1000));
	EXPECT_EQ(POLLIN, pfd.revents & (POLLIN | POLLHUP | POLLERR));

	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, self->fd, &ev));
	EXPECT_EQ(1, epoll_wait(ep, &out, 1, 1000));
	/* Looked at: no longer ready. */
	ASSERT_EQ(0, event_status(self->fd, self->first + 2, 0, &st));
	EXPECT_EQ(1, st.new_events);
	EXPECT_EQ(0, epoll_wait(ep, &out, 1, 0));
	EXPECT_EQ(0, poll(&pfd, 1, 0));
	/* A ring from another file wakes the epoll loop. */
	if (!fork()) {
		int fd = open(node, O_RDWR | O_CLOEXEC);

		usleep(200000);
		_exit(fd < 0 || event_ring(fd, self->first) ? 1 : 0);
	}
	EXPECT_EQ(1, epoll_wait(ep, &out, 1, 5000));
	wait(NULL);
	close(ep);
}

TEST_F(bell, eventfd_bound_to_a_line)
{
	unsigned int line = self->first + 2;
	uint64_t v = 0;
	int efd, i;

	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, efd);
	ASSERT_EQ(0, event_eventfd(self->fd, line, efd));
	for (i = 0; i < 5; i++)
		ASSERT_EQ(0, event_ring(self->fd, line));
	ASSERT_EQ(sizeof(v), read(efd, &v, sizeof(v)));
	EXPECT_EQ(5, v);

	/* Another line does not reach it. */
	ASSERT_EQ(0, event_ring(self->fd, self->first));
	EXPECT_EQ(-1, read(efd, &v, sizeof(v)));
	EXPECT_EQ(EAGAIN, errno);

	/* Unbound: nothing more. */
	ASSERT_EQ(0, event_eventfd(self->fd, line, -1));
	ASSERT_EQ(0, event_ring(self->fd, line));
	EXPECT_EQ(-1, read(efd, &v, sizeof(v)));
	EXPECT_EQ(EAGAIN, errno);

	/* Not an eventfd, not a file. */
	EXPECT_EQ(-1, event_eventfd(self->fd, line, self->fd));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, event_eventfd(self->fd, line, 9999));
	EXPECT_EQ(EBADF, errno);
	close(efd);
}

/*
 * Ping-pong between two processes that opened the node themselves: A
 * rings line 0 and waits for line 1, B the other way round.  Every wait
 * must find exactly one new event: nothing lost, nothing doubled.
 */
static int pinger(unsigned int mine, unsigned int theirs, long n, int first)
{
	int fd = open(node, O_RDWR | O_CLOEXEC);
	struct mmfdev_event_status st;
	uint64_t pending;
	long i;

	if (fd < 0)
		return 10;
	for (i = 0; i < n; i++) {
		if (first && event_ring(fd, theirs))
			return 11;
		do {
			if (event_wait(fd, 1ULL << mine, 10000000000LL,
				       &pending))
				return 12;
		} while (!pending);
		if (event_status(fd, mine, 0, &st) || st.new_events != 1)
			return 13;
		if (!first && event_ring(fd, theirs))
			return 14;
	}
	close(fd);
	return 0;
}

TEST_F_TIMEOUT(bell, ping_pong_nothing_lost, 1800)
{
	const char *env = getenv("MMFDEV_PINGPONG");
	long n = env && *env ? strtol(env, NULL, 0) : 1000000;
	unsigned int a = self->first, b = self->first + 1;
	struct mmfdev_event_status sa, sb, ea, eb;
	uint64_t t;
	pid_t pa, pb;
	int status;

	ASSERT_EQ(0, event_status(self->fd, a, MMFDEV_EVENT_STATUS_PEEK, &sa));
	ASSERT_EQ(0, event_status(self->fd, b, MMFDEV_EVENT_STATUS_PEEK, &sb));
	t = now_ns();
	/* B first, so that it opens the node before A rings. */
	pb = fork();
	if (!pb)
		_exit(pinger(b, a, n, 0));
	usleep(100000);
	pa = fork();
	if (!pa)
		_exit(pinger(a, b, n, 1));
	ASSERT_EQ(pa, waitpid(pa, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("A: status 0x%x", status);
	ASSERT_EQ(pb, waitpid(pb, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("B: status 0x%x", status);
	t = now_ns() - t;
	TH_LOG("%ld round trips in %.1f s: %.1f us each", n, t / 1e9,
	       t / 1e3 / n);
	ASSERT_EQ(0, event_status(self->fd, a, MMFDEV_EVENT_STATUS_PEEK, &ea));
	ASSERT_EQ(0, event_status(self->fd, b, MMFDEV_EVENT_STATUS_PEEK, &eb));
	EXPECT_EQ(n, ea.count - sa.count);
	EXPECT_EQ(n, eb.count - sb.count);
}

int main(int argc, char **argv)
{
	return mmfdev_node_test_main(argc, argv, &node);
}
