// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libmmfdev tests that need no mmfdev device: argument checking, the
 * errnos for nodes that are not mmfdev, and no leaked descriptors.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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
