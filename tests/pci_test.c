// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmfdev kselftest for PCI BARs: QEMU's edu, ivshmem-plain and
 * pci-testdev devices, their registers, mappings and interrupts (MSI and
 * INTx), and unbinding under users.  Each fixture skips when its device
 * is absent, so on a board only what is there runs.
 *
 * The PCI devices must be bound to mmfdev (pci_ids=1234:11e8,1af4:1110,
 * 1b36:0005).  MMFDEV_IVSHMEM_TOKEN is the string the host put at the
 * start of the ivshmem file; the test writes "MMFDEV-GUEST:<token>" at
 * 64 KiB for the host to check.
 */
#define _GNU_SOURCE
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

int main(int argc, char **argv)
{
	if (access("/dev/mmfdev", F_OK)) {
		ksft_print_header();
		ksft_exit_skip("/dev/mmfdev does not exist: is the mmfdev module loaded?\n");
	}
	return test_harness_run(argc, argv);
}
