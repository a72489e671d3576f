// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmfdev kselftest for device-tree devices.  MMFDEV_DT_NODE names a
 * device-tree node (e.g. mmfdev-9030000.mmfdev) built as scripts/lane.sh
 * does, and so do MMFDEV_DT_SHARED_NODE (a window shared with the PL011's
 * driver) and MMFDEV_DT_GPIO_NODE (three shared windows shaped like the
 * Raspberry Pi 5's GPIO block, on memory nobody else uses).  Each fixture
 * skips when its node is not set or absent.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/mmfdev.h>

#include "kselftest_harness.h"
#include "mmfdev.h"
#include "common.h"

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
