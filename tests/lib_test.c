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
#include <unistd.h>

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
