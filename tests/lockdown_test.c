// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmfdev kselftest under kernel lockdown (doc/security.md): what the
 * kernel refuses to /dev/mem and to PCI sysfs resources, mmfdev refuses
 * too, at open, with EPERM and a log line that says why:
 *
 *  - raw physical ranges (phys=), as /dev/mem;
 *  - ranges another driver holds ("mmfdev,shared", ":shared");
 *  - devices that can master the bus with no IOMMU to isolate them (PCI
 *    functions, device-tree nodes with DMA buffers).
 *
 * The RAM node, device-tree nodes that do no DMA, and devices an IOMMU
 * isolates, DMA buffers included, keep working; so does a file opened
 * before lockdown, as /dev/mem's does.
 *
 * Lockdown cannot be lifted: the tests run in order, each case first
 * unlocked, then locked (integrity), and the program must be the last
 * thing its kernel runs with mmfdev.  It loads the module itself, before
 * lockdown, with the options it had plus a phys= range over edu's
 * registers.  It runs only with MMFDEV_LOCKDOWN=1, which the lanes' guests
 * set: nothing can undo what it does to the kernel it runs on.  There it
 * fails without /sys/kernel/security/lockdown (no lockdown LSM, or
 * securityfs not mounted).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/mmfdev.h>

#include "kselftest_harness.h"
#include "mmfdev.h"
#include "common.h"
#include "edu.h"

#define LOCKDOWN	"/sys/kernel/security/lockdown"
#define MAX_NODES	32
#define PHYS_NODE	"/dev/mmfdev-phys"

/* The lockdown mode in effect, "none", "integrity"...; "" if unreadable. */
static const char *lockdown_mode(void)
{
	static char mode[32];
	char buf[128], *s, *e;
	ssize_t n;
	int fd;

	mode[0] = 0;
	fd = open(LOCKDOWN, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return mode;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return mode;
	buf[n] = 0;
	s = strchr(buf, '[');
	e = s ? strchr(s, ']') : NULL;
	if (s && e && e - s - 1 < (long)sizeof(mode)) {
		memcpy(mode, s + 1, e - s - 1);
		mode[e - s - 1] = 0;
	}
	return mode;
}

struct node {
	char name[256];
	char reach[32];
	int shared;		/* a region has MMFDEV_REGION_FLAG_SHARED */
};

static int read_attr(const char *name, const char *attr, char *buf,
		     size_t len)
{
	char path[400];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/class/misc/%s/%s", name, attr);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return 0;
}

/*
 * Every mmfdev node, its reach and whether one of its regions is shared,
 * from sysfs, which lockdown leaves readable: the count.
 */
static int list_nodes(struct node *nodes, int max)
{
	char regions[8192], *line;
	unsigned int flags;
	struct dirent *de;
	int n = 0;
	DIR *d;

	d = opendir("/sys/class/misc");
	if (!d)
		return 0;
	while ((de = readdir(d)) && n < max) {
		if (strcmp(de->d_name, "mmfdev") &&
		    strncmp(de->d_name, "mmfdev-", 7))
			continue;
		snprintf(nodes[n].name, sizeof(nodes[n].name), "%s",
			 de->d_name);
		if (read_attr(de->d_name, "reach", nodes[n].reach,
			      sizeof(nodes[n].reach)))
			continue;
		nodes[n].reach[strcspn(nodes[n].reach, "\n")] = 0;
		nodes[n].shared = 0;
		if (!read_attr(de->d_name, "regions", regions,
			       sizeof(regions))) {
			/* index name kind size offset flags modes default */
			for (line = strtok(regions, "\n"); line;
			     line = strtok(NULL, "\n"))
				if (sscanf(line, "%*u %*s %*s %*s %*s %x",
					   &flags) == 1 &&
				    flags & MMFDEV_REGION_FLAG_SHARED)
					nodes[n].shared = 1;
		}
		n++;
	}
	closedir(d);
	return n;
}

/* Does lockdown refuse @node: does it reach beyond itself? */
static int refused(const struct node *node)
{
	return !strcmp(node->reach, "all-memory") || node->shared;
}

static int open_node(const char *name)
{
	char path[300];

	snprintf(path, sizeof(path), "/dev/%.280s", name);
	return open(path, O_RDWR | O_CLOEXEC);
}

/*
 * Before lockdown: the module, reloaded with a phys= range over edu's
 * registers (shared with mmfdev's own binding of edu), and every node
 * opens.
 */
TEST(unlocked_every_node_opens)
{
	char opts[512], bdf[32];
	unsigned long long bar0;
	struct node nodes[MAX_NODES];
	int i, n, fd;

	ASSERT_STREQ("none", lockdown_mode());
	if (!module_cannot_reload() &&
	    !find_pci(EDU_VENDOR, EDU_DEVICE, bdf, sizeof(bdf)) &&
	    !pci_bar_start(bdf, 0, &bar0)) {
		snprintf(opts, sizeof(opts), "%s phys=edu:0x%llx:0x%lx:shared",
			 module_default_options(), bar0,
			 sysconf(_SC_PAGESIZE));
		ASSERT_EQ(0, module_remove());
		ASSERT_EQ(0, module_insert(opts)) TH_LOG("options %s", opts);
	}
	n = list_nodes(nodes, MAX_NODES);
	ASSERT_LT(0, n);
	for (i = 0; i < n; i++) {
		fd = open_node(nodes[i].name);
		EXPECT_LE(0, fd) TH_LOG("%s: %s", nodes[i].name,
					strerror(errno));
		TH_LOG("%s: reach %s%s: %s under lockdown", nodes[i].name,
		       nodes[i].reach, nodes[i].shared ? ", shared" : "",
		       refused(&nodes[i]) ? "refused" : "allowed");
		if (fd >= 0)
			close(fd);
	}
}

/*
 * Lock the kernel down (integrity).  A file of the phys= node opened
 * before keeps working after, as one of /dev/mem does.
 */
TEST(lock_down_keeps_open_files)
{
	uint32_t id = 0;
	int fd, lock;

	fd = open(PHYS_NODE, O_RDWR | O_CLOEXEC);
	lock = open(LOCKDOWN, O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, lock);
	ASSERT_EQ(9, write(lock, "integrity", 9));
	close(lock);
	ASSERT_STREQ("integrity", lockdown_mode());
	if (fd < 0)
		SKIP(return, "no %s (no edu, or no libkmod)", PHYS_NODE);
	EXPECT_EQ(4, pread(fd, &id, 4, EDU_ID));
	EXPECT_EQ(EDU_ID_VALUE, id);
	close(fd);
}

/*
 * Locked: every node that reaches beyond itself gives EPERM, with one
 * line of mmfdev's in the kernel log; every other node opens.
 */
TEST(locked_refuses_what_reaches_beyond_itself)
{
	struct node nodes[MAX_NODES];
	char want[320], line[1024];
	int i, n, fd, kmsg, refusals = 0;

	ASSERT_STREQ("integrity", lockdown_mode());
	n = list_nodes(nodes, MAX_NODES);
	ASSERT_LT(0, n);
	for (i = 0; i < n; i++) {
		kmsg = kmsg_from_now();
		fd = open_node(nodes[i].name);
		if (!refused(&nodes[i])) {
			EXPECT_LE(0, fd) TH_LOG("%s: %s", nodes[i].name,
						strerror(errno));
			if (fd >= 0)
				close(fd);
			if (kmsg >= 0)
				close(kmsg);
			continue;
		}
		refusals++;
		EXPECT_EQ(-1, fd) TH_LOG("%s (%s) opened", nodes[i].name,
					 nodes[i].reach);
		EXPECT_EQ(EPERM, errno);
		if (fd >= 0)
			close(fd);
		if (kmsg < 0)
			continue;
		snprintf(want, sizeof(want),
			 "%.280s: open refused under kernel lockdown: ",
			 nodes[i].name);
		EXPECT_EQ(1, kmsg_grep(kmsg, want, line, sizeof(line)))
			TH_LOG("no line '%s'", want);
		TH_LOG("%s", line);
		close(kmsg);
	}
	TH_LOG("%d of %d nodes refused", refusals, n);
	EXPECT_LT(0, refusals);
}

/* Locked: the RAM node maps, and what is written through it reads back. */
TEST(locked_ram_node_works)
{
	size_t page = sysconf(_SC_PAGESIZE);
	struct mmfdev_region_info ri;
	uint8_t back[64];
	uint8_t *map;
	int fd;

	ASSERT_STREQ("integrity", lockdown_mode());
	fd = open("/dev/mmfdev", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, region_info(fd, 0, &ri));
	map = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		   ri.offset);
	ASSERT_NE(MAP_FAILED, map);
	memset(map, 0x3c, sizeof(back));
	ASSERT_EQ((ssize_t)sizeof(back), pread(fd, back, sizeof(back),
					       ri.offset));
	EXPECT_EQ(0x3c, back[0]);
	EXPECT_EQ(0x3c, back[sizeof(back) - 1]);
	munmap(map, page);
	close(fd);
}

/*
 * Locked: an edu that an IOMMU isolates still opens, and its DMA buffers
 * work: bytes DMAed into edu and back land where they should.
 */
TEST(locked_isolated_dma_works)
{
	const uint32_t len = EDU_DMA_BUF_SIZE / 2;
	struct mmfdev_dma_desc *desc;
	char bdf[32], name[64], reach[32] = "";
	uint64_t bus, seg;
	unsigned int index;
	struct mmfdev *dev;
	size_t rlen, blen;
	void *regs, *buf;
	uint8_t *b;

	ASSERT_STREQ("integrity", lockdown_mode());
	if (find_pci(EDU_VENDOR, EDU_DEVICE, bdf, sizeof(bdf)))
		SKIP(return, "no edu device");
	snprintf(name, sizeof(name), "mmfdev-pci-%s", bdf);
	if (!read_attr(name, "reach", reach, sizeof(reach)))
		reach[strcspn(reach, "\n")] = 0;
	if (strcmp(reach, "isolated"))
		SKIP(return, "no IOMMU isolates edu here (reach %s)", reach);
	ASSERT_EQ(0, mmfdev_open_by_name(name, 0, &dev));
	ASSERT_EQ(0, mmfdev_map(dev, 0, 0, 0, MMFDEV_MAP_READ |
				MMFDEV_MAP_WRITE, &regs, &rlen));
	ASSERT_EQ(0, mmfdev_dma_alloc(dev, MMFDEV_DMA_STREAMING,
				      2 * sysconf(_SC_PAGESIZE), &index));
	ASSERT_EQ(0, mmfdev_map(dev, index, 0, 0, MMFDEV_MAP_READ |
				MMFDEV_MAP_WRITE, &buf, &blen));
	ASSERT_EQ(0, mmfdev_dma_describe(dev, index, &desc));
	ASSERT_EQ(0, mmfdev_dma_desc_get_segment(desc, 0, &bus, &seg));
	ASSERT_LE(2 * len, seg);
	b = buf;
	memset(b, 0x6b, len);
	memset(b + len, 0, len);
	ASSERT_EQ(0, mmfdev_dma_sync(dev, index, MMFDEV_DMA_BIDIRECTIONAL |
				     MMFDEV_DMA_FOR_DEVICE, 0, 2 * len));
	edu_dma_start(regs, bus, EDU_DMA_BUF, len, 0);
	ASSERT_EQ(0, edu_dma_poll(regs));
	edu_dma_start(regs, EDU_DMA_BUF, bus + len, len, EDU_DMA_CMD_TO_RAM);
	ASSERT_EQ(0, edu_dma_poll(regs));
	ASSERT_EQ(0, mmfdev_dma_sync(dev, index, MMFDEV_DMA_BIDIRECTIONAL |
				     MMFDEV_DMA_FOR_CPU, 0, 2 * len));
	EXPECT_EQ(0x6b, b[len]);
	EXPECT_EQ(0x6b, b[2 * len - 1]);
	TH_LOG("bus address 0x%llx (an IOVA)", (unsigned long long)bus);
	mmfdev_dma_desc_free(desc);
	mmfdev_unmap(buf, blen);
	EXPECT_EQ(0, mmfdev_dma_free(dev, index));
	mmfdev_unmap(regs, rlen);
	mmfdev_close(dev);
}

int main(int argc, char **argv)
{
	const char *go = getenv("MMFDEV_LOCKDOWN");

	if (!go || strcmp(go, "1")) {
		ksft_print_header();
		ksft_exit_skip("it locks the kernel down for good: MMFDEV_LOCKDOWN=1 runs it\n");
	}
	if (access("/dev/mmfdev", F_OK)) {
		ksft_print_header();
		ksft_exit_skip("/dev/mmfdev does not exist: is the mmfdev module loaded?\n");
	}
	if (access(LOCKDOWN, R_OK)) {
		ksft_print_header();
		ksft_exit_fail_msg("no %s: no lockdown LSM, or securityfs is not mounted\n",
				   LOCKDOWN);
	}
	if (strcmp(lockdown_mode(), "none")) {
		ksft_print_header();
		ksft_exit_skip("the kernel is locked down already (%s)\n",
			       lockdown_mode());
	}
	return test_harness_run(argc, argv);
}
