// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmfdev kselftest under fault injection: for every path into the driver
 * (loading the module with size=, with pci_ids=, with device-tree nodes
 * only and with phys=, open, mmap, every ioctl, read, write, fsync,
 * binding and unbinding a PCI device), fail the 1st, then the 2nd, ...
 * allocation the call makes, through /proc/thread-self/fail-nth, until
 * the call makes fewer allocations than that and runs to its end.  DMA
 * buffers go through whole rounds (alloc, describe, export, free) under
 * one armed failure: see step_dma().
 *
 * Every call an injected failure reaches must either end as it ends
 * without one, or fail with ENOMEM (or, where the kernel reports its own
 * allocation failures otherwise, the errno it uses: see struct
 * fault_path), and leave the state it touches as it was (module loaded
 * or not, reference count, PCI binding).  The call without a failure must
 * then work.  Leaks show in the kmemleak scan and WARNs in the kernel
 * log, both of which the lane judges.
 *
 * Loading the module and binding a device count only the allocations made
 * by mmfdev or near it: see filter_to_modules().
 *
 * Needs a kernel with CONFIG_FAULT_INJECTION, FAILSLAB, FAIL_PAGE_ALLOC
 * and their debugfs, set to consider every allocation (ignore-gfp-wait=N,
 * and min-order=0 for pages: scripts/guest-init.sh does it); skips
 * elsewhere.  MMFDEV_MODULE names the module for the load paths, which
 * leave it loaded with MMFDEV_MODULE_OPTIONS.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/mmfdev.h>

#include "kselftest_harness.h"
#include "mmfdev.h"
#include "common.h"

#define FAIL_NTH	"/proc/thread-self/fail-nth"
#define STEP_LIMIT	100000

/* Did the fault-injection setup of scripts/guest-init.sh happen? */
static const char *cannot_inject(void)
{
	char v[8] = "";
	FILE *f;

	if (access(FAIL_NTH, W_OK))
		return "no fail-nth (CONFIG_FAULT_INJECTION)";
	f = fopen("/sys/kernel/debug/failslab/ignore-gfp-wait", "re");
	if (!f)
		return "no failslab in debugfs";
	if (!fgets(v, sizeof(v), f))
		v[0] = 0;
	fclose(f);
	if (v[0] != 'N')
		return "failslab ignores GFP_KERNEL (ignore-gfp-wait)";
	return NULL;
}

/*
 * Count only the allocations made by mmfdev's code, or by the kernel no
 * more than @depth frames below an mmfdev function; 0 counts every
 * allocation again.  Loading a module makes hundreds of allocations in
 * the module loader, and a probe reaches deep into the ACPI interpreter
 * and the interrupt core: those are the kernel's to test, not ours, and
 * their error paths are not all sound (see the README).  The /proc/irq
 * entries request_irq() makes are left out at any depth.
 *
 * fail-nth honours the filter (CONFIG_FAULT_INJECTION_STACKTRACE_FILTER),
 * whose one range of return addresses is here the side of the kernel's
 * text where modules lie: above it on x86_64, below it on arm64.  Which
 * side is read from /proc/kallsyms, where mmfdev's own functions are
 * listed while it is loaded, and remembered for when it is not.
 */
static int filter_to_modules(int depth)
{
	static const char *const dirs[] = {
		"/sys/kernel/debug/failslab",
		"/sys/kernel/debug/fail_page_alloc",
	};
	static unsigned long long start, end = ~0ULL;
	unsigned long long stext = 0, etext = 0, module = 0, addr;
	unsigned long long irq_proc = 0, irq_proc_end = ~0ULL;
	char path[128], line[256], type, name[200];
	unsigned int i;
	FILE *f;

	if (depth) {
		f = fopen("/proc/kallsyms", "re");
		if (!f)
			return -errno;
		/*
		 * The kernel's text, a function of mmfdev's, and the extent
		 * of register_irq_proc(): see below.
		 */
		while (fgets(line, sizeof(line), f)) {
			if (sscanf(line, "%llx %c %199s", &addr, &type, name) != 3)
				continue;
			if (!strcmp(name, "_stext"))
				stext = addr;
			else if (!strcmp(name, "_etext"))
				etext = addr;
			else if (!module && (type == 't' || type == 'T') &&
				 strstr(line, "\t[" MODULE_NAME "]"))
				module = addr;
			else if (!strcmp(name, "register_irq_proc"))
				irq_proc = addr;
			else if (irq_proc && addr > irq_proc && addr < irq_proc_end &&
				 (type == 't' || type == 'T'))
				irq_proc_end = addr;
		}
		fclose(f);
		if (!stext || !etext)
			return -ENOENT;
		if (module >= etext) {
			start = etext;
			end = ~0ULL;
		} else if (module && module < stext) {
			start = 0;
			end = stext;
		} else if (!start && end == ~0ULL) {
			/* Never seen loaded. */
			return -ENOENT;
		}
		/*
		 * register_irq_proc() drops the failures of the /proc/irq
		 * entries it makes, and unregister_irq_proc() then WARNs
		 * removing them: a kernel bug this test cannot work around.
		 */
		if (!irq_proc || irq_proc_end == ~0ULL)
			irq_proc = irq_proc_end = 0;
	}
	/* Off is the default: require 0..ULONG_MAX, reject nothing. */
	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		snprintf(line, sizeof(line), "%#llx", depth ? start : 0ULL);
		snprintf(path, sizeof(path), "%s/require-start", dirs[i]);
		if (sysfs_write(path, line))
			return -EIO;
		snprintf(line, sizeof(line), "%#llx", depth ? end : ~0ULL);
		snprintf(path, sizeof(path), "%s/require-end", dirs[i]);
		if (sysfs_write(path, line))
			return -EIO;
		snprintf(line, sizeof(line), "%#llx", depth ? irq_proc : 0ULL);
		snprintf(path, sizeof(path), "%s/reject-start", dirs[i]);
		if (sysfs_write(path, line))
			return -EIO;
		snprintf(line, sizeof(line), "%#llx", depth ? irq_proc_end : 0ULL);
		snprintf(path, sizeof(path), "%s/reject-end", dirs[i]);
		if (sysfs_write(path, line))
			return -EIO;
		snprintf(line, sizeof(line), "%d", depth ? depth : 32);
		snprintf(path, sizeof(path), "%s/stacktrace-depth", dirs[i]);
		if (sysfs_write(path, line))
			return -EIO;
	}
	return 0;
}

/* How deep below mmfdev a counted allocation may be (MMFDEV_FAULT_DEPTH). */
static int module_depth(void)
{
	const char *v = getenv("MMFDEV_FAULT_DEPTH");

	return v && atoi(v) > 0 ? atoi(v) : 12;
}

struct fault_call;

struct fault_path {
	const char *what;
	/* The call under test: 0 (or a count) or -errno. */
	long (*call)(struct fault_call *c);
	/* Undo a call that worked, with no failure armed. */
	void (*undo)(struct fault_call *c);
	/* What a failed call must leave as it found it. */
	long (*state)(struct fault_call *c);
	/*
	 * Errnos besides ENOMEM that a failed allocation may give, 0-ended:
	 * the kernel reports some of its own as something else, and a probe
	 * passes them on (a resource it could not record: EBUSY, from
	 * __request_region(); a device name it could not copy: EINVAL, from
	 * device_add(); interrupt vectors: ENOSPC).
	 */
	const int *also;
};

static const int probe_errnos[] = { EBUSY, EINVAL, ENOSPC, 0 };

static int errno_allowed(const struct fault_path *p, long ret)
{
	const int *e;

	if (ret == -ENOMEM)
		return 1;
	for (e = p->also; e && *e; e++)
		if (ret == -*e)
			return 1;
	return 0;
}

struct fault_call {
	int fd;			/* the node, open */
	int nth;		/* fail-nth of this thread */
	int efd;		/* an eventfd */
	int out;		/* what the call made: an fd */
	void *map;		/* ... or a mapping */
	size_t map_len;
	struct mmfdev_region_info region;
	unsigned int event;
	char bdf[64];		/* a device, by its bus's name */
	const char *drv;	/* its driver's sysfs directory */
	int ctl;		/* a sysfs file, open for writing */
	const struct module_image *img;
	const char *options;
	/* DMA buffers made at probe time, which no close frees. */
	int dma_fixed;
	uint64_t dma_fixed_bytes;
	char buf[64];
	size_t io_len;		/* one access of a sized region, or buf */
};

/* The kernel log's last @n lines, to explain an unexpected errno. */
static void log_tail(int n)
{
	static char buf[1 << 16];
	int len = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, sizeof(buf));
	char *p;

	if (len <= 0)
		return;
	buf[len - 1] = 0;
	for (p = buf + len - 1; p > buf && n; p--)
		if (p[-1] == '\n')
			n--;
	ksft_print_msg("kernel log:\n%s\n", p);
}

/* Arm: the @n-th fault-injection point of this thread fails. */
static int fail_nth_arm(int nth, unsigned int n)
{
	char b[16];
	int len = snprintf(b, sizeof(b), "%u", n);

	return pwrite(nth, b, len, 0) == len ? 0 : -errno;
}

/* Disarm; did the armed failure happen? */
static int fail_nth_fired(int nth)
{
	char b[16] = "";
	ssize_t n = pread(nth, b, sizeof(b) - 1, 0);

	if (pwrite(nth, "0", 1, 0) != 1)
		return -errno;
	if (n <= 0)
		return -EIO;
	return atoi(b) == 0;
}

static void set_verbose(int on)
{
	sysfs_write("/sys/kernel/debug/failslab/verbose", on ? "1" : "0");
	sysfs_write("/sys/kernel/debug/fail_page_alloc/verbose", on ? "1" : "0");
}

/*
 * Fail point @n of @p again, with the failure's stack trace in the
 * kernel log, and show it: where an unexpected errno came from.
 */
static void replay_verbose(const struct fault_path *p, struct fault_call *c,
			   unsigned int n)
{
	long ret;

	set_verbose(1);
	if (!fail_nth_arm(c->nth, n)) {
		ret = p->call(c);
		fail_nth_fired(c->nth);
		if (ret >= 0 && p->undo)
			p->undo(c);
	}
	set_verbose(0);
	log_tail(40);
}

/*
 * Step the nth failure through @p until the call no longer meets it.
 * Returns the number of failure points met.
 */
static unsigned int step(struct __test_metadata *_metadata,
			 const struct fault_path *p, struct fault_call *c)
{
	unsigned int n, points = 0, failed = 0, other = 0;
	long want, ret, before;
	int fired;

	/* How the call ends when nothing fails. */
	want = p->call(c);
	if (p->undo && want >= 0)
		p->undo(c);

	for (n = 1; n < STEP_LIMIT; n++) {
		before = p->state ? p->state(c) : 0;
		ASSERT_EQ(0, fail_nth_arm(c->nth, n));
		ret = p->call(c);
		fired = fail_nth_fired(c->nth);
		ASSERT_LE(0, fired);
		if (!fired) {
			/* It ran to its end: as it does without failures. */
			EXPECT_EQ(want, ret) TH_LOG("%s: uninjected call", p->what);
			if (p->undo && ret >= 0)
				p->undo(c);
			break;
		}
		points++;
		if (ret != want) {
			failed++;
			EXPECT_TRUE(errno_allowed(p, ret)) {
				TH_LOG("%s: failure point %u gave %s", p->what,
				       n, strerror(-ret));
				replay_verbose(p, c, n);
			}
			if (ret != -ENOMEM) {
				other++;
				ksft_print_msg("%s: failure point %u gave %s\n",
					       p->what, n, strerror(-ret));
			}
			if (p->state)
				EXPECT_EQ(before, p->state(c))
					TH_LOG("%s: failure point %u changed state",
					       p->what, n);
		} else if (p->undo && ret >= 0) {
			p->undo(c);
		}
	}
	EXPECT_LT(n, STEP_LIMIT);
	ksft_print_msg("%s: %u failure points: %u calls failed (%u not with ENOMEM), %u went on\n",
		       p->what, points, failed, other, points - failed);
	return points;
}

/* Paths with the module loaded, on one open node. */

static long do_open(struct fault_call *c)
{
	c->out = open("/dev/mmfdev", O_RDWR | O_CLOEXEC);
	return c->out < 0 ? -errno : 0;
}

static void undo_close(struct fault_call *c)
{
	close(c->out);
}

static long do_mmap(struct fault_call *c)
{
	c->map = mmap(NULL, c->map_len, PROT_READ | PROT_WRITE, MAP_SHARED,
		      c->fd, c->region.offset);
	return c->map == MAP_FAILED ? -errno : 0;
}

static void undo_munmap(struct fault_call *c)
{
	munmap(c->map, c->map_len);
}

static long do_device_info(struct fault_call *c)
{
	struct mmfdev_device_info di = { .argsz = sizeof(di) };

	return ioctl(c->fd, MMFDEV_IOC_DEVICE_INFO, &di) ? -errno : 0;
}

static long do_region_info(struct fault_call *c)
{
	struct mmfdev_region_info ri = { .argsz = sizeof(ri) };

	return ioctl(c->fd, MMFDEV_IOC_REGION_INFO, &ri) ? -errno : 0;
}

static long do_mapping_info(struct fault_call *c)
{
	struct mmfdev_mapping_info mi = {
		.argsz = sizeof(mi),
		.addr = (uintptr_t)c->map,
	};

	return ioctl(c->fd, MMFDEV_IOC_MAPPING_INFO, &mi) ? -errno : 0;
}

static long do_event_info(struct fault_call *c)
{
	struct mmfdev_event_info ei = { 0 };

	return event_info(c->fd, c->event, &ei) ? -errno : 0;
}

static long do_event_status(struct fault_call *c)
{
	struct mmfdev_event_status st = { 0 };

	return event_status(c->fd, c->event, 0, &st) ? -errno : 0;
}

static long do_event_wait(struct fault_call *c)
{
	uint64_t pending;

	return event_wait(c->fd, 1ULL << c->event, 0, &pending) ? -errno : 0;
}

static long do_event_unmask(struct fault_call *c)
{
	return event_unmask(c->fd, c->event) ? -errno : 0;
}

static long do_event_ring(struct fault_call *c)
{
	return event_ring(c->fd, c->event) ? -errno : 0;
}

static long do_event_eventfd(struct fault_call *c)
{
	return event_eventfd(c->fd, c->event, c->efd) ? -errno : 0;
}

static void undo_eventfd(struct fault_call *c)
{
	event_eventfd(c->fd, c->event, -1);
}

static long do_pread(struct fault_call *c)
{
	ssize_t n = pread(c->fd, c->buf, c->io_len, c->region.offset);

	return n < 0 ? -errno : n;
}

static long do_pwrite(struct fault_call *c)
{
	ssize_t n = pwrite(c->fd, c->buf, c->io_len, c->region.offset);

	return n < 0 ? -errno : n;
}

static long do_fsync(struct fault_call *c)
{
	return fsync(c->fd) ? -errno : 0;
}

static long state_refcnt(struct fault_call *c)
{
	return module_refcnt();
}

static const struct fault_path node_paths[] = {
	{ "open", do_open, undo_close, state_refcnt, NULL },
	{ "mmap", do_mmap, undo_munmap, state_refcnt, NULL },
	{ "ioctl DEVICE_INFO", do_device_info, NULL, NULL, NULL },
	{ "ioctl REGION_INFO", do_region_info, NULL, NULL, NULL },
	{ "ioctl MAPPING_INFO", do_mapping_info, NULL, NULL, NULL },
	{ "ioctl EVENT_INFO", do_event_info, NULL, NULL, NULL },
	{ "ioctl EVENT_STATUS", do_event_status, NULL, NULL, NULL },
	{ "ioctl EVENT_WAIT", do_event_wait, NULL, NULL, NULL },
	{ "ioctl EVENT_UNMASK", do_event_unmask, NULL, NULL, NULL },
	{ "ioctl EVENT_RING", do_event_ring, NULL, NULL, NULL },
	{ "ioctl EVENT_EVENTFD", do_event_eventfd, undo_eventfd, NULL, NULL },
	{ "pread", do_pread, NULL, NULL, NULL },
	{ "pwrite", do_pwrite, NULL, NULL, NULL },
	{ "fsync", do_fsync, NULL, NULL, NULL },
};

/* Paths that load the module or bind a device. */

static long do_load(struct fault_call *c)
{
	return module_image_load(c->img, c->options);
}

static void undo_load(struct fault_call *c)
{
	module_unload_now();
}

static long state_loaded(struct fault_call *c)
{
	return module_loaded();
}

static long do_sysfs_write(struct fault_call *c)
{
	ssize_t n = pwrite(c->ctl, c->bdf, strlen(c->bdf), 0);

	return n < 0 ? -errno : 0;
}

static long state_bound(struct fault_call *c)
{
	char path[192];

	snprintf(path, sizeof(path), "%s/%s", c->drv, c->bdf);
	return !access(path, F_OK);
}

static void drv_write(struct fault_call *c, const char *what)
{
	char path[192];

	snprintf(path, sizeof(path), "%s/%s", c->drv, what);
	sysfs_write(path, c->bdf);
}

static void undo_bind(struct fault_call *c)
{
	drv_write(c, "unbind");
}

static void undo_unbind(struct fault_call *c)
{
	drv_write(c, "bind");
}

FIXTURE(fault) {
	struct fault_call c;
	struct module_image img;
};

FIXTURE_SETUP(fault)
{
	const char *why = cannot_inject();

	memset(&self->c, 0, sizeof(self->c));
	self->c.fd = self->c.nth = self->c.efd = self->c.ctl = -1;
	if (why)
		SKIP(return, "%s", why);
	if (geteuid())
		SKIP(return, "needs root");
	self->c.nth = open(FAIL_NTH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->c.nth);
	self->c.efd = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, self->c.efd);
	self->c.img = &self->img;
}

FIXTURE_TEARDOWN(fault)
{
	if (self->c.fd >= 0)
		close(self->c.fd);
	if (self->c.nth >= 0)
		close(self->c.nth);
	if (self->c.efd >= 0)
		close(self->c.efd);
	if (self->c.ctl >= 0)
		close(self->c.ctl);
	free(self->img.data);
	filter_to_modules(0);
	/* The suite goes on with the module as the lane loaded it. */
	if (getenv("MMFDEV_MODULE"))
		module_restore();
}

/* Open @node and pick its first mappable region and first event line. */
static void open_node(struct __test_metadata *_metadata,
		      struct fault_call *c, const char *node)
{
	struct mmfdev_device_info di = { .argsz = sizeof(di) };
	unsigned int i;

	c->fd = open(node, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, c->fd) TH_LOG("%s: %s", node, strerror(errno));
	ASSERT_EQ(0, ioctl(c->fd, MMFDEV_IOC_DEVICE_INFO, &di));
	for (i = 0; i < di.num_regions; i++) {
		ASSERT_EQ(0, region_info(c->fd, i, &c->region));
		if (c->region.flags & MMFDEV_REGION_FLAG_MMAP)
			break;
	}
	ASSERT_LT(i, di.num_regions) TH_LOG("%s has no mappable region", node);
	c->io_len = c->region.flags & MMFDEV_REGION_FLAG_SIZED ?
		    4 : sizeof(c->buf);
	c->map_len = sysconf(_SC_PAGESIZE);
	ASSERT_EQ(0, do_mmap(c));
	c->event = 0;
}

static void step_node(struct __test_metadata *_metadata,
		      struct fault_call *c, const char *node)
{
	unsigned int i, total = 0;
	void *map;

	open_node(_metadata, c, node);
	/* MAPPING_INFO describes this mapping; mmap's calls make others. */
	map = c->map;
	for (i = 0; i < ARRAY_SIZE(node_paths); i++) {
		c->map = map;
		total += step(_metadata, &node_paths[i], c);
	}
	munmap(map, c->map_len);
	ksft_print_msg("%s: %u failure points in all\n", node, total);
}

TEST_F_TIMEOUT(fault, ram_node_calls, 1200)
{
	if (access("/dev/mmfdev", F_OK))
		SKIP(return, "no /dev/mmfdev");
	step_node(_metadata, &self->c, "/dev/mmfdev");
}

TEST_F_TIMEOUT(fault, pci_node_calls, 1200)
{
	char node[128];

	if (find_pci(0x1234, 0x11e8, self->c.bdf, sizeof(self->c.bdf)))
		SKIP(return, "no edu device");
	snprintf(node, sizeof(node), "/dev/mmfdev-pci-%s", self->c.bdf);
	if (access(node, F_OK))
		SKIP(return, "edu is not bound to mmfdev");
	step_node(_metadata, &self->c, node);
}

/*
 * DMA buffers.  A round allocates a buffer of DMA_PAGES pages of one
 * kind, describes it (MMFDEV_IOC_DMA_INFO, with room for its segments),
 * exports it as a dma-buf and closes that, and frees it, with the nth
 * failure armed over the whole round: the failure falls in whichever
 * call makes the nth allocation of the round.  That call must fail with
 * ENOMEM (EXPORT: or EMFILE, ENFILE, as documented), or go on as without
 * the failure; the other calls of the round must end as they do without
 * one.  No ENOSPC: slots and quota are checked before anything is
 * allocated, so an ENOSPC would be a slot or bytes the failure leaked.
 * EINTR comes only from a fatal signal, which fault injection never
 * sends.  After each round whatever it left allocated is freed, and the
 * device must be as before: no DMA buffer left in its slots but those
 * made at probe time (pci_dma_alloc, mmfdev,dma-alloc), dma_used as a
 * round without failures leaves it (freed buffers of a PCI device whose
 * MSIs are in use wait for the last close), the module's reference count
 * as before (a failed export holds no dma-buf).  At the end of each kind,
 * the last close frees and quiesces: reopened, dma_used is what the
 * buffers made at probe time hold, 0 without them.
 *
 * Each round is a few dozen allocations; the rounds of a kind stop after
 * DMA_KIND_SECONDS (MMFDEV_FAULT_DMA_SECONDS) all the same, so that a
 * device's three kinds stay within about 30 s under TCG with KASAN.
 */
#define DMA_PAGES		4
#define DMA_ROUND_LIMIT		2000
#define DMA_KIND_SECONDS	9

enum { DMA_ALLOC, DMA_INFO, DMA_EXPORT, DMA_FREE, DMA_CALLS };

static const char dma_call_names[DMA_CALLS][8] = {
	"ALLOC", "INFO", "EXPORT", "FREE"
};

static const int dma_export_errnos[] = { EMFILE, ENFILE, 0 };

struct dma_round {
	long ret[DMA_CALLS];		/* 0 or -errno */
	int reached;			/* calls made */
	unsigned int index;		/* the buffer's region, if allocated */
	int allocated;			/* allocated and not freed */
};

/* The node's DMA facts now: 0 or -errno. */
static int dma_device_info(int fd, struct mmfdev_device_info *di)
{
	memset(di, 0, sizeof(*di));
	di->argsz = sizeof(*di);
	return ioctl(fd, MMFDEV_IOC_DEVICE_INFO, di) ? -errno : 0;
}

/*
 * One round, all of it under the armed failure: nothing here prints or
 * allocates in userspace, so that only the ioctls meet the failure.
 */
static void dma_round_run(int fd, unsigned int kind, uint64_t size,
			  struct dma_round *r)
{
	struct mmfdev_dma_alloc a = {
		.argsz = sizeof(a), .kind = kind, .size = size,
	};
	uint64_t ibuf[(sizeof(struct mmfdev_dma_info) +
		       DMA_PAGES * sizeof(struct mmfdev_dma_segment)) /
		      sizeof(uint64_t)];
	struct mmfdev_dma_info *info = (struct mmfdev_dma_info *)ibuf;
	struct mmfdev_dma_export e = {
		.argsz = sizeof(e), .flags = O_RDWR | O_CLOEXEC,
	};
	struct mmfdev_dma_free f = { .argsz = sizeof(f) };

	memset(r, 0, sizeof(*r));
	memset(ibuf, 0, sizeof(ibuf));
	r->reached = 1;
	r->ret[DMA_ALLOC] = ioctl(fd, MMFDEV_IOC_DMA_ALLOC, &a) ? -errno : 0;
	if (r->ret[DMA_ALLOC])
		return;
	r->index = a.index;
	r->allocated = 1;

	r->reached++;
	info->argsz = sizeof(ibuf);
	info->index = a.index;
	r->ret[DMA_INFO] = ioctl(fd, MMFDEV_IOC_DMA_INFO, info) ? -errno : 0;

	r->reached++;
	e.index = a.index;
	r->ret[DMA_EXPORT] = ioctl(fd, MMFDEV_IOC_DMA_EXPORT, &e) ? -errno : 0;
	if (!r->ret[DMA_EXPORT] && close(e.fd))
		r->ret[DMA_EXPORT] = -errno;

	r->reached++;
	f.index = a.index;
	r->ret[DMA_FREE] = ioctl(fd, MMFDEV_IOC_DMA_FREE, &f) ? -errno : 0;
	if (!r->ret[DMA_FREE])
		r->allocated = 0;
}

/* Free what a round left allocated, with no failure armed: 0 or -errno. */
static int dma_round_undo(int fd, struct dma_round *r)
{
	struct mmfdev_dma_free f = { .argsz = sizeof(f), .index = r->index };

	if (!r->allocated)
		return 0;
	r->allocated = 0;
	return ioctl(fd, MMFDEV_IOC_DMA_FREE, &f) ? -errno : 0;
}

/*
 * How many of the node's regions are DMA buffers now, or -errno; their
 * bytes go to *@bytes, if not NULL.
 */
static int dma_live(int fd, uint64_t *bytes)
{
	struct mmfdev_device_info di;
	struct mmfdev_region_info ri;
	unsigned int i;
	int n = 0, ret = dma_device_info(fd, &di);

	if (bytes)
		*bytes = 0;
	if (ret)
		return ret;
	for (i = 0; i < di.num_regions; i++) {
		if (region_info(fd, i, &ri))
			return -errno;
		if (ri.kind != MMFDEV_REGION_KIND_DMA)
			continue;
		n++;
		if (bytes)
			*bytes += ri.size;
	}
	return n;
}

static int dma_errno_allowed(int call, long ret)
{
	const int *e;

	if (ret == -ENOMEM)
		return 1;
	for (e = call == DMA_EXPORT ? dma_export_errnos : NULL; e && *e; e++)
		if (ret == -*e)
			return 1;
	return 0;
}

/* Round @n again, with the failure's stack trace in the kernel log. */
static void dma_replay_verbose(int fd, int nth, unsigned int kind,
			       uint64_t size, unsigned int n)
{
	struct dma_round r;

	set_verbose(1);
	if (!fail_nth_arm(nth, n)) {
		dma_round_run(fd, kind, size, &r);
		fail_nth_fired(nth);
		dma_round_undo(fd, &r);
	}
	set_verbose(0);
	log_tail(40);
}

/* Close the node and open it again: the last close frees every buffer. */
static void dma_reopen(struct __test_metadata *_metadata, struct fault_call *c,
		       const char *node, const char *what)
{
	struct mmfdev_device_info di;

	close(c->fd);
	c->fd = open(node, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, c->fd) TH_LOG("%s: %s", node, strerror(errno));
	ASSERT_EQ(0, dma_device_info(c->fd, &di));
	EXPECT_EQ(c->dma_fixed_bytes, di.dma_used)
		TH_LOG("%s: %llu bytes of DMA buffers after the last close, %llu made at probe time",
		       what, (unsigned long long)di.dma_used,
		       (unsigned long long)c->dma_fixed_bytes);
	EXPECT_EQ(c->dma_fixed, dma_live(c->fd, NULL));
}

static double seconds_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The time bound of one kind's rounds (MMFDEV_FAULT_DMA_SECONDS). */
static double dma_kind_seconds(void)
{
	const char *v = getenv("MMFDEV_FAULT_DMA_SECONDS");

	return v && atof(v) > 0 ? atof(v) : DMA_KIND_SECONDS;
}

/*
 * Step the nth failure through the rounds of @kind on the open node
 * c->fd until a round no longer meets it.  Returns the failure points met.
 */
static unsigned int step_dma(struct __test_metadata *_metadata,
			     struct fault_call *c, const char *node,
			     const char *what, unsigned int kind)
{
	unsigned int n, points = 0, failed = 0, other = 0, by_call[DMA_CALLS];
	uint64_t size = DMA_PAGES * sysconf(_SC_PAGESIZE), parks;
	struct mmfdev_device_info di, after;
	long before_ref, want[DMA_CALLS];
	double start, budget = dma_kind_seconds();
	struct dma_round r;
	int i, fired, live, bounded = 0, replayed;

	memset(by_call, 0, sizeof(by_call));
	/* How a round ends when nothing fails, and what it leaves. */
	ASSERT_EQ(0, dma_device_info(c->fd, &di));
	dma_round_run(c->fd, kind, size, &r);
	EXPECT_EQ(0, dma_round_undo(c->fd, &r));
	ASSERT_EQ(0, r.ret[DMA_ALLOC])
		TH_LOG("%s: a round without failures: ALLOC gave %s", what,
		       strerror(-r.ret[DMA_ALLOC]));
	for (i = 0; i < DMA_CALLS; i++) {
		want[i] = r.ret[i];
		/* EXPORT may be refused (memory without pages), the rest not. */
		if (i != DMA_EXPORT)
			EXPECT_EQ(0, want[i]) TH_LOG("%s: a round without failures: %s gave %s",
						     what, dma_call_names[i],
						     strerror(-want[i]));
	}
	ASSERT_EQ(0, dma_device_info(c->fd, &after));
	/* A freed buffer waits for the last close, or goes at once. */
	parks = after.dma_used - di.dma_used;
	ASSERT_TRUE(parks == 0 || parks == size)
		TH_LOG("%s: a round left %llu bytes in use", what,
		       (unsigned long long)parks);
	EXPECT_EQ(c->dma_fixed, dma_live(c->fd, NULL));

	start = seconds_now();
	for (n = 1; n < DMA_ROUND_LIMIT; n++) {
		if (seconds_now() - start > budget) {
			bounded = 1;
			break;
		}
		ASSERT_EQ(0, dma_device_info(c->fd, &di));
		/* Room for one more buffer: the parked ones go at the close. */
		if (di.dma_quota - di.dma_used < size) {
			dma_reopen(_metadata, c, node, what);
			ASSERT_EQ(0, dma_device_info(c->fd, &di));
		}
		before_ref = module_refcnt();
		ASSERT_EQ(0, fail_nth_arm(c->nth, n));
		dma_round_run(c->fd, kind, size, &r);
		fired = fail_nth_fired(c->nth);
		ASSERT_LE(0, fired);
		EXPECT_EQ(0, dma_round_undo(c->fd, &r))
			TH_LOG("%s: failure point %u: the buffer left would not free",
			       what, n);
		if (!fired) {
			/* It ran to its end: as it does without failures. */
			for (i = 0; i < DMA_CALLS; i++)
				EXPECT_EQ(want[i], r.ret[i])
					TH_LOG("%s: uninjected %s", what,
					       dma_call_names[i]);
			break;
		}
		points++;
		replayed = 0;
		for (i = 0; i < r.reached; i++) {
			if (r.ret[i] == want[i])
				continue;
			failed++;
			by_call[i]++;
			EXPECT_TRUE(dma_errno_allowed(i, r.ret[i])) {
				TH_LOG("%s: failure point %u: %s gave %s", what,
				       n, dma_call_names[i],
				       strerror(-r.ret[i]));
				dma_replay_verbose(c->fd, c->nth, kind, size, n);
				replayed = 1;
			}
			if (r.ret[i] != -ENOMEM) {
				other++;
				ksft_print_msg("%s: failure point %u: %s gave %s\n",
					       what, n, dma_call_names[i],
					       strerror(-r.ret[i]));
			}
		}
		/* As a round without failures leaves the device. */
		live = dma_live(c->fd, NULL);
		EXPECT_EQ(c->dma_fixed, live)
			TH_LOG("%s: failure point %u left %d DMA buffers, %d made at probe time",
			       what, n, live, c->dma_fixed);
		ASSERT_EQ(0, dma_device_info(c->fd, &after));
		/* (The replay's buffer may wait for the close too.) */
		if (!replayed)
			EXPECT_EQ(di.dma_used + (r.ret[DMA_ALLOC] ? 0 : parks),
				  after.dma_used)
			TH_LOG("%s: failure point %u: dma_used %llu, was %llu",
			       what, n, (unsigned long long)after.dma_used,
			       (unsigned long long)di.dma_used);
		EXPECT_EQ(before_ref, module_refcnt())
			TH_LOG("%s: failure point %u changed the module's reference count",
			       what, n);
	}
	EXPECT_LT(n, DMA_ROUND_LIMIT);
	if (bounded) {
		ksft_print_msg("%s: stopped after %u failure points: %g s are up\n",
			       what, points, budget);
		/* The round without failures must still work. */
		dma_round_run(c->fd, kind, size, &r);
		EXPECT_EQ(0, dma_round_undo(c->fd, &r));
		for (i = 0; i < DMA_CALLS; i++)
			EXPECT_EQ(want[i], r.ret[i])
				TH_LOG("%s: uninjected %s", what,
				       dma_call_names[i]);
	}
	ksft_print_msg("%s: %u failure points: %u calls failed (ALLOC %u, INFO %u, EXPORT %u, FREE %u; %u not with ENOMEM), %u went on\n",
		       what, points, failed, by_call[DMA_ALLOC],
		       by_call[DMA_INFO], by_call[DMA_EXPORT],
		       by_call[DMA_FREE], other, points - failed);
	/* The last close frees and quiesces: nothing left in use. */
	dma_reopen(_metadata, c, node, what);
	return points;
}

/* Every kind of DMA buffer on @node, which must have DMA slots. */
static void step_dma_node(struct __test_metadata *_metadata,
			  struct fault_call *c, const char *node,
			  const char *name)
{
	static const struct {
		unsigned int kind;
		const char *name;
	} kinds[] = {
		{ MMFDEV_DMA_KIND_COHERENT, "coherent" },
		{ MMFDEV_DMA_KIND_STREAMING, "streaming" },
		{ MMFDEV_DMA_KIND_CONTIGUOUS, "contiguous" },
	};
	struct mmfdev_device_info di;
	unsigned int i, total = 0;
	char what[96];

	c->fd = open(node, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, c->fd) TH_LOG("%s: %s", node, strerror(errno));
	ASSERT_EQ(0, dma_device_info(c->fd, &di));
	ASSERT_TRUE(di.flags & MMFDEV_DEVICE_FLAG_DMA)
		TH_LOG("%s has no DMA buffers", node);
	/*
	 * No other file of the device open, so the last close is ours, and
	 * the buffers left are those made at probe time, all that is in use.
	 */
	c->dma_fixed = dma_live(c->fd, &c->dma_fixed_bytes);
	ASSERT_LE(0, c->dma_fixed);
	EXPECT_EQ(c->dma_fixed_bytes, di.dma_used)
		TH_LOG("%s: %llu bytes of DMA buffers in use at the start, %llu in slots",
		       node, (unsigned long long)di.dma_used,
		       (unsigned long long)c->dma_fixed_bytes);
	if (c->dma_fixed)
		ksft_print_msg("%s: %d DMA buffers of %llu bytes in all made at probe time\n",
			       node, c->dma_fixed,
			       (unsigned long long)c->dma_fixed_bytes);
	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		snprintf(what, sizeof(what), "DMA %s %s", name, kinds[i].name);
		total += step_dma(_metadata, c, node, what, kinds[i].kind);
	}
	ksft_print_msg("%s: %u failure points in all\n", node, total);
}

TEST_F_TIMEOUT(fault, pci_dma_buffers, 600)
{
	char node[128];

	if (find_pci(0x1234, 0x11e8, self->c.bdf, sizeof(self->c.bdf)))
		SKIP(return, "no edu device");
	snprintf(node, sizeof(node), "/dev/mmfdev-pci-%s", self->c.bdf);
	if (access(node, F_OK))
		SKIP(return, "edu is not bound to mmfdev");
	step_dma_node(_metadata, &self->c, node, "edu");
}

TEST_F_TIMEOUT(fault, dt_dma_buffers, 600)
{
	char node[300];

	if (find_dmabuf_node(node, sizeof(node)))
		SKIP(return, "no device-tree node with mmfdev,dma-buffers");
	step_dma_node(_metadata, &self->c, node, "dmabuf");
}

static void step_load(struct __test_metadata *_metadata,
		      struct fault_call *c, const char *what,
		      const char *options)
{
	const struct fault_path p = {
		what, do_load, undo_load, state_loaded, probe_errnos
	};

	ASSERT_EQ(0, module_image_read((struct module_image *)c->img))
		TH_LOG("MMFDEV_MODULE must name an uncompressed mmfdev.ko");
	/* The filter finds where modules lie from mmfdev, loaded. */
	if (!module_loaded())
		ASSERT_EQ(0, module_image_load(c->img, module_default_options()));
	ASSERT_EQ(0, filter_to_modules(module_depth()));
	ASSERT_EQ(0, module_unload_now());
	c->options = options;
	/* None counted would mean the filter missed mmfdev's code. */
	EXPECT_LT(0, step(_metadata, &p, c))
		TH_LOG("%s: no allocation near mmfdev's code", what);
	ASSERT_EQ(0, filter_to_modules(0));
	/* It loads and unloads as well as ever. */
	ASSERT_EQ(0, module_image_load(c->img, options));
	ASSERT_EQ(0, module_unload_now());
}

/* A load that sizes the RAM node: its allocations, and nothing else. */
TEST_F_TIMEOUT(fault, load_with_size, 1200)
{
	step_load(_metadata, &self->c, "init_module size=256K", "size=256K");
}

/*
 * A load with pci_ids= makes every allocation a load without it makes
 * (the RAM node, the device-tree nodes) and then probes the PCI devices:
 * no load with other parameters but phys= reaches code it does not.
 */
TEST_F_TIMEOUT(fault, load_with_pci_ids, 1200)
{
	step_load(_metadata, &self->c, "init_module pci_ids=",
		  module_default_options());
}

/*
 * The same load without pci_ids=: the RAM node and the device-tree nodes
 * only.  An arm64 sanitizer lane runs this one instead, and leaves the
 * PCI probes, the same C code on both architectures, to the x86_64 one
 * (on arm64 they were a third of the sweep's failure points).
 */
TEST_F_TIMEOUT(fault, load_with_dt_nodes, 1200)
{
	const char *node = getenv("MMFDEV_DT_NODE");
	char all[256], opts[256], *word, *save = NULL;
	size_t len = 0;

	if (!node || !*node)
		SKIP(return, "no device-tree node (MMFDEV_DT_NODE)");
	snprintf(all, sizeof(all), "%s", module_default_options());
	opts[0] = 0;
	for (word = strtok_r(all, " ", &save); word;
	     word = strtok_r(NULL, " ", &save)) {
		if (!strncmp(word, "pci_ids=", 8))
			continue;
		len += snprintf(opts + len, sizeof(opts) - len, "%s%s",
				len ? " " : "", word);
		ASSERT_GT(sizeof(opts), len);
	}
	step_load(_metadata, &self->c, "init_module (device tree)", opts);
}

TEST_F_TIMEOUT(fault, load_with_phys, 1200)
{
	unsigned long long bar0 = 0;
	char opts[128];

	if (find_pci(0x1234, 0x11e8, self->c.bdf, sizeof(self->c.bdf)) ||
	    pci_bar_start(self->c.bdf, 0, &bar0))
		SKIP(return, "no edu device");
	/* With mmfdev gone nothing holds edu's BAR: map it by address. */
	snprintf(opts, sizeof(opts), "phys=edu:0x%llx:0x%lx", bar0,
		 sysconf(_SC_PAGESIZE));
	step_load(_metadata, &self->c, "init_module phys=", opts);
}

/* Step unbinding c->bdf from c->drv, then binding it again. */
static void step_bind_and_unbind(struct __test_metadata *_metadata,
				 struct fault_call *c, const char *name)
{
	char what[2][96], path[192];
	const struct fault_path bind = {
		what[0], do_sysfs_write, undo_bind, state_bound, probe_errnos
	};
	const struct fault_path unbind = {
		what[1], do_sysfs_write, undo_unbind, state_bound, NULL
	};

	snprintf(what[0], sizeof(what[0]), "bind %s", name);
	snprintf(what[1], sizeof(what[1]), "unbind %s", name);
	ASSERT_EQ(0, filter_to_modules(module_depth()));
	snprintf(path, sizeof(path), "%s/unbind", c->drv);
	c->ctl = open(path, O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, c->ctl);
	step(_metadata, &unbind, c);
	close(c->ctl);

	ASSERT_EQ(0, sysfs_write(path, c->bdf));
	snprintf(path, sizeof(path), "%s/bind", c->drv);
	c->ctl = open(path, O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, c->ctl);
	EXPECT_LT(0, step(_metadata, &bind, c))
		TH_LOG("%s: no allocation near mmfdev's code", what[0]);
	close(c->ctl);
	c->ctl = -1;
	ASSERT_EQ(0, filter_to_modules(0));

	/* Bound again, and it works. */
	ASSERT_EQ(0, sysfs_write(path, c->bdf));
	EXPECT_EQ(1, state_bound(c));
}

TEST_F_TIMEOUT(fault, pci_bind_and_unbind, 1200)
{
	if (find_pci(0x1234, 0x11e8, self->c.bdf, sizeof(self->c.bdf)))
		SKIP(return, "no edu device");
	self->c.drv = PCI_DRIVER_DIR;
	if (!state_bound(&self->c))
		SKIP(return, "edu is not bound to mmfdev");
	step_bind_and_unbind(_metadata, &self->c, "edu");
}

/*
 * A device-tree device (arm64 lanes): MMFDEV_DT_NODE names its node, with
 * a register window, a reserved-memory buffer and an interrupt, so its
 * probe makes every kind of region mmfdev has.
 */
TEST_F_TIMEOUT(fault, dt_bind_and_unbind, 1200)
{
	const char *node = getenv("MMFDEV_DT_NODE");

	if (!node || !*node)
		SKIP(return, "MMFDEV_DT_NODE is not set");
	ASSERT_EQ(0, strncmp(node, "mmfdev-", 7));
	snprintf(self->c.bdf, sizeof(self->c.bdf), "%s", node + 7);
	self->c.drv = PLATFORM_DRIVER_DIR;
	ASSERT_EQ(1, state_bound(&self->c))
		TH_LOG("%s is not bound to mmfdev", self->c.bdf);
	step_bind_and_unbind(_metadata, &self->c, self->c.bdf);
}

TEST_HARNESS_MAIN
