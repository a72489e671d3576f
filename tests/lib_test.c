// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libmmfdev tests that need no mmfdev device: argument checking, the
 * errnos for nodes that are not mmfdev, no leaked descriptors, and the DMA
 * calls against a fake module.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <linux/mmfdev.h>

#include "kselftest_harness.h"
#include "mmfdev.h"

static int count_fds(void)
{
	struct dirent *de;
	int n = 0;
	DIR *d;

	d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

TEST(open_regular_file)
{
	char path[] = "/tmp/mmfdev-lib-test-XXXXXX";
	struct mmfdev *dev = (void *)1;
	int fd, before;

	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	close(fd);
	before = count_fds();
	EXPECT_EQ(-ENOTTY, mmfdev_open(path, 0, &dev));
	EXPECT_EQ((void *)1, dev);
	EXPECT_EQ(before, count_fds());
	unlink(path);
}

TEST(open_other_char_device)
{
	struct mmfdev *dev = NULL;
	int before = count_fds();

	if (access("/dev/null", R_OK | W_OK))
		SKIP(return, "no /dev/null");
	EXPECT_EQ(-ENODEV, mmfdev_open("/dev/null", 0, &dev));
	EXPECT_EQ(-ENODEV, mmfdev_open("/dev/zero", MMFDEV_OPEN_RDONLY,
				       &dev));
	EXPECT_EQ(NULL, dev);
	EXPECT_EQ(before, count_fds());
}

TEST(open_directory)
{
	struct mmfdev *dev = NULL;

	EXPECT_EQ(-ENOTTY, mmfdev_open("/", MMFDEV_OPEN_RDONLY, &dev));
	EXPECT_EQ(-EISDIR, mmfdev_open("/", 0, &dev));
}

TEST(open_missing)
{
	struct mmfdev *dev = NULL;

	EXPECT_EQ(-ENOENT, mmfdev_open("/nonexistent/mmfdev", 0, &dev));
	EXPECT_EQ(NULL, dev);
}

TEST(open_bad_arguments)
{
	struct mmfdev *dev = NULL;

	EXPECT_EQ(-EINVAL, mmfdev_open("/dev/null", 0, NULL));
	EXPECT_EQ(-EINVAL, mmfdev_open("/dev/null", 1U << 7, &dev));
	EXPECT_EQ(-EINVAL, mmfdev_open(NULL, ~0U, &dev));
	EXPECT_EQ(NULL, dev);
}

TEST(null_handles)
{
	struct mmfdev_region *region = NULL;
	void *addr = NULL;
	char buf[4];

	mmfdev_close(NULL);
	mmfdev_region_free(NULL);
	EXPECT_EQ(-EINVAL, mmfdev_get_fd(NULL));
	EXPECT_EQ(NULL, mmfdev_get_name(NULL));
	EXPECT_EQ(0, mmfdev_get_num_regions(NULL));
	EXPECT_EQ(0, mmfdev_get_page_size(NULL));
	EXPECT_EQ(-EINVAL, mmfdev_region_get(NULL, 0, &region));
	EXPECT_EQ(-EINVAL, mmfdev_region_find(NULL, "ram", &region));
	EXPECT_EQ(NULL, region);
	EXPECT_EQ(-EINVAL, mmfdev_map(NULL, 0, 0, 0, MMFDEV_MAP_READ, &addr,
				      NULL));
	EXPECT_EQ(NULL, addr);
	EXPECT_EQ(-EINVAL, mmfdev_read(NULL, 0, 0, buf, sizeof(buf)));
	EXPECT_EQ(-EINVAL, mmfdev_write(NULL, 0, 0, buf, sizeof(buf)));
	EXPECT_EQ(-EINVAL, mmfdev_copy_from_region(NULL, 0, 0, buf,
						   sizeof(buf)));
	EXPECT_EQ(-EINVAL, mmfdev_copy_to_region(NULL, 0, 0, buf, sizeof(buf)));
	EXPECT_EQ(-EINVAL, mmfdev_fill_region(NULL, 0, 0, 0, sizeof(buf)));
}

TEST(event_null_handles)
{
	struct mmfdev_event *event = NULL;
	uint64_t count = 7, new_events = 7, stamp = 7, pending = 7;
	int efd = -2, before = count_fds();

	mmfdev_event_free(NULL);
	EXPECT_EQ(0, mmfdev_get_num_events(NULL));
	EXPECT_EQ(-EINVAL, mmfdev_event_get(NULL, 0, &event));
	EXPECT_EQ(-EINVAL, mmfdev_event_get(NULL, 0, NULL));
	EXPECT_EQ(-EINVAL, mmfdev_event_find(NULL, "doorbell0", &event));
	EXPECT_EQ(-EINVAL, mmfdev_event_find(NULL, NULL, NULL));
	EXPECT_EQ(NULL, event);
	EXPECT_EQ(-EINVAL, mmfdev_event_wait(NULL, 0, 0, &pending));
	EXPECT_EQ(-EINVAL, mmfdev_event_wait(NULL, MMFDEV_EVENT_BIT(0), -1,
					     &pending));
	EXPECT_EQ(-EINVAL, mmfdev_event_wait(NULL, 0, -1, NULL));
	EXPECT_EQ(7, pending);
	EXPECT_EQ(-EINVAL, mmfdev_event_read(NULL, 0, &count, &new_events,
					     &stamp));
	EXPECT_EQ(-EINVAL, mmfdev_event_read(NULL, 0, NULL, NULL, NULL));
	EXPECT_EQ(-EINVAL, mmfdev_event_peek(NULL, 0, &count, &new_events,
					     &stamp));
	EXPECT_EQ(-EINVAL, mmfdev_event_peek(NULL, 0, NULL, NULL, NULL));
	EXPECT_EQ(7, count);
	EXPECT_EQ(7, new_events);
	EXPECT_EQ(7, stamp);
	EXPECT_EQ(-EINVAL, mmfdev_event_unmask(NULL, 0));
	EXPECT_EQ(-EINVAL, mmfdev_event_ring(NULL, 0));
	EXPECT_EQ(-EINVAL, mmfdev_event_bind_eventfd(NULL, 0, -1));
	EXPECT_EQ(-EINVAL, mmfdev_event_eventfd(NULL, 0, &efd));
	EXPECT_EQ(-EINVAL, mmfdev_event_eventfd(NULL, 0, NULL));
	EXPECT_EQ(-2, efd);
	EXPECT_EQ(before, count_fds());
}

TEST(event_bind_leaves_the_eventfd_alone)
{
	int efd, before;

	efd = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, efd);
	before = count_fds();
	EXPECT_EQ(-EINVAL, mmfdev_event_bind_eventfd(NULL, 0, efd));
	EXPECT_EQ(-EINVAL, mmfdev_event_bind_eventfd(NULL, 63, efd));
	EXPECT_EQ(before, count_fds());
	EXPECT_NE(-1, fcntl(efd, F_GETFD));
	close(efd);
}

TEST(event_constants)
{
	/* The library's names for the ABI's values. */
	EXPECT_EQ(MMFDEV_EVENT_KIND_DOORBELL, MMFDEV_EVENT_DOORBELL);
	EXPECT_EQ(MMFDEV_EVENT_KIND_MSIX, MMFDEV_EVENT_MSIX);
	EXPECT_EQ(MMFDEV_EVENT_KIND_MSI, MMFDEV_EVENT_MSI);
	EXPECT_EQ(MMFDEV_EVENT_KIND_INTX, MMFDEV_EVENT_INTX);
	EXPECT_EQ(MMFDEV_EVENT_KIND_IRQ, MMFDEV_EVENT_IRQ);
	EXPECT_EQ(MMFDEV_EVENT_TRIGGER_EDGE, MMFDEV_EVENT_EDGE);
	EXPECT_EQ(MMFDEV_EVENT_TRIGGER_LEVEL, MMFDEV_EVENT_LEVEL);
	EXPECT_EQ(MMFDEV_EVENT_FLAG_UNMASK, MMFDEV_EVENT_NEEDS_UNMASK);
	EXPECT_EQ(MMFDEV_EVENT_FLAG_RING, MMFDEV_EVENT_CAN_RING);
	EXPECT_EQ(MMFDEV_EVENT_FLAG_MASKED, MMFDEV_EVENT_MASKED);
	/* Every line has a bit, up to the last one, even in 32-bit builds. */
	EXPECT_EQ(8, sizeof(MMFDEV_EVENT_BIT(0)));
	EXPECT_EQ(1, MMFDEV_EVENT_BIT(0));
	EXPECT_EQ(0x8000000000000000ULL,
		  MMFDEV_EVENT_BIT(MMFDEV_MAX_EVENTS - 1));
}

TEST(dma_null_handles)
{
	struct mmfdev_dma_desc *desc = NULL;
	uint64_t mask = 7, quota = 7, used = 7, addr = 7, len = 7;
	unsigned int index = 7;

	mmfdev_dma_desc_free(NULL);
	EXPECT_EQ(0, mmfdev_get_device_flags(NULL));
	EXPECT_EQ(-EINVAL, mmfdev_get_dma_limits(NULL, &mask, &quota, &used));
	EXPECT_EQ(-EINVAL, mmfdev_get_dma_limits(NULL, NULL, NULL, NULL));
	EXPECT_EQ(7, mask);
	EXPECT_EQ(7, quota);
	EXPECT_EQ(7, used);
	EXPECT_EQ(-EINVAL, mmfdev_dma_alloc(NULL, MMFDEV_DMA_STREAMING,
					    1U << 20, &index));
	EXPECT_EQ(-EINVAL, mmfdev_dma_alloc(NULL, MMFDEV_DMA_COHERENT,
					    1U << 20, NULL));
	EXPECT_EQ(7, index);
	EXPECT_EQ(-EINVAL, mmfdev_dma_free(NULL, 0));
	EXPECT_EQ(-EINVAL, mmfdev_dma_sync(NULL, 0, MMFDEV_DMA_TO_DEVICE |
					   MMFDEV_DMA_FOR_DEVICE, 0, 1));
	EXPECT_EQ(-EINVAL, mmfdev_dma_describe(NULL, 0, &desc));
	EXPECT_EQ(-EINVAL, mmfdev_dma_describe(NULL, 0, NULL));
	EXPECT_EQ(NULL, desc);
	EXPECT_EQ(-EINVAL, mmfdev_dma_desc_get_segment(NULL, 0, &addr, &len));
	EXPECT_EQ(-EINVAL, mmfdev_dma_desc_get_segment(NULL, 0, NULL, NULL));
	EXPECT_EQ(7, addr);
	EXPECT_EQ(7, len);
}

TEST(dma_constants)
{
	/* The library's names for the ABI's values. */
	EXPECT_EQ(MMFDEV_REGION_KIND_DMA, MMFDEV_REGION_DMA);
	EXPECT_EQ(MMFDEV_REGION_FLAG_DMA_SYNC, MMFDEV_REGION_DMA_SYNC);
	EXPECT_EQ(MMFDEV_DEVICE_FLAG_DMA, MMFDEV_DEVICE_DMA);
	EXPECT_EQ(MMFDEV_DEVICE_FLAG_IOMMU, MMFDEV_DEVICE_IOMMU);
	EXPECT_EQ(MMFDEV_DEVICE_FLAG_DMA_COHERENT, MMFDEV_DEVICE_DMA_COHERENT);
	EXPECT_EQ(MMFDEV_DMA_KIND_COHERENT, MMFDEV_DMA_COHERENT);
	EXPECT_EQ(MMFDEV_DMA_KIND_STREAMING, MMFDEV_DMA_STREAMING);
	EXPECT_EQ(MMFDEV_DMA_KIND_CONTIGUOUS, MMFDEV_DMA_CONTIGUOUS);
	EXPECT_EQ(MMFDEV_DMA_SYNC_TO_DEVICE, MMFDEV_DMA_TO_DEVICE);
	EXPECT_EQ(MMFDEV_DMA_SYNC_FROM_DEVICE, MMFDEV_DMA_FROM_DEVICE);
	EXPECT_EQ(MMFDEV_DMA_SYNC_BIDIRECTIONAL, MMFDEV_DMA_BIDIRECTIONAL);
	EXPECT_EQ(MMFDEV_DMA_SYNC_FOR_CPU, MMFDEV_DMA_FOR_CPU);
	EXPECT_EQ(MMFDEV_DMA_SYNC_FOR_DEVICE, MMFDEV_DMA_FOR_DEVICE);
	EXPECT_EQ(MMFDEV_DMA_INFO_SYNC, MMFDEV_DMA_F_SYNC);
	EXPECT_EQ(MMFDEV_DMA_INFO_CONTIGUOUS, MMFDEV_DMA_F_CONTIGUOUS);
	EXPECT_EQ(MMFDEV_DMA_INFO_IOMMU, MMFDEV_DMA_F_IOMMU);
}

/*
 * A fake mmfdev module behind the library, for the DMA calls' own logic:
 * the Makefile links lib_test with --wrap=ioctl,--wrap=realpath, and while
 * fake.on is set, /dev/null passes for an mmfdev node whose ioctls land in
 * fake_ioctl().  The device has one DMA buffer, region FAKE_BUF.
 */
#define FAKE_BUF	2
#define FAKE_REGIONS	4
#define FAKE_SIZE	(1U << 20)

static struct {
	bool on;
	unsigned int flags;	/* MMFDEV_DEVICE_FLAG_* */
	bool old_module;	/* device info as a module before DMA buffers */
	unsigned int segs;	/* segments of the buffer */
	unsigned int grow;	/* segments it gains at each DMA_INFO */
	unsigned int calls;	/* ioctls after the open */
	unsigned int info_calls;
	struct mmfdev_dma_alloc alloc;	/* the last of each, as received */
	struct mmfdev_dma_sync sync;
} fake;

int __real_ioctl(int fd, unsigned long request, ...);
char *__real_realpath(const char *path, char *resolved);

char *__wrap_realpath(const char *path, char *resolved)
{
	if (fake.on && !strncmp(path, "/sys/dev/char/", 14))
		return strdup("/sys/devices/virtual/misc/mmfdev-fake");
	return __real_realpath(path, resolved);
}

static int fake_ioctl(unsigned long request, void *arg)
{
	fake.calls++;
	if (request == MMFDEV_IOC_DEVICE_INFO) {
		struct mmfdev_device_info *info = arg;

		info->flags = fake.flags;
		info->api_version = MMFDEV_API_VERSION;
		info->num_regions = FAKE_REGIONS;
		info->page_size = sysconf(_SC_PAGESIZE);
		strcpy(info->name, "mmfdev-fake");
		info->dma_mask = 0xffffffffULL;
		info->dma_quota = 64U << 20;
		info->dma_used = FAKE_SIZE;
		info->argsz = fake.old_module ?
			      offsetof(struct mmfdev_device_info, dma_mask) :
			      sizeof(*info);
		return 0;
	}
	if (request == MMFDEV_IOC_DMA_ALLOC) {
		fake.alloc = *(struct mmfdev_dma_alloc *)arg;
		((struct mmfdev_dma_alloc *)arg)->index = FAKE_BUF;
		return 0;
	}
	if (request == MMFDEV_IOC_DMA_SYNC) {
		fake.sync = *(struct mmfdev_dma_sync *)arg;
		return 0;
	}
	if (request == MMFDEV_IOC_DMA_INFO) {
		struct mmfdev_dma_info *info = arg;
		unsigned int i, room;

		fake.info_calls++;
		if (info->index != FAKE_BUF) {
			errno = EINVAL;
			return -1;
		}
		fake.segs += fake.grow;
		room = (info->argsz - sizeof(*info)) / sizeof(info->segments[0]);
		info->kind = MMFDEV_DMA_KIND_STREAMING;
		info->flags = MMFDEV_DMA_INFO_SYNC;
		info->size = FAKE_SIZE;
		info->dma_mask = 0xffffffffULL;
		info->bus_addr = 0x80000000ULL;
		info->num_segments = fake.segs;
		for (i = 0; i < fake.segs && i < room; i++) {
			info->segments[i].addr = 0x80000000ULL + 0x100000ULL * i;
			info->segments[i].len = FAKE_SIZE / fake.segs;
		}
		info->argsz = sizeof(*info) +
			      fake.segs * sizeof(info->segments[0]);
		return 0;
	}
	errno = ENOTTY;
	return -1;
}

int __wrap_ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (fake.on)
		return fake_ioctl(request, arg);
	return __real_ioctl(fd, request, arg);
}

/* A handle on the fake device, with @flags; the counts start at 0. */
static struct mmfdev *fake_open(unsigned int flags)
{
	struct mmfdev *dev = NULL;

	fake.on = true;
	fake.flags = flags;
	if (mmfdev_open("/dev/null", 0, &dev))
		return NULL;
	fake.calls = 0;
	return dev;
}

TEST(dma_fake_device_flags_and_limits)
{
	uint64_t mask = 7, quota = 7, used = 7;
	struct mmfdev *dev;

	dev = fake_open(MMFDEV_DEVICE_FLAG_DMA | MMFDEV_DEVICE_FLAG_IOMMU);
	ASSERT_NE(NULL, dev);
	EXPECT_EQ(MMFDEV_DEVICE_DMA | MMFDEV_DEVICE_IOMMU,
		  mmfdev_get_device_flags(dev));
	EXPECT_EQ(0, mmfdev_get_dma_limits(dev, &mask, &quota, &used));
	EXPECT_EQ(0xffffffffULL, mask);
	EXPECT_EQ(64U << 20, quota);
	EXPECT_EQ(FAKE_SIZE, used);
	EXPECT_EQ(0, mmfdev_get_dma_limits(dev, NULL, NULL, NULL));
	/* Fresh each time: no caching. */
	EXPECT_EQ(2, fake.calls);

	/* A module that does not fill the DMA fields. */
	fake.old_module = true;
	mask = quota = used = 7;
	EXPECT_EQ(-EOPNOTSUPP, mmfdev_get_dma_limits(dev, &mask, &quota,
						     &used));
	EXPECT_EQ(7, mask);
	EXPECT_EQ(7, quota);
	EXPECT_EQ(7, used);
	mmfdev_close(dev);
}

TEST(dma_fake_device_without_dma)
{
	struct mmfdev_dma_desc *desc = NULL;
	unsigned int index = 7;
	int fd = -7;
	struct mmfdev *dev;
	uint64_t mask = 7;

	dev = fake_open(0);
	ASSERT_NE(NULL, dev);
	EXPECT_EQ(0, mmfdev_get_device_flags(dev));
	EXPECT_EQ(-EOPNOTSUPP, mmfdev_get_dma_limits(dev, &mask, NULL, NULL));
	EXPECT_EQ(-EOPNOTSUPP, mmfdev_dma_alloc(dev, MMFDEV_DMA_COHERENT,
						FAKE_SIZE, &index));
	EXPECT_EQ(-EOPNOTSUPP, mmfdev_dma_free(dev, FAKE_BUF));
	EXPECT_EQ(-EOPNOTSUPP, mmfdev_dma_sync(dev, FAKE_BUF,
					       MMFDEV_DMA_TO_DEVICE |
					       MMFDEV_DMA_FOR_DEVICE, 0, 1));
	EXPECT_EQ(-EOPNOTSUPP, mmfdev_dma_describe(dev, FAKE_BUF, &desc));
	EXPECT_EQ(-EOPNOTSUPP, mmfdev_dma_export(dev, FAKE_BUF, 0, 0, 0, &fd));
	EXPECT_EQ(-EINVAL, mmfdev_dma_export(dev, FAKE_BUF, 0, 0, 2, &fd));
	EXPECT_EQ(-EINVAL, mmfdev_dma_export(dev, FAKE_BUF, 0, 0, 0, NULL));
	EXPECT_EQ(-EINVAL, mmfdev_dma_export(NULL, 0, 0, 0, 0, &fd));
	EXPECT_EQ(-7, fd);
	EXPECT_EQ(7, mask);
	EXPECT_EQ(7, index);
	EXPECT_EQ(NULL, desc);
	/* The module never saw a DMA ioctl. */
	EXPECT_EQ(0, fake.calls);
	mmfdev_close(dev);
}

TEST(dma_fake_alloc)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned int index = 7;
	struct mmfdev *dev;

	dev = fake_open(MMFDEV_DEVICE_FLAG_DMA);
	ASSERT_NE(NULL, dev);
	EXPECT_EQ(-EINVAL, mmfdev_dma_alloc(dev, 0, page, &index));
	EXPECT_EQ(-EINVAL, mmfdev_dma_alloc(dev, MMFDEV_DMA_CONTIGUOUS + 1,
					    page, &index));
	EXPECT_EQ(-EINVAL, mmfdev_dma_alloc(dev, MMFDEV_DMA_STREAMING, 0,
					    &index));
	EXPECT_EQ(-EINVAL, mmfdev_dma_alloc(dev, MMFDEV_DMA_STREAMING,
					    page + 1, &index));
	EXPECT_EQ(-EINVAL, mmfdev_dma_alloc(dev, MMFDEV_DMA_STREAMING, page,
					    NULL));
	EXPECT_EQ(7, index);
	EXPECT_EQ(0, fake.calls);

	EXPECT_EQ(0, mmfdev_dma_alloc(dev, MMFDEV_DMA_CONTIGUOUS, 2 * page,
				      &index));
	EXPECT_EQ(FAKE_BUF, index);
	EXPECT_EQ(sizeof(fake.alloc), fake.alloc.argsz);
	EXPECT_EQ(0, fake.alloc.flags);
	EXPECT_EQ(MMFDEV_DMA_KIND_CONTIGUOUS, fake.alloc.kind);
	EXPECT_EQ(2 * page, fake.alloc.size);
	mmfdev_close(dev);
}

TEST(dma_fake_sync)
{
	const unsigned int to_dev = MMFDEV_DMA_TO_DEVICE | MMFDEV_DMA_FOR_DEVICE;
	struct mmfdev *dev;

	dev = fake_open(MMFDEV_DEVICE_FLAG_DMA);
	ASSERT_NE(NULL, dev);
	/* A direction and a side, nothing else; a range that does not wrap. */
	EXPECT_EQ(-EINVAL, mmfdev_dma_sync(dev, FAKE_BUF, 0, 0, 1));
	EXPECT_EQ(-EINVAL, mmfdev_dma_sync(dev, FAKE_BUF, MMFDEV_DMA_TO_DEVICE,
					   0, 1));
	EXPECT_EQ(-EINVAL, mmfdev_dma_sync(dev, FAKE_BUF, MMFDEV_DMA_FOR_CPU,
					   0, 1));
	EXPECT_EQ(-EINVAL, mmfdev_dma_sync(dev, FAKE_BUF, to_dev |
					   MMFDEV_DMA_FOR_CPU, 0, 1));
	EXPECT_EQ(-EINVAL, mmfdev_dma_sync(dev, FAKE_BUF, to_dev | (1U << 4),
					   0, 1));
	EXPECT_EQ(-EINVAL, mmfdev_dma_sync(dev, FAKE_BUF, to_dev, 0, 0));
	EXPECT_EQ(-EINVAL, mmfdev_dma_sync(dev, FAKE_BUF, to_dev, UINT64_MAX,
					   1));
	EXPECT_EQ(-EINVAL, mmfdev_dma_sync(dev, FAKE_REGIONS, to_dev, 0, 1));
	EXPECT_EQ(0, fake.calls);

	EXPECT_EQ(0, mmfdev_dma_sync(dev, FAKE_BUF, MMFDEV_DMA_BIDIRECTIONAL |
				     MMFDEV_DMA_FOR_CPU, 16, 32));
	EXPECT_EQ(sizeof(fake.sync), fake.sync.argsz);
	EXPECT_EQ(FAKE_BUF, fake.sync.index);
	EXPECT_EQ(MMFDEV_DMA_SYNC_BIDIRECTIONAL | MMFDEV_DMA_SYNC_FOR_CPU,
		  fake.sync.flags);
	EXPECT_EQ(0, fake.sync.reserved);
	EXPECT_EQ(16, fake.sync.offset);
	EXPECT_EQ(32, fake.sync.length);
	mmfdev_close(dev);
}

/* Describe the fake buffer with @segs segments: all of them, in order. */
static void describe_all(struct __test_metadata *_metadata,
			 struct mmfdev *dev, unsigned int segs,
			 unsigned int calls)
{
	struct mmfdev_dma_desc *desc = NULL;
	uint64_t addr, len;
	unsigned int i;

	fake.segs = segs;
	fake.info_calls = 0;
	ASSERT_EQ(0, mmfdev_dma_describe(dev, FAKE_BUF, &desc));
	EXPECT_EQ(calls, fake.info_calls);
	EXPECT_EQ(MMFDEV_DMA_STREAMING, mmfdev_dma_desc_get_kind(desc));
	EXPECT_EQ(MMFDEV_DMA_F_SYNC, mmfdev_dma_desc_get_flags(desc));
	EXPECT_EQ(FAKE_SIZE, mmfdev_dma_desc_get_size(desc));
	EXPECT_EQ(0xffffffffULL, mmfdev_dma_desc_get_dma_mask(desc));
	EXPECT_EQ(0x80000000ULL, mmfdev_dma_desc_get_bus_addr(desc));
	ASSERT_EQ(segs, mmfdev_dma_desc_get_num_segments(desc));
	for (i = 0; i < segs; i++) {
		ASSERT_EQ(0, mmfdev_dma_desc_get_segment(desc, i, &addr, &len));
		EXPECT_EQ(0x80000000ULL + 0x100000ULL * i, addr);
		EXPECT_EQ(FAKE_SIZE / segs, len);
	}
	addr = len = 7;
	EXPECT_EQ(-EINVAL, mmfdev_dma_desc_get_segment(desc, segs, &addr,
						       &len));
	EXPECT_EQ(7, addr);
	EXPECT_EQ(7, len);
	EXPECT_EQ(0, mmfdev_dma_desc_get_segment(desc, 0, NULL, NULL));
	mmfdev_dma_desc_free(desc);
}

TEST(dma_fake_describe_gets_every_segment)
{
	struct mmfdev *dev;

	dev = fake_open(MMFDEV_DEVICE_FLAG_DMA);
	ASSERT_NE(NULL, dev);
	/* The first call has room for some; more take one call more. */
	describe_all(_metadata, dev, 1, 1);
	describe_all(_metadata, dev, 16, 1);
	describe_all(_metadata, dev, 17, 2);
	describe_all(_metadata, dev, 1000, 2);
	mmfdev_close(dev);
}

TEST(dma_fake_describe_gives_up_on_a_changing_buffer)
{
	struct mmfdev_dma_desc *desc = NULL;
	struct mmfdev *dev;

	dev = fake_open(MMFDEV_DEVICE_FLAG_DMA);
	ASSERT_NE(NULL, dev);
	fake.segs = 1;
	fake.grow = 100;
	EXPECT_EQ(-EAGAIN, mmfdev_dma_describe(dev, FAKE_BUF, &desc));
	EXPECT_EQ(NULL, desc);
	EXPECT_LT(1, fake.info_calls);
	EXPECT_GE(8, fake.info_calls);
	fake.grow = 0;
	EXPECT_EQ(-EINVAL, mmfdev_dma_describe(dev, FAKE_BUF + 1, &desc));
	EXPECT_EQ(-EINVAL, mmfdev_dma_describe(dev, FAKE_REGIONS, &desc));
	EXPECT_EQ(-EINVAL, mmfdev_dma_describe(dev, FAKE_BUF, NULL));
	EXPECT_EQ(NULL, desc);
	mmfdev_close(dev);
}

TEST(unmap_and_sync_bad_address)
{
	long page = sysconf(_SC_PAGESIZE);

	EXPECT_EQ(-EINVAL, mmfdev_unmap((void *)1, page));
	EXPECT_EQ(-EINVAL, mmfdev_sync((void *)1, page));
}

TEST(strerror_text)
{
	EXPECT_STREQ(strerror(ENODEV), mmfdev_strerror(-ENODEV));
	EXPECT_STREQ(strerror(ENXIO), mmfdev_strerror(ENXIO));
	EXPECT_NE(NULL, mmfdev_strerror(-123456));
	EXPECT_NE(NULL, mmfdev_strerror(-2147483647 - 1));
}

TEST(version)
{
	const char *v = mmfdev_version_string();

	ASSERT_NE(NULL, v);
	EXPECT_EQ('1', v[0]);
}

TEST_HARNESS_MAIN
