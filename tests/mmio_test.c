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
 * (e.g. mmfdev-9030000.mmfdev) built as scripts/lane.sh does.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/mmfdev.h>

#include "kselftest_harness.h"
#include "mmfdev.h"
#include "common.h"

#define EDU_ID			0x00
#define EDU_LIVENESS		0x04
#define EDU_FACTORIAL		0x08
#define EDU_STATUS		0x20
#define EDU_STATUS_COMPUTING	0x01
/* edu's identification register: major 1, minor 0, then 0xed. */
#define EDU_ID_VALUE		0x010000edU

#define PCI_DRIVER_DIR		"/sys/bus/pci/drivers/mmfdev"
#define IVSHMEM_GUEST_AT	(64 << 10)

/* Find PCI device @vendor:@device; its address goes to @bdf. */
static int find_pci(unsigned int vendor, unsigned int device, char *bdf,
		    size_t len)
{
	struct dirent *de;
	int ret = -ENOENT;
	DIR *d;

	d = opendir("/sys/bus/pci/devices");
	if (!d)
		return -ENOENT;
	while (ret && (de = readdir(d))) {
		unsigned int v = 0, dv = 0;
		char path[300];
		FILE *f;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor",
			 de->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		if (fscanf(f, "%x", &v) != 1)
			v = 0;
		fclose(f);
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/device",
			 de->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		if (fscanf(f, "%x", &dv) != 1)
			dv = 0;
		fclose(f);
		if (v == vendor && dv == device) {
			snprintf(bdf, len, "%.*s", (int)len - 1, de->d_name);
			ret = 0;
		}
	}
	closedir(d);
	return ret;
}

/* Physical start of BAR @bar of @bdf, from sysfs. */
static int pci_bar_start(const char *bdf, int bar, unsigned long long *start)
{
	unsigned long long s, e, fl;
	char path[300];
	int i, ret = -ENOENT;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource", bdf);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	for (i = 0; i <= bar; i++) {
		if (fscanf(f, "%llx %llx %llx", &s, &e, &fl) != 3)
			break;
		if (i == bar) {
			*start = s;
			ret = 0;
		}
	}
	fclose(f);
	return ret;
}

static int sysfs_write(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, value, strlen(value));
	close(fd);
	return n < 0 ? -errno : 0;
}

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

static void edu_reader(const char *node)
{
	struct sigaction sa = { .sa_handler = on_sigbus_exit };
	struct mmfdev *dev;
	void *regs;
	size_t len;

	sigaction(SIGBUS, &sa, NULL);
	if (mmfdev_open(node, MMFDEV_OPEN_RDONLY, &dev) ||
	    mmfdev_map(dev, 0, 0, 0, MMFDEV_MAP_READ, &regs, &len))
		_exit(2);
	for (;;)
		if (mmfdev_read32(regs) != EDU_ID_VALUE)
			_exit(1);
}

/* Unbind while other processes are faulting and reading: all get SIGBUS. */
TEST_F_TIMEOUT(edu, unbind_while_readers_fault, 120)
{
	struct timespec ts = { 0, 200 * 1000 * 1000 };
	pid_t readers[3];
	char node[128];
	int i, status;

	if (geteuid())
		SKIP(return, "needs root to unbind");
	snprintf(node, sizeof(node), "/dev/mmfdev-pci-%s", self->bdf);
	for (i = 0; i < 3; i++) {
		readers[i] = fork();
		ASSERT_LE(0, readers[i]);
		if (readers[i] == 0)
			edu_reader(node);
	}
	nanosleep(&ts, NULL);
	ASSERT_EQ(0, sysfs_write(PCI_DRIVER_DIR "/unbind", self->bdf));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(readers[i], waitpid(readers[i], &status, 0));
		EXPECT_TRUE(WIFEXITED(status));
		EXPECT_EQ(42, WEXITSTATUS(status));
	}
	ASSERT_EQ(0, sysfs_write(PCI_DRIVER_DIR "/bind", self->bdf));
	EXPECT_EQ(0, access(node, F_OK));
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
	module_remove();
	module_insert(module_default_options());
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
	EXPECT_NE(0, access("/dev/mmfdev-phys", F_OK));
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

int main(int argc, char **argv)
{
	if (access("/dev/mmfdev", F_OK)) {
		ksft_print_header();
		ksft_exit_skip("/dev/mmfdev does not exist: is the mmfdev module loaded?\n");
	}
	return test_harness_run(argc, argv);
}
