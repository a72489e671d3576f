// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmfdev kselftest for real device memory: PCI BARs (QEMU's edu,
 * ivshmem-plain and pci-testdev devices), the "phys" module parameter and
 * device-tree devices.  Each fixture skips when its device is absent, so
 * on a board only what is there runs.
 *
 * The PCI devices must be bound to mmfdev (pci_ids=1234:11e8,1af4:1110,
 * 1b36:0005).  MMFDEV_IVSHMEM_TOKEN is the string the host put at the
 * start of the ivshmem file; the test writes "MMFDEV-GUEST:<token>" at
 * 64 KiB for the host to check.  MMFDEV_DT_NODE names a device-tree node
 * (e.g. mmfdev-9030000.mmfdev) built as scripts/lane.sh does, and so do
 * MMFDEV_DT_SHARED_NODE (a window shared with the PL011's driver) and
 * MMFDEV_DT_GPIO_NODE (three shared windows shaped like the Raspberry Pi
 * 5's GPIO block, on memory nobody else uses).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/mmfdev.h>

#include "kselftest_harness.h"
#include "mmfdev.h"
#include "common.h"
#include "edu.h"

#define IVSHMEM_GUEST_AT	(64 << 10)

static sigjmp_buf sigbus_jmp;

static void on_sigbus(int sig)
{
	siglongjmp(sigbus_jmp, 1);
}

/* Does a 32-bit read at @addr raise SIGBUS? */
static int read_faults(volatile void *addr)
{
	struct sigaction sa = { .sa_handler = on_sigbus }, old;
	volatile int faulted = 0;

	sigaction(SIGBUS, &sa, &old);
	if (!sigsetjmp(sigbus_jmp, 1))
		(void)mmfdev_read32(addr);
	else
		faulted = 1;
	sigaction(SIGBUS, &old, NULL);
	return faulted;
}

static int open_pci(unsigned int vendor, unsigned int device, char *bdf,
		    size_t len, struct mmfdev **devp, const char **why)
{
	char name[128];
	int ret;

	if (find_pci(vendor, device, bdf, len)) {
		*why = "no such PCI device";
		return -ENOENT;
	}
	snprintf(name, sizeof(name), "mmfdev-pci-%s", bdf);
	ret = mmfdev_open_by_name(name, 0, devp);
	if (ret == -ENOENT)
		*why = "PCI device not bound to mmfdev (pci_ids=)";
	return ret;
}

FIXTURE(edu) {
	struct mmfdev *dev;
	char bdf[64];
	struct mmfdev_region_info bar0;
	volatile uint8_t *regs;
	size_t len;
};

FIXTURE_SETUP(edu)
{
	const char *why = NULL;
	void *addr;
	int ret;

	self->regs = NULL;
	ret = open_pci(0x1234, 0x11e8, self->bdf, sizeof(self->bdf),
		       &self->dev, &why);
	if (why)
		SKIP(return, "edu: %s", why);
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, region_info(mmfdev_get_fd(self->dev), 0, &self->bar0));
	ASSERT_EQ(0, mmfdev_map(self->dev, 0, 0, 0,
				MMFDEV_MAP_READ | MMFDEV_MAP_WRITE, &addr,
				&self->len));
	self->regs = addr;
}

FIXTURE_TEARDOWN(edu)
{
	if (self->regs)
		mmfdev_unmap((void *)self->regs, self->len);
	mmfdev_close(self->dev);
}

TEST_F(edu, region_description)
{
	struct mmfdev_region_info *r = &self->bar0;

	EXPECT_EQ(MMFDEV_REGION_KIND_MMIO, r->kind);
	EXPECT_STREQ("bar0", r->name);
	EXPECT_EQ(1 << 20, r->size);
	EXPECT_EQ(MMFDEV_REGION_FLAG_READ | MMFDEV_REGION_FLAG_WRITE |
		  MMFDEV_REGION_FLAG_MMAP | MMFDEV_REGION_FLAG_SIZED, r->flags);
	EXPECT_EQ(MMFDEV_CACHE_UC, r->cache_default);
	EXPECT_TRUE(r->cache_modes & MMFDEV_CACHE_BIT(MMFDEV_CACHE_UC));
	EXPECT_FALSE(r->cache_modes & MMFDEV_CACHE_BIT(MMFDEV_CACHE_WB));
	EXPECT_EQ(MMFDEV_OFFSET_INVALID, r->cache_offset[MMFDEV_CACHE_WB]);
}

TEST_F(edu, id_register)
{
	uint32_t id = 0;

	EXPECT_EQ(EDU_ID_VALUE, mmfdev_read32(self->regs + EDU_ID));
	EXPECT_EQ(4, mmfdev_read(self->dev, 0, EDU_ID, &id, sizeof(id)));
	EXPECT_EQ(EDU_ID_VALUE, id);
}

TEST_F(edu, liveness_register)
{
	uint32_t values[] = { 0, 1, 0x12345678, 0xffffffff }, v;
	size_t i;

	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		mmfdev_write32(self->regs + EDU_LIVENESS, values[i]);
		EXPECT_EQ(~values[i], mmfdev_read32(self->regs + EDU_LIVENESS));

		v = values[i] ^ 0x5a5a5a5a;
		ASSERT_EQ(4, mmfdev_write(self->dev, 0, EDU_LIVENESS, &v, 4));
		ASSERT_EQ(4, mmfdev_read(self->dev, 0, EDU_LIVENESS, &v, 4));
		EXPECT_EQ(~(values[i] ^ 0x5a5a5a5a), v);
	}
}

/* Wait until edu is done computing; 0 on time. */
static int edu_wait(struct mmfdev *dev, volatile uint8_t *regs)
{
	struct timespec ts = { 0, 1000000 };
	int i;

	for (i = 0; i < 2000; i++) {
		uint32_t st;

		if (regs)
			st = mmfdev_read32(regs + EDU_STATUS);
		else if (mmfdev_read(dev, 0, EDU_STATUS, &st, 4) != 4)
			return -1;
		if (!(st & EDU_STATUS_COMPUTING))
			return 0;
		nanosleep(&ts, NULL);
	}
	return -1;
}

TEST_F(edu, factorial_register)
{
	uint32_t n = 12, v;

	mmfdev_write32(self->regs + EDU_FACTORIAL, 10);
	ASSERT_EQ(0, edu_wait(self->dev, self->regs));
	EXPECT_EQ(3628800, mmfdev_read32(self->regs + EDU_FACTORIAL));

	ASSERT_EQ(4, mmfdev_write(self->dev, 0, EDU_FACTORIAL, &n, 4));
	ASSERT_EQ(0, edu_wait(self->dev, NULL));
	ASSERT_EQ(4, mmfdev_read(self->dev, 0, EDU_FACTORIAL, &v, 4));
	EXPECT_EQ(479001600, v);
}

TEST_F(edu, sized_access_rules)
{
	int fd = mmfdev_get_fd(self->dev);
	uint64_t off = self->bar0.offset;
	char buf[16];

	/* One aligned access of 1, 2, 4 or 8 bytes, nothing else. */
	EXPECT_EQ(-1, pread(fd, buf, 3, off));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, pread(fd, buf, 16, off));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, pread(fd, buf, 4, off + 2));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, pwrite(fd, buf, 4, off + EDU_LIVENESS + 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, pread(fd, buf, 4, off + self->bar0.size - 2));
	EXPECT_EQ(EINVAL, errno);
	/* At the end: EOF and ENOSPC, as for RAM. */
	EXPECT_EQ(0, pread(fd, buf, 4, off + self->bar0.size));
	EXPECT_EQ(-1, pwrite(fd, buf, 4, off + self->bar0.size));
	EXPECT_EQ(ENOSPC, errno);
}

TEST_F(edu, cache_modes)
{
	int fd = mmfdev_get_fd(self->dev);
	void *map;

	EXPECT_EQ(MMFDEV_CACHE_UC,
		  mmfdev_mapping_cache_mode(self->dev, (void *)self->regs));
	EXPECT_EQ(-EINVAL, mmfdev_mapping_cache_mode(self->dev, &fd));

	/* Write-back is for RAM-like regions only. */
	EXPECT_EQ(-EOPNOTSUPP, mmfdev_map(self->dev, 0, 0, 0,
					  MMFDEV_MAP_READ | MMFDEV_MAP_WB,
					  &map, NULL));
	map = mmap(NULL, sysconf(_SC_PAGESIZE), PROT_READ, MAP_SHARED, fd,
		   self->bar0.offset | (uint64_t)MMFDEV_CACHE_WB << 40);
	EXPECT_EQ(MAP_FAILED, map);
	EXPECT_EQ(EINVAL, errno);

	if (!(self->bar0.cache_modes & MMFDEV_CACHE_BIT(MMFDEV_CACHE_WC))) {
		EXPECT_EQ(-EOPNOTSUPP, mmfdev_map(self->dev, 0, 0, 0,
						  MMFDEV_MAP_READ |
						  MMFDEV_MAP_WC, &map, NULL));
		return;
	}
	ASSERT_EQ(0, mmfdev_map(self->dev, 0, 0, 0,
				MMFDEV_MAP_READ | MMFDEV_MAP_WC, &map, NULL));
	EXPECT_EQ(MMFDEV_CACHE_WC, mmfdev_mapping_cache_mode(self->dev, map));
	EXPECT_EQ(EDU_ID_VALUE, mmfdev_read32(map));
	mmfdev_unmap(map, self->len);
}

/* Odd arguments at a register block: documented errnos, no trouble. */
TEST_F_TIMEOUT(edu, fuzz_arguments, 120)
{
	EXPECT_EQ(0, fuzz_region(mmfdev_get_fd(self->dev), &self->bar0, 2000, 0,
				 0x656475));
}

/* ptrace, gdb and /proc/PID/mem read MMIO mappings through .access. */
TEST_F(edu, readable_by_ptrace)
{
	uint32_t id = 0;
	int fd;

	fd = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(4, pread(fd, &id, 4, (off_t)(uintptr_t)self->regs));
	EXPECT_EQ(EDU_ID_VALUE, id);
	/* And writes, as gdb's "set var" does. */
	id = 0x600dcafe;
	EXPECT_EQ(4, pwrite(fd, &id, 4,
			    (off_t)(uintptr_t)(self->regs + EDU_LIVENESS)));
	EXPECT_EQ(~0x600dcafeU, mmfdev_read32(self->regs + EDU_LIVENESS));
	close(fd);
}

/*
 * Mappings filled at fault time behave like any other: after a move, in a
 * forked child, and split by a partial munmap.  Like every PFN mapping,
 * they refuse MADV_DONTNEED.
 */
TEST_F(edu, faulting_mapping_moves_forks_and_splits)
{
	size_t page = sysconf(_SC_PAGESIZE);
	uint8_t *moved, *hole;
	int status;
	pid_t pid;

	ASSERT_EQ(EDU_ID_VALUE, mmfdev_read32(self->regs + EDU_ID));

	/* Move it elsewhere (MREMAP_FIXED into a reserved hole). */
	hole = mmap(NULL, self->len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
	ASSERT_NE(MAP_FAILED, hole);
	moved = mremap((void *)self->regs, self->len, self->len,
		       MREMAP_MAYMOVE | MREMAP_FIXED, hole);
	ASSERT_EQ(hole, moved);
	self->regs = moved;
	EXPECT_EQ(EDU_ID_VALUE, mmfdev_read32(moved + EDU_ID));
	EXPECT_EQ(MMFDEV_CACHE_UC, mmfdev_mapping_cache_mode(self->dev, moved));

	EXPECT_EQ(-1, madvise(moved, self->len, MADV_DONTNEED));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(EDU_ID_VALUE, mmfdev_read32(moved + EDU_ID));

	/* A child sees the device through the inherited mapping. */
	mmfdev_write32(moved + EDU_LIVENESS, 0x0f0f0f0f);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(mmfdev_read32(moved + EDU_ID) == EDU_ID_VALUE &&
		      mmfdev_read32(moved + EDU_LIVENESS) == 0xf0f0f0f0 ?
		      0 : 1);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	/* The last page of the BAR, on its own. */
	ASSERT_EQ(0, munmap(moved + page, self->len - 2 * page));
	EXPECT_EQ(EDU_ID_VALUE, mmfdev_read32(moved + EDU_ID));
	mmfdev_unmap(moved, page);
	mmfdev_unmap(moved + self->len - page, page);
	self->regs = NULL;
}

TEST_F(edu, private_mapping_refused)
{
	void *map = mmap(NULL, sysconf(_SC_PAGESIZE), PROT_READ, MAP_PRIVATE,
			 mmfdev_get_fd(self->dev), self->bar0.offset);

	EXPECT_EQ(MAP_FAILED, map);
	EXPECT_EQ(EINVAL, errno);
}

/*
 * Unbinding while open and mapped: the mapping is revoked (SIGBUS), calls
 * fail with ENODEV, closing still works, and binding again brings it back.
 */
TEST_F_TIMEOUT(edu, unbind_while_mapped, 120)
{
	int fd = mmfdev_get_fd(self->dev);
	struct mmfdev_region_info info;
	char node[128], path[128];
	struct mmfdev *again;
	void *map;
	char c;

	if (geteuid())
		SKIP(return, "needs root to unbind");
	snprintf(node, sizeof(node), "/dev/mmfdev-pci-%s", self->bdf);
	ASSERT_EQ(EDU_ID_VALUE, mmfdev_read32(self->regs + EDU_ID));

	ASSERT_EQ(0, sysfs_write(PCI_DRIVER_DIR "/unbind", self->bdf));
	EXPECT_NE(0, access(node, F_OK));

	EXPECT_TRUE(read_faults(self->regs + EDU_ID));
	EXPECT_EQ(-ENODEV, mmfdev_read(self->dev, 0, 0, &c, 1));
	EXPECT_EQ(-1, region_info(fd, 0, &info));
	EXPECT_EQ(ENODEV, errno);
	map = mmap(NULL, sysconf(_SC_PAGESIZE), PROT_READ, MAP_SHARED, fd,
		   self->bar0.offset);
	EXPECT_EQ(MAP_FAILED, map);
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(-1, fsync(fd));
	EXPECT_EQ(ENODEV, errno);

	EXPECT_EQ(0, mmfdev_unmap((void *)self->regs, self->len));
	self->regs = NULL;
	mmfdev_close(self->dev);
	self->dev = NULL;

	snprintf(path, sizeof(path), "%s/bind", PCI_DRIVER_DIR);
	ASSERT_EQ(0, sysfs_write(path, self->bdf));
	ASSERT_EQ(0, mmfdev_open(node, 0, &again));
	ASSERT_EQ(0, mmfdev_map(again, 0, 0, 0, MMFDEV_MAP_READ, &map,
				&self->len));
	EXPECT_EQ(EDU_ID_VALUE, mmfdev_read32((uint8_t *)map + EDU_ID));
	mmfdev_unmap(map, self->len);
	mmfdev_close(again);
}

/* A reader that exits 42 on SIGBUS, 1 on a wrong value. */
static void on_sigbus_exit(int sig)
{
	_exit(42);
}

/* Map edu, read it once, say so on @ready, then read until SIGBUS. */
static void edu_reader(const char *node, int ready)
{
	struct sigaction sa = { .sa_handler = on_sigbus_exit };
	struct mmfdev *dev;
	void *regs;
	size_t len;

	sigaction(SIGBUS, &sa, NULL);
	if (mmfdev_open(node, MMFDEV_OPEN_RDONLY, &dev) ||
	    mmfdev_map(dev, 0, 0, 0, MMFDEV_MAP_READ, &regs, &len))
		_exit(2);
	if (mmfdev_read32(regs) != EDU_ID_VALUE || write(ready, "r", 1) != 1)
		_exit(1);
	for (;;)
		if (mmfdev_read32(regs) != EDU_ID_VALUE)
			_exit(1);
}

/* Unbind while other processes are faulting and reading: all get SIGBUS. */
TEST_F_TIMEOUT(edu, unbind_while_readers_fault, 120)
{
	pid_t readers[3];
	char node[128], c;
	int i, status, ready[2];

	if (geteuid())
		SKIP(return, "needs root to unbind");
	snprintf(node, sizeof(node), "/dev/mmfdev-pci-%s", self->bdf);
	ASSERT_EQ(0, pipe2(ready, O_CLOEXEC));
	for (i = 0; i < 3; i++) {
		readers[i] = fork();
		ASSERT_LE(0, readers[i]);
		if (readers[i] == 0)
			edu_reader(node, ready[1]);
	}
	/* Unbind only once every reader has its mapping, however slow. */
	close(ready[1]);
	for (i = 0; i < 3; i++)
		ASSERT_EQ(1, read(ready[0], &c, 1));
	close(ready[0]);
	ASSERT_EQ(0, sysfs_write(PCI_DRIVER_DIR "/unbind", self->bdf));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(readers[i], waitpid(readers[i], &status, 0));
		EXPECT_TRUE(WIFEXITED(status));
		EXPECT_EQ(42, WEXITSTATUS(status));
	}
	ASSERT_EQ(0, sysfs_write(PCI_DRIVER_DIR "/bind", self->bdf));
	EXPECT_EQ(0, access(node, F_OK));
}

/*
 * edu's interrupt, @n times in lock step: raise it through the mapping,
 * wait for line @line, look (exactly one new event, a later timestamp),
 * ack it at the device and, for a level line, unmask it.  Returns 0, or
 * the step that went wrong (and the round in *@round).
 */
static int edu_irq_rounds(struct mmfdev *dev, volatile uint8_t *regs,
			  unsigned int line, int level, int n, int *round)
{
	uint64_t pending, count, new, ts, last_ts = 0;
	int i;

	for (i = 0; i < n; i++) {
		*round = i;
		mmfdev_write32(regs + EDU_IRQ_RAISE, 1);
		if (mmfdev_event_wait(dev, MMFDEV_EVENT_BIT(line),
				      5000000000LL, &pending))
			return 1;
		if (mmfdev_event_read(dev, line, &count, &new, &ts) ||
		    new != 1)
			return 2;
		if (ts <= last_ts)
			return 3;
		last_ts = ts;
		mmfdev_write32(regs + EDU_IRQ_ACK, 1);
		if (level && mmfdev_event_unmask(dev, line))
			return 4;
	}
	return 0;
}

/* The first event line of @kind, or -1. */
static int event_of_kind(struct mmfdev *dev, unsigned int kind)
{
	unsigned int i;

	for (i = 0; i < mmfdev_get_num_events(dev); i++) {
		struct mmfdev_event *ev;
		unsigned int k;

		if (mmfdev_event_get(dev, i, &ev))
			return -1;
		k = mmfdev_event_get_kind(ev);
		mmfdev_event_free(ev);
		if (k == kind)
			return i;
	}
	return -1;
}

/* MSI: 10,000 raises one at a time, each one event, in order. */
TEST_F_TIMEOUT(edu, msi_interrupts, 300)
{
	uint64_t start, count, new, sum = 0, pending;
	struct mmfdev_event *ev;
	int line, round = 0, i;

	line = event_of_kind(self->dev, MMFDEV_EVENT_MSI);
	if (line < 0)
		SKIP(return, "edu has no MSI line here");
	ASSERT_EQ(0, line);
	ASSERT_EQ(0, mmfdev_event_get(self->dev, line, &ev));
	EXPECT_STREQ("msi0", mmfdev_event_get_name(ev));
	EXPECT_EQ(MMFDEV_EVENT_EDGE, mmfdev_event_get_trigger(ev));
	EXPECT_EQ(0, mmfdev_event_get_flags(ev));
	mmfdev_event_free(ev);
	ASSERT_EQ(0, mmfdev_event_read(self->dev, line, &start, NULL, NULL));

	EXPECT_EQ(0, edu_irq_rounds(self->dev, self->regs, line, 0, 10000,
				    &round)) TH_LOG("round %d", round);
	ASSERT_EQ(0, mmfdev_event_read(self->dev, line, &count, &new, NULL));
	EXPECT_EQ(10000, count - start);

	/*
	 * A burst of 10,000 with nobody waiting: whatever the interrupt
	 * controller coalesced, every event the kernel counted shows in the
	 * reads, and none more than were raised.
	 */
	start = count;
	for (i = 0; i < 10000; i++)
		mmfdev_write32(self->regs + EDU_IRQ_RAISE, 1);
	while (!mmfdev_event_wait(self->dev, MMFDEV_EVENT_BIT(line),
				  200000000, &pending)) {
		ASSERT_EQ(0, mmfdev_event_read(self->dev, line, NULL, &new,
					       NULL));
		sum += new;
	}
	ASSERT_EQ(0, mmfdev_event_peek(self->dev, line, &count, &new, NULL));
	EXPECT_EQ(0, new);
	EXPECT_EQ(count - start, sum);
	EXPECT_LE(1, sum);
	EXPECT_GE(10000, sum);
	TH_LOG("burst of 10000 raises: %llu interrupts", (unsigned long long)sum);
	mmfdev_write32(self->regs + EDU_IRQ_ACK, 1);
}

struct bell_thread {
	const char *node;
	int ring;
	int ret;
	int *opened;	/* counts threads that have the node open */
};

/*
 * Wait on (or ring) the first doorbell until the device goes: the only
 * way out is -ENODEV, every other result goes round again.
 */
static void *bell_thread(void *arg)
{
	struct bell_thread *t = arg;
	struct mmfdev *dev;
	uint64_t pending;
	int line, ret;

	t->ret = mmfdev_open(t->node, 0, &dev);
	if (t->ret)
		return NULL;
	__atomic_fetch_add(t->opened, 1, __ATOMIC_RELEASE);
	line = event_of_kind(dev, MMFDEV_EVENT_DOORBELL);
	do {
		if (t->ring)
			ret = mmfdev_event_ring(dev, line);
		else
			ret = mmfdev_event_wait(dev, MMFDEV_EVENT_BIT(line), -1,
						&pending);
		if (!ret && !t->ring)
			ret = mmfdev_event_read(dev, line, NULL, NULL, NULL);
	} while (!ret);
	t->ret = ret;
	mmfdev_close(dev);
	return NULL;
}

/*
 * Unbind while threads wait on a line and others ring it, 100 times:
 * every waiter and ringer returns ENODEV, nothing hangs.
 */
TEST_F_TIMEOUT(edu, unbind_wakes_waiters, 600)
{
	struct bell_thread t[5];
	pthread_t tid[5];
	char node[128];
	int cycle, i;

	if (geteuid())
		SKIP(return, "needs root to unbind");
	snprintf(node, sizeof(node), "/dev/mmfdev-pci-%s", self->bdf);
	mmfdev_unmap((void *)self->regs, self->len);
	self->regs = NULL;
	mmfdev_close(self->dev);
	self->dev = NULL;

	for (cycle = 0; cycle < 100; cycle++) {
		int opened = 0, ms;

		for (i = 0; i < 5; i++) {
			t[i].node = node;
			t[i].ring = i >= 3;
			t[i].ret = 0;
			t[i].opened = &opened;
			ASSERT_EQ(0, pthread_create(&tid[i], NULL, bell_thread,
						    &t[i]));
		}
		/* Every thread has the node open, then they get going. */
		for (ms = 0; ms < 10000 &&
		     __atomic_load_n(&opened, __ATOMIC_ACQUIRE) < 5; ms++)
			usleep(1000);
		usleep(20000);
		ASSERT_EQ(0, sysfs_write(PCI_DRIVER_DIR "/unbind", self->bdf));
		for (i = 0; i < 5; i++) {
			pthread_join(tid[i], NULL);
			EXPECT_EQ(-ENODEV, t[i].ret)
				TH_LOG("cycle %d, thread %d: %d", cycle, i,
				       t[i].ret);
		}
		ASSERT_EQ(0, sysfs_write(PCI_DRIVER_DIR "/bind", self->bdf));
	}
	EXPECT_EQ(0, access(node, F_OK));
}

/*
 * INTx: the module reloaded with pci_irq=intx.  A level line, masked by
 * the kernel at each event until userspace unmasks it.
 */
FIXTURE(edu_intx) {
	struct mmfdev *dev;
	volatile uint8_t *regs;
	size_t len;
};

FIXTURE_SETUP(edu_intx)
{
	const char *why = module_cannot_reload();
	char opts[256], bdf[64];
	void *addr;

	self->dev = NULL;
	self->regs = NULL;
	if (why)
		SKIP(return, "%s", why);
	ASSERT_EQ(0, module_remove());
	snprintf(opts, sizeof(opts), "%s pci_irq=intx",
		 module_default_options());
	ASSERT_EQ(0, module_insert(opts));
	if (open_pci(0x1234, 0x11e8, bdf, sizeof(bdf), &self->dev, &why))
		SKIP(return, "edu: %s", why);
	ASSERT_EQ(0, mmfdev_map(self->dev, 0, 0, 0,
				MMFDEV_MAP_READ | MMFDEV_MAP_WRITE, &addr,
				&self->len));
	self->regs = addr;
}

FIXTURE_TEARDOWN(edu_intx)
{
	if (self->regs)
		mmfdev_unmap((void *)self->regs, self->len);
	mmfdev_close(self->dev);
	if (!module_cannot_reload())
		module_reload_default();
}

TEST_F_TIMEOUT(edu_intx, level_interrupts, 300)
{
	uint64_t count, new, pending, start;
	struct mmfdev_event *ev;
	int line, round = 0;

	line = event_of_kind(self->dev, MMFDEV_EVENT_INTX);
	ASSERT_EQ(0, line);
	ASSERT_EQ(0, mmfdev_event_get(self->dev, line, &ev));
	EXPECT_STREQ("intx", mmfdev_event_get_name(ev));
	EXPECT_EQ(MMFDEV_EVENT_LEVEL, mmfdev_event_get_trigger(ev));
	EXPECT_EQ(MMFDEV_EVENT_NEEDS_UNMASK, mmfdev_event_get_flags(ev));
	mmfdev_event_free(ev);
	ASSERT_EQ(0, mmfdev_event_read(self->dev, line, &start, NULL, NULL));

	EXPECT_EQ(0, edu_irq_rounds(self->dev, self->regs, line, 1, 10000,
				    &round)) TH_LOG("round %d", round);
	ASSERT_EQ(0, mmfdev_event_read(self->dev, line, &count, NULL, NULL));
	EXPECT_EQ(10000, count - start);

	/*
	 * Unmasking while the device still asserts the line: no storm, no
	 * lost event; the line stays masked and that counts as one event.
	 */
	mmfdev_write32(self->regs + EDU_IRQ_RAISE, 1);
	ASSERT_EQ(0, mmfdev_event_wait(self->dev, MMFDEV_EVENT_BIT(line),
				       5000000000LL, &pending));
	ASSERT_EQ(0, mmfdev_event_read(self->dev, line, NULL, &new, NULL));
	EXPECT_EQ(1, new);
	ASSERT_EQ(0, mmfdev_event_get(self->dev, line, &ev));
	EXPECT_TRUE(mmfdev_event_get_flags(ev) & MMFDEV_EVENT_MASKED);
	mmfdev_event_free(ev);
	EXPECT_EQ(0, mmfdev_event_unmask(self->dev, line));
	ASSERT_EQ(0, mmfdev_event_read(self->dev, line, NULL, &new, NULL));
	EXPECT_EQ(1, new);
	ASSERT_EQ(0, mmfdev_event_get(self->dev, line, &ev));
	EXPECT_TRUE(mmfdev_event_get_flags(ev) & MMFDEV_EVENT_MASKED);
	mmfdev_event_free(ev);

	/* Quieted, then unmasked: nothing more comes. */
	mmfdev_write32(self->regs + EDU_IRQ_ACK, 1);
	EXPECT_EQ(0, mmfdev_event_unmask(self->dev, line));
	EXPECT_EQ(-ETIMEDOUT, mmfdev_event_wait(self->dev,
						MMFDEV_EVENT_BIT(line),
						200000000, &pending));
	ASSERT_EQ(0, mmfdev_event_get(self->dev, line, &ev));
	EXPECT_FALSE(mmfdev_event_get_flags(ev) & MMFDEV_EVENT_MASKED);
	mmfdev_event_free(ev);
	/* Unmasking an unmasked line does nothing. */
	EXPECT_EQ(0, mmfdev_event_unmask(self->dev, line));
	/* Doorbells cannot be unmasked, nor interrupts rung. */
	EXPECT_EQ(-EINVAL, mmfdev_event_unmask(self->dev, line + 1));
	EXPECT_EQ(-EINVAL, mmfdev_event_ring(self->dev, line));
}

FIXTURE(ivshmem) {
	struct mmfdev *dev;
	char bdf[64];
};

FIXTURE_SETUP(ivshmem)
{
	const char *why = NULL;
	int ret;

	ret = open_pci(0x1af4, 0x1110, self->bdf, sizeof(self->bdf),
		       &self->dev, &why);
	if (why)
		SKIP(return, "ivshmem: %s", why);
	ASSERT_EQ(0, ret);
}

FIXTURE_TEARDOWN(ivshmem)
{
	mmfdev_close(self->dev);
}

/* The host file is the BAR: bytes cross in both directions. */
TEST_F(ivshmem, host_file_is_the_bar)
{
	const char *token = getenv("MMFDEV_IVSHMEM_TOKEN");
	char want[128], got[128] = "";
	uint64_t first = 0;
	size_t len, n;
	uint8_t *shm;

	if (!token || !*token)
		SKIP(return, "MMFDEV_IVSHMEM_TOKEN is not set");
	ASSERT_EQ(0, mmfdev_map(self->dev, 2, 0, 0,
				MMFDEV_MAP_READ | MMFDEV_MAP_WRITE,
				(void **)&shm, &len));
	ASSERT_LT(IVSHMEM_GUEST_AT + sizeof(want), len);

	n = snprintf(want, sizeof(want), "MMFDEV-HOST:%s", token);
	mmfdev_copy_from_device(got, shm, n);
	EXPECT_EQ(0, memcmp(want, got, n)) TH_LOG("found '%.*s'", (int)n, got);

	/* The same bytes through pread(), one sized access. */
	EXPECT_EQ(8, mmfdev_read(self->dev, 2, 0, &first, 8));
	EXPECT_EQ(0, memcmp(&first, want, 8));

	n = snprintf(want, sizeof(want), "MMFDEV-GUEST:%s", token);
	mmfdev_copy_to_device(shm + IVSHMEM_GUEST_AT, want, n + 1);
	EXPECT_EQ(0, mmfdev_sync(shm, len));
	mmfdev_copy_from_device(got, shm + IVSHMEM_GUEST_AT, n + 1);
	EXPECT_STREQ(want, got);
	mmfdev_unmap(shm, len);
}

/* Unaligned and odd-sized copies use only aligned device accesses. */
TEST_F(ivshmem, copy_helpers)
{
	unsigned char in[77], out[77];
	size_t len, i;
	uint8_t *shm;

	ASSERT_EQ(0, mmfdev_map(self->dev, 2, 0, 0,
				MMFDEV_MAP_READ | MMFDEV_MAP_WRITE,
				(void **)&shm, &len));
	for (i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)(i * 7 + 3);
	mmfdev_fill_device(shm + 2 * IVSHMEM_GUEST_AT + 1, 0xab, 300);
	mmfdev_copy_to_device(shm + 2 * IVSHMEM_GUEST_AT + 3, in, sizeof(in));
	mmfdev_copy_from_device(out, shm + 2 * IVSHMEM_GUEST_AT + 3,
				sizeof(out));
	EXPECT_EQ(0, memcmp(in, out, sizeof(in)));
	EXPECT_EQ(0xab, mmfdev_read8(shm + 2 * IVSHMEM_GUEST_AT + 1));
	EXPECT_EQ(0xabab, mmfdev_read16(shm + 2 * IVSHMEM_GUEST_AT + 100));
	mmfdev_unmap(shm, len);
}

TEST_F(ivshmem, write_combining)
{
	struct mmfdev_region *bar2;
	uint8_t *wc, *uc;
	size_t len;

	ASSERT_EQ(0, mmfdev_region_get(self->dev, 2, &bar2));
	if (!(mmfdev_region_get_cache_modes(bar2) &
	      MMFDEV_CACHE_BIT(MMFDEV_CACHE_WC))) {
		mmfdev_region_free(bar2);
		EXPECT_EQ(-EOPNOTSUPP, mmfdev_map(self->dev, 2, 0, 0,
						  MMFDEV_MAP_READ |
						  MMFDEV_MAP_WC,
						  (void **)&wc, &len));
		SKIP(return, "no write-combining for MMIO on this platform");
	}
	mmfdev_region_free(bar2);

	ASSERT_EQ(0, mmfdev_map(self->dev, 2, 0, 0,
				MMFDEV_MAP_READ | MMFDEV_MAP_WRITE |
				MMFDEV_MAP_WC, (void **)&wc, &len));
	EXPECT_EQ(MMFDEV_CACHE_WC, mmfdev_mapping_cache_mode(self->dev, wc));
	ASSERT_EQ(0, mmfdev_map(self->dev, 2, 0, 0, MMFDEV_MAP_READ,
				(void **)&uc, NULL));
	EXPECT_EQ(MMFDEV_CACHE_UC, mmfdev_mapping_cache_mode(self->dev, uc));

	mmfdev_write64(wc + 3 * IVSHMEM_GUEST_AT, 0x0123456789abcdefULL);
	EXPECT_EQ(0, mmfdev_sync(wc, len));
	EXPECT_EQ(0x0123456789abcdefULL,
		  mmfdev_read64(uc + 3 * IVSHMEM_GUEST_AT));
	mmfdev_unmap(wc, len);
	mmfdev_unmap(uc, len);
}

/* Every region of the device, the sub-page and the empty ones too. */
TEST_F_TIMEOUT(ivshmem, fuzz_arguments, 120)
{
	int fd = mmfdev_get_fd(self->dev);
	struct mmfdev_region_info info;
	unsigned int i;

	for (i = 0; i < mmfdev_get_num_regions(self->dev); i++) {
		ASSERT_EQ(0, region_info(fd, i, &info));
		EXPECT_EQ(0, fuzz_region(fd, &info, 500, 0, 0x1000 + i));
	}
}

static long minor_faults(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/* Does the running kernel map PFNs with huge entries (6.12 and later)? */
static int kernel_maps_huge_pfns(void)
{
	unsigned int major = 0, minor = 0;
	struct utsname u;

	if (uname(&u) || sscanf(u.release, "%u.%u", &major, &minor) != 2)
		return 0;
	return major > 6 || (major == 6 && minor >= 12);
}

/*
 * BAR2 is 64 MiB of memory, naturally aligned: touching all of it takes
 * one fault per PMD (2 MiB with 4 KiB pages, 32 MiB with 16 KiB pages)
 * where the kernel can map PFNs huge (for 64-bit processes, whose big
 * mappings it aligns), and one per 16 pages (fault-around) otherwise.
 */
TEST_F(ivshmem, huge_entries_where_aligned)
{
	size_t page = sysconf(_SC_PAGESIZE), pmd = page * (page / 8), len, i;
	struct mmfdev_region_info bar2;
	volatile uint8_t *shm;
	long faults, pmds;
	void *addr;
	int huge;

	ASSERT_EQ(0, region_info(mmfdev_get_fd(self->dev), 2, &bar2));
	if (bar2.size < 2 * pmd)
		SKIP(return, "BAR2 is %llu bytes, less than two PMDs",
		     (unsigned long long)bar2.size);
	ASSERT_EQ(0, mmfdev_map(self->dev, 2, 0, 0,
				MMFDEV_MAP_READ | MMFDEV_MAP_WRITE, &addr, &len));
	shm = addr;
	/* The kernel aligns big mappings for 64-bit processes only. */
	huge = sizeof(void *) == 8 && kernel_maps_huge_pfns();
	if (huge)
		EXPECT_EQ(0, (uintptr_t)addr % pmd) TH_LOG("not PMD-aligned");

	faults = minor_faults();
	for (i = 0; i < len; i += page)
		(void)mmfdev_read32(shm + i);
	faults = minor_faults() - faults;
	pmds = len / pmd;
	TH_LOG("%zu bytes, %zu-byte PMDs: %ld faults", len, pmd, faults);
	if (huge) {
		EXPECT_LE(faults, pmds + 2);
	} else {
		EXPECT_LE(faults, (long)(len / page / 16) + 2);
	}
	mmfdev_unmap(addr, len);
}

/* BAR0 is 256 bytes of registers: never mapped, read with sized access. */
TEST_F(ivshmem, sub_page_registers)
{
	int fd = mmfdev_get_fd(self->dev);
	struct mmfdev_region_info bar0;
	uint32_t v;
	void *map;

	ASSERT_EQ(0, region_info(fd, 0, &bar0));
	ASSERT_EQ(256, bar0.size);
	EXPECT_FALSE(bar0.flags & MMFDEV_REGION_FLAG_MMAP);
	EXPECT_EQ(MMFDEV_OFFSET_INVALID, bar0.cache_offset[MMFDEV_CACHE_UC]);

	map = mmap(NULL, sysconf(_SC_PAGESIZE), PROT_READ, MAP_SHARED, fd,
		   bar0.offset);
	EXPECT_EQ(MAP_FAILED, map);
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(-ENODEV, mmfdev_map(self->dev, 0, 0, 0, MMFDEV_MAP_READ,
				      &map, NULL));

	/* IntrMask reads back what was written. */
	v = 0;
	EXPECT_EQ(4, mmfdev_write(self->dev, 0, 0, &v, 4));
	v = 1;
	EXPECT_EQ(4, mmfdev_read(self->dev, 0, 0, &v, 4));
	EXPECT_EQ(0, v);
	EXPECT_EQ(-EINVAL, mmfdev_read(self->dev, 0, 2, &v, 4));
	EXPECT_EQ(-EINVAL, mmfdev_read(self->dev, 0, 252, &v, 8));
	EXPECT_EQ(0, mmfdev_read(self->dev, 0, 256, &v, 4));
}

FIXTURE(testdev) {
	struct mmfdev *dev;
	char bdf[64];
};

FIXTURE_SETUP(testdev)
{
	const char *why = NULL;
	int ret;

	ret = open_pci(0x1b36, 0x0005, self->bdf, sizeof(self->bdf),
		       &self->dev, &why);
	if (why)
		SKIP(return, "pci-testdev: %s", why);
	ASSERT_EQ(0, ret);
}

FIXTURE_TEARDOWN(testdev)
{
	mmfdev_close(self->dev);
}

/* I/O-port BARs are listed, and say they cannot be mapped or accessed. */
TEST_F(testdev, io_bar_refused)
{
	int fd = mmfdev_get_fd(self->dev);
	struct mmfdev_region_info info;
	unsigned int i, found = 0;
	char buf[4] = "";
	void *map;

	for (i = 0; i < mmfdev_get_num_regions(self->dev); i++) {
		ASSERT_EQ(0, region_info(fd, i, &info));
		if (info.kind != MMFDEV_REGION_KIND_IOPORT)
			continue;
		found++;
		EXPECT_EQ(0, info.flags);
		EXPECT_LT(0, info.size);
		map = mmap(NULL, sysconf(_SC_PAGESIZE), PROT_READ, MAP_SHARED,
			   fd, info.offset);
		EXPECT_EQ(MAP_FAILED, map);
		EXPECT_EQ(ENODEV, errno);
		EXPECT_EQ(-ENODEV, mmfdev_map(self->dev, i, 0, 0,
					      MMFDEV_MAP_READ, &map, NULL));
		EXPECT_EQ(-1, pread(fd, buf, 1, info.offset));
		EXPECT_EQ(EOPNOTSUPP, errno);
		EXPECT_EQ(-1, pwrite(fd, buf, 1, info.offset));
		EXPECT_EQ(EOPNOTSUPP, errno);
	}
	EXPECT_EQ(1, found);
}

/* Its memory BAR is smaller than a page: not mappable, still readable. */
TEST_F(testdev, small_mmio_bar_not_mapped)
{
	int fd = mmfdev_get_fd(self->dev);
	struct mmfdev_region_info info;
	void *map;

	ASSERT_EQ(0, region_info(fd, 0, &info));
	ASSERT_EQ(MMFDEV_REGION_KIND_MMIO, info.kind);
	if (info.size >= (uint64_t)sysconf(_SC_PAGESIZE))
		SKIP(return, "BAR0 is a whole page here");
	EXPECT_FALSE(info.flags & MMFDEV_REGION_FLAG_MMAP);
	map = mmap(NULL, sysconf(_SC_PAGESIZE), PROT_READ, MAP_SHARED, fd,
		   info.offset);
	EXPECT_EQ(MAP_FAILED, map);
	EXPECT_EQ(ENODEV, errno);
}

/* The "phys" module parameter: edu's BAR0 by address, never RAM. */
FIXTURE(phys) {
	char bdf[64];
	unsigned long long bar0;
};

FIXTURE_SETUP(phys)
{
	const char *why = module_cannot_reload();

	if (why)
		SKIP(return, "%s", why);
	if (find_pci(0x1234, 0x11e8, self->bdf, sizeof(self->bdf)))
		SKIP(return, "no edu device");
	ASSERT_EQ(0, pci_bar_start(self->bdf, 0, &self->bar0));
	ASSERT_NE(0, self->bar0);
}

FIXTURE_TEARDOWN(phys)
{
	module_reload_default();
}

/* The first System RAM range in /proc/iomem. */
static int first_system_ram(unsigned long long *start)
{
	unsigned long long s, e, page = sysconf(_SC_PAGESIZE);
	char line[256];
	int ret = -ENOENT;
	FILE *f;

	f = fopen("/proc/iomem", "re");
	if (!f)
		return -errno;
	while (ret && fgets(line, sizeof(line), f)) {
		if (strstr(line, "System RAM") &&
		    sscanf(line, " %llx-%llx", &s, &e) == 2 && s &&
		    e > s + 2 * page) {
			*start = (s + page - 1) & ~(page - 1);
			ret = 0;
		}
	}
	fclose(f);
	return ret;
}

/* Does /proc/iomem have an entry at @start whose name contains @what? */
static int iomem_has(unsigned long long start, const char *what)
{
	unsigned long long s, e;
	char line[256];
	int found = 0, n;
	FILE *f;

	f = fopen("/proc/iomem", "re");
	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f)) {
		n = 0;
		found = sscanf(line, " %llx-%llx : %n", &s, &e, &n) == 2 &&
			n && s == start && strstr(line + n, what);
	}
	fclose(f);
	return found;
}

/* Has mmfdev itself requested any part of [@start, @end]? */
static int iomem_mmfdev_holds(unsigned long long start,
			      unsigned long long end)
{
	unsigned long long s, e;
	char line[256];
	int found = 0, n;
	FILE *f;

	f = fopen("/proc/iomem", "re");
	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f)) {
		n = 0;
		found = sscanf(line, " %llx-%llx : %n", &s, &e, &n) == 2 &&
			n && !strcmp(line + n, "mmfdev\n") && s <= end &&
			e >= start;
	}
	fclose(f);
	return found;
}

/* /dev/kmsg from its end: the records logged from now on; -1 if denied. */
static int kmsg_from_now(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0 && lseek(fd, 0, SEEK_END) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/*
 * The messages of the kernel log records from @fd on, one per line, in a
 * static buffer that the next call reuses.  Reads them all.
 */
static const char *kmsg_messages(int fd)
{
	static char buf[1 << 16];
	char rec[2048], *msg, *nl;
	size_t used = 0, n;
	ssize_t got;

	buf[0] = '\0';
	for (;;) {
		got = read(fd, rec, sizeof(rec) - 1);
		if (got < 0 && errno == EPIPE)
			continue;	/* records overwritten: read on */
		if (got <= 0)
			break;
		rec[got] = '\0';
		/* "prefix;message\n", then " KEY=value" lines. */
		msg = strchr(rec, ';');
		if (!msg)
			continue;
		msg++;
		nl = strchr(msg, '\n');
		n = nl ? (size_t)(nl - msg) : strlen(msg);
		if (used + n + 2 > sizeof(buf))
			break;
		memcpy(buf + used, msg, n);
		used += n;
		buf[used++] = '\n';
		buf[used] = '\0';
	}
	return buf;
}

/* How many lines of @text contain @needle; the last one goes to @line. */
static int lines_with(const char *text, const char *needle, char *line,
		      size_t len)
{
	const char *p = text, *nl;
	int n = 0;

	line[0] = '\0';
	while ((p = strstr(p, needle))) {
		while (p > text && p[-1] != '\n')
			p--;
		nl = strchr(p, '\n');
		snprintf(line, len, "%.*s", (int)(nl ? nl - p : (long)strlen(p)),
			 p);
		n++;
		p = nl ? nl + 1 : p + strlen(p);
	}
	return n;
}

/* How many kernel log records from @fd on contain @needle: see lines_with(). */
static int kmsg_grep(int fd, const char *needle, char *line, size_t len)
{
	return lines_with(kmsg_messages(fd), needle, line, len);
}

TEST_F_TIMEOUT(phys, register_block_by_address, 120)
{
	char opts[128];
	struct mmfdev *dev;
	uint32_t id = 0;
	size_t len;
	void *regs;

	ASSERT_EQ(0, module_remove());
	/* Nothing holds the BAR now: expose its first page by address. */
	snprintf(opts, sizeof(opts), "phys=edu:0x%llx:0x%lx", self->bar0,
		 sysconf(_SC_PAGESIZE));
	ASSERT_EQ(0, module_insert(opts));
	ASSERT_EQ(0, mmfdev_open_by_name("mmfdev-phys", 0, &dev));
	EXPECT_EQ(4, mmfdev_read(dev, 0, EDU_ID, &id, 4));
	EXPECT_EQ(EDU_ID_VALUE, id);
	ASSERT_EQ(0, mmfdev_map(dev, 0, 0, 0, MMFDEV_MAP_READ, &regs, &len));
	EXPECT_EQ(EDU_ID_VALUE, mmfdev_read32(regs));
	mmfdev_unmap(regs, len);
	mmfdev_close(dev);
}

TEST_F_TIMEOUT(phys, refused_over_ram_and_bad_syntax, 120)
{
	unsigned long long ram = 0;
	char opts[128];

	ASSERT_EQ(0, first_system_ram(&ram));
	ASSERT_EQ(0, module_remove());
	snprintf(opts, sizeof(opts), "phys=ram:0x%llx:0x%lx", ram,
		 sysconf(_SC_PAGESIZE));
	EXPECT_EQ(-EINVAL, module_insert(opts));
	EXPECT_EQ(-EINVAL, module_insert("phys=edu"));
	EXPECT_EQ(-EINVAL, module_insert("phys=edu:0x1000:0"));
	EXPECT_EQ(-EINVAL, module_insert("phys=edu:zz:0x1000"));
	/* Sharing never reaches RAM; "shared" is the only fourth field. */
	snprintf(opts, sizeof(opts), "phys=ram:0x%llx:0x%lx:shared", ram,
		 sysconf(_SC_PAGESIZE));
	EXPECT_EQ(-EINVAL, module_insert(opts));
	snprintf(opts, sizeof(opts), "phys=edu:0x%llx:0x%lx:share",
		 self->bar0, sysconf(_SC_PAGESIZE));
	EXPECT_EQ(-EINVAL, module_insert(opts));
	snprintf(opts, sizeof(opts), "phys=edu:0x%llx:0x%lx:shared:shared",
		 self->bar0, sysconf(_SC_PAGESIZE));
	EXPECT_EQ(-EINVAL, module_insert(opts));
	EXPECT_NE(0, access("/dev/mmfdev-phys", F_OK));
}

/*
 * ":shared" on a range nobody holds: mapped but never requested, so a
 * driver that comes later (here mmfdev's own PCI binding) still gets it.
 */
TEST_F_TIMEOUT(phys, shared_range_left_for_a_later_driver, 120)
{
	unsigned long long last = self->bar0 + sysconf(_SC_PAGESIZE) - 1;
	struct mmfdev_region_info info;
	char opts[128], want[160], line[1024], node[128];
	struct mmfdev *dev, *pci;
	int kmsg;
	size_t len;
	void *regs;

	ASSERT_EQ(0, module_remove());
	kmsg = kmsg_from_now();
	snprintf(opts, sizeof(opts), "phys=edu:0x%llx:0x%lx:shared",
		 self->bar0, sysconf(_SC_PAGESIZE));
	ASSERT_EQ(0, module_insert(opts));
	ASSERT_EQ(0, mmfdev_open_by_name("mmfdev-phys", 0, &dev));
	ASSERT_EQ(0, region_info(mmfdev_get_fd(dev), 0, &info));
	EXPECT_EQ(MMFDEV_REGION_FLAG_READ | MMFDEV_REGION_FLAG_WRITE |
		  MMFDEV_REGION_FLAG_MMAP | MMFDEV_REGION_FLAG_SIZED |
		  MMFDEV_REGION_FLAG_SHARED, info.flags);
	EXPECT_FALSE(iomem_mmfdev_holds(self->bar0, last));
	if (kmsg >= 0) {
		snprintf(want, sizeof(want),
			 "mmfdev: edu: sharing [mem 0x%08llx-0x%08llx] %s",
			 self->bar0, last, "(no driver holds it now)");
		EXPECT_EQ(1, kmsg_grep(kmsg, want, line, sizeof(line)))
			TH_LOG("no line '%s'", want);
		close(kmsg);
	}

	/* The PCI driver binds to edu and requests the BAR next to us. */
	snprintf(node, sizeof(node), "mmfdev-pci-%s", self->bdf);
	ASSERT_EQ(0, sysfs_write(PCI_DRIVER_DIR "/new_id", "1234 11e8"));
	ASSERT_EQ(0, mmfdev_open_by_name(node, 0, &pci));
	EXPECT_TRUE(iomem_mmfdev_holds(self->bar0, last));
	ASSERT_EQ(0, mmfdev_map(dev, 0, 0, 0, MMFDEV_MAP_READ, &regs, &len));
	EXPECT_EQ(EDU_ID_VALUE, mmfdev_read32(regs));
	mmfdev_unmap(regs, len);
	mmfdev_close(pci);
	mmfdev_close(dev);
}

/*
 * A register block the kernel really holds (a busy range in /proc/iomem),
 * with registers that are safe to read and whose values are known:
 *  - arm64: a PL011 (QEMU virt's, held by uart-pl011): its peripheral and
 *    PrimeCell IDs, the same on every PL011;
 *  - x86: PCI config space through MMCONFIG (held by the x86 PCI code, and
 *    on q35 also by the pnp "system" driver): the vendor and device IDs of
 *    0000:00:00.0, as sysfs has them.
 * Reads stay inside the block: QEMU aborts on the rest of a PL011's page.
 */
struct held_reg {
	unsigned int off;
	uint32_t value;
};

struct held_block {
	const char *name;		/* region name in phys= */
	const char *holder;		/* in its /proc/iomem entry */
	const char *owner;		/* in the log line; NULL: not named */
	unsigned int nr_regs;
	struct held_reg regs[5];
};

/* The block for this architecture, or NULL. */
static const struct held_block *held_block_here(void)
{
#if defined(__aarch64__)
	static const struct held_block pl011 = {
		"pl011", "pl011", "with its owner \"uart-pl011\"", 5,
		{ { 0xfe0, 0x11 }, { 0xff0, 0x0d }, { 0xff4, 0xf0 },
		  { 0xff8, 0x05 }, { 0xffc, 0xb1 } },
	};

	return &pl011;
#elif defined(__x86_64__) || defined(__i386__)
	/* "PCI MMCONFIG 0000 [bus 00-ff]" on 6.1, "PCI ECAM ..." on 6.12 */
	static const struct held_block ecam = {
		"ecam", " 0000 [bus 00-", NULL, 1, { { 0x0, 0 } },
	};

	return &ecam;
#else
	return NULL;
#endif
}

/* The start of the first /proc/iomem entry whose name contains @what. */
static int iomem_find(const char *what, unsigned long long *start)
{
	unsigned long long s, e;
	char line[256];
	int ret = -ENOENT, n;
	FILE *f;

	f = fopen("/proc/iomem", "re");
	if (!f)
		return -errno;
	while (ret && fgets(line, sizeof(line), f)) {
		n = 0;
		if (sscanf(line, " %llx-%llx : %n", &s, &e, &n) == 2 && n &&
		    strstr(line + n, what)) {
			*start = s;
			ret = 0;
		}
	}
	fclose(f);
	return ret;
}

/* A sysfs file holding one hex number. */
static int sysfs_hex(const char *path, unsigned int *value)
{
	FILE *f = fopen(path, "re");
	int ret;

	if (!f)
		return -errno;
	ret = fscanf(f, "%x", value) == 1 ? 0 : -EINVAL;
	fclose(f);
	return ret;
}

FIXTURE(held) {
	struct held_block b;
	unsigned long long addr;
	unsigned long page;
	char opts[128];
};

FIXTURE_SETUP(held)
{
	const char *why = module_cannot_reload();
	unsigned int vendor, device;

	self->page = sysconf(_SC_PAGESIZE);
	if (why)
		SKIP(return, "%s", why);
	if (!held_block_here())
		SKIP(return, "no register block known to be held on this arch");
	self->b = *held_block_here();
	if (iomem_find(self->b.holder, &self->addr))
		SKIP(return, "no '%s' in /proc/iomem", self->b.holder);
	if (self->addr % self->page)
		SKIP(return, "%s is not page-aligned", self->b.name);
	if (!strcmp(self->b.name, "ecam")) {
		/* Bus 0, device 0, function 0: the first 4 KiB. */
		ASSERT_EQ(0, sysfs_hex("/sys/bus/pci/devices/0000:00:00.0/vendor",
				       &vendor));
		ASSERT_EQ(0, sysfs_hex("/sys/bus/pci/devices/0000:00:00.0/device",
				       &device));
		self->b.regs[0].value = vendor | device << 16;
	}
	snprintf(self->opts, sizeof(self->opts), "phys=%s:0x%llx:0x%lx",
		 self->b.name, self->addr, self->page);
}

FIXTURE_TEARDOWN(held)
{
	module_reload_default();
}

/* Without the opt-in nothing changes: EBUSY, and nothing is created. */
TEST_F_TIMEOUT(held, refused_without_shared, 120)
{
	ASSERT_EQ(0, module_remove());
	EXPECT_EQ(-EBUSY, module_insert(self->opts));
	EXPECT_NE(0, access("/dev/mmfdev-phys", F_OK));
	EXPECT_NE(0, access("/dev/mmfdev", F_OK));
	EXPECT_FALSE(iomem_mmfdev_holds(self->addr,
					self->addr + self->page - 1));
}

/* With it: mapped next to its owner, and reads see the device. */
TEST_F_TIMEOUT(held, shared_with_its_owner, 120)
{
	const struct held_block *b = &self->b;
	unsigned long long last = self->addr + self->page - 1, held = 0;
	char opts[160], want[160], line[1024];
	struct mmfdev_region_info info;
	struct mmfdev *dev;
	unsigned int i;
	uint8_t *regs;
	uint32_t v;
	size_t len;
	int kmsg;

	ASSERT_EQ(0, module_remove());
	kmsg = kmsg_from_now();
	snprintf(opts, sizeof(opts), "%s:shared", self->opts);
	ASSERT_EQ(0, module_insert(opts));
	ASSERT_EQ(0, mmfdev_open_by_name("mmfdev-phys", 0, &dev));
	ASSERT_EQ(0, region_info(mmfdev_get_fd(dev), 0, &info));
	EXPECT_STREQ(b->name, info.name);
	EXPECT_EQ(MMFDEV_REGION_KIND_MMIO, info.kind);
	EXPECT_EQ(self->page, info.size);
	EXPECT_EQ(MMFDEV_REGION_FLAG_READ | MMFDEV_REGION_FLAG_WRITE |
		  MMFDEV_REGION_FLAG_MMAP | MMFDEV_REGION_FLAG_SIZED |
		  MMFDEV_REGION_FLAG_SHARED, info.flags);

	ASSERT_EQ(0, mmfdev_map(dev, 0, 0, 0, MMFDEV_MAP_READ, (void **)&regs,
				&len));
	EXPECT_EQ(self->page, len);
	for (i = 0; i < b->nr_regs; i++) {
		const struct held_reg *r = &b->regs[i];

		v = mmfdev_read32(regs + r->off);
		EXPECT_EQ(r->value, v)
			TH_LOG("%s 0x%x reads 0x%08x", b->name, r->off, v);
		v = 0;
		EXPECT_EQ(4, mmfdev_read(dev, 0, r->off, &v, 4));
		EXPECT_EQ(r->value, v);
	}
	mmfdev_unmap(regs, len);
	mmfdev_close(dev);

	/* Its owner still holds it; mmfdev requested nothing. */
	EXPECT_EQ(0, iomem_find(b->holder, &held));
	EXPECT_EQ(self->addr, held);
	EXPECT_FALSE(iomem_mmfdev_holds(self->addr, last));

	/* One line in the log, naming the range and, if it can, the owner. */
	if (kmsg < 0)
		return;
	snprintf(want, sizeof(want),
		 "mmfdev: %s: sharing [mem 0x%08llx-0x%08llx] with its owner",
		 b->name, self->addr, last);
	EXPECT_EQ(1, kmsg_grep(kmsg, want, line, sizeof(line)))
		TH_LOG("no line '%s'", want);
	if (b->owner)
		EXPECT_TRUE(strstr(line, b->owner) != NULL) TH_LOG("%s", line);
	close(kmsg);
}

/*
 * A device-tree device: the node MMFDEV_DT_NODE names, with a register
 * window "gpio" on a PL061 and a reserved-memory region "buffer".
 */
#define PL061_PERIPH_ID0	0xfe0
#define PL061_PCELL_ID0		0xff0

FIXTURE(dt) {
	struct mmfdev *dev;
	long page;
};

FIXTURE_SETUP(dt)
{
	const char *name = getenv("MMFDEV_DT_NODE");
	int ret;

	self->page = sysconf(_SC_PAGESIZE);
	self->dev = NULL;
	if (!name || !*name)
		SKIP(return, "MMFDEV_DT_NODE is not set");
	ret = mmfdev_open_by_name(name, 0, &self->dev);
	if (ret == -ENOENT)
		SKIP(return, "/dev/%s does not exist", name);
	ASSERT_EQ(0, ret);
}

FIXTURE_TEARDOWN(dt)
{
	mmfdev_close(self->dev);
}

TEST_F(dt, regions_from_the_node)
{
	struct mmfdev_region *gpio, *buf;

	ASSERT_EQ(2, mmfdev_get_num_regions(self->dev));
	ASSERT_EQ(0, mmfdev_region_find(self->dev, "gpio", &gpio));
	EXPECT_EQ(0, mmfdev_region_get_index(gpio));
	EXPECT_EQ(MMFDEV_REGION_MMIO, mmfdev_region_get_kind(gpio));
	EXPECT_EQ(0x1000, mmfdev_region_get_size(gpio));
	EXPECT_EQ(MMFDEV_CACHE_UC, mmfdev_region_get_cache_default(gpio));

	ASSERT_EQ(0, mmfdev_region_find(self->dev, "buffer", &buf));
	EXPECT_EQ(1, mmfdev_region_get_index(buf));
	EXPECT_EQ(MMFDEV_REGION_RESERVED, mmfdev_region_get_kind(buf));
	EXPECT_EQ(2 << 20, mmfdev_region_get_size(buf));
	EXPECT_EQ(MMFDEV_CACHE_WB, mmfdev_region_get_cache_default(buf));
	EXPECT_EQ(MMFDEV_CACHE_BIT(MMFDEV_CACHE_WB) |
		  MMFDEV_CACHE_BIT(MMFDEV_CACHE_WC) |
		  MMFDEV_CACHE_BIT(MMFDEV_CACHE_UC),
		  mmfdev_region_get_cache_modes(buf));
	EXPECT_EQ(MMFDEV_REGION_READ | MMFDEV_REGION_WRITE | MMFDEV_REGION_MMAP,
		  mmfdev_region_get_flags(buf));
	EXPECT_EQ(-ENOENT, mmfdev_region_find(self->dev, "nope", &buf));
	mmfdev_region_free(gpio);
	mmfdev_region_free(buf);
}

/* The PL061's identification registers, as its documentation gives them. */
TEST_F(dt, register_window)
{
	uint32_t id = 0;
	size_t len;
	void *regs;
	int ret;

	EXPECT_EQ(4, mmfdev_read(self->dev, 0, PL061_PERIPH_ID0, &id, 4));
	EXPECT_EQ(0x61, id);
	EXPECT_EQ(4, mmfdev_read(self->dev, 0, PL061_PCELL_ID0, &id, 4));
	EXPECT_EQ(0x0d, id);

	/* 4 KiB is a page here, or less than one: then it is never mapped. */
	ret = mmfdev_map(self->dev, 0, 0, 0, MMFDEV_MAP_READ, &regs, &len);
	if (self->page > 0x1000) {
		EXPECT_EQ(-ENODEV, ret);
		return;
	}
	ASSERT_EQ(0, ret);
	EXPECT_EQ(0x61, mmfdev_read32((uint8_t *)regs + PL061_PERIPH_ID0));
	EXPECT_EQ(0xb1, mmfdev_read32((uint8_t *)regs + PL061_PCELL_ID0 + 12));
	mmfdev_unmap(regs, len);
}

TEST_F(dt, reserved_memory)
{
	unsigned char back[256];
	unsigned char *mem;
	size_t len, i;

	ASSERT_EQ(0, mmfdev_map(self->dev, 1, 0, 0,
				MMFDEV_MAP_READ | MMFDEV_MAP_WRITE,
				(void **)&mem, &len));
	EXPECT_EQ(2 << 20, len);
	EXPECT_EQ(MMFDEV_CACHE_WB, mmfdev_mapping_cache_mode(self->dev, mem));

	/* RAM-like: plain memset/memcpy are fine on a write-back mapping. */
	memset(mem, 0, len);
	for (i = 0; i < sizeof(back); i++)
		mem[len - sizeof(back) + i] = (unsigned char)(i ^ 0x3c);
	EXPECT_EQ(0, mmfdev_sync(mem, len));
	ASSERT_EQ((ssize_t)sizeof(back),
		  mmfdev_read(self->dev, 1, len - sizeof(back), back,
			      sizeof(back)));
	EXPECT_EQ(0, memcmp(back, mem + len - sizeof(back), sizeof(back)));
	mmfdev_unmap(mem, len);

	/* Any page of it, in any mode it allows. */
	ASSERT_EQ(0, mmfdev_map(self->dev, 1, self->page, self->page,
				MMFDEV_MAP_READ | MMFDEV_MAP_UC,
				(void **)&mem, &len));
	EXPECT_EQ(MMFDEV_CACHE_UC, mmfdev_mapping_cache_mode(self->dev, mem));
	mmfdev_unmap(mem, len);
}

/* The PL061's interrupt registers. */
#define PL061_DIR		0x400
#define PL061_IS		0x404
#define PL061_IBE		0x408
#define PL061_IEV		0x40c
#define PL061_IE		0x410
#define PL061_IC		0x41c

static int pl061_write(struct mmfdev *dev, unsigned int off, uint32_t v)
{
	return mmfdev_write(dev, 0, off, &v, 4) == 4 ? 0 : -1;
}

/*
 * The node's interrupt, a level one: programme the PL061 so that input 0
 * being low is an interrupt, and it fires.  The kernel masks it; with the
 * source off, unmasking brings no storm.  100 rounds, half of them with
 * nobody waiting when it fires: every one is counted.
 */
TEST_F_TIMEOUT(dt, level_interrupt, 300)
{
	uint64_t pending, count, new, start;
	struct mmfdev_event *ev;
	int line, i;

	line = event_of_kind(self->dev, MMFDEV_EVENT_IRQ);
	ASSERT_EQ(0, line);
	ASSERT_EQ(0, mmfdev_event_get(self->dev, line, &ev));
	EXPECT_STREQ("irq0", mmfdev_event_get_name(ev));
	EXPECT_EQ(MMFDEV_EVENT_LEVEL, mmfdev_event_get_trigger(ev));
	EXPECT_EQ(MMFDEV_EVENT_NEEDS_UNMASK, mmfdev_event_get_flags(ev));
	mmfdev_event_free(ev);
	ASSERT_EQ(0, mmfdev_event_read(self->dev, line, &start, NULL, NULL));

	ASSERT_EQ(0, pl061_write(self->dev, PL061_DIR, 0));
	ASSERT_EQ(0, pl061_write(self->dev, PL061_IS, 1));
	ASSERT_EQ(0, pl061_write(self->dev, PL061_IBE, 0));
	ASSERT_EQ(0, pl061_write(self->dev, PL061_IEV, 0));
	for (i = 0; i < 100; i++) {
		ASSERT_EQ(0, pl061_write(self->dev, PL061_IE, 1));
		if (i % 2) {
			ASSERT_EQ(0, mmfdev_event_wait(self->dev,
						       MMFDEV_EVENT_BIT(line),
						       5000000000LL, &pending))
				TH_LOG("round %d", i);
		} else {
			usleep(10000);
		}
		ASSERT_EQ(0, mmfdev_event_read(self->dev, line, NULL, &new,
					       NULL));
		ASSERT_EQ(1, new) TH_LOG("round %d", i);
		/* The source off, then the line on again: quiet. */
		ASSERT_EQ(0, pl061_write(self->dev, PL061_IE, 0));
		ASSERT_EQ(0, pl061_write(self->dev, PL061_IC, 1));
		ASSERT_EQ(0, mmfdev_event_unmask(self->dev, line));
	}
	EXPECT_EQ(-ETIMEDOUT, mmfdev_event_wait(self->dev,
						MMFDEV_EVENT_BIT(line),
						100000000, &pending));
	ASSERT_EQ(0, mmfdev_event_read(self->dev, line, &count, NULL, NULL));
	EXPECT_EQ(100, count - start);
}

/*
 * The "reg" windows of the device-tree node behind /dev/@node (named
 * mmfdev-<platform device>), from its of_node in sysfs, for a parent with
 * two address and two size cells, as at the root of QEMU's virt tree.
 * Returns how many, at most @max, or -errno.
 */
static int dt_windows(const char *node, unsigned long long *start,
		      unsigned long long *size, int max)
{
	unsigned char reg[16 * 16];
	char path[256];
	ssize_t len;
	int fd, i, j;

	snprintf(path, sizeof(path), "/sys/bus/platform/devices/%s/of_node/reg",
		 node + strlen("mmfdev-"));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	len = read(fd, reg, sizeof(reg));
	close(fd);
	if (len < 0 || len % 16)
		return -EINVAL;
	for (i = 0; i < len / 16 && i < max; i++) {
		start[i] = size[i] = 0;
		for (j = 0; j < 8; j++) {
			start[i] = start[i] << 8 | reg[16 * i + j];
			size[i] = size[i] << 8 | reg[16 * i + 8 + j];
		}
	}
	return i;
}

/* Unbind /dev/@node's platform device from mmfdev and bind it again. */
static int dt_reprobe(const char *node)
{
	const char *pdev = node + strlen("mmfdev-");
	int ret;

	ret = sysfs_write(PLATFORM_DRIVER_DIR "/unbind", pdev);
	if (!ret)
		ret = sysfs_write(PLATFORM_DRIVER_DIR "/bind", pdev);
	return ret;
}

/*
 * Reprobe /dev/@node and check its log: for each of its @n windows, one
 * line "<device>: <name>: sharing [mem <window>] <how>".  Returns how
 * many windows do not have exactly one, or -1 if the log is not readable.
 */
static int dt_reprobe_log(const char *node, const char *const *names,
			  const unsigned long long *start,
			  const unsigned long long *size, int n, const char *how)
{
	char want[256], line[1024];
	const char *log;
	int kmsg, bad = 0, i, found;

	kmsg = kmsg_from_now();
	if (kmsg < 0)
		return -1;
	if (dt_reprobe(node)) {
		close(kmsg);
		return n;
	}
	log = kmsg_messages(kmsg);
	close(kmsg);
	for (i = 0; i < n; i++) {
		snprintf(want, sizeof(want),
			 "%s: %s: sharing [mem 0x%08llx-0x%08llx] %s",
			 node + strlen("mmfdev-"), names[i], start[i],
			 start[i] + size[i] - 1, how);
		found = lines_with(log, want, line, sizeof(line));
		if (found != 1) {
			fprintf(stderr, "# %d lines '%s'\n", found, want);
			bad++;
		}
	}
	return bad;
}

/*
 * A device-tree node that shares a 16 KiB window ("uart") with the PL011
 * that uart-pl011 holds: MMFDEV_DT_SHARED_NODE.  16 KiB is a whole number
 * of pages on 4 KiB and 16 KiB kernels; only the ID registers are read.
 */
#define PL011_PERIPH_ID0	0xfe0
#define PL011_PCELL_ID0		0xff0

FIXTURE(dt_shared) {
	struct mmfdev *dev;
	const char *node;
	unsigned long long start, size;
};

FIXTURE_SETUP(dt_shared)
{
	self->dev = NULL;
	self->node = getenv("MMFDEV_DT_SHARED_NODE");
	if (!self->node || !*self->node)
		SKIP(return, "MMFDEV_DT_SHARED_NODE is not set");
	/* The tree has the node: if it did not probe, that is a failure. */
	ASSERT_EQ(0, mmfdev_open_by_name(self->node, 0, &self->dev));
	ASSERT_EQ(1, dt_windows(self->node, &self->start, &self->size, 1));
}

FIXTURE_TEARDOWN(dt_shared)
{
	mmfdev_close(self->dev);
}

TEST_F(dt_shared, reads_its_owners_registers)
{
	static const uint32_t pcell[] = { 0x0d, 0xf0, 0x05, 0xb1 };
	struct mmfdev_region_info info;
	uint32_t id = 0;
	uint8_t *regs;
	size_t len;
	int i;

	ASSERT_EQ(1, mmfdev_get_num_regions(self->dev));
	ASSERT_EQ(0, region_info(mmfdev_get_fd(self->dev), 0, &info));
	EXPECT_STREQ("uart", info.name);
	EXPECT_EQ(MMFDEV_REGION_KIND_MMIO, info.kind);
	EXPECT_EQ(16 << 10, info.size);
	EXPECT_EQ(self->size, info.size);
	EXPECT_EQ(MMFDEV_REGION_FLAG_READ | MMFDEV_REGION_FLAG_WRITE |
		  MMFDEV_REGION_FLAG_MMAP | MMFDEV_REGION_FLAG_SIZED |
		  MMFDEV_REGION_FLAG_SHARED, info.flags);

	EXPECT_EQ(4, mmfdev_read(self->dev, 0, PL011_PERIPH_ID0, &id, 4));
	EXPECT_EQ(0x11, id);
	ASSERT_EQ(0, mmfdev_map(self->dev, 0, 0, 0, MMFDEV_MAP_READ,
				(void **)&regs, &len));
	EXPECT_EQ(16 << 10, len);
	EXPECT_EQ(0x11, mmfdev_read32(regs + PL011_PERIPH_ID0));
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(pcell[i], mmfdev_read32(regs + PL011_PCELL_ID0 + 4 * i));
		EXPECT_EQ(4, mmfdev_read(self->dev, 0, PL011_PCELL_ID0 + 4 * i,
					 &id, 4));
		EXPECT_EQ(pcell[i], id);
	}
	mmfdev_unmap(regs, len);

	/* uart-pl011 still holds it; mmfdev requested nothing. */
	if (geteuid())
		return;
	EXPECT_TRUE(iomem_has(self->start, "pl011"));
	EXPECT_FALSE(iomem_mmfdev_holds(self->start,
					self->start + self->size - 1));
}

/* Each probe logs one line that names the range and uart-pl011. */
TEST_F_TIMEOUT(dt_shared, one_log_line_naming_the_owner, 60)
{
	const char *const names[] = { "uart" };
	int bad;

	if (geteuid())
		SKIP(return, "needs root to reprobe");
	mmfdev_close(self->dev);
	self->dev = NULL;
	bad = dt_reprobe_log(self->node, names, &self->start, &self->size, 1,
			     "with its owner \"uart-pl011\"");
	if (bad < 0)
		SKIP(return, "cannot read /dev/kmsg");
	EXPECT_EQ(0, bad);
	EXPECT_EQ(0, mmfdev_open_by_name(self->node, 0, &self->dev));
}

/*
 * A node shaped like the Raspberry Pi 5's GPIO block (RP1's io, rio and
 * pads windows: 0xc000 bytes each, 0x10000 apart, "mmfdev,shared"), on
 * RAM that no-map keeps from everyone else, so that it can be written:
 * MMFDEV_DT_GPIO_NODE.
 */
#define GPIO_WINDOW_SIZE	0xc000

FIXTURE(dt_gpio) {
	struct mmfdev *dev;
	const char *node;
	unsigned long page;
	unsigned long long start[3], size[3];
};

FIXTURE_SETUP(dt_gpio)
{
	self->dev = NULL;
	self->page = sysconf(_SC_PAGESIZE);
	self->node = getenv("MMFDEV_DT_GPIO_NODE");
	if (!self->node || !*self->node)
		SKIP(return, "MMFDEV_DT_GPIO_NODE is not set");
	ASSERT_EQ(0, mmfdev_open_by_name(self->node, 0, &self->dev));
	ASSERT_EQ(3, dt_windows(self->node, self->start, self->size, 3));
}

FIXTURE_TEARDOWN(dt_gpio)
{
	mmfdev_close(self->dev);
}

static const char *const gpio_names[] = { "io", "rio", "pads" };

TEST_F(dt_gpio, three_shared_windows)
{
	struct mmfdev_region_info info;
	unsigned int i;

	ASSERT_EQ(3, mmfdev_get_num_regions(self->dev));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, region_info(mmfdev_get_fd(self->dev), i, &info));
		EXPECT_STREQ(gpio_names[i], info.name);
		EXPECT_EQ(MMFDEV_REGION_KIND_MMIO, info.kind);
		EXPECT_EQ(GPIO_WINDOW_SIZE, info.size);
		EXPECT_EQ(MMFDEV_REGION_FLAG_READ | MMFDEV_REGION_FLAG_WRITE |
			  MMFDEV_REGION_FLAG_MMAP | MMFDEV_REGION_FLAG_SIZED |
			  MMFDEV_REGION_FLAG_SHARED, info.flags);
		EXPECT_EQ(MMFDEV_CACHE_UC, info.cache_default);
		EXPECT_EQ(self->start[0] + i * 0x10000, self->start[i]);
		EXPECT_EQ(0, self->start[i] % (16 << 10));
	}
}

/* Written through one mapping: pread and a second mapping see it. */
TEST_F(dt_gpio, written_through_a_mapping_read_back)
{
	uint32_t v, want, offs[4];
	uint8_t *map[3], *page1;
	unsigned int i, k;
	size_t len;

	offs[0] = 0;
	offs[1] = 4;
	offs[2] = self->page + 8;
	offs[3] = GPIO_WINDOW_SIZE - 4;
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, mmfdev_map(self->dev, i, 0, 0,
					MMFDEV_MAP_READ | MMFDEV_MAP_WRITE,
					(void **)&map[i], &len));
		ASSERT_EQ(GPIO_WINDOW_SIZE, len);
		for (k = 0; k < 4; k++)
			mmfdev_write32(map[i] + offs[k], 0x6f700000 | i << 8 | k);
	}
	EXPECT_EQ(0, mmfdev_sync(map[0], GPIO_WINDOW_SIZE));

	for (i = 0; i < 3; i++) {
		/* The windows do not alias each other. */
		for (k = 0; k < 4; k++) {
			want = 0x6f700000 | i << 8 | k;
			EXPECT_EQ(want, mmfdev_read32(map[i] + offs[k]));
			v = 0;
			EXPECT_EQ(4, mmfdev_read(self->dev, i, offs[k], &v, 4));
			EXPECT_EQ(want, v);
		}
		/* A second mapping, of the second page only. */
		ASSERT_EQ(0, mmfdev_map(self->dev, i, self->page, self->page,
					MMFDEV_MAP_READ, (void **)&page1,
					&len));
		EXPECT_EQ(0x6f700002 | i << 8, mmfdev_read32(page1 + 8));
		/* And the other way: pwrite, then the mappings. */
		v = 0x5eed0000 | i;
		EXPECT_EQ(4, mmfdev_write(self->dev, i, self->page + 12, &v,
					  4));
		EXPECT_EQ(v, mmfdev_read32(page1 + 12));
		EXPECT_EQ(v, mmfdev_read32(map[i] + self->page + 12));
		mmfdev_unmap(page1, len);
		mmfdev_unmap(map[i], GPIO_WINDOW_SIZE);
	}
}

/* Never requested; each probe logs one line per window, held by nobody. */
TEST_F_TIMEOUT(dt_gpio, not_requested_one_log_line_each, 60)
{
	unsigned int i;
	int bad;

	if (geteuid())
		SKIP(return, "needs root to read /proc/iomem and reprobe");
	for (i = 0; i < 3; i++)
		EXPECT_FALSE(iomem_mmfdev_holds(self->start[i],
						self->start[i] +
						self->size[i] - 1));
	mmfdev_close(self->dev);
	self->dev = NULL;
	bad = dt_reprobe_log(self->node, gpio_names, self->start, self->size,
			     3, "(no driver holds it now)");
	if (bad < 0)
		SKIP(return, "cannot read /dev/kmsg");
	EXPECT_EQ(0, bad);
	EXPECT_EQ(0, mmfdev_open_by_name(self->node, 0, &self->dev));
}

int main(int argc, char **argv)
{
	if (access("/dev/mmfdev", F_OK)) {
		ksft_print_header();
		ksft_exit_skip("/dev/mmfdev does not exist: is the mmfdev module loaded?\n");
	}
	return test_harness_run(argc, argv);
}
