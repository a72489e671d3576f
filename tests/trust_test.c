// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmfdev kselftest for the trust boundaries (doc/security.md):
 *
 *  - every node says how far it reaches, in sysfs ("reach") and in
 *    MMFDEV_IOC_DEVICE_INFO, and the two agree with what the node is;
 *  - a node that reaches all of memory needs CAP_SYS_RAWIO to open: an
 *    unprivileged uid that the file mode lets in gets EPERM, the same uid
 *    with CAP_SYS_RAWIO opens it, and every other node opens for both;
 *  - binding and unbinding devices is for root: an unprivileged uid gets
 *    EACCES from the driver's sysfs files;
 *  - what an ioctl copies out is all written by the kernel, padding and
 *    reserved fields included: the same bytes come back whatever the
 *    caller's buffer held before.
 *
 * Runs as root (it changes uid in children), against the module loaded
 * with the lanes' options.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/mmfdev.h>

#include "kselftest_harness.h"
#include "mmfdev.h"
#include "common.h"
#include "edu.h"

/* The uid and gid of the unprivileged children: nobody. */
#define NOBODY		65534
#define MAX_NODES	32

struct node {
	char path[288];
	char reach[32];
};

/* Every mmfdev node in /dev, with its sysfs reach: the count, or -errno. */
static int list_nodes(struct node *nodes, int max)
{
	char attr[320];
	struct dirent *de;
	int n = 0, fd;
	ssize_t len;
	DIR *d;

	d = opendir("/dev");
	if (!d)
		return -errno;
	while ((de = readdir(d)) && n < max) {
		if (strcmp(de->d_name, "mmfdev") &&
		    strncmp(de->d_name, "mmfdev-", 7))
			continue;
		snprintf(nodes[n].path, sizeof(nodes[n].path), "/dev/%s",
			 de->d_name);
		snprintf(attr, sizeof(attr), "/sys/class/misc/%s/reach",
			 de->d_name);
		fd = open(attr, O_RDONLY | O_CLOEXEC);
		len = fd < 0 ? -1 : read(fd, nodes[n].reach,
					 sizeof(nodes[n].reach) - 1);
		if (fd >= 0)
			close(fd);
		if (len <= 0) {
			snprintf(nodes[n].reach, sizeof(nodes[n].reach), "?");
		} else {
			nodes[n].reach[len] = 0;
			nodes[n].reach[strcspn(nodes[n].reach, "\n")] = 0;
		}
		n++;
	}
	closedir(d);
	return n;
}

/*
 * Become uid and gid NOBODY with no supplementary groups, keeping
 * CAP_SYS_RAWIO (and only it) if @rawio: 0 or -errno.
 */
static int become_nobody(int rawio)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = { { 0 } };

	if (rawio && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0))
		return -errno;
	if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
		return -errno;
	if (rawio) {
		data[0].permitted = data[0].effective = 1u << CAP_SYS_RAWIO;
		if (syscall(SYS_capset, &hdr, data))
			return -errno;
	}
	return 0;
}

/*
 * In a child that became nobody (see become_nobody()), open(@path, @flags):
 * its errno, or 0.
 */
static int open_as_nobody(const char *path, int flags, int rawio)
{
	int status, fd;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -1000;
	if (!pid) {
		if (become_nobody(rawio))
			_exit(200);
		fd = open(path, flags | O_CLOEXEC);
		_exit(fd < 0 ? errno : 0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1001;
	return WEXITSTATUS(status);
}

/* The node's PCI function or platform device in sysfs, if it has one. */
static int node_device(const char *path, char *dev, size_t len)
{
	const char *name = strrchr(path, '/') + 1;

	if (!strncmp(name, "mmfdev-pci-", 11)) {
		snprintf(dev, len, "/sys/bus/pci/devices/%s", name + 11);
		return 0;
	}
	if (!strcmp(name, "mmfdev") || !strcmp(name, "mmfdev-phys"))
		return -1;
	snprintf(dev, len, "/sys/bus/platform/devices/%s", name + 7);
	return access(dev, F_OK) ? -1 : 0;
}

static int exists(const char *dir, const char *what)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, what);
	return !access(path, F_OK);
}

/* A device-tree cell, big-endian, of the node of @dev; 0 if absent. */
static uint32_t of_u32(const char *dev, const char *prop)
{
	uint8_t b[4];
	char path[256];
	int fd, n;

	snprintf(path, sizeof(path), "%s/of_node/%s", dev, prop);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, b, sizeof(b));
	close(fd);
	if (n != sizeof(b))
		return 0;
	return (uint32_t)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
}

/*
 * Every node's reach is one of the three, and it is what the node is:
 * the RAM node contained; phys= all of memory; a PCI function isolated
 * where an IOMMU translates for it (its group in sysfs: the lanes with an
 * IOMMU translate), else all of memory; a device-tree node with DMA
 * buffers likewise, one without contained.  MMFDEV_IOC_DEVICE_INFO says
 * the same through its flags.
 */
TEST(reach_says_what_a_node_is)
{
	struct node nodes[MAX_NODES];
	struct mmfdev_device_info di;
	char dev[192];
	const char *want;
	int i, n, fd;

	n = list_nodes(nodes, MAX_NODES);
	ASSERT_LT(0, n);
	for (i = 0; i < n; i++) {
		const char *name = strrchr(nodes[i].path, '/') + 1;

		if (!strcmp(name, "mmfdev"))
			want = "contained";
		else if (!strcmp(name, "mmfdev-phys"))
			want = "all-memory";
		else if (node_device(nodes[i].path, dev, sizeof(dev)))
			want = NULL;
		else if (!strncmp(name, "mmfdev-pci-", 11))
			want = exists(dev, "iommu_group") ? "isolated" :
							    "all-memory";
		else if (of_u32(dev, "mmfdev,dma-buffers") ||
			 exists(dev, "of_node/mmfdev,bus-master"))
			want = exists(dev, "of_node/iommus") ? "isolated" :
							       "all-memory";
		else
			want = "contained";
		TH_LOG("%s: reach %s", nodes[i].path, nodes[i].reach);
		if (want)
			EXPECT_STREQ(want, nodes[i].reach);

		fd = open(nodes[i].path, O_RDWR | O_CLOEXEC);
		ASSERT_LE(0, fd) TH_LOG("%s: %s", nodes[i].path,
					strerror(errno));
		EXPECT_EQ(0, device_info(fd, &di));
		EXPECT_EQ(!strcmp(nodes[i].reach, "all-memory"),
			  !!(di.flags & MMFDEV_DEVICE_FLAG_ALL_MEMORY));
		if (!strcmp(nodes[i].reach, "isolated"))
			EXPECT_TRUE(di.flags & MMFDEV_DEVICE_FLAG_IOMMU);
		close(fd);
	}
}

/*
 * With the file mode out of the way (0666 for the test), an unprivileged
 * uid opens every node but those that reach all of memory, which give
 * EPERM; with CAP_SYS_RAWIO, the same uid opens them all.  Root opened
 * them all above.
 */
TEST(all_memory_needs_cap_sys_rawio)
{
	struct node nodes[MAX_NODES];
	struct stat st;
	int i, n, all = 0;

	if (geteuid())
		SKIP(return, "needs root to change uid");
	n = list_nodes(nodes, MAX_NODES);
	ASSERT_LT(0, n);
	for (i = 0; i < n; i++) {
		int all_memory = !strcmp(nodes[i].reach, "all-memory");

		ASSERT_EQ(0, stat(nodes[i].path, &st));
		ASSERT_EQ(0, chmod(nodes[i].path, 0666));
		EXPECT_EQ(all_memory ? EPERM : 0,
			  open_as_nobody(nodes[i].path, O_RDWR, 0))
			TH_LOG("%s (%s), uid %d without capabilities",
			       nodes[i].path, nodes[i].reach, NOBODY);
		EXPECT_EQ(0, open_as_nobody(nodes[i].path, O_RDWR, 1))
			TH_LOG("%s (%s), uid %d with CAP_SYS_RAWIO",
			       nodes[i].path, nodes[i].reach, NOBODY);
		chmod(nodes[i].path, st.st_mode & 07777);
		all += all_memory;
	}
	TH_LOG("%d of %d nodes reach all of memory", all, n);
}

/*
 * The sysfs files of every node: world-readable facts (regions, events,
 * reach), and the DMA buffers' bus addresses (dma) for root alone, since
 * without an IOMMU they are physical addresses.
 */
TEST(sysfs_keeps_bus_addresses_to_root)
{
	static const struct {
		const char *name;
		mode_t mode;
	} attrs[] = {
		{ "regions", 0444 }, { "events", 0444 }, { "reach", 0444 },
		{ "dma", 0400 },
	};
	struct node nodes[MAX_NODES];
	char path[400];
	struct stat st;
	unsigned int a;
	int i, n;

	n = list_nodes(nodes, MAX_NODES);
	ASSERT_LT(0, n);
	for (i = 0; i < n; i++) {
		for (a = 0; a < ARRAY_SIZE(attrs); a++) {
			snprintf(path, sizeof(path), "/sys/class/misc/%s/%s",
				 strrchr(nodes[i].path, '/') + 1,
				 attrs[a].name);
			ASSERT_EQ(0, stat(path, &st)) TH_LOG("%s", path);
			EXPECT_EQ(attrs[a].mode, st.st_mode & 0777)
				TH_LOG("%s: mode 0%o", path, st.st_mode & 0777);
		}
	}
}

/*
 * Binding and unbinding are root's: the driver's bind, unbind and new_id
 * files refuse an unprivileged uid (EACCES), and root unbinds edu and
 * binds it again, its node going and coming back.
 */
TEST(bind_and_unbind_are_for_root)
{
	static const char *const files[] = { "bind", "unbind", "new_id" };
	char bdf[32], path[256], node[64];
	unsigned int i;

	if (geteuid())
		SKIP(return, "needs root to change uid");
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), "%s/%s", PCI_DRIVER_DIR, files[i]);
		if (access(path, F_OK))
			continue;
		EXPECT_EQ(EACCES, open_as_nobody(path, O_WRONLY, 0))
			TH_LOG("%s", path);
		snprintf(path, sizeof(path), "%s/%s", PLATFORM_DRIVER_DIR,
			 files[i]);
		if (!access(path, F_OK))
			EXPECT_EQ(EACCES, open_as_nobody(path, O_WRONLY, 0))
				TH_LOG("%s", path);
	}
	if (find_pci(EDU_VENDOR, EDU_DEVICE, bdf, sizeof(bdf)))
		SKIP(return, "no edu device");
	snprintf(node, sizeof(node), "/dev/mmfdev-pci-%s", bdf);
	if (access(node, F_OK))
		SKIP(return, "edu is not bound to mmfdev");
	ASSERT_EQ(0, sysfs_write(PCI_DRIVER_DIR "/unbind", bdf));
	EXPECT_NE(0, access(node, F_OK));
	ASSERT_EQ(0, sysfs_write(PCI_DRIVER_DIR "/bind", bdf));
	EXPECT_EQ(0, access(node, F_OK));
}

/* Room for any structure an ioctl copies out, and what follows it. */
#define OUT_ROOM	512

/*
 * Call ioctl @req on @fd with a buffer filled with @fill, then the input
 * that @in gives (its first @in_len bytes, argsz first), into @out: the
 * ioctl's result.
 */
static int call_filled(int fd, unsigned long req, const void *in,
		       size_t in_len, uint8_t fill, uint8_t *out)
{
	memset(out, fill, OUT_ROOM);
	memcpy(out, in, in_len);
	return ioctl(fd, req, out) ? -errno : 0;
}

/*
 * Every byte of what @req copies out, @size bytes or the argsz it returns
 * if less, is the kernel's: called over buffers that held 0x00, 0xff and
 * 0xa5, the results are equal.
 */
static void expect_fully_written(struct __test_metadata *_metadata, int fd,
				 unsigned long req, const char *what,
				 const void *in, size_t in_len, size_t size)
{
	static const uint8_t fills[] = { 0x00, 0xff, 0xa5 };
	uint8_t first[OUT_ROOM], out[OUT_ROOM];
	unsigned int i;
	uint32_t argsz;
	size_t b;

	ASSERT_LE(size, (size_t)OUT_ROOM);
	ASSERT_EQ(0, call_filled(fd, req, in, in_len, fills[0], first))
		TH_LOG("%s", what);
	/* argsz out: what the kernel knows, and copies if there is room. */
	memcpy(&argsz, first, sizeof(argsz));
	if (argsz < size)
		size = argsz;
	for (i = 1; i < ARRAY_SIZE(fills); i++) {
		ASSERT_EQ(0, call_filled(fd, req, in, in_len, fills[i], out))
			TH_LOG("%s", what);
		for (b = 0; b < size && first[b] == out[b]; b++)
			;
		EXPECT_EQ(size, b)
			TH_LOG("%s: byte %zu is the caller's (0x%02x over 0x%02x, 0x%02x over 0x%02x)",
			       what, b, first[b], fills[0], out[b], fills[i]);
	}
}

/* The out structures of one node's ioctls, each at its full size. */
static void node_out_structs(struct __test_metadata *_metadata,
			     const char *path)
{
	struct mmfdev_device_info di = { .argsz = sizeof(di) };
	struct mmfdev_region_info ri = { .argsz = sizeof(ri) };
	struct mmfdev_event_info ei = { .argsz = sizeof(ei) };
	struct mmfdev_event_status es = { .argsz = sizeof(es) };
	struct mmfdev_mapping_info mi = { .argsz = sizeof(mi) };
	struct mmfdev_region_info r0;
	unsigned int i;
	char what[400];
	void *map;
	int fd;

	fd = open(path, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd) TH_LOG("%s", path);
	snprintf(what, sizeof(what), "%.300s DEVICE_INFO", path);
	expect_fully_written(_metadata, fd, MMFDEV_IOC_DEVICE_INFO, what,
			     &di, sizeof(di.argsz), sizeof(di));
	ASSERT_EQ(0, device_info(fd, &di));
	for (i = 0; i < di.num_regions; i++) {
		ri.index = i;
		snprintf(what, sizeof(what), "%.300s REGION_INFO %u", path, i);
		expect_fully_written(_metadata, fd, MMFDEV_IOC_REGION_INFO,
				     what, &ri, offsetof(typeof(ri), flags),
				     sizeof(ri));
	}
	for (i = 0; i < di.num_events; i++) {
		ei.index = es.index = i;
		snprintf(what, sizeof(what), "%.300s EVENT_INFO %u", path, i);
		expect_fully_written(_metadata, fd, MMFDEV_IOC_EVENT_INFO,
				     what, &ei, offsetof(typeof(ei), kind),
				     sizeof(ei));
		snprintf(what, sizeof(what), "%.300s EVENT_STATUS %u", path, i);
		expect_fully_written(_metadata, fd, MMFDEV_IOC_EVENT_STATUS,
				     what, &es, offsetof(typeof(es), count),
				     sizeof(es));
	}
	/* A mapping of the first region that maps. */
	for (i = 0; i < di.num_regions; i++) {
		if (region_info(fd, i, &r0) ||
		    !(r0.flags & MMFDEV_REGION_FLAG_MMAP) || !r0.size)
			continue;
		map = mmap(NULL, sysconf(_SC_PAGESIZE), PROT_READ, MAP_SHARED,
			   fd, r0.offset);
		if (map == MAP_FAILED)
			continue;
		mi.addr = (uintptr_t)map;
		snprintf(what, sizeof(what), "%.300s MAPPING_INFO", path);
		expect_fully_written(_metadata, fd, MMFDEV_IOC_MAPPING_INFO,
				     what, &mi, offsetof(typeof(mi), start),
				     sizeof(mi));
		munmap(map, sysconf(_SC_PAGESIZE));
		break;
	}
	close(fd);
}

/*
 * Nothing of the kernel's own memory reaches the caller: every out
 * structure of every node (device, regions, event lines, a mapping) is
 * written whole, padding and reserved fields included.
 */
TEST(ioctls_write_every_byte_they_copy_out)
{
	struct node nodes[MAX_NODES];
	int i, n;

	n = list_nodes(nodes, MAX_NODES);
	ASSERT_LT(0, n);
	for (i = 0; i < n; i++)
		node_out_structs(_metadata, nodes[i].path);
}

/* The same for a DMA buffer's MMFDEV_IOC_DMA_INFO, with its segments. */
TEST(dma_info_writes_every_byte_it_copies_out)
{
	struct {
		struct mmfdev_dma_info info;
		struct mmfdev_dma_segment seg[4];
	} in = { .info = { .argsz = sizeof(in) } };
	struct mmfdev_device_info di;
	char bdf[32], node[64];
	unsigned int index;
	struct mmfdev *dev;
	int ret, fd;

	if (find_pci(EDU_VENDOR, EDU_DEVICE, bdf, sizeof(bdf)))
		SKIP(return, "no edu device");
	snprintf(node, sizeof(node), "/dev/mmfdev-pci-%s", bdf);
	ret = mmfdev_open(node, 0, &dev);
	if (ret)
		SKIP(return, "%s: %s", node, mmfdev_strerror(ret));
	fd = mmfdev_get_fd(dev);
	ASSERT_EQ(0, device_info(fd, &di));
	if (!(di.flags & MMFDEV_DEVICE_FLAG_DMA)) {
		mmfdev_close(dev);
		SKIP(return, "edu has no DMA buffers");
	}
	ASSERT_EQ(0, mmfdev_dma_alloc(dev, MMFDEV_DMA_STREAMING,
				      4 * sysconf(_SC_PAGESIZE), &index));
	in.info.index = index;
	expect_fully_written(_metadata, fd, MMFDEV_IOC_DMA_INFO, "DMA_INFO",
			     &in, offsetof(struct mmfdev_dma_info, kind),
			     sizeof(in));
	EXPECT_EQ(0, mmfdev_dma_free(dev, index));
	mmfdev_close(dev);
}

int main(int argc, char **argv)
{
	const char *node = "/dev/mmfdev";

	return mmfdev_node_test_main(argc, argv, &node);
}
