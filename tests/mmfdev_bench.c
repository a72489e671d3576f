// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmfdev_bench: how mmfdev mappings compare with the obvious alternatives,
 * measured in the same run on the same machine.  Every line prints both
 * numbers and their ratio; absolute numbers mean little (in a TCG guest
 * they mean nothing), the ratios are the result.  It asserts nothing.
 *
 *   mmfdev_bench [NODE]        default /dev/mmfdev
 *
 * MMFDEV_BENCH_PCI names an edu device node (mmfdev-pci-...) for the MMIO
 * and interrupt lines; they are left out without it.  The DMA lines use
 * the node MMFDEV_BENCH_DMA names (a name or a path), else that edu node,
 * and are left out, with a line that says so, when neither is set or the
 * node has no DMA buffers.  The huge-mapping lines need a RAM region of
 * 64 MiB and 1 GiB (size=1G); they are left out, with a line that says
 * so, when it is smaller.  The doorbell lines need two doorbells on NODE.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mmfdev.h"
#include "edu.h"
#include "pingpong.h"

static void report(const char *what, const char *unit, const char *a_name,
		   double a, const char *b_name, double b)
{
	printf("bench: %-28s %-8s %12.2f %s   %-8s %12.2f %s   ratio %.3f\n",
	       what, a_name, a, unit, b_name, b, unit, b ? a / b : 0.0);
}

/*
 * Write then read every 8-byte word, @rounds times: the best MB/s seen for
 * each, since a single pass is at the mercy of the host.
 */
static void stream(volatile uint64_t *p, size_t len, int rounds,
		   double *write_mbs, double *read_mbs)
{
	size_t n = len / sizeof(*p), i;
	uint64_t sum = 0;
	double t, mbs;
	int r;

	*write_mbs = *read_mbs = 0;
	for (r = 0; r < rounds; r++) {
		t = now();
		for (i = 0; i < n; i++)
			p[i] = i + r;
		mbs = len / (now() - t) / 1e6;
		if (mbs > *write_mbs)
			*write_mbs = mbs;

		t = now();
		for (i = 0; i < n; i++)
			sum += p[i];
		mbs = len / (now() - t) / 1e6;
		if (mbs > *read_mbs)
			*read_mbs = mbs;
	}
	if (sum == 42)
		puts("");
}

static void bench_stream(struct mmfdev *dev, size_t len)
{
	double dw, dr, aw, ar;
	void *map, *anon;

	if (mmfdev_map(dev, 0, 0, len, MMFDEV_MAP_READ | MMFDEV_MAP_WRITE,
		       &map, NULL))
		return;
	anon = mmap(NULL, len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	/* Warm both up first, so neither pays for caches or a JIT. */
	stream(map, len, 1, &dw, &dr);
	stream(anon, len, 1, &aw, &ar);
	stream(map, len, 8, &dw, &dr);
	stream(anon, len, 8, &aw, &ar);
	report("stream write", "MB/s", "mmfdev", dw, "anon", aw);
	report("stream read", "MB/s", "mmfdev", dr, "anon", ar);
	munmap(anon, len);
	mmfdev_unmap(map, len);
}

/* The RAM region's map+touch cost, the baseline for MMIO first touch. */
static double ram_touch_us;

/* mmap, touch every page once, munmap: microseconds per page. */
static void bench_first_touch(struct mmfdev *dev, size_t len, size_t page)
{
	double t, dev_us, anon_us;
	int r, rounds = 20;
	size_t i;

	t = now();
	for (r = 0; r < rounds; r++) {
		volatile char *p;

		if (mmfdev_map(dev, 0, 0, len, MMFDEV_MAP_READ |
			       MMFDEV_MAP_WRITE, (void **)&p, NULL))
			return;
		for (i = 0; i < len; i += page)
			p[i] = 1;
		mmfdev_unmap((void *)p, len);
	}
	dev_us = (now() - t) * 1e6 / (rounds * (len / page));
	ram_touch_us = dev_us;

	t = now();
	for (r = 0; r < rounds; r++) {
		volatile char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
					MAP_SHARED | MAP_ANONYMOUS, -1, 0);

		for (i = 0; i < len; i += page)
			p[i] = 1;
		munmap((void *)p, len);
	}
	anon_us = (now() - t) * 1e6 / (rounds * (len / page));
	report("map+touch+unmap per page", "us", "mmfdev", dev_us, "shm-anon",
	       anon_us);
}


/* Round trips between two processes: a flag in a shared mapping vs a pipe. */
static void bench_ping_pong(const char *node, size_t page)
{
	const int trips = 2000;
	double shm_us, pipe_us;

	shm_us = spin_ping_pong_us(node, page, trips, 0, NULL);
	if (shm_us < 0)
		return;
	pipe_us = pipe_ping_pong_us(trips, 0, NULL);
	if (pipe_us < 0)
		return;
	report("ping-pong round trip", "us", "mapping", shm_us, "pipe",
	       pipe_us);
}

/* One page: pwrite()+pread() of the node vs copying through a mapping. */
static void bench_rw_vs_map(struct mmfdev *dev, size_t page)
{
	const int rounds = 2000;
	char *buf = malloc(page);
	double t, rw_us, map_us;
	void *map;
	int r;

	if (!buf || mmfdev_map(dev, 0, 0, page, MMFDEV_MAP_READ |
			       MMFDEV_MAP_WRITE, &map, NULL))
		return;
	memset(buf, 7, page);
	t = now();
	for (r = 0; r < rounds; r++) {
		mmfdev_write(dev, 0, 0, buf, page);
		mmfdev_read(dev, 0, 0, buf, page);
	}
	rw_us = (now() - t) * 1e6 / rounds;
	t = now();
	for (r = 0; r < rounds; r++) {
		memcpy(map, buf, page);
		memcpy(buf, map, page);
		__asm__ __volatile__("" ::: "memory");
	}
	map_us = (now() - t) * 1e6 / rounds;
	report("page in+out", "us", "pread/wr", rw_us, "mapping", map_us);
	mmfdev_unmap(map, page);
	free(buf);
}

/* A device register: read through the mapping vs pread(). */
static void bench_mmio(const char *name, size_t page)
{
	const int rounds = 5000;
	double t, map_us, rw_us;
	struct mmfdev *dev;
	uint32_t v = 0;
	size_t len;
	void *regs;
	int r;

	if (mmfdev_open_by_name(name, 0, &dev))
		return;
	if (mmfdev_map(dev, 0, 0, 0, MMFDEV_MAP_READ, &regs, &len))
		goto close_dev;
	t = now();
	for (r = 0; r < rounds; r++)
		v += mmfdev_read32(regs);
	map_us = (now() - t) * 1e6 / rounds;
	t = now();
	for (r = 0; r < rounds; r++)
		mmfdev_read(dev, 0, 0, &v, 4);
	rw_us = (now() - t) * 1e6 / rounds;
	report("MMIO register read", "us", "mapping", map_us, "pread", rw_us);
	mmfdev_unmap(regs, len);

	/* First touch of every page of the BAR: faults, vs prefilled RAM. */
	t = now();
	for (r = 0; r < 20; r++) {
		size_t i;

		if (mmfdev_map(dev, 0, 0, 0, MMFDEV_MAP_READ, &regs, &len))
			goto close_dev;
		for (i = 0; i < len; i += page)
			v += mmfdev_read32((char *)regs + i);
		mmfdev_unmap(regs, len);
	}
	map_us = (now() - t) * 1e6 / (20 * (len / page));
	report("MMIO map+touch+unmap/page", "us", "BAR", map_us, "RAM",
	       ram_touch_us);
close_dev:
	mmfdev_close(dev);
}

/* What one PMD entry maps: 2 MiB with 4 KiB pages, 32 MiB with 16 KiB. */
static size_t pmd_size(size_t page)
{
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size",
			"r");
	unsigned long size = 0;

	if (f) {
		if (fscanf(f, "%lu", &size) != 1)
			size = 0;
		fclose(f);
	}
	/* Without THP: a page table page of 8-byte entries. */
	return size ? size : page * (page / sizeof(uint64_t));
}

/*
 * The "FIELD: N kB" line of the VMA that holds @addr in /proc/self/smaps:
 * N, or -1 when there is no such VMA or line.
 */
static long smaps_kb(const void *addr, const char *field)
{
	size_t n = strlen(field);
	unsigned long start, end;
	bool inside = false;
	char line[256];
	long kb = -1;
	FILE *f;

	f = fopen("/proc/self/smaps", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		/* A VMA's first line: "start-end perms ..." */
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2) {
			if (inside)
				break;
			inside = (uintptr_t)addr >= start &&
				 (uintptr_t)addr < end;
		} else if (inside && !strncmp(line, field, n) &&
			   line[n] == ':') {
			kb = strtol(line + n + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return kb;
}

/*
 * @len bytes at an address that is a multiple of @align, inside a
 * reservation of @len + @align bytes whose ends are given back.  @prot
 * PROT_NONE only reserves, for a MAP_FIXED mapping on top.
 */
static void *mmap_aligned(size_t len, size_t align, int prot)
{
	char *r, *p;

	r = mmap(NULL, len + align, prot, MAP_PRIVATE | MAP_ANONYMOUS |
		 MAP_NORESERVE, -1, 0);
	if (r == MAP_FAILED)
		return NULL;
	p = (char *)(((uintptr_t)r + align - 1) & ~(uintptr_t)(align - 1));
	if (p > r)
		munmap(r, p - r);
	munmap(p + len, r + len + align - (p + len));
	return p;
}

/* Region 0's offset for mmap(), from main(). */
static uint64_t ram_offset;

/*
 * @len bytes of the RAM region at a multiple of @align, so that huge
 * entries can map them.  The driver's get_unmapped_area aligns mappings
 * that big on its own; *@by_driver says whether it did.  If it did not,
 * the region is mapped again over an aligned reservation.
 */
static void *map_ram_aligned(struct mmfdev *dev, size_t len, size_t align,
			     bool *by_driver)
{
	void *p, *want;

	if (mmfdev_map(dev, 0, 0, len, MMFDEV_MAP_READ | MMFDEV_MAP_WRITE,
		       &p, NULL))
		return NULL;
	*by_driver = !((uintptr_t)p % align);
	if (*by_driver)
		return p;
	mmfdev_unmap(p, len);
	want = mmap_aligned(len, align, PROT_NONE);
	if (!want)
		return NULL;
	p = mmap(want, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
		 mmfdev_get_fd(dev), (off_t)ram_offset);
	if (p == MAP_FAILED) {
		munmap(want, len);
		return NULL;
	}
	return p;
}

/*
 * Streaming through 64 MiB of the RAM region, mapped where PMD entries
 * can map it, against anonymous memory with MADV_HUGEPAGE.  Interleaved,
 * best pass of each.
 */
static void bench_stream_huge(struct mmfdev *dev, size_t region, size_t pmd)
{
	const size_t len = 64u << 20;
	double dw = 0, dr = 0, aw = 0, ar = 0, w, r;
	bool by_driver = false;
	void *map, *anon;
	int k;

	if (region < len) {
		printf("bench: 64 MiB stream left out: the RAM region has %zu bytes\n",
		       region);
		return;
	}
	map = map_ram_aligned(dev, len, pmd, &by_driver);
	anon = mmap_aligned(len, pmd, PROT_READ | PROT_WRITE);
	if (!map || !anon) {
		printf("bench: 64 MiB stream left out: cannot map it (%s)\n",
		       map ? "anon" : "mmfdev");
		goto out;
	}
	madvise(anon, len, MADV_HUGEPAGE);
	/* The first pass faults both in. */
	stream(map, len, 1, &w, &r);
	stream(anon, len, 1, &w, &r);
	printf("bench: 64 MiB: mmfdev %s-aligned, ShmemPmdMapped %ld kB; anon AnonHugePages %ld kB\n",
	       by_driver ? "driver" : "bench", smaps_kb(map, "ShmemPmdMapped"),
	       smaps_kb(anon, "AnonHugePages"));
	for (k = 0; k < 8; k++) {
		stream(map, len, 1, &w, &r);
		if (w > dw)
			dw = w;
		if (r > dr)
			dr = r;
		stream(anon, len, 1, &w, &r);
		if (w > aw)
			aw = w;
		if (r > ar)
			ar = r;
	}
	report("stream write 64M huge", "MB/s", "mmfdev", dw, "anon-thp", aw);
	report("stream read 64M huge", "MB/s", "mmfdev", dr, "anon-thp", ar);
out:
	if (anon)
		munmap(anon, len);
	if (map)
		mmfdev_unmap(map, len);
}

/*
 * mmap, one write per page, munmap of 1 GiB of the RAM region, against
 * MAP_POPULATE of private anonymous memory, touched and unmapped the same
 * way: milliseconds each, best of three, interleaved.  The first round
 * also reads, untimed, how much of each was PMD-mapped.
 */
static void bench_map_1g(struct mmfdev *dev, size_t region, size_t page,
			 size_t pmd)
{
	const size_t len = (size_t)1 << 30;
	long shmem_kb = -1, file_kb = -1, anon_kb = -1;
	double t, dev_ms = 0, anon_ms = 0, ms;
	bool by_driver = false;
	volatile char *p;
	int r, rounds = 3;
	size_t i;

	if (region < len) {
		printf("bench: 1 GiB map+touch left out: the RAM region has %zu bytes (size=1G)\n",
		       region);
		return;
	}
	for (r = 0; r < rounds; r++) {
		t = now();
		p = map_ram_aligned(dev, len, pmd, &by_driver);
		if (!p) {
			printf("bench: 1 GiB map+touch left out: cannot map the region\n");
			return;
		}
		for (i = 0; i < len; i += page)
			p[i] = 1;
		ms = (now() - t) * 1e3;
		if (!r) {
			shmem_kb = smaps_kb((void *)p, "ShmemPmdMapped");
			file_kb = smaps_kb((void *)p, "FilePmdMapped");
		}
		t = now();
		mmfdev_unmap((void *)p, len);
		ms += (now() - t) * 1e3;
		if (!r || ms < dev_ms)
			dev_ms = ms;

		t = now();
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE |
			 MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		if (p == MAP_FAILED) {
			printf("bench: 1 GiB map+touch left out: no anonymous GiB\n");
			return;
		}
		for (i = 0; i < len; i += page)
			p[i] = 1;
		ms = (now() - t) * 1e3;
		if (!r)
			anon_kb = smaps_kb((void *)p, "AnonHugePages");
		t = now();
		munmap((void *)p, len);
		ms += (now() - t) * 1e3;
		if (!r || ms < anon_ms)
			anon_ms = ms;
	}
	printf("bench: 1 GiB: mmfdev %s-aligned, PMD-mapped %ld kB of %zu (Shmem %ld, File %ld); anon-pop AnonHugePages %ld kB\n",
	       by_driver ? "driver" : "bench",
	       (shmem_kb > 0 ? shmem_kb : 0) + (file_kb > 0 ? file_kb : 0),
	       len >> 10, shmem_kb, file_kb, anon_kb);
	report("map+touch+unmap 1 GiB", "ms", "mmfdev", dev_ms, "anon-pop",
	       anon_ms);
}

/*
 * The condition-variable ping-pong: a process-shared mutex and condvar in
 * one page that each process maps for itself, from the mmfdev node or
 * from a file on tmpfs.
 */
struct cv_shared {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	uint32_t seq;		/* odd: the parent's turn is over */
};

struct cv_backing {
	bool mmfdev;		/* the node at @path (NULL: the default) */
	const char *path;	/* else this file */
};

static struct cv_shared *cv_attach(const struct cv_backing *b, size_t page,
				   struct mmfdev **devp)
{
	void *p;
	int fd;

	*devp = NULL;
	if (b->mmfdev)
		return node_page(b->path, page, devp);
	fd = open(b->path, O_RDWR | O_CREAT, 0600);
	if (fd < 0)
		return NULL;
	p = MAP_FAILED;
	if (!ftruncate(fd, page))
		p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	return p == MAP_FAILED ? NULL : p;
}

static void cv_detach(struct cv_shared *s, size_t page, struct mmfdev *dev)
{
	munmap(s, page);
	if (dev)
		mmfdev_close(dev);
}

static void cv_deadline(struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += PP_TIMEOUT;
}

static bool cv_init(struct cv_shared *s)
{
	pthread_mutexattr_t ma;
	pthread_condattr_t ca;
	bool ok;

	pthread_mutexattr_init(&ma);
	pthread_condattr_init(&ca);
	ok = !pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED) &&
	     !pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED) &&
	     !pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) &&
	     !pthread_mutex_init(&s->lock, &ma) &&
	     !pthread_cond_init(&s->cond, &ca);
	s->seq = 0;
	pthread_condattr_destroy(&ca);
	pthread_mutexattr_destroy(&ma);
	return ok;
}

/* A process-shared condvar on a cv_backing. */
static bool cv_pp_attach(struct pp *p)
{
	p->shared = cv_attach(p->cv, p->page, &p->dev);
	return p->shared;
}

static bool cv_pp_init(struct pp *p)
{
	return cv_init(p->shared);
}

/* Each side holds the lock all along, but in its waits. */
static void cv_pp_begin(struct pp *p)
{
	struct cv_shared *s = p->shared;

	cv_deadline(&p->deadline);
	pthread_mutex_lock(&s->lock);
}

static void cv_pp_end(struct pp *p)
{
	struct cv_shared *s = p->shared;

	pthread_mutex_unlock(&s->lock);
}

static int cv_pp_wait(struct pp *p, uint32_t want)
{
	struct cv_shared *s = p->shared;

	while (s->seq != want && s->seq != PP_STOP)
		if (pthread_cond_timedwait(&s->cond, &s->lock, &p->deadline))
			return -1;
	return s->seq == PP_STOP ? 1 : 0;
}

static int cv_pp_send(struct pp *p, uint32_t v)
{
	struct cv_shared *s = p->shared;

	s->seq = v;
	pthread_cond_signal(&s->cond);
	return 0;
}

static int cv_pp_stop(struct pp *p)
{
	return cv_pp_send(p, PP_STOP);
}

/*
 * No pthread_cond_destroy(): it waits for waiters to leave, and a killed
 * child never does.  The next run initialises the page again.
 */
static void cv_pp_detach(struct pp *p)
{
	cv_detach(p->shared, p->page, p->dev);
}

static const struct pp_ops cv_pp = {
	.attach = cv_pp_attach, .init = cv_pp_init, .begin = cv_pp_begin,
	.end = cv_pp_end, .wait = cv_pp_wait, .send = cv_pp_send,
	.stop = cv_pp_stop, .detach = cv_pp_detach,
};

/*
 * Round trips through a condvar on @b, after fork(): both processes open
 * and map @b themselves.  At most @trips, and no more than fit in @budget
 * seconds.  Microseconds each, or -1; *@done gets how many were made.
 */
static double cv_ping_pong_us(const struct cv_backing *b, size_t page,
			      int trips, double budget, int *done)
{
	struct pp p = { .ops = &cv_pp, .cv = b, .page = page };

	return ping_pong_us(&p, trips, budget, done);
}

/* A directory on tmpfs for the baseline's file, or NULL. */
static const char *tmpfs_dir(void)
{
	static const char *const dirs[] = { "/dev/shm", "/tmp", NULL };
	const char *const *dir;
	struct statfs st;

	for (dir = dirs; *dir; dir++)
		if (!statfs(*dir, &st) && st.f_type == TMPFS_MAGIC &&
		    !access(*dir, W_OK))
			return *dir;
	return NULL;
}

/*
 * The median of @n runs (@n odd), sorting them; *@median_trips gets that
 * run's round trips.
 */
static double median_run(double *us, int *trips, int n, int *median_trips)
{
	int i, j, t;
	double u;

	for (i = 1; i < n; i++) {
		u = us[i];
		t = trips[i];
		for (j = i; j > 0 && us[j - 1] > u; j--) {
			us[j] = us[j - 1];
			trips[j] = trips[j - 1];
		}
		us[j] = u;
		trips[j] = t;
	}
	*median_trips = trips[n / 2];
	return us[n / 2];
}

#define CV_RUNS		7

/*
 * Process-shared condvar round trips through the node, against the same
 * through a tmpfs file and against a pipe.  Each run lasts about @budget
 * seconds, whatever a round trip costs here.  Under TCG one run differs
 * from the next by tens of percent (where the scheduler puts the two
 * processes, and whether a wakeup waits for a tick), so there are
 * CV_RUNS runs of each, interleaved, mmfdev and tmpfs in turn first, and
 * the median run counts.
 */
static void bench_condvar(const char *node, size_t page)
{
	static const char *const names[] = { "mmfdev", "tmpfs", "pipe" };
	const struct cv_backing dev_cv = { .mmfdev = true, .path = node };
	struct cv_backing file_cv = { .mmfdev = false };
	int trips[3][CV_RUNS], n[3], r, j, k;
	double us[3][CV_RUNS], med[3];
	const int max_trips = 1000000;
	const double budget = 0.25;
	const char *dir = tmpfs_dir();
	char path[256];

	if (!dir) {
		printf("bench: condvar ping-pong left out: no tmpfs for its baseline\n");
		return;
	}
	snprintf(path, sizeof(path), "%s/mmfdev_bench.%d", dir, (int)getpid());
	file_cv.path = path;

	for (r = 0; r < CV_RUNS; r++) {
		for (j = 0; j < 3; j++) {
			k = j < 2 ? j ^ (r & 1) : j;
			if (k < 2)
				us[k][r] = cv_ping_pong_us(k ? &file_cv : &dev_cv,
							   page, max_trips,
							   budget, &trips[k][r]);
			else
				us[k][r] = pipe_ping_pong_us(max_trips, budget,
							     &trips[k][r]);
			if (us[k][r] < 0) {
				printf("bench: condvar ping-pong left out: a %s run failed\n",
				       names[k]);
				unlink(path);
				return;
			}
		}
	}
	unlink(path);
	for (k = 0; k < 3; k++)
		med[k] = median_run(us[k], trips[k], CV_RUNS, &n[k]);
	printf("bench: condvar ping-pong: median of %d runs of %.2f s, round trips in it: mmfdev %d, tmpfs (%s) %d, pipe %d\n",
	       CV_RUNS, budget, n[0], dir, n[1], n[2]);
	report("condvar ping-pong", "us", "mmfdev", med[0], "tmpfs", med[1]);
	report("condvar ping-pong", "us", "mmfdev", med[0], "pipe", med[2]);
}

/* The @nth event line of @kind (from 0), or -1. */
static int event_line(struct mmfdev *dev, unsigned int kind, int nth)
{
	unsigned int i;

	for (i = 0; i < mmfdev_get_num_events(dev); i++) {
		struct mmfdev_event *ev;
		unsigned int k;

		if (mmfdev_event_get(dev, i, &ev))
			return -1;
		k = mmfdev_event_get_kind(ev);
		mmfdev_event_free(ev);
		if (k == kind && !nth--)
			return i;
	}
	return -1;
}

/*
 * Wait on doorbell @line until *@seq is @want: consume the line's events,
 * then look.  A ring that announces @want comes after the store of it, so
 * its event either wakes this wait or came before the look that sees it.
 * 0 when @want came, 1 for PP_STOP, -1 on an error or after PP_TIMEOUT
 * seconds without a ring.
 */
static int bell_wait_for(struct mmfdev *dev, int line, volatile uint32_t *seq,
			 uint32_t want)
{
	uint32_t v;

	for (;;) {
		if (mmfdev_event_wait(dev, MMFDEV_EVENT_BIT(line),
				      PP_TIMEOUT * 1000000000LL, NULL) ||
		    mmfdev_event_read(dev, line, NULL, NULL, NULL))
			return -1;
		v = __atomic_load_n(seq, __ATOMIC_ACQUIRE);
		if (v == want)
			return 0;
		if (v == PP_STOP)
			return 1;
	}
}

/* Store @v where the other side looks, then ring its doorbell. */
static int bell_send(struct mmfdev *dev, int line, volatile uint32_t *seq,
		     uint32_t v)
{
	__atomic_store_n(seq, v, __ATOMIC_RELEASE);
	/* The store before the ring that announces it. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return mmfdev_event_ring(dev, line);
}

/*
 * Two doorbells of the node, and the numbers in the first page of its RAM
 * region: the parent rings the first and waits on the second, the child
 * the other way round.  Each side's handle counts every ring of its lines
 * from its attach on, and both have attached before the first ring.
 */
static bool bell_attach(struct pp *p)
{
	int d0, d1;

	p->shared = node_page(p->node, p->page, &p->dev);
	if (!p->shared)
		return false;
	d0 = event_line(p->dev, MMFDEV_EVENT_DOORBELL, 0);
	d1 = event_line(p->dev, MMFDEV_EVENT_DOORBELL, 1);
	if (d0 < 0 || d1 < 0) {
		node_detach(p);
		return false;
	}
	p->mine = p->parent ? d1 : d0;
	p->theirs = p->parent ? d0 : d1;
	return true;
}

static int bell_wait(struct pp *p, uint32_t want)
{
	return bell_wait_for(p->dev, p->mine, p->shared, want);
}

static int bell_pp_send(struct pp *p, uint32_t v)
{
	return bell_send(p->dev, p->theirs, p->shared, v);
}

static int bell_stop(struct pp *p)
{
	return bell_pp_send(p, PP_STOP);
}

static const struct pp_ops bell_pp = {
	.attach = bell_attach, .wait = bell_wait, .send = bell_pp_send,
	.stop = bell_stop, .detach = node_detach,
};

/*
 * Round trips through two doorbells of @node between two processes, each
 * of which opens the node and maps the first page of its RAM region
 * itself, and passes its numbers in that page: at most @trips, and no
 * more than fit in @budget seconds.  Microseconds each, or -1; *@done
 * gets how many were made.
 */
static double bell_ping_pong_us(const char *node, size_t page, int trips,
				double budget, int *done)
{
	struct pp p = { .ops = &bell_pp, .node = node, .page = page };

	return ping_pong_us(&p, trips, budget, done);
}

enum { PP_BELL, PP_PIPE, PP_CONDVAR, PP_SPIN, PP_KINDS };

/*
 * Doorbell round trips between two processes that each open and map the
 * node, against a pipe, a process-shared condvar in the mapping and a
 * flag in the mapping that both sides spin on.  As for the condvar line:
 * CV_RUNS runs of @budget seconds of each, interleaved, each kind first in
 * turn, and the median run counts.
 */
static void bench_doorbell(struct mmfdev *dev, const char *node, size_t page)
{
	static const char *const names[] = {
		"doorbell", "pipe", "condvar", "spin"
	};
	const struct cv_backing dev_cv = { .mmfdev = true, .path = node };
	int trips[PP_KINDS][CV_RUNS], n[PP_KINDS], r, j, k;
	double us[PP_KINDS][CV_RUNS], med[PP_KINDS];
	const int max_trips = 1000000;
	const double budget = 0.25;

	if (event_line(dev, MMFDEV_EVENT_DOORBELL, 1) < 0) {
		printf("bench: doorbell ping-pong left out: %u event lines, fewer than 2 doorbells\n",
		       mmfdev_get_num_events(dev));
		return;
	}
	for (r = 0; r < CV_RUNS; r++) {
		for (j = 0; j < PP_KINDS; j++) {
			k = (j + r) % PP_KINDS;
			switch (k) {
			case PP_BELL:
				us[k][r] = bell_ping_pong_us(node, page,
							     max_trips, budget,
							     &trips[k][r]);
				break;
			case PP_PIPE:
				us[k][r] = pipe_ping_pong_us(max_trips, budget,
							     &trips[k][r]);
				break;
			case PP_CONDVAR:
				us[k][r] = cv_ping_pong_us(&dev_cv, page,
							   max_trips, budget,
							   &trips[k][r]);
				break;
			default:
				us[k][r] = spin_ping_pong_us(node, page,
							     max_trips, budget,
							     &trips[k][r]);
				break;
			}
			if (us[k][r] < 0) {
				printf("bench: doorbell ping-pong left out: a %s run failed\n",
				       names[k]);
				return;
			}
		}
	}
	for (k = 0; k < PP_KINDS; k++)
		med[k] = median_run(us[k], trips[k], CV_RUNS, &n[k]);
	printf("bench: doorbell ping-pong: median of %d runs of %.2f s, round trips in it: doorbell %d, pipe %d, condvar %d, spin %d\n",
	       CV_RUNS, budget, n[PP_BELL], n[PP_PIPE], n[PP_CONDVAR],
	       n[PP_SPIN]);
	for (k = PP_PIPE; k < PP_KINDS; k++)
		report("doorbell ping-pong", "us", "doorbell", med[PP_BELL],
		       names[k], med[k]);
}

/*
 * How a round sees the interrupt it raised; and, for the waits, when the
 * kernel counted it (the line's timestamp).
 */
enum { IRQ_WAIT, IRQ_PREAD, IRQ_MAP, IRQ_WAYS, IRQ_COUNTED = IRQ_WAYS };

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * Raise edu's interrupt (event line @line) and see it @how: wait for the
 * line, or poll the interrupt status register with pread() or through the
 * mapping.  Then, untimed, consume the event, ack it at the device and,
 * for a level line, unmask it.  Microseconds from the raise to seeing it,
 * or -1; after a wait, *@counted_us gets those from the raise to the
 * kernel counting the event.
 */
static double irq_round(struct mmfdev *dev, volatile uint8_t *regs,
			unsigned int line, bool level, int how,
			double *counted_us)
{
	uint64_t bit = MMFDEV_EVENT_BIT(line), ts;
	uint32_t st = 0;
	double t0, t1;
	int ret;

	/* Nothing left over from the round before. */
	if (mmfdev_event_read(dev, line, NULL, NULL, NULL))
		return -1;
	t0 = now();
	mmfdev_write32(regs + EDU_IRQ_RAISE, 1);
	if (how == IRQ_WAIT) {
		if (mmfdev_event_wait(dev, bit, 1000000000, NULL))
			return -1;
		t1 = now();
	} else {
		for (;;) {
			if (how == IRQ_MAP)
				st = mmfdev_read32(regs + EDU_IRQ_STATUS);
			else if (mmfdev_read(dev, 0, EDU_IRQ_STATUS, &st,
					     4) != 4)
				return -1;
			t1 = now();
			if (st)
				break;
			if (t1 - t0 > 1)
				return -1;
		}
		/*
		 * Let the interrupt arrive before the ack, so that it cannot
		 * end the next round's wait.  A level line acked first may
		 * never fire: then this times out, harmlessly.
		 */
		ret = mmfdev_event_wait(dev, bit, 100000000, NULL);
		if (ret && ret != -ETIMEDOUT)
			return -1;
	}
	if (mmfdev_event_read(dev, line, NULL, NULL, &ts))
		return -1;
	if (how == IRQ_WAIT)
		*counted_us = (ts / 1e9 - t0) * 1e6;
	mmfdev_write32(regs + EDU_IRQ_ACK, 1);
	if (level && mmfdev_event_unmask(dev, line))
		return -1;
	return (t1 - t0) * 1e6;
}

/*
 * edu's interrupt, from the raise to the waiter's wakeup, against
 * polling its status register with pread() and through the mapping: the
 * three in turn, each first in turn, for up to @budget seconds; the
 * median round of each counts.  An extra line tells how much of the wait
 * came before the kernel counted the event (the interrupt's delivery).
 */
static void bench_irq(const char *name)
{
	static const char *const kinds[] = {
		[MMFDEV_EVENT_MSIX] = "MSI-X", [MMFDEV_EVENT_MSI] = "MSI",
		[MMFDEV_EVENT_INTX] = "INTx", [MMFDEV_EVENT_IRQ] = "irq",
	};
	const unsigned int line = 0;
	const int max_rounds = 2001;
	const double budget = 2;
	double *lat[IRQ_WAYS + 1], med[IRQ_WAYS + 1], t;
	volatile uint8_t *regs = NULL;
	unsigned int kind, flags;
	struct mmfdev_event *ev;
	const char *why = NULL;
	struct mmfdev *dev;
	int n, j, k;
	size_t len;
	void *addr;
	bool level;

	lat[0] = calloc((IRQ_WAYS + 1) * max_rounds, sizeof(double));
	if (!lat[0])
		return;
	for (k = 1; k <= IRQ_WAYS; k++)
		lat[k] = lat[0] + k * max_rounds;
	if (mmfdev_open_by_name(name, 0, &dev)) {
		printf("bench: edu interrupt left out: cannot open %s\n", name);
		free(lat[0]);
		return;
	}
	if (mmfdev_get_num_events(dev) <= line ||
	    mmfdev_event_get(dev, line, &ev)) {
		why = "no event lines";
		goto out;
	}
	kind = mmfdev_event_get_kind(ev);
	flags = mmfdev_event_get_flags(ev);
	mmfdev_event_free(ev);
	level = flags & MMFDEV_EVENT_NEEDS_UNMASK;
	if (kind >= sizeof(kinds) / sizeof(kinds[0]) || !kinds[kind]) {
		why = "line 0 is not an interrupt";
		goto out;
	}
	if (mmfdev_map(dev, 0, 0, 0, MMFDEV_MAP_READ | MMFDEV_MAP_WRITE,
		       &addr, &len)) {
		why = "cannot map BAR0";
		goto out;
	}
	regs = addr;
	/* Start quiet: nothing raised, nothing masked. */
	mmfdev_write32(regs + EDU_IRQ_ACK, ~0u);
	if (level)
		mmfdev_event_unmask(dev, line);
	t = now();
	for (n = 0; n < max_rounds && now() - t < budget; n++) {
		for (j = 0; j < IRQ_WAYS; j++) {
			k = (j + n) % IRQ_WAYS;
			lat[k][n] = irq_round(dev, regs, line, level, k,
					      &lat[IRQ_COUNTED][n]);
			if (lat[k][n] < 0) {
				why = k == IRQ_WAIT ?
				      "a wait failed or timed out" :
				      "a poll failed or timed out";
				goto out;
			}
		}
	}
	for (k = 0; k <= IRQ_WAYS; k++) {
		qsort(lat[k], n, sizeof(double), cmp_double);
		med[k] = lat[k][n / 2];
	}
	printf("bench: edu interrupt: line %u, %s, %s; median of %d rounds of each; waits: raise to the kernel's count %.2f us, to wakeup %.2f us\n",
	       line, kinds[kind], level ? "level" : "edge", n,
	       med[IRQ_COUNTED], med[IRQ_WAIT]);
	report("edu irq raise to seen", "us", "wait", med[IRQ_WAIT],
	       "pread", med[IRQ_PREAD]);
	report("edu irq raise to seen", "us", "wait", med[IRQ_WAIT],
	       "mapping", med[IRQ_MAP]);
out:
	if (why)
		printf("bench: edu interrupt left out: %s\n", why);
	if (regs)
		mmfdev_unmap((void *)regs, len);
	mmfdev_close(dev);
	free(lat[0]);
}

/* DMA buffers: at most this big, and no smaller than DMA_BENCH_MIN. */
#define DMA_BENCH_MAX	(4u << 20)
#define DMA_BENCH_MIN	(64u << 10)

static const char *const dma_kind_names[] = {
	[MMFDEV_DMA_COHERENT] = "coherent",
	[MMFDEV_DMA_STREAMING] = "streaming",
	[MMFDEV_DMA_CONTIGUOUS] = "contiguous",
};

static const char *const cache_names[] = {
	[MMFDEV_CACHE_UC] = "UC", [MMFDEV_CACHE_WC] = "WC",
	[MMFDEV_CACHE_WB] = "WB",
};

/*
 * Write then read every word of @a and of @b, @len bytes each: one pass
 * of each to fault them in, then 8 passes of each, interleaved; the best
 * MB/s of each goes to @best: @a's write and read, @b's write and read.
 */
static void stream_pair(void *a, void *b, size_t len, double best[4])
{
	double w, r;
	int k;

	stream(a, len, 1, &w, &r);
	stream(b, len, 1, &w, &r);
	memset(best, 0, 4 * sizeof(*best));
	for (k = 0; k < 8; k++) {
		stream(a, len, 1, &w, &r);
		if (w > best[0])
			best[0] = w;
		if (r > best[1])
			best[1] = r;
		stream(b, len, 1, &w, &r);
		if (w > best[2])
			best[2] = w;
		if (r > best[3])
			best[3] = r;
	}
}

/*
 * MMFDEV_IOC_DMA_SYNC of the first @len bytes of buffer @index, in both
 * directions a transfer needs, in turn (TO_DEVICE | FOR_DEVICE, then
 * FROM_DEVICE | FOR_CPU), for up to 201 rounds or 0.2 s, at least 5: the
 * median microseconds of each call to @to_dev and @for_cpu.  -1 if a
 * sync failed.
 */
static int dma_sync_cost(struct mmfdev *dev, unsigned int index,
			 uint64_t len, double *to_dev, double *for_cpu)
{
	enum { MAX_ROUNDS = 201 };
	const double budget = 0.2;
	double lat[2][MAX_ROUNDS], t, t0 = now();
	int n;

	for (n = 0; n < MAX_ROUNDS && (n < 5 || now() - t0 < budget); n++) {
		t = now();
		if (mmfdev_dma_sync(dev, index, MMFDEV_DMA_TO_DEVICE |
				    MMFDEV_DMA_FOR_DEVICE, 0, len))
			return -1;
		lat[0][n] = (now() - t) * 1e6;
		t = now();
		if (mmfdev_dma_sync(dev, index, MMFDEV_DMA_FROM_DEVICE |
				    MMFDEV_DMA_FOR_CPU, 0, len))
			return -1;
		lat[1][n] = (now() - t) * 1e6;
	}
	qsort(lat[0], n, sizeof(double), cmp_double);
	qsort(lat[1], n, sizeof(double), cmp_double);
	*to_dev = lat[0][n / 2];
	*for_cpu = lat[1][n / 2];
	return 0;
}

/* The lengths whose sync costs are measured: a page up to DMA_BENCH_MAX. */
#define DMA_SYNC_LENS	4

static uint64_t dma_sync_len(unsigned int i, size_t page)
{
	static const uint64_t bytes[DMA_SYNC_LENS] = {
		0, 64u << 10, 1u << 20, DMA_BENCH_MAX,
	};

	return bytes[i] > page ? bytes[i] : page;
}

/* Is the device behind @dev QEMU's edu?  Its registers to @regs if so. */
static bool edu_regs(struct mmfdev *dev, volatile uint8_t **regs,
		     size_t *len)
{
	void *addr;

	if (mmfdev_map(dev, 0, 0, 0, MMFDEV_MAP_READ | MMFDEV_MAP_WRITE,
		       &addr, len))
		return false;
	if (*len >= EDU_DMA_CMD + 4 &&
	    mmfdev_read32((uint8_t *)addr + EDU_ID) == EDU_ID_VALUE) {
		*regs = addr;
		return true;
	}
	mmfdev_unmap(addr, *len);
	return false;
}

/* Bytes of one edu transfer: half of edu's buffer (see edu.h). */
#define EDU_BENCH_LEN	(EDU_DMA_BUF_SIZE / 2)

/*
 * One edu transfer of EDU_BENCH_LEN bytes between edu's buffer and bus
 * address @bus, waited for on interrupt line @line: 0, or -1.
 */
static int edu_transfer(struct mmfdev *dev, volatile uint8_t *regs,
			unsigned int line, bool level, uint64_t bus,
			bool to_ram)
{
	uint64_t src = to_ram ? EDU_DMA_BUF : bus;
	uint64_t dst = to_ram ? bus : EDU_DMA_BUF;
	uint64_t pending, count, new;

	edu_dma_start(regs, src, dst, EDU_BENCH_LEN, EDU_DMA_CMD_IRQ |
		      (to_ram ? EDU_DMA_CMD_TO_RAM : 0));
	if (mmfdev_event_wait(dev, MMFDEV_EVENT_BIT(line), 5000000000LL,
			      &pending) ||
	    mmfdev_event_read(dev, line, &count, &new, NULL))
		return -1;
	mmfdev_write32(regs + EDU_IRQ_ACK, EDU_DMA_IRQ);
	if (level && mmfdev_event_unmask(dev, line))
		return -1;
	return 0;
}

/*
 * edu DMA round trips of buffer @index (bus address @bus): its first
 * EDU_BENCH_LEN bytes into edu's buffer and back, each transfer waited
 * for on edu's interrupt (line 0), with the syncs the buffer needs,
 * against mmfdev_write() then mmfdev_read() of the same bytes: the median
 * of 5 rounds of each, in microseconds, to @dma and @copy.  -1 if a
 * transfer failed or the bytes did not come back.
 */
static int edu_round_trips(struct mmfdev *dev, volatile uint8_t *regs,
			   unsigned int index, uint64_t bus, bool sync,
			   uint8_t *buf, double *dma, double *copy)
{
	enum { ROUNDS = 5 };
	uint8_t want[EDU_BENCH_LEN], got[EDU_BENCH_LEN];
	double lat[2][ROUNDS], t;
	struct mmfdev_event *ev;
	bool level;
	int n;

	if (mmfdev_get_num_events(dev) < 1 || mmfdev_event_get(dev, 0, &ev))
		return -1;
	level = mmfdev_event_get_flags(ev) & MMFDEV_EVENT_NEEDS_UNMASK;
	mmfdev_event_free(ev);
	mmfdev_write32(regs + EDU_IRQ_ACK, ~0u);
	if (level)
		mmfdev_event_unmask(dev, 0);
	for (n = 0; n < ROUNDS; n++) {
		memset(want, 0x5a ^ n, sizeof(want));
		memcpy(buf, want, sizeof(want));
		t = now();
		if ((sync && mmfdev_dma_sync(dev, index, MMFDEV_DMA_TO_DEVICE |
					     MMFDEV_DMA_FOR_DEVICE, 0,
					     EDU_BENCH_LEN)) ||
		    edu_transfer(dev, regs, 0, level, bus, false))
			return -1;
		memset(buf, 0, EDU_BENCH_LEN);
		if ((sync && mmfdev_dma_sync(dev, index, MMFDEV_DMA_FROM_DEVICE |
					     MMFDEV_DMA_FOR_DEVICE, 0,
					     EDU_BENCH_LEN)) ||
		    edu_transfer(dev, regs, 0, level, bus, true) ||
		    (sync && mmfdev_dma_sync(dev, index, MMFDEV_DMA_FROM_DEVICE |
					     MMFDEV_DMA_FOR_CPU, 0,
					     EDU_BENCH_LEN)))
			return -1;
		lat[0][n] = (now() - t) * 1e6;
		if (memcmp(buf, want, sizeof(want)))
			return -1;
		t = now();
		if (mmfdev_write(dev, index, 0, want, sizeof(want)) !=
		    (ssize_t)sizeof(want) ||
		    mmfdev_read(dev, index, 0, got, sizeof(got)) !=
		    (ssize_t)sizeof(got))
			return -1;
		lat[1][n] = (now() - t) * 1e6;
	}
	qsort(lat[0], ROUNDS, sizeof(double), cmp_double);
	qsort(lat[1], ROUNDS, sizeof(double), cmp_double);
	*dma = lat[0][ROUNDS / 2];
	*copy = lat[1][ROUNDS / 2];
	return 0;
}

/* The biggest buffer of @kind up to @size that the device gets, or 0. */
static uint64_t dma_alloc_fitting(struct mmfdev *dev, unsigned int kind,
				  uint64_t size, size_t page,
				  unsigned int *index, int *err)
{
	for (;;) {
		*err = mmfdev_dma_alloc(dev, kind, size, index);
		if (!*err)
			return size;
		/* Memory the device reaches can be scarce (ZONE_DMA). */
		if (*err != -ENOMEM || size / 2 < DMA_BENCH_MIN ||
		    (size / 2) % page)
			return 0;
		size /= 2;
	}
}

/*
 * DMA buffers of the node @name (MMFDEV_BENCH_DMA, else the edu node):
 * CPU writes and reads through a mapping of a buffer of each kind,
 * against as many bytes of the RAM region (@ram), interleaved; and
 * MMFDEV_IOC_DMA_SYNC of a page, 64 KiB, 1 MiB and 4 MiB, streaming
 * against coherent, for which it does nothing; and on edu, DMA round
 * trips against copies (see edu_round_trips()).  Each buffer is DMA_BENCH_MAX
 * bytes, or what fits in the quota and the RAM region, halved while
 * there is no memory the device reaches.  One buffer at a time, the node
 * opened for each: its last close gives back what a freed buffer left
 * waiting for the device to be quiesced.
 */
static void bench_dma(struct mmfdev *ram, size_t region, const char *name,
		      size_t page)
{
	static const unsigned int kinds[] = {
		MMFDEV_DMA_COHERENT, MMFDEV_DMA_STREAMING, MMFDEV_DMA_CONTIGUOUS,
	};
	double sync_to[4][DMA_SYNC_LENS] = { { 0 } };
	double sync_cpu[4][DMA_SYNC_LENS] = { { 0 } };
	double best[4], dma_us, copy_us;
	const char *edu_why = "no buffer";
	bool synced[4] = { false }, edu_done = false;
	uint64_t mask = 0, quota = 0, used = 0, want, size, bus, seg;
	unsigned int i, l, kind, index, flags, cache;
	struct mmfdev_dma_desc *desc = NULL;
	volatile uint8_t *regs = NULL;
	struct mmfdev_region *r;
	struct mmfdev *dev;
	size_t regs_len = 0;
	void *buf, *map;
	char what[48];
	int ret;

	ret = name[0] == '/' ? mmfdev_open(name, 0, &dev) :
			       mmfdev_open_by_name(name, 0, &dev);
	if (ret) {
		printf("bench: DMA lines left out: cannot open %s (%s)\n", name,
		       mmfdev_strerror(ret));
		return;
	}
	flags = mmfdev_get_device_flags(dev);
	if (!(flags & MMFDEV_DEVICE_DMA) ||
	    mmfdev_get_dma_limits(dev, &mask, &quota, &used)) {
		printf("bench: DMA lines left out: %s has no DMA buffers\n", name);
		mmfdev_close(dev);
		return;
	}
	mmfdev_close(dev);
	want = DMA_BENCH_MAX;
	if (want > quota - used)
		want = (quota - used) / page * page;
	if (want > region)
		want = region / page * page;
	printf("bench: DMA buffers of %s: mask 0x%llx, quota %llu MiB (%llu bytes in use), iommu %d, coherent %d; up to %llu bytes each\n",
	       name, (unsigned long long)mask,
	       (unsigned long long)(quota >> 20), (unsigned long long)used,
	       !!(flags & MMFDEV_DEVICE_IOMMU),
	       !!(flags & MMFDEV_DEVICE_DMA_COHERENT), (unsigned long long)want);
	if (want < page) {
		printf("bench: DMA lines left out: no room in the quota\n");
		return;
	}

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		kind = kinds[i];
		buf = map = NULL;
		ret = name[0] == '/' ? mmfdev_open(name, 0, &dev) :
				       mmfdev_open_by_name(name, 0, &dev);
		if (ret) {
			printf("bench: DMA %s lines left out: cannot open %s (%s)\n",
			       dma_kind_names[kind], name, mmfdev_strerror(ret));
			continue;
		}
		size = dma_alloc_fitting(dev, kind, want, page, &index, &ret);
		if (!size) {
			printf("bench: DMA %s lines left out: no buffer (%s)\n",
			       dma_kind_names[kind], mmfdev_strerror(ret));
			mmfdev_close(dev);
			continue;
		}
		flags = cache = 0;
		if (!mmfdev_region_get(dev, index, &r)) {
			flags = mmfdev_region_get_flags(r);
			cache = mmfdev_region_get_cache_default(r);
			mmfdev_region_free(r);
		}
		if (!edu_regs(dev, &regs, &regs_len))
			regs = NULL;
		printf("bench: DMA %s buffer: %llu bytes, mapped %s, %s\n",
		       dma_kind_names[kind], (unsigned long long)size,
		       cache < sizeof(cache_names) / sizeof(cache_names[0]) &&
		       cache_names[cache] ? cache_names[cache] : "?",
		       flags & MMFDEV_REGION_DMA_SYNC ? "needs syncs" :
							"needs no syncs");
		if (mmfdev_map(dev, index, 0, size, MMFDEV_MAP_READ |
			       MMFDEV_MAP_WRITE, &buf, NULL) ||
		    mmfdev_map(ram, 0, 0, size, MMFDEV_MAP_READ |
			       MMFDEV_MAP_WRITE, &map, NULL)) {
			printf("bench: DMA %s lines left out: cannot map %s\n",
			       dma_kind_names[kind], buf ? "the RAM region" :
			       "the buffer");
			goto next;
		}
		stream_pair(buf, map, size, best);
		snprintf(what, sizeof(what), "DMA write %s",
			 dma_kind_names[kind]);
		report(what, "MB/s", "buffer", best[0], "RAM", best[2]);
		snprintf(what, sizeof(what), "DMA read %s",
			 dma_kind_names[kind]);
		report(what, "MB/s", "buffer", best[1], "RAM", best[3]);
		if (kind != MMFDEV_DMA_CONTIGUOUS) {
			synced[kind] = true;
			for (l = 0; l < DMA_SYNC_LENS; l++) {
				if (dma_sync_len(l, page) > size)
					break;
				if (dma_sync_cost(dev, index,
						  dma_sync_len(l, page),
						  &sync_to[kind][l],
						  &sync_cpu[kind][l]))
					synced[kind] = false;
			}
			if (!synced[kind])
				printf("bench: DMA %s sync failed\n",
				       dma_kind_names[kind]);
		}
		if (!regs) {
			edu_why = "the node is not edu";
		} else if (mmfdev_dma_describe(dev, index, &desc) ||
			   mmfdev_dma_desc_get_segment(desc, 0, &bus,
						       &seg) ||
			   seg < EDU_BENCH_LEN) {
			edu_why = "no bus address";
		} else if (edu_round_trips(dev, regs, index, bus,
					   flags & MMFDEV_REGION_DMA_SYNC,
					   buf, &dma_us, &copy_us)) {
			edu_why = "a transfer failed or timed out";
		} else {
			snprintf(what, sizeof(what), "edu DMA %s %uK",
				 dma_kind_names[kind], EDU_BENCH_LEN >> 10);
			report(what, "us", "DMA", dma_us, "copy", copy_us);
			edu_done = true;
		}
		mmfdev_dma_desc_free(desc);
		desc = NULL;
next:
		if (regs)
			mmfdev_unmap((void *)regs, regs_len);
		regs = NULL;
		if (map)
			mmfdev_unmap(map, size);
		if (buf)
			mmfdev_unmap(buf, size);
		mmfdev_dma_free(dev, index);
		mmfdev_close(dev);
	}
	if (!edu_done)
		printf("bench: edu DMA lines left out: %s\n", edu_why);
	if (!synced[MMFDEV_DMA_COHERENT] || !synced[MMFDEV_DMA_STREAMING]) {
		printf("bench: DMA sync lines left out: no coherent or no streaming buffer synced\n");
		return;
	}
	for (l = 0; l < DMA_SYNC_LENS; l++) {
		uint64_t len = dma_sync_len(l, page);

		if (!sync_to[MMFDEV_DMA_STREAMING][l] ||
		    !sync_to[MMFDEV_DMA_COHERENT][l])
			break;
		snprintf(what, sizeof(what), "DMA sync to device %lluK",
			 (unsigned long long)(len >> 10));
		report(what, "us", "streaming",
		       sync_to[MMFDEV_DMA_STREAMING][l], "coherent",
		       sync_to[MMFDEV_DMA_COHERENT][l]);
		snprintf(what, sizeof(what), "DMA sync for CPU %lluK",
			 (unsigned long long)(len >> 10));
		report(what, "us", "streaming",
		       sync_cpu[MMFDEV_DMA_STREAMING][l], "coherent",
		       sync_cpu[MMFDEV_DMA_COHERENT][l]);
	}
}

int main(int argc, char **argv)
{
	size_t page = sysconf(_SC_PAGESIZE), len, region, pmd;
	const char *pci = getenv("MMFDEV_BENCH_PCI");
	const char *dma = getenv("MMFDEV_BENCH_DMA");
	const char *node = argc > 1 ? argv[1] : NULL;
	struct mmfdev_region *ram;
	struct mmfdev *dev;
	int ret;

	/* A peer that dies makes a pipe write fail, not the bench. */
	signal(SIGPIPE, SIG_IGN);
	ret = mmfdev_open(node, 0, &dev);
	if (ret) {
		fprintf(stderr, "mmfdev_bench: %s\n", mmfdev_strerror(ret));
		return 4;
	}
	ret = mmfdev_region_get(dev, 0, &ram);
	if (ret) {
		fprintf(stderr, "mmfdev_bench: %s\n", mmfdev_strerror(ret));
		return 1;
	}
	region = len = mmfdev_region_get_size(ram);
	ram_offset = mmfdev_region_get_offset(ram);
	mmfdev_region_free(ram);
	if (len > (4u << 20))
		len = 4u << 20;
	if (!dma || !*dma)
		dma = pci;
	pmd = pmd_size(page);

	printf("bench: page size %zu, region bytes used %zu\n", page, len);
	bench_stream(dev, len);
	bench_first_touch(dev, len, page);
	bench_rw_vs_map(dev, page);
	bench_ping_pong(node, page);
	if (pci && *pci) {
		bench_mmio(pci, page);
		bench_irq(pci);
	} else {
		printf("bench: MMIO and interrupt lines left out: MMFDEV_BENCH_PCI is not set\n");
	}
	if (dma && *dma)
		bench_dma(dev, region, dma, page);
	else
		printf("bench: DMA lines left out: neither MMFDEV_BENCH_DMA nor MMFDEV_BENCH_PCI is set\n");
	printf("bench: RAM region %zu bytes, PMD size %zu KiB\n", region,
	       pmd >> 10);
	bench_stream_huge(dev, region, pmd);
	bench_map_1g(dev, region, page, pmd);
	bench_condvar(node, page);
	bench_doorbell(dev, node, page);
	mmfdev_close(dev);
	return 0;
}
