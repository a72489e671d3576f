// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmfdev kselftest: checks what a user of /dev/mmfdev observes (bytes,
 * errnos, signals) against the loaded module.
 *
 *   mmfdev_test [harness options]
 *
 * MMFDEV_NODE names another node than /dev/mmfdev.  The module tests
 * (rmmod refused while mapped, reload, the size parameter) need root and
 * reload the module from MMFDEV_MODULE (a .ko path) or, without it, from
 * the installed modules through libkmod.  Exits 4 (skip) when the node
 * does not exist.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/mmfdev.h>

#include "kselftest_harness.h"
#include "mmfdev.h"
#include "common.h"

static const char *node = MMFDEV_DEFAULT_PATH;

/* The ABI is the same on every arch: these numbers must never change. */
_Static_assert(sizeof(struct mmfdev_device_info) == 80, "device_info size");
_Static_assert(offsetof(struct mmfdev_device_info, dma_mask) == 56,
	       "device_info.dma_mask");
_Static_assert(offsetof(struct mmfdev_device_info, page_size) == 16,
	       "device_info.page_size");
_Static_assert(offsetof(struct mmfdev_device_info, name) == 24,
	       "device_info.name");
_Static_assert(sizeof(struct mmfdev_region_info) == 104, "region_info size");
_Static_assert(offsetof(struct mmfdev_region_info, cache_offset) == 72,
	       "region_info.cache_offset");
_Static_assert(sizeof(struct mmfdev_mapping_info) == 48, "mapping_info size");
_Static_assert(offsetof(struct mmfdev_mapping_info, index) == 40,
	       "mapping_info.index");
_Static_assert(offsetof(struct mmfdev_region_info, size) == 16,
	       "region_info.size");
_Static_assert(offsetof(struct mmfdev_region_info, offset) == 24,
	       "region_info.offset");
_Static_assert(offsetof(struct mmfdev_region_info, cache_modes) == 32,
	       "region_info.cache_modes");
_Static_assert(offsetof(struct mmfdev_region_info, name) == 40,
	       "region_info.name");

/* Fill @buf with bytes that depend on @seed and the position. */
static void fill_pattern(unsigned char *buf, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (unsigned char)((i * 31 + seed * 7 + (i >> 8)) ^ seed);
}

static int check_pattern(const unsigned char *buf, size_t len,
			 unsigned int seed)
{
	unsigned char *want = malloc(len);
	int ret;

	if (!want)
		return -1;
	fill_pattern(want, len, seed);
	ret = memcmp(buf, want, len);
	free(want);
	return ret;
}

/* Length of the mapping that starts at @addr, from /proc/self/maps. */
static long vma_length(void *addr)
{
	unsigned long start, end;
	char line[512];
	long ret = -1;
	FILE *f;

	f = fopen("/proc/self/maps", "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx", &start, &end) == 2 &&
		    start == (unsigned long)addr) {
			ret = (long)(end - start);
			break;
		}
	}
	fclose(f);
	return ret;
}

/* Does the VmFlags line of the mapping at @addr contain @flag? */
static int vma_has_flag(void *addr, const char *flag)
{
	unsigned long start, end;
	char line[512];
	int in = 0, ret = -1;
	FILE *f;

	f = fopen("/proc/self/smaps", "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2) {
			in = start == (unsigned long)addr;
			continue;
		}
		if (in && !strncmp(line, "VmFlags:", 8)) {
			char want[8];

			snprintf(want, sizeof(want), " %s", flag);
			ret = strstr(line, want) != NULL;
			break;
		}
	}
	fclose(f);
	return ret;
}

/* The same layout on every lane, checked where it runs too. */
TEST(abi_layout)
{
	EXPECT_EQ(80, sizeof(struct mmfdev_device_info));
	EXPECT_EQ(56, offsetof(struct mmfdev_device_info, dma_mask));
	EXPECT_EQ(104, sizeof(struct mmfdev_region_info));
	EXPECT_EQ(72, offsetof(struct mmfdev_region_info, cache_offset));
	EXPECT_EQ(48, sizeof(struct mmfdev_mapping_info));
	EXPECT_EQ(8, offsetof(struct mmfdev_mapping_info, addr));
	EXPECT_EQ(44, offsetof(struct mmfdev_mapping_info, cache_mode));
	EXPECT_EQ(8, offsetof(struct mmfdev_region_info, flags));
	EXPECT_EQ(16, offsetof(struct mmfdev_region_info, size));
	EXPECT_EQ(24, offsetof(struct mmfdev_region_info, offset));
	EXPECT_EQ(40, offsetof(struct mmfdev_region_info, name));
	EXPECT_EQ(32, offsetof(struct mmfdev_region_info, cache_modes));
	EXPECT_EQ(24, offsetof(struct mmfdev_device_info, name));
}

FIXTURE(dev) {
	int fd;
	size_t page;
	struct mmfdev_region_info ram;
};

FIXTURE_SETUP(dev)
{
	self->page = sysconf(_SC_PAGESIZE);
	self->fd = open(node, O_RDWR | O_CLOEXEC);
	if (self->fd < 0 && errno == ENOENT)
		SKIP(return, "%s does not exist", node);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", node, strerror(errno));
	ASSERT_EQ(0, region_info(self->fd, 0, &self->ram));
}

FIXTURE_TEARDOWN(dev)
{
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F(dev, device_info)
{
	struct mmfdev_device_info info = { .argsz = sizeof(info) };

	ASSERT_EQ(0, ioctl(self->fd, MMFDEV_IOC_DEVICE_INFO, &info));
	EXPECT_EQ(sizeof(info), info.argsz);
	EXPECT_EQ(MMFDEV_API_VERSION, info.api_version);
	EXPECT_LE(1, info.num_regions);
	EXPECT_EQ(self->page, info.page_size);
	EXPECT_STREQ("mmfdev", info.name);
	EXPECT_EQ(0, info.flags);
}

TEST_F(dev, region_info)
{
	struct mmfdev_region_info *ram = &self->ram;

	EXPECT_EQ(sizeof(*ram), ram->argsz);
	EXPECT_EQ(0, ram->index);
	EXPECT_EQ(MMFDEV_REGION_KIND_RAM, ram->kind);
	EXPECT_EQ(MMFDEV_REGION_FLAG_READ | MMFDEV_REGION_FLAG_WRITE |
		  MMFDEV_REGION_FLAG_MMAP, ram->flags);
	EXPECT_STREQ("ram", ram->name);
	EXPECT_LT(0, ram->size);
	EXPECT_EQ(0, ram->size % self->page);
	EXPECT_EQ(0, ram->offset % self->page);
	EXPECT_GT(1ULL << 44, ram->offset + ram->size);
	EXPECT_EQ(MMFDEV_CACHE_BIT(MMFDEV_CACHE_WB), ram->cache_modes);
	EXPECT_EQ(MMFDEV_CACHE_WB, ram->cache_default);
	EXPECT_EQ(MMFDEV_OFFSET_INVALID, ram->cache_offset[0]);
	EXPECT_EQ(MMFDEV_OFFSET_INVALID, ram->cache_offset[MMFDEV_CACHE_UC]);
	EXPECT_EQ(MMFDEV_OFFSET_INVALID, ram->cache_offset[MMFDEV_CACHE_WC]);
	EXPECT_NE(MMFDEV_OFFSET_INVALID, ram->cache_offset[MMFDEV_CACHE_WB]);
}

TEST_F(dev, region_info_bad_index)
{
	struct mmfdev_device_info dinfo = { .argsz = sizeof(dinfo) };
	struct mmfdev_region_info info;

	ASSERT_EQ(0, ioctl(self->fd, MMFDEV_IOC_DEVICE_INFO, &dinfo));
	EXPECT_EQ(-1, region_info(self->fd, dinfo.num_regions, &info));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, region_info(self->fd, UINT32_MAX, &info));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(dev, ioctl_short_argsz)
{
	struct mmfdev_device_info dinfo;
	struct mmfdev_region_info rinfo;
	uint32_t sizes[] = { 0, 1, 4, 8, 23 };
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		memset(&dinfo, 0, sizeof(dinfo));
		dinfo.argsz = sizes[i];
		EXPECT_EQ(-1, ioctl(self->fd, MMFDEV_IOC_DEVICE_INFO, &dinfo));
		EXPECT_EQ(EINVAL, errno);
		memset(&rinfo, 0, sizeof(rinfo));
		rinfo.argsz = sizes[i];
		EXPECT_EQ(-1, ioctl(self->fd, MMFDEV_IOC_REGION_INFO, &rinfo));
		EXPECT_EQ(EINVAL, errno);
	}
	/* The first version of the structure ended with its name. */
	dinfo.argsz = offsetof(struct mmfdev_device_info, dma_mask) - 1;
	EXPECT_EQ(-1, ioctl(self->fd, MMFDEV_IOC_DEVICE_INFO, &dinfo));
	EXPECT_EQ(EINVAL, errno);
	rinfo.argsz = sizeof(rinfo) - 1;
	EXPECT_EQ(-1, ioctl(self->fd, MMFDEV_IOC_REGION_INFO, &rinfo));
	EXPECT_EQ(EINVAL, errno);
}

/*
 * A caller built before the DMA fields gets the structure it knows, and
 * learns the kernel's size from argsz.
 */
TEST_F(dev, ioctl_older_argsz)
{
	unsigned char buf[sizeof(struct mmfdev_device_info)];
	struct mmfdev_device_info *info = (void *)buf;
	size_t old = offsetof(struct mmfdev_device_info, dma_mask), i;

	memset(buf, 0xa5, sizeof(buf));
	info->argsz = old;
	ASSERT_EQ(0, ioctl(self->fd, MMFDEV_IOC_DEVICE_INFO, info));
	EXPECT_EQ(sizeof(*info), info->argsz);
	EXPECT_STREQ("mmfdev", info->name);
	for (i = old; i < sizeof(buf); i++)
		ASSERT_EQ(0xa5, buf[i]) TH_LOG("byte %zu written", i);
}

/* A newer caller's larger struct: the kernel fills what it knows only. */
TEST_F(dev, ioctl_larger_argsz)
{
	unsigned char buf[sizeof(struct mmfdev_region_info) + 64];
	struct mmfdev_region_info *info = (void *)buf;
	size_t i;

	memset(buf, 0xa5, sizeof(buf));
	info->argsz = sizeof(buf);
	info->index = 0;
	ASSERT_EQ(0, ioctl(self->fd, MMFDEV_IOC_REGION_INFO, info));
	EXPECT_EQ(sizeof(*info), info->argsz);
	EXPECT_EQ(self->ram.size, info->size);
	for (i = sizeof(*info); i < sizeof(buf); i++)
		ASSERT_EQ(0xa5, buf[i]) TH_LOG("byte %zu written", i);
}

/* A struct that ends where the caller's memory ends is enough. */
TEST_F(dev, ioctl_no_access_past_argsz)
{
	struct mmfdev_device_info *dinfo;
	struct mmfdev_region_info *rinfo;
	char *pages;

	pages = mmap(NULL, 2 * self->page, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, pages);
	ASSERT_EQ(0, mprotect(pages + self->page, self->page, PROT_NONE));

	dinfo = (void *)(pages + self->page - sizeof(*dinfo));
	dinfo->argsz = sizeof(*dinfo);
	EXPECT_EQ(0, ioctl(self->fd, MMFDEV_IOC_DEVICE_INFO, dinfo));
	EXPECT_STREQ("mmfdev", dinfo->name);

	rinfo = (void *)(pages + self->page - sizeof(*rinfo));
	rinfo->argsz = sizeof(*rinfo);
	rinfo->index = 0;
	EXPECT_EQ(0, ioctl(self->fd, MMFDEV_IOC_REGION_INFO, rinfo));
	EXPECT_EQ(self->ram.size, rinfo->size);

	/* A short argsz is refused before anything past it is touched. */
	dinfo = (void *)(pages + self->page - sizeof(uint32_t));
	dinfo->argsz = sizeof(uint32_t);
	EXPECT_EQ(-1, ioctl(self->fd, MMFDEV_IOC_DEVICE_INFO, dinfo));
	EXPECT_EQ(EINVAL, errno);

	munmap(pages, 2 * self->page);
}

TEST_F(dev, ioctl_bad_pointer)
{
	EXPECT_EQ(-1, ioctl(self->fd, MMFDEV_IOC_DEVICE_INFO, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->fd, MMFDEV_IOC_REGION_INFO, (void *)8));
	EXPECT_EQ(EFAULT, errno);
}

TEST_F(dev, ioctl_unknown)
{
	int dummy = 0;

	EXPECT_EQ(-1, ioctl(self->fd, _IO(MMFDEV_IOC_MAGIC, 0x7f), &dummy));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->fd, _IOR('T', 0x01, int), &dummy));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->fd, _IOWR(MMFDEV_IOC_MAGIC, 0x00,
					     struct mmfdev_device_info),
			    &dummy));
	EXPECT_EQ(ENOTTY, errno);
}

TEST_F(dev, map_whole_region)
{
	size_t len = self->ram.size;
	unsigned char *map, *back;

	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd,
		   self->ram.offset);
	ASSERT_NE(MAP_FAILED, map);
	EXPECT_EQ((long)len, vma_length(map));
	fill_pattern(map, len, 1);

	back = malloc(len);
	ASSERT_NE(NULL, back);
	ASSERT_EQ((ssize_t)len, pread(self->fd, back, len, self->ram.offset));
	EXPECT_EQ(0, check_pattern(back, len, 1));
	free(back);
	munmap(map, len);
}

TEST_F(dev, map_sub_range)
{
	size_t len = self->ram.size, page = self->page;
	unsigned char *whole, *part;

	if (len < 4 * page)
		SKIP(return, "region smaller than 4 pages");

	whole = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd,
		     self->ram.offset);
	ASSERT_NE(MAP_FAILED, whole);
	memset(whole, 0, len);

	part = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_SHARED,
		    self->fd, self->ram.offset + page);
	ASSERT_NE(MAP_FAILED, part);
	EXPECT_EQ((long)(2 * page), vma_length(part));
	fill_pattern(part, 2 * page, 2);

	EXPECT_EQ(0, check_pattern(whole + page, 2 * page, 2));
	EXPECT_EQ(0, whole[page - 1]);
	EXPECT_EQ(0, whole[3 * page]);

	/* The last page alone. */
	munmap(part, 2 * page);
	part = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd,
		    self->ram.offset + len - page);
	ASSERT_NE(MAP_FAILED, part);
	part[page - 1] = 0x5a;
	EXPECT_EQ(0x5a, whole[len - 1]);
	munmap(part, page);
	munmap(whole, len);
}

/* One page is exactly one page, whatever the page size. */
TEST_F(dev, map_one_page_is_one_page)
{
	unsigned char *map;

	map = mmap(NULL, self->page, PROT_READ | PROT_WRITE, MAP_SHARED,
		   self->fd, self->ram.offset);
	ASSERT_NE(MAP_FAILED, map);
	EXPECT_EQ((long)self->page, vma_length(map));
	map[self->page - 1] = 1;
	munmap(map, self->page);

	/* A length that is not a page multiple still maps whole pages. */
	map = mmap(NULL, 1, PROT_READ, MAP_SHARED, self->fd, self->ram.offset);
	ASSERT_NE(MAP_FAILED, map);
	EXPECT_EQ((long)self->page, vma_length(map));
	munmap(map, 1);
}

/* Offsets must be page multiples: 1 KiB steps inside the first page. */
TEST_F(dev, map_unaligned_offset)
{
	size_t off;

	for (off = 1024; off < self->page; off += 1024) {
		void *map = mmap(NULL, self->page, PROT_READ, MAP_SHARED,
				 self->fd, self->ram.offset + off);

		EXPECT_EQ(MAP_FAILED, map) TH_LOG("offset %zu mapped", off);
		EXPECT_EQ(EINVAL, errno);
	}
}

TEST_F(dev, map_refused_ranges)
{
	size_t page = self->page, size = self->ram.size;
	struct {
		const char *what;
		uint64_t off;
		size_t len;
		int err, err2;
	} cases[] = {
		{ "zero length", 0, 0, EINVAL, EINVAL },
		{ "offset at end", size, page, ENXIO, ENXIO },
		{ "last page + 1", size - page, 2 * page, ENXIO, ENXIO },
		{ "region + 1 page", 0, size + page, ENXIO, ENXIO },
		{ "no such region", 1ULL << 37, page, ENXIO, ENXIO },
		/* A hand-made offset asking for UC on a write-back region. */
		{ "uncached RAM", 1ULL << 40, page, EINVAL, EINVAL },
		{ "no such mode", 7ULL << 40, page, ENXIO, ENXIO },
		{ "offset 2^62", 1ULL << 62, page, ENXIO, ENXIO },
		/* The mm core may refuse first (EOVERFLOW) on 64-bit. */
		{ "top of 64 bits", UINT64_MAX - page + 1, page, ENXIO,
		  EOVERFLOW },
		{ "top, 2 pages", UINT64_MAX - page + 1, 2 * page, ENXIO,
		  EOVERFLOW },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		void *map;

		uint64_t off = self->ram.offset + cases[i].off;
		/* A 32-bit process cannot name an offset of 2^44 or more. */
		int too_far = sizeof(long) < 8 && off >> 44;

		map = mmap(NULL, cases[i].len, PROT_READ, MAP_SHARED, self->fd,
			   (off_t)off);
		EXPECT_EQ(MAP_FAILED, map) TH_LOG("%s: mapped", cases[i].what);
		if (map != MAP_FAILED) {
			munmap(map, cases[i].len);
			continue;
		}
		EXPECT_TRUE(errno == cases[i].err || errno == cases[i].err2 ||
			    (too_far && errno == EINVAL))
			TH_LOG("%s: errno %d (%s)", cases[i].what, errno,
			       strerror(errno));
	}
}

TEST_F(dev, map_private_refused)
{
	void *map;

	map = mmap(NULL, self->page, PROT_READ, MAP_PRIVATE, self->fd,
		   self->ram.offset);
	EXPECT_EQ(MAP_FAILED, map);
	EXPECT_EQ(EINVAL, errno);
	map = mmap(NULL, self->page, PROT_READ | PROT_WRITE, MAP_PRIVATE,
		   self->fd, self->ram.offset);
	EXPECT_EQ(MAP_FAILED, map);
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(dev, mremap_cannot_grow)
{
	size_t page = self->page;
	unsigned char *map, *moved;

	if (self->ram.size < 2 * page)
		SKIP(return, "region smaller than 2 pages");

	map = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd,
		   self->ram.offset);
	ASSERT_NE(MAP_FAILED, map);

	EXPECT_EQ(MAP_FAILED, mremap(map, page, 2 * page, 0));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(MAP_FAILED, mremap(map, page, 2 * page, MREMAP_MAYMOVE));
	EXPECT_EQ(EFAULT, errno);
	munmap(map, page);

	/* Shrinking is fine. */
	map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_SHARED,
		   self->fd, self->ram.offset);
	ASSERT_NE(MAP_FAILED, map);
	moved = mremap(map, 2 * page, page, 0);
	ASSERT_EQ(map, moved);
	EXPECT_EQ((long)page, vma_length(map));
	munmap(map, page);
}

TEST_F(dev, readonly_fd)
{
	unsigned char *map;
	char c = 0;
	int fd;

	fd = open(node, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);

	map = mmap(NULL, self->page, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		   self->ram.offset);
	EXPECT_EQ(MAP_FAILED, map);
	EXPECT_EQ(EACCES, errno);

	map = mmap(NULL, self->page, PROT_READ, MAP_SHARED, fd,
		   self->ram.offset);
	ASSERT_NE(MAP_FAILED, map);
	EXPECT_EQ(-1, mprotect(map, self->page, PROT_READ | PROT_WRITE));
	EXPECT_EQ(EACCES, errno);
	/* Closing the fd does not make the mapping writable either. */
	close(fd);
	EXPECT_EQ(-1, mprotect(map, self->page, PROT_WRITE));
	EXPECT_EQ(EACCES, errno);
	munmap(map, self->page);

	fd = open(node, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, write(fd, &c, 1));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(1, pread(fd, &c, 1, self->ram.offset));
	close(fd);
}

/* On a read-write fd, a read-only mapping may become writable later. */
TEST_F(dev, mprotect_on_rw_fd)
{
	unsigned char *map;

	map = mmap(NULL, self->page, PROT_READ, MAP_SHARED, self->fd,
		   self->ram.offset);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, mprotect(map, self->page, PROT_READ | PROT_WRITE));
	map[0] = 0x77;
	EXPECT_EQ(0x77, map[0]);
	munmap(map, self->page);
}

static int child_write(const char *path, uint64_t off, size_t len,
		       unsigned int seed)
{
	unsigned char *map;
	int fd;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return 1;
	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);
	if (map == MAP_FAILED)
		return 2;
	fill_pattern(map, len, seed);
	/* Exit without munmap or close: the bytes belong to the device. */
	return 0;
}

TEST_F(dev, shared_between_processes)
{
	size_t len = self->ram.size;
	unsigned char *map;
	int status;
	pid_t pid;

	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd,
		   self->ram.offset);
	ASSERT_NE(MAP_FAILED, map);
	memset(map, 0, len);

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(child_write(node, self->ram.offset, len, 3));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));

	/* The writer is dead; its bytes are in our own mapping. */
	EXPECT_EQ(0, check_pattern(map, len, 3));

	/* And a child that inherited our mapping sees our writes. */
	fill_pattern(map, len, 4);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(check_pattern(map, len, 4) ? 1 : 0);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	munmap(map, len);
}

TEST_F(dev, survives_close_and_reopen)
{
	size_t len = self->ram.size;
	unsigned char *map;
	int fd;

	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd,
		   self->ram.offset);
	ASSERT_NE(MAP_FAILED, map);
	fill_pattern(map, len, 5);
	munmap(map, len);
	close(self->fd);
	self->fd = -1;

	fd = open(node, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	map = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, self->ram.offset);
	ASSERT_NE(MAP_FAILED, map);
	EXPECT_EQ(0, check_pattern(map, len, 5));
	munmap(map, len);
	close(fd);
}

/* The mapping outlives its fd; the data outlives both. */
TEST_F(dev, mapping_outlives_fd)
{
	unsigned char *map;
	int fd;

	fd = open(node, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	map = mmap(NULL, self->page, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		   self->ram.offset);
	ASSERT_NE(MAP_FAILED, map);
	close(fd);
	fill_pattern(map, self->page, 6);
	munmap(map, self->page);

	map = mmap(NULL, self->page, PROT_READ, MAP_SHARED, self->fd,
		   self->ram.offset);
	ASSERT_NE(MAP_FAILED, map);
	EXPECT_EQ(0, check_pattern(map, self->page, 6));
	munmap(map, self->page);
}

TEST_F(dev, read_write_match_mapping)
{
	size_t len = self->ram.size, page = self->page;
	unsigned char *map, *buf;
	off_t end;

	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd,
		   self->ram.offset);
	ASSERT_NE(MAP_FAILED, map);
	buf = malloc(len);
	ASSERT_NE(NULL, buf);

	/* pwrite, then look through the mapping. */
	fill_pattern(buf, len, 7);
	ASSERT_EQ((ssize_t)len, pwrite(self->fd, buf, len, self->ram.offset));
	EXPECT_EQ(0, check_pattern(map, len, 7));

	/* Unaligned pieces across a page boundary. */
	fill_pattern(buf, 100, 8);
	ASSERT_EQ(100, pwrite(self->fd, buf, 100,
			      self->ram.offset + page - 37));
	EXPECT_EQ(0, memcmp(map + page - 37, buf, 100));

	/* Write through the mapping, read() it back sequentially. */
	fill_pattern(map, len, 9);
	ASSERT_EQ(0, lseek(self->fd, self->ram.offset, SEEK_SET));
	ASSERT_EQ((ssize_t)len, read(self->fd, buf, len));
	EXPECT_EQ(0, check_pattern(buf, len, 9));
	/* At the end: EOF for read, ENOSPC for write. */
	EXPECT_EQ(0, read(self->fd, buf, 1));
	EXPECT_EQ(-1, write(self->fd, buf, 1));
	EXPECT_EQ(ENOSPC, errno);

	/* Short at the end of the region. */
	EXPECT_EQ(10, pread(self->fd, buf, 100, self->ram.offset + len - 10));
	EXPECT_EQ(10, pwrite(self->fd, buf, 100, self->ram.offset + len - 10));

	/* SEEK_END is the end of region 0, so dd/cmp see its size. */
	end = lseek(self->fd, 0, SEEK_END);
	EXPECT_EQ((off_t)(self->ram.offset + len), end);
	EXPECT_EQ(-1, lseek(self->fd, -1, SEEK_SET));
	EXPECT_EQ(EINVAL, errno);

	/* No such region. */
	EXPECT_EQ(-1, pread(self->fd, buf, 1, 1LL << 40));
	EXPECT_EQ(ENXIO, errno);
	EXPECT_EQ(-1, pwrite(self->fd, buf, 1, 1LL << 40));
	EXPECT_EQ(ENXIO, errno);

	free(buf);
	munmap(map, len);
}

TEST_F(dev, msync_and_fsync)
{
	unsigned char *map;

	map = mmap(NULL, self->page, PROT_READ | PROT_WRITE, MAP_SHARED,
		   self->fd, self->ram.offset);
	ASSERT_NE(MAP_FAILED, map);
	map[0] = 0x42;
	EXPECT_EQ(0, msync(map, self->page, MS_SYNC));
	EXPECT_EQ(0, msync(map, self->page, MS_ASYNC));
	EXPECT_EQ(0, fsync(self->fd));
	EXPECT_EQ(0, fdatasync(self->fd));
	munmap(map, self->page);
}

/* Core dumps leave the region out (VM_DONTDUMP shows as "dd"). */
TEST_F(dev, not_in_core_dumps)
{
	unsigned char *map;

	map = mmap(NULL, self->page, PROT_READ, MAP_SHARED, self->fd,
		   self->ram.offset);
	ASSERT_NE(MAP_FAILED, map);
	EXPECT_EQ(1, vma_has_flag(map, "dd"));
	EXPECT_EQ(1, vma_has_flag(map, "sh"));
	munmap(map, self->page);
}

/* Unmapping the middle of a mapping leaves both halves working. */
TEST_F(dev, partial_munmap)
{
	size_t page = self->page;
	unsigned char *map;

	if (self->ram.size < 3 * page)
		SKIP(return, "region smaller than 3 pages");
	map = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_SHARED,
		   self->fd, self->ram.offset);
	ASSERT_NE(MAP_FAILED, map);
	fill_pattern(map, 3 * page, 10);
	ASSERT_EQ(0, munmap(map + page, page));
	EXPECT_EQ(0, check_pattern(map, page, 10));
	map[2 * page] = 0x11;
	EXPECT_EQ(0x11, map[2 * page]);
	munmap(map, page);
	munmap(map + 2 * page, page);
}

/* Odd arguments everywhere: documented errnos only, no kernel trouble. */
TEST_F_TIMEOUT(dev, fuzz_arguments, 120)
{
	EXPECT_EQ(0, fuzz_region(self->fd, &self->ram, 3000, 1, 0x6d6d6664));
}

/* The same facts for shells and udev: /sys/class/misc/mmfdev/regions. */
TEST_F(dev, sysfs_regions)
{
	unsigned long long size, offset;
	unsigned int index, flags, modes, def;
	char name[64], kind[64];
	FILE *f;

	f = fopen("/sys/class/misc/mmfdev/regions", "re");
	if (!f)
		SKIP(return, "no sysfs");
	ASSERT_EQ(8, fscanf(f, "%u %63s %63s %llx %llx %x %x %u", &index, name,
			    kind, &size, &offset, &flags, &modes, &def));
	fclose(f);
	EXPECT_EQ(0, index);
	EXPECT_STREQ(self->ram.name, name);
	EXPECT_STREQ("ram", kind);
	EXPECT_EQ(self->ram.size, size);
	EXPECT_EQ(self->ram.offset, offset);
	EXPECT_EQ(self->ram.flags, flags);
	EXPECT_EQ(self->ram.cache_modes, modes);
	EXPECT_EQ(self->ram.cache_default, def);
}

/*
 * Nothing lost: writer processes share one mapping as a log.  Each claims
 * a 64-byte record with an atomic fetch-add on a header in the region,
 * fills it, and publishes it with a release store of its commit word.
 * The parent lets the log grow in steps (a limit word in the header) and
 * SIGKILLs a writer just as each step starts, while they are busy, then
 * replaces it.  A separate process, with
 * its own mapping, then finds every committed record intact and each
 * writer's sequence numbers without gaps or duplicates; a killed writer
 * may leave at most one claimed record uncommitted.  Last, the bytes
 * survive every fd and mapping being closed.
 */
#define LOG_MAGIC	0x4d4d4644u
#define LOG_WRITERS	4
#define LOG_KILLS	3
#define LOG_MAX_IDS	(LOG_WRITERS + LOG_KILLS)

struct log_record {
	uint32_t commit;
	uint32_t writer;
	uint32_t seq;
	uint32_t crc;
	uint8_t payload[48];
};

struct log_header {
	uint32_t next;		/* next record to claim */
	uint32_t limit;		/* writers wait while next >= limit */
	uint8_t pad[56];
};

static uint32_t crc32_bytes(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t crc = ~0u;
	int k;

	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

static uint32_t log_crc(const struct log_record *r)
{
	/* writer and seq are adjacent: one run, then the payload. */
	return crc32_bytes(&r->writer, 2 * sizeof(uint32_t)) ^
	       crc32_bytes(r->payload, sizeof(r->payload));
}

static void log_fill(struct log_record *r, uint32_t writer, uint32_t seq)
{
	size_t i;

	r->writer = writer;
	r->seq = seq;
	for (i = 0; i < sizeof(r->payload); i++)
		r->payload[i] = (uint8_t)(writer * 131 + seq * 7 + i);
	r->crc = log_crc(r);
}

static int log_valid(const struct log_record *r)
{
	size_t i;

	for (i = 0; i < sizeof(r->payload); i++)
		if (r->payload[i] != (uint8_t)(r->writer * 131 + r->seq * 7 + i))
			return 0;
	return r->crc == log_crc(r);
}

static void log_writer(const char *path, uint64_t off, size_t len,
		       uint32_t id)
{
	struct log_header *hdr;
	struct log_record *recs;
	size_t nrecs = (len - sizeof(*hdr)) / sizeof(*recs);
	uint32_t seq = 0, slot;
	int fd;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		_exit(2);
	hdr = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);
	if (hdr == MAP_FAILED)
		_exit(3);
	recs = (struct log_record *)(hdr + 1);
	for (;;) {
		uint32_t next = __atomic_load_n(&hdr->next, __ATOMIC_ACQUIRE);

		if (next >= nrecs)
			break;
		if (next >= __atomic_load_n(&hdr->limit, __ATOMIC_ACQUIRE)) {
			usleep(50);
			continue;
		}
		slot = __atomic_fetch_add(&hdr->next, 1, __ATOMIC_ACQ_REL);
		if (slot >= nrecs)
			break;
		log_fill(&recs[slot], id, seq++);
		__atomic_store_n(&recs[slot].commit, LOG_MAGIC,
				 __ATOMIC_RELEASE);
	}
	_exit(0);
}

/* The verifier: its own open and mapping.  Exit status 0 if all is well. */
static int log_verify(const char *path, uint64_t off, size_t len, int kills)
{
	uint32_t count[LOG_MAX_IDS] = { 0 }, maxseq[LOG_MAX_IDS] = { 0 };
	size_t nrecs = (len - sizeof(struct log_header)) /
		       sizeof(struct log_record);
	struct log_header *hdr;
	struct log_record *recs;
	unsigned int torn = 0;
	uint8_t *seen;
	size_t i;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 10;
	hdr = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, off);
	if (hdr == MAP_FAILED)
		return 11;
	recs = (struct log_record *)(hdr + 1);
	seen = calloc(LOG_MAX_IDS, nrecs);
	if (!seen)
		return 12;

	for (i = 0; i < nrecs; i++) {
		const struct log_record *r = &recs[i];

		if (__atomic_load_n(&r->commit, __ATOMIC_ACQUIRE) != LOG_MAGIC) {
			torn++;
			continue;
		}
		if (r->writer >= LOG_MAX_IDS || r->seq >= nrecs ||
		    !log_valid(r))
			return 13;
		if (seen[r->writer * nrecs + r->seq]++)
			return 14;		/* duplicate */
		count[r->writer]++;
		if (r->seq + 1 > maxseq[r->writer])
			maxseq[r->writer] = r->seq + 1;
	}
	for (i = 0; i < LOG_MAX_IDS; i++) {
		/* Contiguous, but a killed writer's last record may be torn. */
		if (maxseq[i] - count[i] > 1)
			return 15;
		if (maxseq[i] && !seen[i * nrecs + maxseq[i] - 1])
			return 16;
	}
	if (torn > (unsigned int)kills)
		return 17;
	return 0;
}

static pid_t log_spawn(const char *path, uint64_t off, size_t len,
		       uint32_t id)
{
	pid_t pid = fork();

	if (pid == 0)
		log_writer(path, off, len, id);
	return pid;
}

TEST_F_TIMEOUT(dev, ipc_nothing_lost, 300)
{
	size_t len = self->ram.size < (1u << 20) ? self->ram.size : 1u << 20;
	pid_t writers[LOG_WRITERS], pid;
	uint32_t next_id = LOG_WRITERS, before, after;
	struct log_header *hdr;
	int i, kills = 0, status;
	size_t nrecs;

	hdr = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd,
		   self->ram.offset);
	ASSERT_NE(MAP_FAILED, hdr);
	memset(hdr, 0, len);
	nrecs = (len - sizeof(*hdr)) / sizeof(struct log_record);

	for (i = 0; i < LOG_WRITERS; i++) {
		writers[i] = log_spawn(node, self->ram.offset, len, i);
		ASSERT_LT(0, writers[i]);
	}

	/*
	 * Grow the log a step at a time; as each step opens, kill a writer
	 * while the others (and likely it) are writing, and replace it.
	 */
	while (kills < LOG_KILLS) {
		uint32_t step = (kills + 1) * nrecs / (LOG_KILLS + 1);

		__atomic_store_n(&hdr->limit, step, __ATOMIC_RELEASE);
		while (__atomic_load_n(&hdr->next, __ATOMIC_ACQUIRE) < step)
			usleep(100);
		__atomic_store_n(&hdr->limit, step + nrecs / (LOG_KILLS + 1),
				 __ATOMIC_RELEASE);
		i = kills % LOG_WRITERS;
		kill(writers[i], SIGKILL);
		waitpid(writers[i], &status, 0);
		kills++;
		writers[i] = log_spawn(node, self->ram.offset, len,
				       next_id++);
		ASSERT_LT(0, writers[i]);
	}
	__atomic_store_n(&hdr->limit, nrecs, __ATOMIC_RELEASE);
	for (i = 0; i < LOG_WRITERS; i++)
		waitpid(writers[i], &status, 0);
	EXPECT_EQ(LOG_KILLS, kills);
	EXPECT_LE(nrecs, __atomic_load_n(&hdr->next, __ATOMIC_ACQUIRE));

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(log_verify(node, self->ram.offset, len, kills));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));

	/* Close everything, reopen: the same bytes. */
	before = crc32_bytes(hdr, len);
	munmap(hdr, len);
	close(self->fd);
	self->fd = open(node, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	hdr = mmap(NULL, len, PROT_READ, MAP_SHARED, self->fd,
		   self->ram.offset);
	ASSERT_NE(MAP_FAILED, hdr);
	after = crc32_bytes(hdr, len);
	EXPECT_EQ(before, after);
	munmap(hdr, len);
}

/*
 * Module lifecycle, through libkmod (helpers in common.h).  Runs last: it
 * unloads and reloads the module, and leaves it loaded as it was.
 */
/* Region 0 as a freshly opened node reports it; zeroes on failure. */
static struct mmfdev_region_info region0(void)
{
	struct mmfdev_region_info info = { 0 };
	int fd = open(node, O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (region_info(fd, 0, &info))
			memset(&info, 0, sizeof(info));
		close(fd);
	}
	return info;
}

MODULE_RELOAD_FIXTURE(module)

TEST_F_TIMEOUT(module, rmmod_refused_while_in_use, 120)
{
	off_t off = region0().offset;
	unsigned char *map;
	int fd, ret;

	fd = open(node, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	map = mmap(NULL, self->page, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		   off);
	ASSERT_NE(MAP_FAILED, map);
	map[0] = 0xee;

	/* Mapped and open. */
	ret = module_remove();
	EXPECT_TRUE(ret == -EAGAIN || ret == -EBUSY) TH_LOG("remove: %d", ret);

	/* Mapped, fd closed: the mapping still pins the module. */
	close(fd);
	ret = module_remove();
	EXPECT_TRUE(ret == -EAGAIN || ret == -EBUSY) TH_LOG("remove: %d", ret);
	EXPECT_EQ(0xee, map[0]);
	EXPECT_EQ(0, access(node, F_OK));

	/* Unmapped, another fd open. */
	fd = open(node, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	munmap(map, self->page);
	ret = module_remove();
	EXPECT_TRUE(ret == -EAGAIN || ret == -EBUSY) TH_LOG("remove: %d", ret);
	close(fd);

	/* Nothing left: it goes, and the node with it. */
	ASSERT_EQ(0, module_remove());
	EXPECT_NE(0, access(node, F_OK));
	EXPECT_NE(0, access("/sys/module/" MODULE_NAME, F_OK));

	/* Back again, zero-filled. */
	ASSERT_EQ(0, module_insert(module_default_options()));
	fd = open(node, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	map = mmap(NULL, self->page, PROT_READ, MAP_SHARED, fd, off);
	ASSERT_NE(MAP_FAILED, map);
	EXPECT_EQ(0, map[0]);
	munmap(map, self->page);
	close(fd);
}

TEST_F_TIMEOUT(module, size_parameter, 120)
{
	char opt[64];

	ASSERT_EQ(0, module_remove());

	/* Zero and absurd sizes are refused at load time. */
	EXPECT_EQ(-EINVAL, module_insert("size=0"));
	EXPECT_EQ(-EINVAL, module_insert("size=1P"));
	EXPECT_EQ(-EINVAL, module_insert("size=lots"));

	/* A size that is not a page multiple is rounded up to one. */
	ASSERT_EQ(0, module_insert("size=1"));
	EXPECT_EQ(self->page, region0().size);
	ASSERT_EQ(0, module_remove());

	snprintf(opt, sizeof(opt), "size=%zu", 3 * self->page + 1);
	ASSERT_EQ(0, module_insert(opt));
	EXPECT_EQ(4 * self->page, region0().size);
	ASSERT_EQ(0, module_remove());

	ASSERT_EQ(0, module_insert("size=2M"));
	EXPECT_EQ(2u << 20, region0().size);
	ASSERT_EQ(0, module_remove());

	ASSERT_EQ(0, module_insert(module_default_options()));
}

int main(int argc, char **argv)
{
	return mmfdev_node_test_main(argc, argv, &node);
}
