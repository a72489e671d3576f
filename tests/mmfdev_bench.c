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
 * lines; they are left out without it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mmfdev.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

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
static void bench_ping_pong(struct mmfdev *dev, size_t page)
{
	const int trips = 2000;
	int up[2], down[2], i;
	double t, shm_us, pipe_us;
	volatile uint32_t *flag;
	pid_t pid;
	char c = 0;

	if (mmfdev_map(dev, 0, 0, page, MMFDEV_MAP_READ | MMFDEV_MAP_WRITE,
		       (void **)&flag, NULL))
		return;
	__atomic_store_n(flag, 0, __ATOMIC_RELEASE);
	pid = fork();
	if (pid == 0) {
		for (i = 0; i < trips; i++) {
			while (__atomic_load_n(flag, __ATOMIC_ACQUIRE) !=
			       2 * (uint32_t)i + 1)
				;
			__atomic_store_n(flag, 2 * i + 2, __ATOMIC_RELEASE);
		}
		_exit(0);
	}
	t = now();
	for (i = 0; i < trips; i++) {
		__atomic_store_n(flag, 2 * i + 1, __ATOMIC_RELEASE);
		while (__atomic_load_n(flag, __ATOMIC_ACQUIRE) !=
		       2 * (uint32_t)i + 2)
			;
	}
	shm_us = (now() - t) * 1e6 / trips;
	waitpid(pid, NULL, 0);
	mmfdev_unmap((void *)flag, page);

	if (pipe(up) || pipe(down))
		return;
	pid = fork();
	if (pid == 0) {
		for (i = 0; i < trips; i++)
			if (read(down[0], &c, 1) != 1 || write(up[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	t = now();
	for (i = 0; i < trips; i++)
		if (write(down[1], &c, 1) != 1 || read(up[0], &c, 1) != 1)
			break;
	pipe_us = (now() - t) * 1e6 / trips;
	waitpid(pid, NULL, 0);
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

int main(int argc, char **argv)
{
	size_t page = sysconf(_SC_PAGESIZE), len;
	const char *pci = getenv("MMFDEV_BENCH_PCI");
	struct mmfdev_region *ram;
	struct mmfdev *dev;
	int ret;

	ret = mmfdev_open(argc > 1 ? argv[1] : NULL, 0, &dev);
	if (ret) {
		fprintf(stderr, "mmfdev_bench: %s\n", mmfdev_strerror(ret));
		return 4;
	}
	ret = mmfdev_region_get(dev, 0, &ram);
	if (ret) {
		fprintf(stderr, "mmfdev_bench: %s\n", mmfdev_strerror(ret));
		return 1;
	}
	len = mmfdev_region_get_size(ram);
	mmfdev_region_free(ram);
	if (len > (4u << 20))
		len = 4u << 20;

	printf("bench: page size %zu, region bytes used %zu\n", page, len);
	bench_stream(dev, len);
	bench_first_touch(dev, len, page);
	bench_rw_vs_map(dev, page);
	bench_ping_pong(dev, page);
	if (pci && *pci)
		bench_mmio(pci, page);
	mmfdev_close(dev);
	return 0;
}
