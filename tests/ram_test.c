// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmfdev kselftest: the RAM region is memory the rest of the kernel can
 * use as such.  Processes that each open and map the node themselves
 * synchronise through process-shared objects placed in the mapping
 * (futexes, pthread mutexes, condition variables, rwlocks, barriers,
 * robust mutexes, semaphores); madvise(), mlock(), mremap(), fork() and
 * MAP_FIXED behave as on a shared file; get_user_pages() users (O_DIRECT,
 * vmsplice, process_vm_readv, io_uring fixed buffers) work on it; a 1 GiB
 * region maps with huge entries and no prefill.
 *
 *   ram_test [harness options]     node: MMFDEV_NODE or /dev/mmfdev
 *
 * MMFDEV_BLOCK_DEVICE names a scratch block device (the lanes give
 * /dev/ram0) for the O_DIRECT test; without it that test is skipped.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/io_uring.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/mmfdev.h>

#include "kselftest_harness.h"
#include "mmfdev.h"
#include "common.h"

#ifndef MADV_COLD
#define MADV_COLD	20
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT	21
#endif

static const char *node = MMFDEV_DEFAULT_PATH;

/* Open the node and map @len bytes of region 0 at @off, shared. */
static void *ram_map_at(uint64_t off, size_t len, int *fdp)
{
	struct mmfdev_region_info info;
	void *p;
	int fd;

	fd = open(node, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (region_info(fd, 0, &info) || off + len > info.size) {
		close(fd);
		return NULL;
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 info.offset + off);
	if (p == MAP_FAILED) {
		close(fd);
		return NULL;
	}
	if (fdp)
		*fdp = fd;
	else
		close(fd);
	return p;
}

static void *ram_map(size_t len)
{
	return ram_map_at(0, len, NULL);
}

static long futex(atomic_uint *uaddr, int op, unsigned int val,
		  const struct timespec *ts)
{
	return syscall(SYS_futex, uaddr, op, val, ts, NULL, 0);
}

/*
 * Wait while *@uaddr is @val, for at most 10 s a call: 0 when woken or
 * when the word changed, -1 on a real error (EFAULT on a mapping the
 * futex code cannot key).
 */
static int futex_wait(atomic_uint *uaddr, unsigned int val)
{
	struct timespec ten = { 10, 0 };

	if (!futex(uaddr, FUTEX_WAIT, val, &ten))
		return 0;
	return errno == EAGAIN || errno == EINTR || errno == ETIMEDOUT ?
	       0 : -1;
}

/* Seconds since some fixed point, for bounding loops. */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* Wait for a child; its exit status, or 128 + signal. */
static int reap(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

FIXTURE(ram) {
	size_t page;
	struct mmfdev_region_info info;
};

FIXTURE_SETUP(ram)
{
	int fd;

	self->page = sysconf(_SC_PAGESIZE);
	fd = open(node, O_RDWR | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		SKIP(return, "%s does not exist", node);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, region_info(fd, 0, &self->info));
	close(fd);
	ASSERT_LE(16 * self->page, self->info.size);
}

FIXTURE_TEARDOWN(ram)
{
}

/*
 * Shared futexes: a waiter blocks (no CPU burnt), a wake reaches it
 * across processes, a wait on a changed word returns at once, a timed
 * wait times out; then 1000 hand-offs through the futex, none lost.
 */
struct futex_area {
	atomic_uint word;
	atomic_uint turn;
	unsigned int seen[2];
};

/* Take @n turns of parity @odd on a->turn; 0, or -1 on error or timeout. */
static int futex_turns(struct futex_area *a, unsigned int odd, int n)
{
	double t0 = now();
	int i;

	for (i = 0; i < n; i++) {
		unsigned int t;

		while ((t = atomic_load(&a->turn)) % 2 != odd)
			if (futex_wait(&a->turn, t) || now() - t0 > 60)
				return -1;
		a->seen[odd]++;
		atomic_fetch_add(&a->turn, 1);
		futex(&a->turn, FUTEX_WAKE, 1, NULL);
	}
	return 0;
}

static int futex_child(void)
{
	struct futex_area *a = ram_map(sysconf(_SC_PAGESIZE));
	struct timespec ts = { 0, 50 * 1000000 };
	double cpu, t0 = now();

	if (!a)
		return 10;
	/* Nobody wakes us: the timed wait must time out, not EFAULT. */
	if (futex(&a->word, FUTEX_WAIT, 0, &ts) != -1 || errno != ETIMEDOUT) {
		/* Let the parent go on, so that it can fail instead of wait. */
		atomic_store(&a->word, 1);
		return 11;
	}
	atomic_store(&a->word, 1);
	futex(&a->word, FUTEX_WAKE, 1, NULL);
	/* Block until the parent stores 2 (it waits 300 ms first). */
	cpu = cpu_seconds();
	while (atomic_load(&a->word) != 2)
		if (futex_wait(&a->word, 1) || now() - t0 > 60)
			return 12;
	if (cpu_seconds() - cpu > 0.15)
		return 13;
	return futex_turns(a, 1, 1000) ? 14 : 0;
}

TEST_F_TIMEOUT(ram, futex_between_processes, 120)
{
	struct futex_area *a;
	double t0 = now();
	pid_t pid;

	a = ram_map(self->page);
	ASSERT_NE(NULL, a);
	memset(a, 0, sizeof(*a));

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(futex_child());

	while (atomic_load(&a->word) != 1 && now() - t0 < 60)
		sleep_ms(10);
	sleep_ms(300);
	atomic_store(&a->word, 2);
	EXPECT_LE(0, futex(&a->word, FUTEX_WAKE, 1, NULL))
		TH_LOG("FUTEX_WAKE: %s", strerror(errno));
	if (waitpid(pid, NULL, WNOHANG) == 0)
		EXPECT_EQ(0, futex_turns(a, 0, 1000));
	EXPECT_EQ(0, reap(pid));
	EXPECT_EQ(2000, atomic_load(&a->turn));
	EXPECT_EQ(1000, a->seen[0]);
	EXPECT_EQ(1000, a->seen[1]);
	munmap(a, self->page);
}

/*
 * A process-shared mutex and condition variable: a producer sends 2000
 * numbered messages through a one-slot mailbox, the consumer takes them
 * in order; the consumer also proves it sleeps while it waits.
 */
struct mailbox {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	int full;
	unsigned int msg;
	unsigned int received;
	unsigned int bad;
};

#define MAILBOX_MSGS	2000

static int mailbox_consumer(void)
{
	struct mailbox *m = ram_map(sysconf(_SC_PAGESIZE));
	unsigned int i;
	double cpu;

	if (!m)
		return 10;
	for (i = 1; i <= MAILBOX_MSGS; i++) {
		pthread_mutex_lock(&m->lock);
		cpu = cpu_seconds();
		while (!m->full)
			pthread_cond_wait(&m->changed, &m->lock);
		/* The first message comes after 300 ms: we must have slept. */
		if (i == 1 && cpu_seconds() - cpu > 0.15)
			m->bad |= 2;
		if (m->msg != i)
			m->bad |= 1;
		m->received++;
		m->full = 0;
		pthread_cond_signal(&m->changed);
		pthread_mutex_unlock(&m->lock);
	}
	return 0;
}

static int mailbox_producer(void)
{
	struct mailbox *m = ram_map(sysconf(_SC_PAGESIZE));
	unsigned int i;

	if (!m)
		return 10;
	sleep_ms(300);
	for (i = 1; i <= MAILBOX_MSGS; i++) {
		pthread_mutex_lock(&m->lock);
		while (m->full)
			pthread_cond_wait(&m->changed, &m->lock);
		m->msg = i;
		m->full = 1;
		pthread_cond_signal(&m->changed);
		pthread_mutex_unlock(&m->lock);
	}
	return 0;
}

TEST_F_TIMEOUT(ram, mutex_and_condvar_between_processes, 120)
{
	pthread_mutexattr_t ma;
	pthread_condattr_t ca;
	pid_t pids[2] = { -1, -1 };
	struct mailbox *m;

	m = ram_map(self->page);
	ASSERT_NE(NULL, m);
	memset(m, 0, sizeof(*m));
	pthread_mutexattr_init(&ma);
	ASSERT_EQ(0, pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED));
	ASSERT_EQ(0, pthread_mutex_init(&m->lock, &ma));
	pthread_condattr_init(&ca);
	ASSERT_EQ(0, pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED));
	ASSERT_EQ(0, pthread_cond_init(&m->changed, &ca));
	munmap(m, self->page);

	pids[0] = fork();
	if (!pids[0])
		_exit(mailbox_consumer());
	pids[1] = fork();
	if (!pids[1])
		_exit(mailbox_producer());
	ASSERT_LT(0, pids[0]);
	ASSERT_LT(0, pids[1]);
	EXPECT_EQ(0, reap(pids[0]));
	EXPECT_EQ(0, reap(pids[1]));

	m = ram_map(self->page);
	ASSERT_NE(NULL, m);
	EXPECT_EQ(MAILBOX_MSGS, m->received);
	EXPECT_EQ(0, m->bad);
	munmap(m, self->page);
}

/*
 * A process-shared rwlock: writers keep two counters equal and add to
 * them; readers check the invariant under the read lock.
 */
struct rw_area {
	pthread_rwlock_t lock;
	unsigned long a, b;
	unsigned int broken;
};

#define RW_WRITERS	2
#define RW_READERS	2
#define RW_ROUNDS	2000

static int rw_child(int writer)
{
	struct rw_area *r = ram_map(sysconf(_SC_PAGESIZE));
	int i;

	if (!r)
		return 10;
	for (i = 0; i < RW_ROUNDS; i++) {
		if (writer) {
			pthread_rwlock_wrlock(&r->lock);
			r->a++;
			sched_yield();
			r->b++;
		} else {
			pthread_rwlock_rdlock(&r->lock);
			if (r->a != r->b)
				__atomic_fetch_add(&r->broken, 1,
						   __ATOMIC_RELAXED);
		}
		pthread_rwlock_unlock(&r->lock);
	}
	return 0;
}

TEST_F_TIMEOUT(ram, rwlock_between_processes, 120)
{
	pid_t pids[RW_WRITERS + RW_READERS];
	pthread_rwlockattr_t attr;
	struct rw_area *r;
	int i;

	r = ram_map(self->page);
	ASSERT_NE(NULL, r);
	memset(r, 0, sizeof(*r));
	pthread_rwlockattr_init(&attr);
	ASSERT_EQ(0, pthread_rwlockattr_setpshared(&attr,
						   PTHREAD_PROCESS_SHARED));
	ASSERT_EQ(0, pthread_rwlock_init(&r->lock, &attr));

	for (i = 0; i < RW_WRITERS + RW_READERS; i++) {
		pids[i] = fork();
		if (!pids[i])
			_exit(rw_child(i < RW_WRITERS));
	}
	for (i = 0; i < RW_WRITERS + RW_READERS; i++)
		EXPECT_EQ(0, reap(pids[i]));
	EXPECT_EQ(RW_WRITERS * RW_ROUNDS, r->a);
	EXPECT_EQ(r->a, r->b);
	EXPECT_EQ(0, r->broken);
	munmap(r, self->page);
}

/* A process-shared barrier: three processes, 200 rounds in lock step. */
struct barrier_area {
	pthread_barrier_t barrier;
	unsigned int round[3];
	unsigned int serial;
	unsigned int out_of_step;
};

#define BARRIER_ROUNDS	200

static int barrier_child(int me)
{
	struct barrier_area *b = ram_map(sysconf(_SC_PAGESIZE));
	unsigned int r;
	int i, ret;

	if (!b)
		return 10;
	for (r = 1; r <= BARRIER_ROUNDS; r++) {
		b->round[me] = r;
		ret = pthread_barrier_wait(&b->barrier);
		if (ret == PTHREAD_BARRIER_SERIAL_THREAD)
			__atomic_fetch_add(&b->serial, 1, __ATOMIC_RELAXED);
		else if (ret)
			return 11;
		for (i = 0; i < 3; i++)
			if (b->round[i] < r)
				__atomic_fetch_add(&b->out_of_step, 1,
						   __ATOMIC_RELAXED);
		/* Nobody may start the next round before all checked. */
		ret = pthread_barrier_wait(&b->barrier);
		if (ret && ret != PTHREAD_BARRIER_SERIAL_THREAD)
			return 12;
	}
	return 0;
}

TEST_F_TIMEOUT(ram, barrier_between_processes, 120)
{
	pthread_barrierattr_t attr;
	struct barrier_area *b;
	pid_t pids[3];
	int i;

	b = ram_map(self->page);
	ASSERT_NE(NULL, b);
	memset(b, 0, sizeof(*b));
	pthread_barrierattr_init(&attr);
	ASSERT_EQ(0, pthread_barrierattr_setpshared(&attr,
						    PTHREAD_PROCESS_SHARED));
	ASSERT_EQ(0, pthread_barrier_init(&b->barrier, &attr, 3));
	for (i = 0; i < 3; i++) {
		pids[i] = fork();
		if (!pids[i])
			_exit(barrier_child(i));
	}
	for (i = 0; i < 3; i++)
		EXPECT_EQ(0, reap(pids[i]));
	EXPECT_EQ(BARRIER_ROUNDS, b->serial);
	EXPECT_EQ(0, b->out_of_step);
	munmap(b, self->page);
}

/*
 * Robust mutexes: a holder killed with SIGKILL in the middle of adding a
 * record hands the next locker EOWNERDEAD; it repairs the log (the torn
 * record is finished from its intent), marks the mutex consistent, and no
 * committed record is lost.
 */
struct robust_log {
	pthread_mutex_t lock;
	unsigned int committed;
	unsigned int intent;		/* the record being added, or 0 */
	unsigned int records[64];
	unsigned int holding;		/* the victim has the lock */
};

static int robust_victim(void)
{
	struct robust_log *l = ram_map(sysconf(_SC_PAGESIZE));

	if (!l)
		return 10;
	if (pthread_mutex_lock(&l->lock))
		return 11;
	l->records[l->committed++] = 100;	/* one committed record */
	l->intent = 101;			/* ... and one torn */
	__atomic_store_n(&l->holding, 1, __ATOMIC_RELEASE);
	for (;;)
		pause();
}

TEST_F_TIMEOUT(ram, robust_mutex_owner_killed, 60)
{
	pthread_mutexattr_t attr;
	struct robust_log *l;
	pid_t pid;
	int i, ret;

	l = ram_map(self->page);
	ASSERT_NE(NULL, l);
	memset(l, 0, sizeof(*l));
	pthread_mutexattr_init(&attr);
	ASSERT_EQ(0, pthread_mutexattr_setpshared(&attr,
						  PTHREAD_PROCESS_SHARED));
	ASSERT_EQ(0, pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST));
	ASSERT_EQ(0, pthread_mutex_init(&l->lock, &attr));
	for (i = 0; i < 3; i++)
		l->records[l->committed++] = i + 1;
	munmap(l, self->page);

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(robust_victim());

	/* A locker of our own, with its own mapping. */
	l = ram_map(self->page);
	ASSERT_NE(NULL, l);
	for (i = 0; i < 1000 && !__atomic_load_n(&l->holding, __ATOMIC_ACQUIRE);
	     i++)
		sleep_ms(10);
	ASSERT_EQ(1, l->holding);
	kill(pid, SIGKILL);
	EXPECT_EQ(128 + SIGKILL, reap(pid));

	ret = pthread_mutex_lock(&l->lock);
	ASSERT_EQ(EOWNERDEAD, ret);
	if (l->intent) {
		l->records[l->committed++] = l->intent;
		l->intent = 0;
	}
	ASSERT_EQ(0, pthread_mutex_consistent(&l->lock));
	ASSERT_EQ(0, pthread_mutex_unlock(&l->lock));

	ASSERT_EQ(0, pthread_mutex_lock(&l->lock));
	EXPECT_EQ(5, l->committed);
	for (i = 0; i < 3; i++)
		EXPECT_EQ(i + 1, l->records[i]);
	EXPECT_EQ(100, l->records[3]);
	EXPECT_EQ(101, l->records[4]);
	EXPECT_EQ(0, pthread_mutex_unlock(&l->lock));
	munmap(l, self->page);
}

/* sem_t with pshared = 1: 5000 posts, 5000 waits, then a timeout. */
struct sem_area {
	sem_t items;
	unsigned int produced, consumed;
};

#define SEM_ITEMS	5000

static int sem_child(int producer)
{
	struct sem_area *s = ram_map(sysconf(_SC_PAGESIZE));
	int i;

	if (!s)
		return 10;
	for (i = 0; i < SEM_ITEMS; i++) {
		if (producer) {
			__atomic_fetch_add(&s->produced, 1, __ATOMIC_RELAXED);
			if (sem_post(&s->items))
				return 11;
		} else {
			while (sem_wait(&s->items))
				if (errno != EINTR)
					return 12;
			__atomic_fetch_add(&s->consumed, 1, __ATOMIC_RELAXED);
		}
	}
	return 0;
}

TEST_F_TIMEOUT(ram, semaphore_between_processes, 120)
{
	struct timespec ts;
	struct sem_area *s;
	pid_t pids[2];
	int i;

	s = ram_map(self->page);
	ASSERT_NE(NULL, s);
	memset(s, 0, sizeof(*s));
	ASSERT_EQ(0, sem_init(&s->items, 1, 0));
	pids[0] = fork();
	if (!pids[0])
		_exit(sem_child(0));
	pids[1] = fork();
	if (!pids[1])
		_exit(sem_child(1));
	for (i = 0; i < 2; i++)
		EXPECT_EQ(0, reap(pids[i]));
	EXPECT_EQ(SEM_ITEMS, s->produced);
	EXPECT_EQ(SEM_ITEMS, s->consumed);

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 50 * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	EXPECT_EQ(-1, sem_timedwait(&s->items, &ts));
	EXPECT_EQ(ETIMEDOUT, errno);
	sem_destroy(&s->items);
	munmap(s, self->page);
}

static void fill(unsigned char *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (unsigned char)(i * 31 + seed);
}

static int same(const unsigned char *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != (unsigned char)(i * 31 + seed))
			return 0;
	return 1;
}

/*
 * madvise(): after each advice every byte is still there, through the
 * mapping and through pread(), and still writable; MADV_REMOVE is refused.
 */
TEST_F(ram, madvise_keeps_every_byte)
{
	const struct { int advice; const char *name; } advs[] = {
		{ MADV_DONTNEED, "MADV_DONTNEED" }, { MADV_COLD, "MADV_COLD" },
		{ MADV_PAGEOUT, "MADV_PAGEOUT" },
		{ MADV_WILLNEED, "MADV_WILLNEED" },
	};
	size_t len = 8 * self->page, i;
	unsigned char *p, *buf;
	int fd;

	p = ram_map_at(0, len, &fd);
	ASSERT_NE(NULL, p);
	buf = malloc(len);
	ASSERT_NE(NULL, buf);
	for (i = 0; i < sizeof(advs) / sizeof(advs[0]); i++) {
		int ret;

		fill(p, len, i);
		ret = madvise(p, len, advs[i].advice);
		/* COLD and PAGEOUT came in 5.4: EINVAL before. */
		EXPECT_TRUE(ret == 0 || (errno == EINVAL &&
					 advs[i].advice != MADV_DONTNEED &&
					 advs[i].advice != MADV_WILLNEED))
			TH_LOG("%s: %s", advs[i].name, strerror(errno));
		EXPECT_TRUE(same(p, len, i)) TH_LOG("%s lost bytes",
						   advs[i].name);
		ASSERT_EQ((ssize_t)len, pread(fd, buf, len,
					      self->info.offset));
		EXPECT_TRUE(same(buf, len, i)) TH_LOG("%s: pread differs",
						     advs[i].name);
		/* Writable again, and the write lands in the region. */
		fill(p, len, i + 100);
		ASSERT_EQ((ssize_t)len, pread(fd, buf, len,
					      self->info.offset));
		EXPECT_TRUE(same(buf, len, i + 100));
	}

	/* Nothing may punch a hole in the region. */
	fill(p, len, 99);
	EXPECT_EQ(-1, madvise(p, len, MADV_REMOVE));
	EXPECT_EQ(EBADF, errno);
	EXPECT_TRUE(same(p, len, 99));
	free(buf);
	munmap(p, len);
	close(fd);
}

/* mlock() and munlock(): the bytes stay put. */
TEST_F(ram, mlock_and_munlock)
{
	size_t len = 4 * self->page;
	unsigned char *p;

	p = ram_map(len);
	ASSERT_NE(NULL, p);
	fill(p, len, 7);
	ASSERT_EQ(0, mlock(p, len)) TH_LOG("mlock: %s", strerror(errno));
	EXPECT_TRUE(same(p, len, 7));
	fill(p, len, 8);
	ASSERT_EQ(0, munlock(p, len));
	EXPECT_TRUE(same(p, len, 8));
	munmap(p, len);
}

/* mremap(): a moved mapping shows the same bytes, a shrunk one too. */
TEST_F(ram, mremap_move_and_shrink)
{
	size_t len = 4 * self->page;
	unsigned char *p, *q, *hole;

	p = ram_map(len);
	ASSERT_NE(NULL, p);
	fill(p, len, 9);

	/* Move it, to a place we choose. */
	hole = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, hole);
	q = mremap(p, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, hole);
	ASSERT_EQ(hole, q);
	EXPECT_TRUE(same(q, len, 9));

	/* Shrink it: the rest still reads the same. */
	q = mremap(q, len, len / 2, 0);
	ASSERT_NE(MAP_FAILED, q);
	EXPECT_TRUE(same(q, len / 2, 9));

	/* Growing is still refused. */
	EXPECT_EQ(MAP_FAILED, mremap(q, len / 2, len, MREMAP_MAYMOVE));
	munmap(q, len / 2);
}

/* fork(): the child sees the parent's bytes and its writes come back. */
TEST_F(ram, fork_shares_the_pages)
{
	size_t len = 2 * self->page;
	unsigned char *p;
	pid_t pid;

	p = ram_map(len);
	ASSERT_NE(NULL, p);
	fill(p, len, 11);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (!same(p, len, 11))
			_exit(1);
		fill(p, len, 12);
		_exit(0);
	}
	EXPECT_EQ(0, reap(pid));
	EXPECT_TRUE(same(p, len, 12));
	munmap(p, len);
}

/* MAP_FIXED over part of a mapping: that part now shows other pages. */
TEST_F(ram, map_fixed_over_part)
{
	size_t len = 4 * self->page;
	unsigned char *p, *q;
	int fd;

	p = ram_map_at(0, len, &fd);
	ASSERT_NE(NULL, p);
	fill(p, len, 13);
	/* Region page 3 over mapping page 1. */
	q = mmap(p + self->page, self->page, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED, fd, self->info.offset + 3 * self->page);
	ASSERT_EQ(p + self->page, q);
	EXPECT_EQ(0, memcmp(p + self->page, p + 3 * self->page, self->page));
	/* One page, two addresses: a write through one shows in the other. */
	p[self->page] ^= 0xff;
	EXPECT_EQ(p[self->page], p[3 * self->page]);
	/* Pages 0 and 2 are untouched. */
	EXPECT_TRUE(same(p, self->page, 13));
	munmap(p, len);
	close(fd);
}

/* get_user_pages() users: vmsplice() and process_vm_readv(). */
TEST_F(ram, vmsplice_and_process_vm_readv)
{
	size_t len = 2 * self->page;
	unsigned char *p, *buf;
	struct iovec local, remote;
	int pipefd[2];
	pid_t pid;

	p = ram_map(len);
	ASSERT_NE(NULL, p);
	buf = malloc(len);
	ASSERT_NE(NULL, buf);
	fill(p, len, 14);

	ASSERT_EQ(0, pipe(pipefd));
	ASSERT_EQ(0, fcntl(pipefd[1], F_SETPIPE_SZ, (int)len) < 0);
	local.iov_base = p;
	local.iov_len = len;
	EXPECT_EQ((ssize_t)len, vmsplice(pipefd[1], &local, 1, 0))
		TH_LOG("vmsplice: %s", strerror(errno));
	EXPECT_EQ((ssize_t)len, read(pipefd[0], buf, len));
	EXPECT_TRUE(same(buf, len, 14));
	close(pipefd[0]);
	close(pipefd[1]);

	/* A child reads our mapping through the kernel, by address. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		memset(buf, 0, len);
		local.iov_base = buf;
		remote.iov_base = p;
		remote.iov_len = local.iov_len = len;
		if (process_vm_readv(getppid(), &local, 1, &remote, 1, 0) !=
		    (ssize_t)len)
			_exit(1);
		_exit(same(buf, len, 14) ? 0 : 2);
	}
	EXPECT_EQ(0, reap(pid));
	free(buf);
	munmap(p, len);
}

/* O_DIRECT to and from a block device, with the mapping as the buffer. */
TEST_F(ram, o_direct_through_the_mapping)
{
	const char *dev = getenv("MMFDEV_BLOCK_DEVICE");
	size_t len = 4 * self->page;
	unsigned char *p;
	int bfd;

	if (!dev || !*dev)
		SKIP(return, "MMFDEV_BLOCK_DEVICE is not set");
	bfd = open(dev, O_RDWR | O_DIRECT | O_CLOEXEC);
	ASSERT_LE(0, bfd) TH_LOG("open %s: %s", dev, strerror(errno));
	p = ram_map(2 * len);
	ASSERT_NE(NULL, p);

	fill(p, len, 15);
	memset(p + len, 0, len);
	ASSERT_EQ((ssize_t)len, pwrite(bfd, p, len, 0))
		TH_LOG("O_DIRECT write: %s", strerror(errno));
	ASSERT_EQ((ssize_t)len, pread(bfd, p + len, len, 0))
		TH_LOG("O_DIRECT read: %s", strerror(errno));
	EXPECT_TRUE(same(p + len, len, 15));
	munmap(p, 2 * len);
	close(bfd);
}

/* A minimal io_uring, enough for one READ_FIXED. */
struct ring {
	int fd;
	void *sq, *cq;
	size_t sq_len, cq_len;
	struct io_uring_sqe *sqes;
	size_t sqes_len;
	struct io_uring_params p;
};

static int ring_setup(struct ring *r)
{
	memset(r, 0, sizeof(*r));
	r->fd = syscall(__NR_io_uring_setup, 4, &r->p);
	if (r->fd < 0)
		return -errno;
	r->sq_len = r->p.sq_off.array + r->p.sq_entries * sizeof(__u32);
	r->cq_len = r->p.cq_off.cqes +
		    r->p.cq_entries * sizeof(struct io_uring_cqe);
	r->sqes_len = r->p.sq_entries * sizeof(struct io_uring_sqe);
	r->sq = mmap(NULL, r->sq_len, PROT_READ | PROT_WRITE, MAP_SHARED,
		     r->fd, IORING_OFF_SQ_RING);
	r->cq = mmap(NULL, r->cq_len, PROT_READ | PROT_WRITE, MAP_SHARED,
		     r->fd, IORING_OFF_CQ_RING);
	r->sqes = mmap(NULL, r->sqes_len, PROT_READ | PROT_WRITE, MAP_SHARED,
		       r->fd, IORING_OFF_SQES);
	if (r->sq == MAP_FAILED || r->cq == MAP_FAILED ||
	    r->sqes == MAP_FAILED)
		return -ENOMEM;
	return 0;
}

static void ring_close(struct ring *r)
{
	if (r->sqes && r->sqes != MAP_FAILED)
		munmap(r->sqes, r->sqes_len);
	if (r->cq && r->cq != MAP_FAILED)
		munmap(r->cq, r->cq_len);
	if (r->sq && r->sq != MAP_FAILED)
		munmap(r->sq, r->sq_len);
	if (r->fd >= 0)
		close(r->fd);
}

/* READ_FIXED @len bytes of @fd at 0 into registered buffer 0 at @addr. */
static int ring_read_fixed(struct ring *r, int fd, void *addr, size_t len)
{
	__u32 *tail = r->sq + r->p.sq_off.tail;
	__u32 *mask = r->sq + r->p.sq_off.ring_mask;
	__u32 *array = r->sq + r->p.sq_off.array;
	__u32 *chead = r->cq + r->p.cq_off.head;
	__u32 *ctail = r->cq + r->p.cq_off.tail;
	struct io_uring_cqe *cqes = r->cq + r->p.cq_off.cqes;
	__u32 t = *tail, idx = t & *mask;
	struct io_uring_sqe *sqe = &r->sqes[idx];
	int res;

	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_READ_FIXED;
	sqe->fd = fd;
	sqe->addr = (unsigned long)addr;
	sqe->len = len;
	sqe->off = 0;
	sqe->buf_index = 0;
	array[idx] = idx;
	__atomic_store_n(tail, t + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, r->fd, 1, 1, IORING_ENTER_GETEVENTS,
		    NULL, 0) < 0)
		return -errno;
	if (__atomic_load_n(ctail, __ATOMIC_ACQUIRE) == *chead)
		return -EIO;
	res = cqes[*chead & *(__u32 *)(r->cq + r->p.cq_off.ring_mask)].res;
	__atomic_store_n(chead, *chead + 1, __ATOMIC_RELEASE);
	return res;
}

/* A scratch file on /tmp holding @len bytes of pattern @seed. */
static int scratch_file(size_t len, unsigned int seed)
{
	char path[] = "/tmp/mmfdev-ram-XXXXXX";
	unsigned char *buf = malloc(len);
	int fd = mkstemp(path);

	if (fd >= 0) {
		unlink(path);
		fill(buf, len, seed);
		if (write(fd, buf, len) != (ssize_t)len) {
			close(fd);
			fd = -1;
		}
	}
	free(buf);
	return fd;
}

/* io_uring: the mapping as a registered (long-term pinned) buffer. */
TEST_F(ram, io_uring_fixed_buffer)
{
	size_t len = 2 * self->page;
	struct iovec iov;
	struct ring r;
	unsigned char *p;
	int ret, ffd;

	ret = ring_setup(&r);
	if (ret == -ENOSYS || ret == -EPERM)
		SKIP(return, "io_uring is not available: %s", strerror(-ret));
	ASSERT_EQ(0, ret);
	p = ram_map(len);
	ASSERT_NE(NULL, p);
	memset(p, 0, len);
	iov.iov_base = p;
	iov.iov_len = len;
	ret = syscall(__NR_io_uring_register, r.fd, IORING_REGISTER_BUFFERS,
		      &iov, 1);
	ASSERT_EQ(0, ret) TH_LOG("register: %s", strerror(errno));

	ffd = scratch_file(len, 16);
	ASSERT_LE(0, ffd);
	EXPECT_EQ((int)len, ring_read_fixed(&r, ffd, p, len));
	EXPECT_TRUE(same(p, len, 16));

	EXPECT_EQ(0, syscall(__NR_io_uring_register, r.fd,
			     IORING_UNREGISTER_BUFFERS, NULL, 0));
	close(ffd);
	ring_close(&r);
	munmap(p, len);
}

/* Private mappings stay refused: a private write would never be seen. */
TEST_F(ram, private_mapping_refused)
{
	int fd = open(node, O_RDWR | O_CLOEXEC);

	ASSERT_LE(0, fd);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, self->page, PROT_READ, MAP_PRIVATE,
				   fd, self->info.offset));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

/* The kB value of @field in /proc/self/smaps for the VMA at @addr. */
static long smaps_kb(void *addr, const char *field)
{
	char line[256], want[64];
	unsigned long start, end;
	long kb = -1;
	int in = 0;
	FILE *f;

	f = fopen("/proc/self/smaps", "re");
	if (!f)
		return -1;
	snprintf(want, sizeof(want), "%s:", field);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			in = (unsigned long)addr >= start &&
			     (unsigned long)addr < end;
			continue;
		}
		if (in && !strncmp(line, want, strlen(want))) {
			kb = strtol(line + strlen(want), NULL, 10);
			break;
		}
	}
	fclose(f);
	return kb;
}

/*
 * Module-reloading tests: they need libkmod (not in the 32-bit suite)
 * and leave the module loaded as it was.
 */
MODULE_RELOAD_FIXTURE(reload)

/*
 * A pin outlives the mapping, the file and the module: io_uring holds the
 * pages of a registered buffer, so after munmap() and close() rmmod may
 * go ahead, and the buffer must still be good memory until unregistered.
 */
TEST_F_TIMEOUT(reload, io_uring_pin_outlives_module, 120)
{
	size_t len = 2 * self->page;
	struct iovec iov;
	unsigned char *p;
	struct ring r;
	int ret, ffd, fd;

	ret = ring_setup(&r);
	if (ret == -ENOSYS || ret == -EPERM)
		SKIP(return, "io_uring is not available: %s", strerror(-ret));
	ASSERT_EQ(0, ret);
	p = ram_map_at(0, len, &fd);
	ASSERT_NE(NULL, p);
	iov.iov_base = p;
	iov.iov_len = len;
	ASSERT_EQ(0, syscall(__NR_io_uring_register, r.fd,
			     IORING_REGISTER_BUFFERS, &iov, 1));

	/* Mapped: rmmod is refused. */
	ret = module_remove();
	EXPECT_TRUE(ret == -EAGAIN || ret == -EBUSY) TH_LOG("remove: %d", ret);

	/* Only the pin is left: either rmmod is refused, or the pin keeps
	 * the pages alive and usable. */
	munmap(p, len);
	close(fd);
	ret = module_remove();
	EXPECT_TRUE(ret == 0 || ret == -EAGAIN || ret == -EBUSY);
	ffd = scratch_file(len, 17);
	ASSERT_LE(0, ffd);
	EXPECT_EQ((int)len, ring_read_fixed(&r, ffd, p, len));
	EXPECT_EQ(0, syscall(__NR_io_uring_register, r.fd,
			     IORING_UNREGISTER_BUFFERS, NULL, 0));
	close(ffd);
	ring_close(&r);
	if (ret == 0)
		ASSERT_EQ(0, module_insert(module_default_options()));
}

/*
 * A 1 GiB region: mmap() fills no page table, and touching it end to end
 * maps it with PMD entries (2 MiB with 4 KiB pages, 32 MiB with 16 KiB).
 */
TEST_F_TIMEOUT(reload, one_gib_maps_huge, 600)
{
	size_t len = 1UL << 30, i;
	unsigned char *p;
	long rss, pmd;
	char opts[256];

	if (sizeof(void *) < 8)
		SKIP(return, "a 1 GiB mapping wants a 64-bit process");
	ASSERT_EQ(0, module_remove());
	snprintf(opts, sizeof(opts), "%s size=1G", module_default_options());
	ASSERT_EQ(0, module_insert(opts));

	p = ram_map(len);
	ASSERT_NE(NULL, p);
	rss = smaps_kb(p, "Rss");
	EXPECT_EQ(0, rss) TH_LOG("mmap() prefilled %ld kB", rss);

	for (i = 0; i < len; i += self->page)
		p[i] = (unsigned char)(i >> 20);
	pmd = smaps_kb(p, "ShmemPmdMapped");
	if (pmd < 0)
		pmd = smaps_kb(p, "FilePmdMapped");
	TH_LOG("1 GiB touched: Rss %ld kB, PMD-mapped %ld kB",
	       smaps_kb(p, "Rss"), pmd);
	EXPECT_LT(0, pmd);
	for (i = 0; i < len; i += self->page)
		if (p[i] != (unsigned char)(i >> 20))
			break;
	EXPECT_EQ(len, i);
	munmap(p, len);

	ASSERT_EQ(0, module_remove());
	ASSERT_EQ(0, module_insert(module_default_options()));
}

int main(int argc, char **argv)
{
	return mmfdev_node_test_main(argc, argv, &node);
}
