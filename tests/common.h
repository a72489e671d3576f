/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by the mmfdev kselftests: region info, PCI devices in
 * sysfs, and loading or unloading the module through libkmod.  The
 * bodies are in common.c, linked into every test program.
 */
#ifndef MMFDEV_TEST_COMMON_H
#define MMFDEV_TEST_COMMON_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <syslog.h>
#include <unistd.h>

#include <linux/mmfdev.h>

#define MODULE_NAME "mmfdev"
#define PCI_DRIVER_DIR "/sys/bus/pci/drivers/mmfdev"
#define PLATFORM_DRIVER_DIR "/sys/bus/platform/drivers/mmfdev"

/* PCI devices in sysfs. */

/* A hex attribute of PCI device @bdf in sysfs (vendor, device), or 0. */
unsigned int pci_attr(const char *bdf, const char *attr);
/* Find PCI device @vendor:@device; its address goes to @bdf. */
int find_pci(unsigned int vendor, unsigned int device, char *bdf, size_t len);
/* Physical start of BAR @bar of @bdf, from sysfs. */
int pci_bar_start(const char *bdf, int bar, unsigned long long *start);
/* Write @value to the sysfs file @path: 0 or -errno. */
int sysfs_write(const char *path, const char *value);

/*
 * The device-tree node that has only DMA buffers ("mmfdev,dma-buffers",
 * the arm64 lanes' dmabuf node): its /dev path goes to @node.  0, or -1
 * when there is none.
 */
int find_dmabuf_node(char *node, size_t len);

/* The ioctls, 0 or -1 with errno, as ioctl() itself. */
int device_info(int fd, struct mmfdev_device_info *info);
int region_info(int fd, unsigned int index, struct mmfdev_region_info *info);
int event_info(int fd, unsigned int index, struct mmfdev_event_info *info);
int event_status(int fd, unsigned int index, unsigned int flags,
		 struct mmfdev_event_status *st);
int event_wait(int fd, uint64_t lines, int64_t timeout_ns, uint64_t *pending);
int event_ring(int fd, unsigned int index);
int event_unmask(int fd, unsigned int index);
int event_eventfd(int fd, unsigned int index, int efd);

struct mmfdev;
/* The first event line of @kind, or -1. */
int event_of_kind(struct mmfdev *dev, unsigned int kind);

/* /proc/iomem and the kernel log. */

/* Does /proc/iomem have an entry at @start whose name contains @what? */
int iomem_has(unsigned long long start, const char *what);
/* Has mmfdev itself requested any part of [@start, @end]? */
int iomem_mmfdev_holds(unsigned long long start, unsigned long long end);
/* Is all of [@start, @end] inside one System RAM range? */
int iomem_ram_holds(unsigned long long start, unsigned long long end);
/* /dev/kmsg from its end: the records logged from now on; -1 if denied. */
int kmsg_from_now(void);
/*
 * The messages of the kernel log records from @fd on, one per line, in a
 * static buffer that the next call reuses.  Reads them all.
 */
const char *kmsg_messages(int fd);
/* How many lines of @text contain @needle; the last one goes to @line. */
int lines_with(const char *text, const char *needle, char *line, size_t len);
/* How many kernel log records from @fd on contain @needle: see lines_with(). */
int kmsg_grep(int fd, const char *needle, char *line, size_t len);

/* A small deterministic generator, so a failing round can be replayed. */
uint64_t fuzz_next(uint64_t *state);
/*
 * Throw @rounds of odd mmap(), pread()/pwrite() and ioctl() arguments at
 * region @r of @fd.  Every call must succeed or fail with a documented
 * errno; a mapping that succeeds must be readable.  With @may_write false,
 * nothing is written to the device (registers may act on writes), and no
 * access narrower than 32 bits reaches it (some devices, like edu, fault
 * on those).  Returns the number of unexpected results, each logged.
 */
int fuzz_region(int fd, const struct mmfdev_region_info *r, int rounds,
		int may_write, uint64_t seed);

/*
 * The module through libkmod: 0 or a negative errno.  Built without
 * libkmod (MMFDEV_TEST_NO_KMOD, e.g. the static 32-bit suite), they
 * return -ENOSYS and module_cannot_reload() says why: no module tests.
 */
int module_remove(void);
int module_insert(const char *options);
/* Can this run unload and load the module again? NULL if so. */
const char *module_cannot_reload(void);

/*
 * The module's image in memory, for init_module(2) without libkmod: the
 * hardening tests load it hundreds of times, and fault injection must
 * meet the kernel's allocations, not those of reading a file.
 */
struct module_image {
	void *data;
	size_t len;
};

/* Read the .ko that MMFDEV_MODULE names (uncompressed). */
int module_image_read(struct module_image *img);
/* init_module(2) with @options: 0 or -errno. */
int module_image_load(const struct module_image *img, const char *options);
/* delete_module(2), refused at once (EWOULDBLOCK) while in use. */
int module_unload_now(void);
int module_loaded(void);
/* The module's reference count, or -1 when it is not loaded. */
long module_refcnt(void);
/* The options the module was loaded with, for putting it back. */
const char *module_default_options(void);
/*
 * Teardown of the fixtures that may unload the module: whatever happened,
 * leave it loaded, with the options it had.
 */
void module_restore(void);
/* Teardown of the fixtures that loaded it with other options. */
void module_reload_default(void);

#ifdef __KSELFTEST_HARNESS_H
/*
 * The fixture of the tests that unload and load the module: they skip
 * when this run cannot (not root, no libkmod, no module file), and leave
 * the module loaded as it was.  self->page is the page size.
 */
#define MODULE_RELOAD_FIXTURE(name)					\
	FIXTURE(name) {							\
		size_t page;						\
	};								\
	FIXTURE_SETUP(name)						\
	{								\
		const char *why = module_cannot_reload();		\
									\
		self->page = sysconf(_SC_PAGESIZE);			\
		if (why)						\
			SKIP(return, "%s", why);			\
	}								\
	FIXTURE_TEARDOWN(name)						\
	{								\
		module_restore();					\
	}

/*
 * main() of the suites that test a node: MMFDEV_NODE overrides *@node,
 * and a missing node skips the whole program (exit 4), as kselftests do.
 * Inline: it calls the harness, which each program includes first.
 */
static inline int mmfdev_node_test_main(int argc, char **argv,
					const char **node)
{
	const char *env = getenv("MMFDEV_NODE");

	if (env && *env)
		*node = env;
	if (access(*node, F_OK)) {
		ksft_print_header();
		ksft_exit_skip("%s does not exist: is the mmfdev module loaded?\n",
			       *node);
	}
	return test_harness_run(argc, argv);
}
#endif /* __KSELFTEST_HARNESS_H */

#endif /* MMFDEV_TEST_COMMON_H */
