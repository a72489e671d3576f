// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmfdev kselftest for DMA buffers.
 *
 * With QEMU's edu bound to mmfdev (pci_ids=1234:11e8, and a DMA mask edu
 * can reach: pci_dma_bits=28 for its default 28-bit engine), every kind
 * of buffer goes through edu's DMA engine and back: a pattern written by
 * the CPU is copied into edu's 4 KiB buffer, then out to another part of
 * the DMA buffer, each transfer ending with edu's interrupt on mmfdev's
 * event line, and the copy must read back through the mapping.  With a
 * device-tree node that has "mmfdev,dma-buffers" (MMFDEV_DMA_NODE), the
 * buffers of a platform device, which on arm64 QEMU is not cache-coherent.
 * The RAM node has no device: DMA buffers are refused there.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <linux/mmfdev.h>
#include <linux/videodev2.h>

#include "kselftest_harness.h"
#include "mmfdev.h"
#include "common.h"
#include "edu.h"

/* edu refuses (and QEMU aborts on) a range that ends at its buffer's end. */
#define EDU_DMA_LEN		2048

/* The device-tree node with only DMA buffers, wherever its bus puts it. */
static char dt_node[300];

static int dma_alloc(int fd, unsigned int kind, uint64_t size,
		     unsigned int *index)
{
	struct mmfdev_dma_alloc a = {
		.argsz = sizeof(a), .kind = kind, .size = size,
	};

	if (ioctl(fd, MMFDEV_IOC_DMA_ALLOC, &a))
		return -errno;
	if (index)
		*index = a.index;
	return 0;
}

static int dma_free(int fd, unsigned int index)
{
	struct mmfdev_dma_free f = { .argsz = sizeof(f), .index = index };

	return ioctl(fd, MMFDEV_IOC_DMA_FREE, &f) ? -errno : 0;
}

static int dma_sync(int fd, unsigned int index, unsigned int flags,
		    uint64_t off, uint64_t len)
{
	struct mmfdev_dma_sync s = {
		.argsz = sizeof(s), .index = index, .flags = flags,
		.offset = off, .length = len,
	};

	return ioctl(fd, MMFDEV_IOC_DMA_SYNC, &s) ? -errno : 0;
}

/* A buffer's description with room for @room segments; free() it. */
static struct mmfdev_dma_info *dma_info(int fd, unsigned int index,
					unsigned int room)
{
	size_t sz = sizeof(struct mmfdev_dma_info) +
		    room * sizeof(struct mmfdev_dma_segment);
	struct mmfdev_dma_info *info = calloc(1, sz);

	if (!info)
		return NULL;
	info->argsz = sz;
	info->index = index;
	if (ioctl(fd, MMFDEV_IOC_DMA_INFO, info)) {
		free(info);
		return NULL;
	}
	return info;
}

/* The bus address of byte @off of a buffer, from its segments. */
static uint64_t bus_addr_at(const struct mmfdev_dma_info *info, uint64_t off,
			    uint64_t *left)
{
	unsigned int i;

	for (i = 0; i < info->num_segments; i++) {
		if (off < info->segments[i].len) {
			*left = info->segments[i].len - off;
			return info->segments[i].addr + off;
		}
		off -= info->segments[i].len;
	}
	*left = 0;
	return 0;
}

static void fill(uint8_t *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 7 + seed + (i >> 8));
}

static sigjmp_buf sigbus_jmp;

static void on_sigbus(int sig)
{
	siglongjmp(sigbus_jmp, 1);
}

static int read_faults(volatile uint8_t *addr)
{
	struct sigaction sa = { .sa_handler = on_sigbus }, old;
	volatile int faulted = 0;

	sigaction(SIGBUS, &sa, &old);
	if (!sigsetjmp(sigbus_jmp, 1))
		(void)*addr;
	else
		faulted = 1;
	sigaction(SIGBUS, &old, NULL);
	return faulted;
}

static int dma_export(int fd, unsigned int index, uint64_t off, uint64_t len,
		      unsigned int flags)
{
	struct mmfdev_dma_export e = {
		.argsz = sizeof(e), .index = index, .flags = flags,
		.offset = off, .length = len,
	};

	if (ioctl(fd, MMFDEV_IOC_DMA_EXPORT, &e))
		return -errno;
	return e.fd;
}

static int dmabuf_sync(int fd, uint64_t flags)
{
	struct dma_buf_sync s = { .flags = flags };

	return ioctl(fd, DMA_BUF_IOCTL_SYNC, &s) ? -errno : 0;
}

/* The RAM node has no device behind it: no DMA buffers. */
TEST(ram_node_refuses)
{
	struct mmfdev_device_info di;
	int fd = open("/dev/mmfdev", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		SKIP(return, "/dev/mmfdev: %s", strerror(errno));
	ASSERT_EQ(0, device_info(fd, &di));
	EXPECT_FALSE(di.flags & MMFDEV_DEVICE_FLAG_DMA);
	EXPECT_EQ(0, di.dma_mask);
	EXPECT_EQ(-EOPNOTSUPP, dma_alloc(fd, MMFDEV_DMA_KIND_STREAMING,
					 sysconf(_SC_PAGESIZE), NULL));
	EXPECT_EQ(NULL, dma_info(fd, 0, 0));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

FIXTURE(edu) {
	char bdf[64];
	char node[128];
	struct mmfdev *dev;
	int fd;
	volatile uint8_t *regs;
	size_t regs_len;
	int line;
	int level;
	size_t page;
};

FIXTURE_VARIANT(edu) {
	unsigned int kind;
};

FIXTURE_VARIANT_ADD(edu, coherent) { .kind = MMFDEV_DMA_KIND_COHERENT };
FIXTURE_VARIANT_ADD(edu, streaming) { .kind = MMFDEV_DMA_KIND_STREAMING };
FIXTURE_VARIANT_ADD(edu, contiguous) { .kind = MMFDEV_DMA_KIND_CONTIGUOUS };

FIXTURE_SETUP(edu)
{
	void *addr;
	int ret;

	self->regs = NULL;
	self->dev = NULL;
	self->page = sysconf(_SC_PAGESIZE);
	if (find_pci(EDU_VENDOR, EDU_DEVICE, self->bdf, sizeof(self->bdf)))
		SKIP(return, "no edu device");
	snprintf(self->node, sizeof(self->node), "mmfdev-pci-%s", self->bdf);
	ret = mmfdev_open_by_name(self->node, 0, &self->dev);
	if (ret == -ENOENT)
		SKIP(return, "edu not bound to mmfdev (pci_ids=)");
	ASSERT_EQ(0, ret);
	self->fd = mmfdev_get_fd(self->dev);
	ASSERT_EQ(0, mmfdev_map(self->dev, 0, 0, 0,
				MMFDEV_MAP_READ | MMFDEV_MAP_WRITE, &addr,
				&self->regs_len));
	self->regs = addr;
	self->line = event_of_kind(self->dev, MMFDEV_EVENT_MSI);
	self->level = 0;
	if (self->line < 0) {
		self->line = event_of_kind(self->dev, MMFDEV_EVENT_INTX);
		self->level = 1;
	}
}

FIXTURE_TEARDOWN(edu)
{
	if (self->regs)
		mmfdev_unmap((void *)self->regs, self->regs_len);
	if (self->dev)
		mmfdev_close(self->dev);
}

/* One edu transfer of EDU_DMA_LEN bytes, waited for on its interrupt. */
static int edu_dma(struct mmfdev *dev, volatile uint8_t *regs, int line,
		   int level, uint64_t src, uint64_t dst, uint32_t cmd)
{
	uint64_t pending, count, new;

	edu_dma_start(regs, src, dst, EDU_DMA_LEN, cmd | EDU_DMA_CMD_IRQ);
	if (line < 0)
		return edu_dma_poll(regs);
	if (mmfdev_event_wait(dev, MMFDEV_EVENT_BIT(line), 5000000000LL,
			      &pending))
		return -ETIMEDOUT;
	if (mmfdev_event_read(dev, line, &count, &new, NULL) || new != 1)
		return -EIO;
	if (!(mmfdev_read32(regs + EDU_IRQ_STATUS) & EDU_DMA_IRQ))
		return -EPROTO;
	mmfdev_write32(regs + EDU_IRQ_ACK, EDU_DMA_IRQ);
	if (level && mmfdev_event_unmask(dev, line))
		return -EIO;
	return 0;
}

TEST_F(edu, device_reports_its_dma)
{
	struct mmfdev_device_info di;

	ASSERT_EQ(0, device_info(self->fd, &di));
	ASSERT_EQ(sizeof(di), di.argsz);
	EXPECT_TRUE(di.flags & MMFDEV_DEVICE_FLAG_DMA);
	EXPECT_NE(0, di.dma_mask);
	EXPECT_EQ(0, di.dma_mask & (di.dma_mask + 1)) TH_LOG("mask 0x%llx",
		(unsigned long long)di.dma_mask);
	EXPECT_LE(di.dma_used, di.dma_quota);
	TH_LOG("mask 0x%llx quota %llu iommu %d coherent %d",
	       (unsigned long long)di.dma_mask,
	       (unsigned long long)di.dma_quota,
	       !!(di.flags & MMFDEV_DEVICE_FLAG_IOMMU),
	       !!(di.flags & MMFDEV_DEVICE_FLAG_DMA_COHERENT));
}

/* The description: kind, size, segments inside the mask, cache mode. */
TEST_F(edu, describes_the_buffer)
{
	uint64_t size = 4 * self->page, total = 0;
	struct mmfdev_device_info di;
	struct mmfdev_region_info ri;
	struct mmfdev_dma_info *info, *small;
	unsigned int index = 0, i;

	ASSERT_EQ(0, device_info(self->fd, &di));
	ASSERT_EQ(0, dma_alloc(self->fd, variant->kind, size, &index));
	ASSERT_EQ(0, region_info(self->fd, index, &ri));
	EXPECT_EQ(MMFDEV_REGION_KIND_DMA, ri.kind);
	EXPECT_EQ(size, ri.size);
	EXPECT_EQ(MMFDEV_REGION_FLAG_READ | MMFDEV_REGION_FLAG_WRITE |
		  MMFDEV_REGION_FLAG_MMAP,
		  ri.flags & ~MMFDEV_REGION_FLAG_DMA_SYNC);
	EXPECT_EQ(MMFDEV_CACHE_BIT(ri.cache_default), ri.cache_modes);

	small = dma_info(self->fd, index, 0);
	ASSERT_NE(NULL, small);
	info = dma_info(self->fd, index, small->num_segments);
	ASSERT_NE(NULL, info);
	EXPECT_EQ(sizeof(*small) + small->num_segments *
		  sizeof(struct mmfdev_dma_segment), small->argsz);
	EXPECT_EQ(variant->kind, info->kind);
	EXPECT_EQ(size, info->size);
	EXPECT_EQ(di.dma_mask, info->dma_mask);
	EXPECT_EQ(0, info->reserved);
	EXPECT_EQ(!!(info->flags & MMFDEV_DMA_INFO_SYNC),
		  !!(ri.flags & MMFDEV_REGION_FLAG_DMA_SYNC));
	EXPECT_EQ(info->segments[0].addr, info->bus_addr);
	for (i = 0; i < info->num_segments; i++) {
		EXPECT_LE(info->segments[i].addr + info->segments[i].len - 1,
			  di.dma_mask);
		total += info->segments[i].len;
	}
	EXPECT_EQ(size, total);
	if (variant->kind != MMFDEV_DMA_KIND_STREAMING) {
		EXPECT_EQ(1, info->num_segments);
		EXPECT_TRUE(info->flags & MMFDEV_DMA_INFO_CONTIGUOUS);
	}
	if (variant->kind == MMFDEV_DMA_KIND_COHERENT)
		EXPECT_FALSE(info->flags & MMFDEV_DMA_INFO_SYNC);
	/* Behind an IOMMU: IOVAs, and scattered pages as one range. */
	EXPECT_EQ(!!(di.flags & MMFDEV_DEVICE_FLAG_IOMMU),
		  !!(info->flags & MMFDEV_DMA_INFO_IOMMU));
	if (di.flags & MMFDEV_DEVICE_FLAG_IOMMU)
		EXPECT_EQ(1, info->num_segments);
	TH_LOG("%s 0x%llx, %u segments, flags 0x%x, cache mode %u",
	       di.flags & MMFDEV_DEVICE_FLAG_IOMMU ? "IOVA" : "bus address",
	       (unsigned long long)info->bus_addr, info->num_segments,
	       info->flags, ri.cache_default);

	ASSERT_EQ(0, device_info(self->fd, &di));
	EXPECT_LE(size, di.dma_used);
	free(small);
	free(info);
	EXPECT_EQ(0, dma_free(self->fd, index));
	EXPECT_EQ(-EINVAL, dma_free(self->fd, index));
	ASSERT_EQ(0, region_info(self->fd, index, &ri));
	EXPECT_EQ(MMFDEV_REGION_KIND_NONE, ri.kind);
}

/*
 * The pattern goes RAM -> edu -> another part of the buffer, by edu's
 * DMA engine, each transfer ended by its interrupt; the copy must read
 * back through the mapping and through pread().
 */
TEST_F(edu, round_trip_through_edu)
{
	uint64_t size = 4 * self->page, dst_off = 2 * self->page, left;
	uint64_t src_bus, dst_bus;
	struct mmfdev_dma_info *info;
	uint8_t want[EDU_DMA_LEN], got[EDU_DMA_LEN];
	unsigned int index = 0;
	size_t len;
	uint8_t *map;
	void *addr;
	int round;

	if (self->line < 0)
		TH_LOG("edu has no event line: polling its command register");
	ASSERT_EQ(0, dma_alloc(self->fd, variant->kind, size, &index));
	info = dma_info(self->fd, index, 64);
	ASSERT_NE(NULL, info);
	ASSERT_EQ(0, mmfdev_map(self->dev, index, 0, 0,
				MMFDEV_MAP_READ | MMFDEV_MAP_WRITE, &addr,
				&len));
	map = addr;
	src_bus = bus_addr_at(info, 0, &left);
	ASSERT_LE(EDU_DMA_LEN, left);
	dst_bus = bus_addr_at(info, dst_off, &left);
	ASSERT_LE(EDU_DMA_LEN, left);

	for (round = 0; round < 3; round++) {
		fill(want, sizeof(want), round * 31 + variant->kind);
		memcpy(map, want, sizeof(want));
		memset(map + dst_off, 0, EDU_DMA_LEN);
		ASSERT_EQ(0, dma_sync(self->fd, index,
				      MMFDEV_DMA_SYNC_BIDIRECTIONAL |
				      MMFDEV_DMA_SYNC_FOR_DEVICE, 0, size));
		ASSERT_EQ(0, edu_dma(self->dev, self->regs, self->line,
				     self->level, src_bus, EDU_DMA_BUF, 0));
		ASSERT_EQ(0, edu_dma(self->dev, self->regs, self->line,
				     self->level, EDU_DMA_BUF, dst_bus,
				     EDU_DMA_CMD_TO_RAM));
		ASSERT_EQ(0, dma_sync(self->fd, index,
				      MMFDEV_DMA_SYNC_FROM_DEVICE |
				      MMFDEV_DMA_SYNC_FOR_CPU, dst_off,
				      EDU_DMA_LEN));
		EXPECT_EQ(0, memcmp(want, map + dst_off, EDU_DMA_LEN))
			TH_LOG("round %d: the device's copy differs", round);
		ASSERT_EQ(EDU_DMA_LEN, mmfdev_read(self->dev, index, dst_off,
						   got, sizeof(got)));
		EXPECT_EQ(0, memcmp(want, got, sizeof(got)));
	}
	mmfdev_unmap(map, len);
	free(info);
	EXPECT_EQ(0, dma_free(self->fd, index));
}

/*
 * Where mappings bounce (swiotlb=force; or a mask the pages are above),
 * what the device wrote is not in the buffer until it is synced for the
 * CPU: the proof that MMFDEV_REGION_FLAG_DMA_SYNC means what it says.  A
 * coherent device without an IOMMU (which may ask for syncs it could do
 * without) with that flag set is one whose mappings bounce.
 */
TEST_F(edu, stale_until_synced)
{
	uint64_t size = 4 * self->page, dst_off = 2 * self->page, left;
	uint8_t want[EDU_DMA_LEN], zero[EDU_DMA_LEN] = { 0 };
	struct mmfdev_device_info di;
	struct mmfdev_dma_info *info;
	unsigned int index = 0;
	uint64_t src, dst;
	uint8_t *map;
	size_t len;
	void *addr;

	ASSERT_EQ(0, device_info(self->fd, &di));
	ASSERT_EQ(0, dma_alloc(self->fd, variant->kind, size, &index));
	info = dma_info(self->fd, index, 64);
	ASSERT_NE(NULL, info);
	if (!(info->flags & MMFDEV_DMA_INFO_SYNC) ||
	    !(di.flags & MMFDEV_DEVICE_FLAG_DMA_COHERENT) ||
	    di.flags & MMFDEV_DEVICE_FLAG_IOMMU) {
		free(info);
		EXPECT_EQ(0, dma_free(self->fd, index));
		SKIP(return, "this buffer does not bounce (boot with swiotlb=force)");
	}
	ASSERT_EQ(0, mmfdev_map(self->dev, index, 0, 0,
				MMFDEV_MAP_READ | MMFDEV_MAP_WRITE, &addr,
				&len));
	map = addr;
	src = bus_addr_at(info, 0, &left);
	dst = bus_addr_at(info, dst_off, &left);

	fill(want, sizeof(want), 77);
	memcpy(map, want, sizeof(want));
	ASSERT_EQ(0, dma_sync(self->fd, index, MMFDEV_DMA_SYNC_TO_DEVICE |
			      MMFDEV_DMA_SYNC_FOR_DEVICE, 0, size));
	ASSERT_EQ(0, edu_dma(self->dev, self->regs, self->line, self->level,
			     src, EDU_DMA_BUF, 0));
	ASSERT_EQ(0, edu_dma(self->dev, self->regs, self->line, self->level,
			     EDU_DMA_BUF, dst, EDU_DMA_CMD_TO_RAM));
	/* The device wrote, but the CPU's pages do not have it yet, */
	EXPECT_EQ(0, memcmp(zero, map + dst_off, EDU_DMA_LEN));
	/* until synced for the CPU. */
	ASSERT_EQ(0, dma_sync(self->fd, index, MMFDEV_DMA_SYNC_FROM_DEVICE |
			      MMFDEV_DMA_SYNC_FOR_CPU, dst_off, EDU_DMA_LEN));
	EXPECT_EQ(0, memcmp(want, map + dst_off, EDU_DMA_LEN));
	mmfdev_unmap(map, len);
	free(info);
	EXPECT_EQ(0, dma_free(self->fd, index));
}

/* Bytes written with pwrite() reach the device as the mapping's do. */
TEST_F(edu, pwrite_then_device_reads)
{
	uint64_t size = self->page, left, bus;
	struct mmfdev_dma_info *info;
	uint8_t want[EDU_DMA_LEN], got[EDU_DMA_LEN];
	unsigned int index = 0;

	ASSERT_EQ(0, dma_alloc(self->fd, variant->kind, size, &index));
	info = dma_info(self->fd, index, 64);
	ASSERT_NE(NULL, info);
	bus = bus_addr_at(info, 0, &left);
	fill(want, sizeof(want), 99);
	ASSERT_EQ(EDU_DMA_LEN, mmfdev_write(self->dev, index, 0, want,
					    sizeof(want)));
	ASSERT_EQ(0, dma_sync(self->fd, index, MMFDEV_DMA_SYNC_TO_DEVICE |
			      MMFDEV_DMA_SYNC_FOR_DEVICE, 0, EDU_DMA_LEN));
	ASSERT_EQ(0, edu_dma(self->dev, self->regs, self->line, self->level,
			     bus, EDU_DMA_BUF, 0));
	/* Clear it, and fetch it back from edu. */
	memset(got, 0, sizeof(got));
	ASSERT_EQ(EDU_DMA_LEN, mmfdev_write(self->dev, index, 0, got,
					    sizeof(got)));
	ASSERT_EQ(0, dma_sync(self->fd, index, MMFDEV_DMA_SYNC_BIDIRECTIONAL |
			      MMFDEV_DMA_SYNC_FOR_DEVICE, 0, size));
	ASSERT_EQ(0, edu_dma(self->dev, self->regs, self->line, self->level,
			     EDU_DMA_BUF, bus, EDU_DMA_CMD_TO_RAM));
	ASSERT_EQ(0, dma_sync(self->fd, index, MMFDEV_DMA_SYNC_FROM_DEVICE |
			      MMFDEV_DMA_SYNC_FOR_CPU, 0, size));
	ASSERT_EQ(EDU_DMA_LEN, mmfdev_read(self->dev, index, 0, got,
					   sizeof(got)));
	EXPECT_EQ(0, memcmp(want, got, sizeof(got)));
	free(info);
	EXPECT_EQ(0, dma_free(self->fd, index));
}

/*
 * Page-backed kinds lend their pages to get_user_pages() (vmsplice here,
 * as O_DIRECT and io_uring would); coherent memory refuses it cleanly.
 */
TEST_F(edu, pages_for_get_user_pages)
{
	uint64_t size = 2 * self->page;
	struct iovec iov;
	unsigned int index = 0;
	uint8_t *map, *got;
	int pipefd[2];
	ssize_t n;
	size_t len;
	void *addr;

	ASSERT_EQ(0, dma_alloc(self->fd, variant->kind, size, &index));
	ASSERT_EQ(0, mmfdev_map(self->dev, index, 0, 0,
				MMFDEV_MAP_READ | MMFDEV_MAP_WRITE, &addr,
				&len));
	map = addr;
	fill(map, size, 5);
	ASSERT_EQ(0, pipe(pipefd));
	iov.iov_base = map;
	iov.iov_len = self->page;
	n = vmsplice(pipefd[1], &iov, 1, 0);
	if (variant->kind == MMFDEV_DMA_KIND_COHERENT) {
		EXPECT_EQ(-1, n);
		EXPECT_EQ(EFAULT, errno);
	} else {
		ASSERT_EQ((ssize_t)self->page, n);
		got = malloc(self->page);
		ASSERT_NE(NULL, got);
		ASSERT_EQ((ssize_t)self->page, read(pipefd[0], got,
						    self->page));
		EXPECT_EQ(0, memcmp(got, map, self->page));
		free(got);
	}
	close(pipefd[0]);
	close(pipefd[1]);
	mmfdev_unmap(map, len);
	EXPECT_EQ(0, dma_free(self->fd, index));
}

/* Freeing a buffer revokes its mappings: SIGBUS, never freed memory. */
TEST_F(edu, free_revokes_mappings)
{
	unsigned int index = 0;
	uint8_t *map;
	size_t len;
	void *addr;

	ASSERT_EQ(0, dma_alloc(self->fd, variant->kind, self->page, &index));
	ASSERT_EQ(0, mmfdev_map(self->dev, index, 0, 0, MMFDEV_MAP_READ,
				&addr, &len));
	map = addr;
	EXPECT_EQ(0, read_faults(map));
	ASSERT_EQ(0, dma_free(self->fd, index));
	EXPECT_EQ(1, read_faults(map));
	mmfdev_unmap(map, len);
}

/*
 * Unbinding the device revokes the node's mappings of its buffers
 * (SIGBUS), as for every region; a dma-buf of one keeps its memory.
 */
TEST_F_TIMEOUT(edu, unbind_revokes_but_dma_bufs_keep, 120)
{
	uint64_t size = 2 * self->page;
	unsigned int index = 0;
	uint8_t *map, *shared;
	char node[160];
	size_t len;
	void *addr;
	int efd;

	if (access(PCI_DRIVER_DIR "/unbind", W_OK))
		SKIP(return, "cannot unbind (not root?)");
	ASSERT_EQ(0, dma_alloc(self->fd, variant->kind, size, &index));
	ASSERT_EQ(0, mmfdev_map(self->dev, index, 0, 0,
				MMFDEV_MAP_READ | MMFDEV_MAP_WRITE, &addr,
				&len));
	map = addr;
	fill(map, size, 3);
	efd = dma_export(self->fd, index, 0, 0, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, efd);
	shared = mmap(NULL, size, PROT_READ, MAP_SHARED, efd, 0);
	ASSERT_NE(MAP_FAILED, shared);

	ASSERT_EQ(0, sysfs_write(PCI_DRIVER_DIR "/unbind", self->bdf));
	EXPECT_EQ(1, read_faults(map));
	EXPECT_EQ(-ENODEV, dma_alloc(self->fd, variant->kind, size, NULL));
	EXPECT_EQ(3, shared[0]);
	EXPECT_EQ((uint8_t)((size - 1) * 7 + 3 + ((size - 1) >> 8)),
		  shared[size - 1]);

	mmfdev_unmap(map, len);
	munmap(shared, size);
	close(efd);
	ASSERT_EQ(0, sysfs_write(PCI_DRIVER_DIR "/bind", self->bdf));
	snprintf(node, sizeof(node), "/dev/%s", self->node);
	EXPECT_EQ(0, access(node, F_OK));
}

/* Every bad argument gets its documented errno. */
TEST_F(edu, bad_arguments)
{
	uint64_t page = self->page;
	struct mmfdev_dma_alloc a = { .argsz = 8 };
	struct mmfdev_device_info di;
	unsigned int index = 0, idx[MMFDEV_NAME_MAX];
	char path[160];
	int n, ro, ret;

	EXPECT_EQ(-EINVAL, dma_alloc(self->fd, 0, page, NULL));
	EXPECT_EQ(-EINVAL, dma_alloc(self->fd, 4, page, NULL));
	EXPECT_EQ(-EINVAL, dma_alloc(self->fd, variant->kind, 0, NULL));
	EXPECT_EQ(-EINVAL, dma_alloc(self->fd, variant->kind, page + 1, NULL));
	EXPECT_EQ(-E2BIG, dma_alloc(self->fd, variant->kind,
				    (1ULL << 36) + page, NULL));
	EXPECT_EQ(-E2BIG, dma_alloc(self->fd, variant->kind,
				    -(uint64_t)page, NULL));
	EXPECT_EQ(-1, ioctl(self->fd, MMFDEV_IOC_DMA_ALLOC, &a));
	EXPECT_EQ(EINVAL, errno);
	a.argsz = sizeof(a);
	a.flags = 1;
	a.kind = variant->kind;
	a.size = page;
	EXPECT_EQ(-1, ioctl(self->fd, MMFDEV_IOC_DMA_ALLOC, &a));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->fd, MMFDEV_IOC_DMA_ALLOC, NULL));
	EXPECT_EQ(EFAULT, errno);

	/* Over the quota. */
	ASSERT_EQ(0, device_info(self->fd, &di));
	EXPECT_EQ(-ENOSPC, dma_alloc(self->fd, variant->kind,
				     di.dma_quota - di.dma_used + page, NULL));

	/* Not DMA buffers: a BAR, an empty slot, beyond the table. */
	EXPECT_EQ(-EINVAL, dma_free(self->fd, 0));
	EXPECT_EQ(-EINVAL, dma_free(self->fd, 6));
	EXPECT_EQ(-EINVAL, dma_free(self->fd, 1000));
	EXPECT_EQ(-EINVAL, dma_sync(self->fd, 0, MMFDEV_DMA_SYNC_TO_DEVICE |
				    MMFDEV_DMA_SYNC_FOR_DEVICE, 0, page));
	EXPECT_EQ(NULL, dma_info(self->fd, 0, 4));
	EXPECT_EQ(EINVAL, errno);

	ASSERT_EQ(0, dma_alloc(self->fd, variant->kind, 2 * page, &index));
	/* Sync: a direction and a side, a range inside, nothing wraps. */
	EXPECT_EQ(-EINVAL, dma_sync(self->fd, index, 0, 0, page));
	EXPECT_EQ(-EINVAL, dma_sync(self->fd, index,
				    MMFDEV_DMA_SYNC_TO_DEVICE, 0, page));
	EXPECT_EQ(-EINVAL, dma_sync(self->fd, index,
				    MMFDEV_DMA_SYNC_FOR_CPU, 0, page));
	EXPECT_EQ(-EINVAL, dma_sync(self->fd, index,
				    MMFDEV_DMA_SYNC_TO_DEVICE |
				    MMFDEV_DMA_SYNC_FOR_CPU |
				    MMFDEV_DMA_SYNC_FOR_DEVICE, 0, page));
	EXPECT_EQ(-EINVAL, dma_sync(self->fd, index,
				    MMFDEV_DMA_SYNC_TO_DEVICE |
				    MMFDEV_DMA_SYNC_FOR_CPU | 0x100, 0, page));
	EXPECT_EQ(-EINVAL, dma_sync(self->fd, index,
				    MMFDEV_DMA_SYNC_TO_DEVICE |
				    MMFDEV_DMA_SYNC_FOR_CPU, 0, 0));
	EXPECT_EQ(-EINVAL, dma_sync(self->fd, index,
				    MMFDEV_DMA_SYNC_TO_DEVICE |
				    MMFDEV_DMA_SYNC_FOR_CPU, page, 2 * page));
	EXPECT_EQ(-EINVAL, dma_sync(self->fd, index,
				    MMFDEV_DMA_SYNC_TO_DEVICE |
				    MMFDEV_DMA_SYNC_FOR_CPU, UINT64_MAX, 2));
	EXPECT_EQ(-EINVAL, dma_sync(self->fd, index,
				    MMFDEV_DMA_SYNC_TO_DEVICE |
				    MMFDEV_DMA_SYNC_FOR_CPU, page, UINT64_MAX));
	EXPECT_EQ(0, dma_sync(self->fd, index, MMFDEV_DMA_SYNC_TO_DEVICE |
			      MMFDEV_DMA_SYNC_FOR_CPU, page - 1, page + 1));

	/* A file open read-only can look, not allocate or free. */
	snprintf(path, sizeof(path), "/dev/%s", self->node);
	ro = open(path, O_RDONLY | O_CLOEXEC);
	if (ro >= 0) {
		EXPECT_EQ(-EBADF, dma_alloc(ro, variant->kind, page, NULL));
		EXPECT_EQ(-EBADF, dma_free(ro, index));
		EXPECT_EQ(0, dma_sync(ro, index, MMFDEV_DMA_SYNC_TO_DEVICE |
				      MMFDEV_DMA_SYNC_FOR_DEVICE, 0, page));
		close(ro);
	}
	EXPECT_EQ(0, dma_free(self->fd, index));

	/* The slots run out: ENOSPC, and they all come back. */
	for (n = 0; n < MMFDEV_NAME_MAX; n++) {
		ret = dma_alloc(self->fd, variant->kind, page, &idx[n]);
		if (ret)
			break;
	}
	EXPECT_EQ(-ENOSPC, ret);
	EXPECT_LT(0, n);
	TH_LOG("%d buffers at once", n);
	while (n--)
		EXPECT_EQ(0, dma_free(self->fd, idx[n]));
	/*
	 * Their memory is back at once behind an IOMMU; else once the
	 * device is quiesced, which its MSIs put off to the last close.
	 */
	ASSERT_EQ(0, device_info(self->fd, &di));
	if (di.flags & MMFDEV_DEVICE_FLAG_IOMMU)
		EXPECT_EQ(0, di.dma_used);
	TH_LOG("%llu bytes wait for the device to be quiesced",
	       (unsigned long long)di.dma_used);
}

/*
 * A dma-buf of the buffer, or of a range, is the same memory: through
 * its own mmap() and DMA_BUF_IOCTL_SYNC, read-only unless asked, and it
 * outlives the buffer's region, holding the module meanwhile.
 */
TEST_F(edu, dma_buf_export)
{
	uint64_t page = self->page, size = 4 * page;
	unsigned int index = 0;
	uint8_t *map, *whole, *part;
	struct mmfdev_device_info di;
	long refcnt;
	size_t len;
	void *addr;
	int efd, rfd, ro;
	char path[160];

	ASSERT_EQ(0, dma_alloc(self->fd, variant->kind, size, &index));
	ASSERT_EQ(0, mmfdev_map(self->dev, index, 0, 0,
				MMFDEV_MAP_READ | MMFDEV_MAP_WRITE, &addr,
				&len));
	map = addr;
	fill(map, size, 11);
	refcnt = module_refcnt();

	efd = dma_export(self->fd, index, 0, 0, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, efd);
	EXPECT_EQ(FD_CLOEXEC, fcntl(efd, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(O_RDWR, fcntl(efd, F_GETFL) & O_ACCMODE);
	if (refcnt >= 0)
		EXPECT_EQ(refcnt + 1, module_refcnt());
	whole = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, efd, 0);
	ASSERT_NE(MAP_FAILED, whole);
	EXPECT_EQ(0, dmabuf_sync(efd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW));
	EXPECT_EQ(0, memcmp(map, whole, size));
	whole[page + 3] ^= 0xff;
	EXPECT_EQ(0, dmabuf_sync(efd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW));
	EXPECT_EQ(map[page + 3], whole[page + 3]);
	EXPECT_EQ(-EINVAL, dmabuf_sync(efd, 0xff));

	/* A range: pages 1 and 2, read-only. */
	rfd = dma_export(self->fd, index, page, 2 * page, O_CLOEXEC);
	ASSERT_LE(0, rfd);
	EXPECT_EQ(O_RDONLY, fcntl(rfd, F_GETFL) & O_ACCMODE);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page, PROT_READ | PROT_WRITE,
				   MAP_SHARED, rfd, 0));
	EXPECT_EQ(EACCES, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 3 * page, PROT_READ, MAP_SHARED,
				   rfd, 0));
	part = mmap(NULL, 2 * page, PROT_READ, MAP_SHARED, rfd, 0);
	ASSERT_NE(MAP_FAILED, part);
	EXPECT_EQ(0, memcmp(map + page, part, 2 * page));

	/* Bad requests. */
	EXPECT_EQ(-EINVAL, dma_export(self->fd, index, 0, 0, 0x4000000));
	EXPECT_EQ(-EINVAL, dma_export(self->fd, index, 1, page, 0));
	EXPECT_EQ(-EINVAL, dma_export(self->fd, index, 0, page + 1, 0));
	EXPECT_EQ(-EINVAL, dma_export(self->fd, index, page, size, 0));
	EXPECT_EQ(-EINVAL, dma_export(self->fd, index, size, 0, 0));
	EXPECT_EQ(-EINVAL, dma_export(self->fd, index, page, UINT64_MAX -
				      page + 1, 0));
	EXPECT_EQ(-EINVAL, dma_export(self->fd, 0, 0, 0, 0));
	snprintf(path, sizeof(path), "/dev/%s", self->node);
	ro = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, ro);
	EXPECT_EQ(-EBADF, dma_export(ro, index, 0, 0, O_RDWR));
	close(ro);

	/* The region goes; the dma-bufs keep the memory, and it counts. */
	mmfdev_unmap(map, len);
	ASSERT_EQ(0, dma_free(self->fd, index));
	ASSERT_EQ(0, device_info(self->fd, &di));
	EXPECT_LE(size, di.dma_used);
	EXPECT_EQ(0, memcmp(whole + page, part, 2 * page));
	fill(whole, size, 12);
	EXPECT_EQ(whole[page], part[0]);
	munmap(whole, size);
	munmap(part, 2 * page);
	close(rfd);
	if (refcnt >= 0)
		EXPECT_EQ(refcnt + 1, module_refcnt());
	close(efd);
	if (refcnt >= 0)
		EXPECT_EQ(refcnt, module_refcnt());
}

/*
 * DRM's PRIME import, as vgem does it: the few ioctls of <drm/drm.h>
 * this needs, which the C library does not ship.
 */
struct t_drm_version {
	int major, minor, patchlevel;
	size_t name_len;
	char *name;
	size_t date_len;
	char *date;
	size_t desc_len;
	char *desc;
};

struct t_drm_prime_handle {
	uint32_t handle;
	uint32_t flags;
	int32_t fd;
};

struct t_drm_gem_close {
	uint32_t handle;
	uint32_t pad;
};

#define T_DRM_IOCTL_VERSION		_IOWR('d', 0x00, struct t_drm_version)
#define T_DRM_IOCTL_GEM_CLOSE		_IOW('d', 0x09, struct t_drm_gem_close)
#define T_DRM_IOCTL_PRIME_FD_TO_HANDLE	_IOWR('d', 0x2e, \
					      struct t_drm_prime_handle)
#define T_DRM_IOCTL_PRIME_HANDLE_TO_FD	_IOWR('d', 0x2d, \
					      struct t_drm_prime_handle)

/* An open DRM node of the vgem driver, or -1. */
static int open_vgem(void)
{
	char path[64], name[16];
	int i, fd;

	for (i = 0; i < 16; i++) {
		struct t_drm_version v = {
			.name_len = sizeof(name) - 1, .name = name,
		};

		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		memset(name, 0, sizeof(name));
		if (!ioctl(fd, T_DRM_IOCTL_VERSION, &v) &&
		    !strcmp(name, "vgem"))
			return fd;
		close(fd);
	}
	return -1;
}

/*
 * A real importer: vgem imports the dma-buf (PRIME: it attaches, and maps
 * it for its own device), and keeps it: with our file of it closed and
 * the buffer freed, the dma-buf vgem hands back (DRM does not mmap
 * imported objects itself) still maps the buffer's bytes.
 */
TEST_F(edu, vgem_imports_the_dma_buf)
{
	uint64_t size = 2 * self->page;
	struct t_drm_prime_handle prime = { 0 }, back = { 0 };
	struct t_drm_gem_close gclose = { 0 };
	struct mmfdev_device_info di;
	unsigned int index = 0;
	uint8_t *map, *held, *want;
	int drm, efd;
	size_t len;
	void *addr;

	drm = open_vgem();
	if (drm < 0)
		SKIP(return, "no vgem (modprobe vgem)");
	ASSERT_EQ(0, dma_alloc(self->fd, variant->kind, size, &index));
	ASSERT_EQ(0, mmfdev_map(self->dev, index, 0, 0,
				MMFDEV_MAP_READ | MMFDEV_MAP_WRITE, &addr,
				&len));
	map = addr;
	fill(map, size, 21);
	efd = dma_export(self->fd, index, 0, 0, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, efd);

	prime.fd = efd;
	ASSERT_EQ(0, ioctl(drm, T_DRM_IOCTL_PRIME_FD_TO_HANDLE, &prime))
		TH_LOG("PRIME import: %s", strerror(errno));
	close(efd);
	mmfdev_unmap(map, len);
	ASSERT_EQ(0, dma_free(self->fd, index));
	ASSERT_EQ(0, device_info(self->fd, &di));
	EXPECT_LE(size, di.dma_used);

	back.handle = prime.handle;
	back.flags = O_CLOEXEC | O_RDWR;
	ASSERT_EQ(0, ioctl(drm, T_DRM_IOCTL_PRIME_HANDLE_TO_FD, &back))
		TH_LOG("PRIME export of the import: %s", strerror(errno));
	held = mmap(NULL, size, PROT_READ, MAP_SHARED, back.fd, 0);
	ASSERT_NE(MAP_FAILED, held) TH_LOG("%s", strerror(errno));
	want = malloc(size);
	ASSERT_NE(NULL, want);
	fill(want, size, 21);
	EXPECT_EQ(0, memcmp(want, held, size));
	free(want);
	munmap(held, size);
	close(back.fd);
	gclose.handle = prime.handle;
	EXPECT_EQ(0, ioctl(drm, T_DRM_IOCTL_GEM_CLOSE, &gclose));
	close(drm);
}

/* The command register's bus-master bit of PCI device @bdf, or -1. */
static int pci_bus_master(const char *bdf)
{
	char path[128];
	uint16_t cmd;
	int fd, ret;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", bdf);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ret = pread(fd, &cmd, 2, 4) == 2 ? !!(cmd & 0x4) : -1;
	close(fd);
	return ret;
}

/*
 * A process killed with a transfer under way: its buffers are freed when
 * its file closes, but only after bus mastering went off, so that the
 * transfer cannot land in freed memory.  The next open turns it back on.
 */
TEST_F(edu, killed_mid_transfer_quiesces)
{
	struct mmfdev_device_info di;
	int ready[2], status;
	char path[160];
	pid_t pid;
	char c;

	snprintf(path, sizeof(path), "/dev/%s", self->node);
	mmfdev_unmap((void *)self->regs, self->regs_len);
	self->regs = NULL;
	mmfdev_close(self->dev);
	self->dev = NULL;

	ASSERT_EQ(0, pipe(ready));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct mmfdev_dma_info *info;
		struct mmfdev *dev;
		unsigned int index = 0;
		uint64_t left;
		void *addr;
		size_t len;

		close(ready[0]);
		if (mmfdev_open(path, 0, &dev) ||
		    dma_alloc(mmfdev_get_fd(dev), variant->kind,
			      sysconf(_SC_PAGESIZE), &index))
			_exit(1);
		info = dma_info(mmfdev_get_fd(dev), index, 4);
		if (!info || mmfdev_map(dev, 0, 0, 0, MMFDEV_MAP_READ |
					MMFDEV_MAP_WRITE, &addr, &len))
			_exit(2);
		/* edu copies 100 ms after the command: die before that. */
		mmfdev_write32((uint8_t *)addr + EDU_DMA_SRC, EDU_DMA_BUF);
		mmfdev_write32((uint8_t *)addr + EDU_DMA_DST,
			       (uint32_t)bus_addr_at(info, 0, &left));
		mmfdev_write32((uint8_t *)addr + EDU_DMA_DST + 4,
			       (uint32_t)(info->bus_addr >> 32));
		mmfdev_write32((uint8_t *)addr + EDU_DMA_COUNT, EDU_DMA_LEN);
		mmfdev_write32((uint8_t *)addr + EDU_DMA_CMD,
			       EDU_DMA_CMD_START | EDU_DMA_CMD_TO_RAM);
		if (write(ready[1], "r", 1) != 1)
			_exit(3);
		pause();
		_exit(4);
	}
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	close(ready[0]);
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));

	/* No file open: quiesced. */
	EXPECT_EQ(0, pci_bus_master(self->bdf));
	usleep(300000);	/* the transfer's time has come and gone */

	ASSERT_EQ(0, mmfdev_open(path, 0, &self->dev));
	self->fd = mmfdev_get_fd(self->dev);
	ASSERT_EQ(0, device_info(self->fd, &di));
	EXPECT_EQ(0, di.dma_used);
	/* Its MSIs need it: the open lets the device master the bus. */
	EXPECT_EQ(1, pci_bus_master(self->bdf));
}

/*
 * A device-tree node's buffers (a platform device; not cache-coherent on
 * arm64 QEMU): the kinds, their cache modes and syncs, from the CPU side.
 */
FIXTURE(dt) {
	int fd;
	size_t page;
};

FIXTURE_SETUP(dt)
{
	self->page = sysconf(_SC_PAGESIZE);
	self->fd = -1;
	if (find_dmabuf_node(dt_node, sizeof(dt_node)))
		SKIP(return, "no device-tree node with mmfdev,dma-buffers");
	self->fd = open(dt_node, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd) TH_LOG("%s: %s", dt_node, strerror(errno));
}

FIXTURE_TEARDOWN(dt)
{
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F(dt, every_kind)
{
	static const unsigned int kinds[] = {
		MMFDEV_DMA_KIND_COHERENT, MMFDEV_DMA_KIND_STREAMING,
		MMFDEV_DMA_KIND_CONTIGUOUS,
	};
	struct mmfdev_device_info di;
	unsigned int i;

	ASSERT_EQ(0, device_info(self->fd, &di));
	EXPECT_TRUE(di.flags & MMFDEV_DEVICE_FLAG_DMA);
	TH_LOG("mask 0x%llx, coherent %d, iommu %d",
	       (unsigned long long)di.dma_mask,
	       !!(di.flags & MMFDEV_DEVICE_FLAG_DMA_COHERENT),
	       !!(di.flags & MMFDEV_DEVICE_FLAG_IOMMU));
	for (i = 0; i < 3; i++) {
		uint64_t size = 8 * self->page;
		struct mmfdev_region_info ri;
		struct mmfdev_dma_info *info;
		unsigned int index = 0;
		uint8_t *map, *got;

		ASSERT_EQ(0, dma_alloc(self->fd, kinds[i], size, &index));
		ASSERT_EQ(0, region_info(self->fd, index, &ri));
		info = dma_info(self->fd, index, 16);
		ASSERT_NE(NULL, info);
		EXPECT_LE(info->bus_addr + size - 1, di.dma_mask);
		if (kinds[i] == MMFDEV_DMA_KIND_COHERENT) {
			/* The kernel's own attributes for that memory. */
			EXPECT_EQ(di.flags & MMFDEV_DEVICE_FLAG_DMA_COHERENT ?
				  MMFDEV_CACHE_WB : MMFDEV_CACHE_WC,
				  ri.cache_default);
			EXPECT_FALSE(info->flags & MMFDEV_DMA_INFO_SYNC);
		} else {
			EXPECT_EQ(MMFDEV_CACHE_WB, ri.cache_default);
			if (!(di.flags & MMFDEV_DEVICE_FLAG_DMA_COHERENT))
				EXPECT_TRUE(info->flags & MMFDEV_DMA_INFO_SYNC);
		}
		map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
			   self->fd, ri.offset);
		ASSERT_NE(MAP_FAILED, map);
		fill(map, size, i);
		EXPECT_EQ(0, dma_sync(self->fd, index,
				      MMFDEV_DMA_SYNC_TO_DEVICE |
				      MMFDEV_DMA_SYNC_FOR_DEVICE, 0, size));
		EXPECT_EQ(0, dma_sync(self->fd, index,
				      MMFDEV_DMA_SYNC_FROM_DEVICE |
				      MMFDEV_DMA_SYNC_FOR_CPU, 0, size));
		EXPECT_EQ(0, msync(map, size, MS_SYNC));
		got = malloc(size);
		ASSERT_NE(NULL, got);
		ASSERT_EQ((ssize_t)size, pread(self->fd, got, size,
					       ri.offset));
		EXPECT_EQ(0, memcmp(got, map, size));
		free(got);
		munmap(map, size);
		free(info);
		EXPECT_EQ(0, dma_free(self->fd, index));
	}
}

/*
 * The node's first DMA slot holds the buffer its "mmfdev,dma-alloc" made
 * at probe time: it survives every close, and DMA_FREE refuses it.
 */
TEST_F(dt, buffer_made_at_probe_time)
{
	struct mmfdev_region_info ri;
	struct mmfdev_dma_info *info;
	unsigned int i, found = 0;

	for (i = 0; !region_info(self->fd, i, &ri); i++) {
		if (ri.kind != MMFDEV_REGION_KIND_DMA)
			continue;
		info = dma_info(self->fd, i, 4);
		ASSERT_NE(NULL, info);
		if (info->kind == MMFDEV_DMA_KIND_COHERENT &&
		    info->size == 64 << 10) {
			found++;
			EXPECT_EQ(-EBUSY, dma_free(self->fd, i));
		}
		free(info);
	}
	if (!found)
		SKIP(return, "no mmfdev,dma-alloc = \"coherent:64K\" here");
	EXPECT_EQ(1, found);
}

/* Physical address of the page at @addr, from /proc/self/pagemap; 0 if hidden. */
static uint64_t phys_of(const void *addr)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t entry = 0;
	int fd;

	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (pread(fd, &entry, 8, (uintptr_t)addr / page * 8) != 8)
		entry = 0;
	close(fd);
	if (!(entry & (1ULL << 63)))
		return 0;
	return (entry & ((1ULL << 55) - 1)) * page;
}

/* The big-endian cells of a device-tree property, as one number. */
static uint64_t dt_cells(const uint8_t *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 4 * n; i++)
		v = v << 8 | p[i];
	return v;
}

/*
 * The offset the node's bus puts between physical and bus addresses: the
 * first entry of its dma-ranges (2 + 2 + 2 cells).  0, or -1 if it has
 * none.
 */
static int dt_dma_offset(uint64_t *offset)
{
	uint8_t ranges[24];
	char path[400];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s/of_node/../dma-ranges",
		 PLATFORM_DRIVER_DIR,
		 dt_node + strlen("/dev/") + strlen("mmfdev-"));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, ranges, sizeof(ranges));
	close(fd);
	if (n != sizeof(ranges))
		return -1;
	*offset = dt_cells(ranges, 2) - dt_cells(ranges + 8, 2);
	return 0;
}

/* Was the kernel booted with swiotlb=force: does every mapping bounce? */
static int swiotlb_forced(void)
{
	char line[2048] = "";
	FILE *f = fopen("/proc/cmdline", "re");

	if (!f)
		return 0;
	if (!fgets(line, sizeof(line), f))
		line[0] = 0;
	fclose(f);
	return strstr(line, "swiotlb=force") != NULL;
}

/*
 * Bus addresses follow the bus's dma-ranges: on a bus that sees RAM at
 * phys + offset (the Raspberry Pi 5's PCIe and RP1 do, with 0x10_0000_0000),
 * every page of a buffer is at its physical address plus that offset.
 * Under swiotlb=force the device sees a bounce buffer instead of the
 * pages: then each page's bus address, less the offset, is RAM, and not
 * where the page is.
 */
TEST_F(dt, bus_address_follows_dma_ranges)
{
	uint64_t size = 4 * self->page, offset, phys;
	int bounced = swiotlb_forced();
	struct mmfdev_region_info ri;
	struct mmfdev_dma_info *info;
	unsigned int index = 0, i;
	uint8_t *map;

	if (dt_dma_offset(&offset))
		SKIP(return, "the node's bus has no dma-ranges");

	ASSERT_EQ(0, dma_alloc(self->fd, MMFDEV_DMA_KIND_STREAMING, size,
			       &index));
	ASSERT_EQ(0, region_info(self->fd, index, &ri));
	info = dma_info(self->fd, index, 64);
	ASSERT_NE(NULL, info);
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd,
		   ri.offset);
	ASSERT_NE(MAP_FAILED, map);
	for (i = 0; i < size / self->page; i++) {
		uint64_t left, bus = bus_addr_at(info, i * self->page, &left);

		map[i * self->page] = 1;	/* fault it in */
		phys = phys_of(map + i * self->page);
		ASSERT_NE(0, phys) TH_LOG("pagemap hides frames: not root?");
		if (bounced) {
			ASSERT_LE(offset, bus);
			EXPECT_NE(phys + offset, bus);
			EXPECT_TRUE(iomem_ram_holds(bus - offset,
						    bus - offset + self->page - 1))
				TH_LOG("page %u: bus 0x%llx less 0x%llx is not RAM",
				       i, (unsigned long long)bus,
				       (unsigned long long)offset);
			continue;
		}
		EXPECT_EQ(phys + offset, bus)
			TH_LOG("page %u: phys 0x%llx bus 0x%llx offset 0x%llx",
			       i, (unsigned long long)phys,
			       (unsigned long long)bus,
			       (unsigned long long)offset);
	}
	TH_LOG("dma-ranges offset 0x%llx: bus 0x%llx%s",
	       (unsigned long long)offset,
	       (unsigned long long)info->bus_addr,
	       bounced ? " (a swiotlb bounce buffer)" : "");
	munmap(map, size);
	free(info);
	EXPECT_EQ(0, dma_free(self->fd, index));
}

/* Is [@phys, @phys + @len) inside a shared-dma-pool of the device tree? */
static int in_dma_pool(uint64_t phys, uint64_t len)
{
	const char *base = "/sys/firmware/devicetree/base/reserved-memory";
	char path[600], compat[64];
	uint8_t reg[16];
	struct dirent *d;
	int fd, found = 0;
	ssize_t n;
	DIR *dir;

	dir = opendir(base);
	if (!dir)
		return 0;
	while (!found && (d = readdir(dir))) {
		snprintf(path, sizeof(path), "%s/%s/compatible", base,
			 d->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, compat, sizeof(compat) - 1);
		close(fd);
		if (n <= 0 || strncmp(compat, "shared-dma-pool", 15))
			continue;
		snprintf(path, sizeof(path), "%s/%s/reg", base, d->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (read(fd, reg, sizeof(reg)) == sizeof(reg) &&
		    phys >= dt_cells(reg, 2) &&
		    phys + len <= dt_cells(reg, 2) + dt_cells(reg + 8, 2))
			found = 1;
		close(fd);
	}
	closedir(dir);
	return found;
}

/*
 * A node whose memory-region is a shared-dma-pool takes its coherent
 * buffers from there (found from the bus address, less the bus's offset:
 * pagemap shows no frames of PFN maps); that no-map memory has no struct
 * pages, so it cannot be a dma-buf.
 */
TEST_F(dt, coherent_buffers_from_the_pool)
{
	uint64_t size = 4 * self->page, offset = 0, phys;
	struct mmfdev_dma_info *info;
	unsigned int index = 0;

	dt_dma_offset(&offset);
	ASSERT_EQ(0, dma_alloc(self->fd, MMFDEV_DMA_KIND_COHERENT, size,
			       &index));
	info = dma_info(self->fd, index, 1);
	ASSERT_NE(NULL, info);
	phys = info->bus_addr - offset;
	free(info);
	if (!in_dma_pool(phys, size)) {
		EXPECT_EQ(0, dma_free(self->fd, index));
		SKIP(return, "phys 0x%llx: not from a shared-dma-pool",
		     (unsigned long long)phys);
	}
	TH_LOG("from the pool: phys 0x%llx", (unsigned long long)phys);
	EXPECT_EQ(-EOPNOTSUPP, dma_export(self->fd, index, 0, 0, O_CLOEXEC));
	EXPECT_EQ(0, dma_free(self->fd, index));
}

/*
 * pci_dma_alloc makes buffers when a PCI device is bound: they are there
 * at the first open, survive every close, and DMA_FREE refuses them.
 */
MODULE_RELOAD_FIXTURE(reload);

TEST_F(reload, pci_buffers_made_at_probe_time)
{
	char opts[1024], bdf[64], node[128];
	struct mmfdev_region_info ri;
	struct mmfdev_dma_info *info;
	unsigned int i;
	int fd, round;

	if (find_pci(EDU_VENDOR, EDU_DEVICE, bdf, sizeof(bdf)))
		SKIP(return, "no edu device");
	snprintf(opts, sizeof(opts), "%s pci_dma_alloc=streaming:%zu,coherent:%zu",
		 module_default_options(), 2 * self->page, self->page);
	ASSERT_EQ(0, module_remove());
	ASSERT_EQ(0, module_insert(opts));
	snprintf(node, sizeof(node), "/dev/mmfdev-pci-%s", bdf);
	for (round = 0; round < 2; round++) {
		fd = open(node, O_RDWR | O_CLOEXEC);
		ASSERT_LE(0, fd) TH_LOG("%s: %s", node, strerror(errno));
		for (i = 6; i < 8; i++) {
			ASSERT_EQ(0, region_info(fd, i, &ri));
			EXPECT_EQ(MMFDEV_REGION_KIND_DMA, ri.kind);
			info = dma_info(fd, i, 4);
			ASSERT_NE(NULL, info);
			EXPECT_EQ(i == 6 ? MMFDEV_DMA_KIND_STREAMING :
				  MMFDEV_DMA_KIND_COHERENT, info->kind);
			EXPECT_EQ((i == 6 ? 2 : 1) * self->page, info->size);
			free(info);
			EXPECT_EQ(-EBUSY, dma_free(fd, i));
		}
		close(fd);
	}
	module_reload_default();
}

TEST_HARNESS_MAIN
