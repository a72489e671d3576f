// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helpers shared by the mmfdev kselftests: region info, PCI devices in
 * sysfs, and loading or unloading the module through libkmod.  Built once
 * and linked into each test program; common.h declares them.
 */
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
#ifndef MMFDEV_TEST_NO_KMOD
#include <libkmod.h>
#endif

#include "mmfdev.h"
#include "common.h"

/* A hex attribute of PCI device @bdf in sysfs (vendor, device), or 0. */
unsigned int pci_attr(const char *bdf, const char *attr)
{
	unsigned int v = 0;
	char path[300];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", bdf, attr);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fscanf(f, "%x", &v) != 1)
		v = 0;
	fclose(f);
	return v;
}

/* Find PCI device @vendor:@device; its address goes to @bdf. */
int find_pci(unsigned int vendor, unsigned int device, char *bdf, size_t len)
{
	struct dirent *de;
	int ret = -ENOENT;
	DIR *d;

	d = opendir("/sys/bus/pci/devices");
	if (!d)
		return -ENOENT;
	while (ret && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (pci_attr(de->d_name, "vendor") == vendor &&
		    pci_attr(de->d_name, "device") == device) {
			snprintf(bdf, len, "%.*s", (int)len - 1, de->d_name);
			ret = 0;
		}
	}
	closedir(d);
	return ret;
}

/* Physical start of BAR @bar of @bdf, from sysfs. */
int pci_bar_start(const char *bdf, int bar, unsigned long long *start)
{
	unsigned long long s, e, fl;
	char path[300];
	int i, ret = -ENOENT;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource", bdf);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	for (i = 0; i <= bar; i++) {
		if (fscanf(f, "%llx %llx %llx", &s, &e, &fl) != 3)
			break;
		if (i == bar) {
			*start = s;
			ret = 0;
		}
	}
	fclose(f);
	return ret;
}

int sysfs_write(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, value, strlen(value));
	close(fd);
	return n < 0 ? -errno : 0;
}

int device_info(int fd, struct mmfdev_device_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	return ioctl(fd, MMFDEV_IOC_DEVICE_INFO, info);
}

int region_info(int fd, unsigned int index, struct mmfdev_region_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	info->index = index;
	return ioctl(fd, MMFDEV_IOC_REGION_INFO, info);
}

/* The event ioctls, 0 or -1 with errno, as ioctl() itself. */
int event_info(int fd, unsigned int index, struct mmfdev_event_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	info->index = index;
	return ioctl(fd, MMFDEV_IOC_EVENT_INFO, info);
}

int event_status(int fd, unsigned int index, unsigned int flags,
		 struct mmfdev_event_status *st)
{
	memset(st, 0, sizeof(*st));
	st->argsz = sizeof(*st);
	st->index = index;
	st->flags = flags;
	return ioctl(fd, MMFDEV_IOC_EVENT_STATUS, st);
}

int event_wait(int fd, uint64_t lines, int64_t timeout_ns, uint64_t *pending)
{
	struct mmfdev_event_wait w = {
		.argsz = sizeof(w), .lines = lines, .timeout_ns = timeout_ns,
	};
	int ret = ioctl(fd, MMFDEV_IOC_EVENT_WAIT, &w);

	*pending = ret ? 0 : w.pending;
	return ret;
}

static int event_line_ioctl(int fd, unsigned long cmd, unsigned int index)
{
	struct mmfdev_event_line l = { .argsz = sizeof(l), .index = index };

	return ioctl(fd, cmd, &l);
}

int event_ring(int fd, unsigned int index)
{
	return event_line_ioctl(fd, MMFDEV_IOC_EVENT_RING, index);
}

int event_unmask(int fd, unsigned int index)
{
	return event_line_ioctl(fd, MMFDEV_IOC_EVENT_UNMASK, index);
}

int event_eventfd(int fd, unsigned int index, int efd)
{
	struct mmfdev_event_eventfd e = {
		.argsz = sizeof(e), .index = index, .fd = efd,
	};

	return ioctl(fd, MMFDEV_IOC_EVENT_EVENTFD, &e);
}

/* The first event line of @kind, or -1. */
int event_of_kind(struct mmfdev *dev, unsigned int kind)
{
	unsigned int i;

	for (i = 0; i < mmfdev_get_num_events(dev); i++) {
		struct mmfdev_event *ev;
		unsigned int k;

		if (mmfdev_event_get(dev, i, &ev))
			return -1;
		k = mmfdev_event_get_kind(ev);
		mmfdev_event_free(ev);
		if (k == kind)
			return i;
	}
	return -1;
}

/*
 * Is there a /proc/iomem entry [s, e] with name @name such that @match
 * says yes?  The name keeps its newline.
 */
static int iomem_any(int (*match)(unsigned long long s, unsigned long long e,
				  const char *name, const void *arg),
		     const void *arg)
{
	unsigned long long s, e;
	char line[256];
	int found = 0, n;
	FILE *f;

	f = fopen("/proc/iomem", "re");
	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f)) {
		n = 0;
		found = sscanf(line, " %llx-%llx : %n", &s, &e, &n) == 2 &&
			n && match(s, e, line + n, arg);
	}
	fclose(f);
	return found;
}

struct iomem_query {
	unsigned long long start, end;
	const char *what;
};

static int starts_named(unsigned long long s, unsigned long long e,
			const char *name, const void *arg)
{
	const struct iomem_query *q = arg;

	return s == q->start && strstr(name, q->what);
}

/* Does /proc/iomem have an entry at @start whose name contains @what? */
int iomem_has(unsigned long long start, const char *what)
{
	struct iomem_query q = { .start = start, .what = what };

	return iomem_any(starts_named, &q);
}

static int mmfdev_overlaps(unsigned long long s, unsigned long long e,
			   const char *name, const void *arg)
{
	const struct iomem_query *q = arg;

	return !strcmp(name, "mmfdev\n") && s <= q->end && e >= q->start;
}

/* Has mmfdev itself requested any part of [@start, @end]? */
int iomem_mmfdev_holds(unsigned long long start, unsigned long long end)
{
	struct iomem_query q = { .start = start, .end = end };

	return iomem_any(mmfdev_overlaps, &q);
}

static int ram_contains(unsigned long long s, unsigned long long e,
			const char *name, const void *arg)
{
	const struct iomem_query *q = arg;

	return !strcmp(name, "System RAM\n") && s <= q->start && e >= q->end;
}

/* Is all of [@start, @end] inside one System RAM range? */
int iomem_ram_holds(unsigned long long start, unsigned long long end)
{
	struct iomem_query q = { .start = start, .end = end };

	return iomem_any(ram_contains, &q);
}

/* /dev/kmsg from its end: the records logged from now on; -1 if denied. */
int kmsg_from_now(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0 && lseek(fd, 0, SEEK_END) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/*
 * The messages of the kernel log records from @fd on, one per line, in a
 * static buffer that the next call reuses.  Reads them all.
 */
const char *kmsg_messages(int fd)
{
	static char buf[1 << 16];
	char rec[2048], *msg, *nl;
	size_t used = 0, n;
	ssize_t got;

	buf[0] = '\0';
	for (;;) {
		got = read(fd, rec, sizeof(rec) - 1);
		if (got < 0 && errno == EPIPE)
			continue;	/* records overwritten: read on */
		if (got <= 0)
			break;
		rec[got] = '\0';
		/* "prefix;message\n", then " KEY=value" lines. */
		msg = strchr(rec, ';');
		if (!msg)
			continue;
		msg++;
		nl = strchr(msg, '\n');
		n = nl ? (size_t)(nl - msg) : strlen(msg);
		if (used + n + 2 > sizeof(buf))
			break;
		memcpy(buf + used, msg, n);
		used += n;
		buf[used++] = '\n';
		buf[used] = '\0';
	}
	return buf;
}

/* How many lines of @text contain @needle; the last one goes to @line. */
int lines_with(const char *text, const char *needle, char *line, size_t len)
{
	const char *p = text, *nl;
	int n = 0;

	line[0] = '\0';
	while ((p = strstr(p, needle))) {
		while (p > text && p[-1] != '\n')
			p--;
		nl = strchr(p, '\n');
		snprintf(line, len, "%.*s", (int)(nl ? nl - p : (long)strlen(p)),
			 p);
		n++;
		p = nl ? nl + 1 : p + strlen(p);
	}
	return n;
}

/* How many kernel log records from @fd on contain @needle: see lines_with(). */
int kmsg_grep(int fd, const char *needle, char *line, size_t len)
{
	return lines_with(kmsg_messages(fd), needle, line, len);
}

/* A small deterministic generator, so a failing round can be replayed. */
uint64_t fuzz_next(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

static int fuzz_errno_in(int err, const int *allowed, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (allowed[i] == err)
			return 1;
	return 0;
}

/*
 * Throw @rounds of odd mmap(), pread()/pwrite() and ioctl() arguments at
 * region @r of @fd.  Every call must succeed or fail with a documented
 * errno; a mapping that succeeds must be readable.  With @may_write false,
 * nothing is written to the device (registers may act on writes), and no
 * access narrower than 32 bits reaches it (some devices, like edu, fault
 * on those).  Returns the number of unexpected results, each logged.
 */
int fuzz_region(int fd, const struct mmfdev_region_info *r,
		int rounds, int may_write, uint64_t seed)
{
	static const int mmap_errs[] = { EINVAL, ENXIO, ENODEV, EOVERFLOW,
					 EACCES, ENOMEM, EPERM };
	static const int rw_errs[] = { EINVAL, ENXIO, ENOSPC, EOPNOTSUPP };
	static const int ioctl_errs[] = { ENOTTY, EINVAL, EFAULT };
	uint64_t page = sysconf(_SC_PAGESIZE), st = seed | 1;
	const uint64_t offs[] = {
		0, page, r->size - page, r->size, r->size + page, page / 2,
		1ULL << 36, (1ULL << 36) - page, 1ULL << 40, 3ULL << 40,
		7ULL << 40, 1ULL << 44, ~(page - 1), 1ULL << 62,
	};
	const size_t lens[] = { 0, 1, 3, 4, 8, 16, page, 2 * page, r->size,
				r->size + page };
	unsigned char buf[64], big[256];
	int bad = 0, i;

	for (i = 0; i < rounds; i++) {
		uint64_t pick = fuzz_next(&st);
		uint64_t off = (pick & 1) ? offs[(pick >> 1) % 14] :
			       (fuzz_next(&st) % (2 * r->size + 2 * page)) &
			       ~(page - 1);
		size_t len = lens[(pick >> 8) % 10];
		int prot = (pick >> 16) & (PROT_READ | PROT_WRITE);
		int flags = (pick >> 20) & 1 ? MAP_PRIVATE : MAP_SHARED;
		uint64_t pos = r->offset + off + ((pick >> 24) & 7);
		unsigned int cmd = _IO(MMFDEV_IOC_MAGIC, (pick >> 32) & 7);
		ssize_t n;
		void *map;

		if (!may_write) {
			prot &= ~PROT_WRITE;
			/* Narrow reads become 3 bytes: refused, never issued. */
			if (len == 1 || len == 2)
				len = 3;
		}
		map = mmap(NULL, len, prot, flags, fd, (off_t)(r->offset + off));
		if (map != MAP_FAILED) {
			if (prot & PROT_READ && len)
				(void)*(volatile uint32_t *)map;
			munmap(map, len);
		} else if (!fuzz_errno_in(errno, mmap_errs, 7)) {
			fprintf(stderr, "# fuzz %d: mmap off 0x%llx len %zu: %s\n",
				i, (unsigned long long)off, len, strerror(errno));
			bad++;
		}

		n = pread(fd, big, len < sizeof(big) ? len : sizeof(big),
			  (off_t)pos);
		if (n < 0 && !fuzz_errno_in(errno, rw_errs, 4)) {
			fprintf(stderr, "# fuzz %d: pread pos 0x%llx: %s\n", i,
				(unsigned long long)pos, strerror(errno));
			bad++;
		}
		if (may_write && n > 0 &&
		    pwrite(fd, big, n, (off_t)pos) < 0 &&
		    !fuzz_errno_in(errno, rw_errs, 4)) {
			fprintf(stderr, "# fuzz %d: pwrite pos 0x%llx: %s\n", i,
				(unsigned long long)pos, strerror(errno));
			bad++;
		}

		/* Known and unknown ioctls, with any argsz. */
		memset(buf, 0, sizeof(buf));
		*(uint32_t *)buf = (uint32_t)(fuzz_next(&st) % 200);
		*(uint32_t *)(buf + 4) = (uint32_t)(pick >> 40) % 20;
		if (ioctl(fd, cmd, *(uint32_t *)buf <= sizeof(buf) ? buf : NULL) &&
		    !fuzz_errno_in(errno, ioctl_errs, 3)) {
			fprintf(stderr, "# fuzz %d: ioctl 0x%x: %s\n", i, cmd,
				strerror(errno));
			bad++;
		}
	}
	return bad;
}

#ifdef MMFDEV_TEST_NO_KMOD
/* Built without libkmod (e.g. the static 32-bit suite): no module tests. */
int module_remove(void)
{
	return -ENOSYS;
}

int module_insert(const char *options)
{
	return -ENOSYS;
}

const char *module_cannot_reload(void)
{
	return "built without libkmod";
}
#else
static struct kmod_ctx *kmod_ctx_new(void)
{
	const char *null_config = NULL;
	struct kmod_ctx *ctx = kmod_new(NULL, &null_config);

	/* Refusals are expected here; the test reports them, not libkmod. */
	if (ctx)
		kmod_set_log_priority(ctx, LOG_CRIT);
	return ctx;
}

int module_remove(void)
{
	struct kmod_ctx *ctx = kmod_ctx_new();
	struct kmod_module *mod;
	int ret;

	if (!ctx)
		return -ENOMEM;
	ret = kmod_module_new_from_name(ctx, MODULE_NAME, &mod);
	if (!ret) {
		ret = kmod_module_remove_module(mod, 0);
		kmod_module_unref(mod);
	}
	kmod_unref(ctx);
	return ret;
}

int module_insert(const char *options)
{
	const char *path = getenv("MMFDEV_MODULE");
	struct kmod_ctx *ctx = kmod_ctx_new();
	struct kmod_module *mod;
	int ret;

	if (!ctx)
		return -ENOMEM;
	if (path)
		ret = kmod_module_new_from_path(ctx, path, &mod);
	else
		ret = kmod_module_new_from_name(ctx, MODULE_NAME, &mod);
	if (!ret) {
		if (path)
			ret = kmod_module_insert_module(mod, 0, options);
		else
			ret = kmod_module_probe_insert_module(mod, 0, options,
							      NULL, NULL, NULL);
		kmod_module_unref(mod);
	}
	kmod_unref(ctx);
	return ret;
}

/* Can this run unload and load the module again? NULL if so. */
const char *module_cannot_reload(void)
{
	struct kmod_ctx *ctx;
	struct kmod_module *mod;
	const char *why = NULL;

	if (geteuid())
		return "needs root";
	if (access("/sys/module/" MODULE_NAME "/refcnt", F_OK))
		return "mmfdev is not a loaded module";
	if (getenv("MMFDEV_MODULE"))
		return NULL;

	ctx = kmod_ctx_new();
	if (!ctx)
		return "no libkmod context";
	if (kmod_module_new_from_name(ctx, MODULE_NAME, &mod))
		why = "libkmod does not know mmfdev";
	else if (!kmod_module_get_path(mod))
		why = "mmfdev.ko is not installed; set MMFDEV_MODULE";
	if (!why)
		kmod_module_unref(mod);
	kmod_unref(ctx);
	return why;
}

#endif /* MMFDEV_TEST_NO_KMOD */

/* Read the .ko that MMFDEV_MODULE names (uncompressed). */
int module_image_read(struct module_image *img)
{
	const char *path = getenv("MMFDEV_MODULE");
	size_t cap = 0;
	ssize_t n = 0;
	int fd;

	img->data = NULL;
	img->len = 0;
	if (!path)
		return -ENOENT;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		if (img->len == cap) {
			void *p = realloc(img->data, cap ? cap * 2 : 1 << 20);

			if (!p) {
				n = -1;
				errno = ENOMEM;
				break;
			}
			img->data = p;
			cap = cap ? cap * 2 : 1 << 20;
		}
		n = read(fd, (char *)img->data + img->len, cap - img->len);
		if (n <= 0)
			break;
		img->len += n;
	}
	close(fd);
	if (n < 0 || !img->len) {
		free(img->data);
		img->data = NULL;
		return n < 0 ? -errno : -ENOEXEC;
	}
	return 0;
}

/* init_module(2) with @options: 0 or -errno. */
int module_image_load(const struct module_image *img, const char *options)
{
	return syscall(__NR_init_module, img->data, img->len, options) ?
	       -errno : 0;
}

/* delete_module(2), refused at once (EWOULDBLOCK) while in use. */
int module_unload_now(void)
{
	return syscall(__NR_delete_module, MODULE_NAME, O_NONBLOCK) ?
	       -errno : 0;
}

int module_loaded(void)
{
	return !access("/sys/module/" MODULE_NAME "/initstate", F_OK);
}

/* The module's reference count, or -1 when it is not loaded. */
long module_refcnt(void)
{
	FILE *f = fopen("/sys/module/" MODULE_NAME "/refcnt", "re");
	long n = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &n) != 1)
		n = -1;
	fclose(f);
	return n;
}

/* The options the module was loaded with, for putting it back. */
const char *module_default_options(void)
{
	const char *opts = getenv("MMFDEV_MODULE_OPTIONS");

	return opts ? opts : "";
}

/*
 * Teardown of the fixtures that may unload the module: whatever happened,
 * leave it loaded, with the options it had.
 */
void module_restore(void)
{
	if (!module_loaded())
		module_insert(module_default_options());
}

/* Teardown of the fixtures that loaded it with other options. */
void module_reload_default(void)
{
	module_remove();
	module_insert(module_default_options());
}

int find_dmabuf_node(char *node, size_t len)
{
	struct dirent *d;
	DIR *dir;

	node[0] = 0;
	dir = opendir("/sys/class/misc");
	if (!dir)
		return -1;
	while ((d = readdir(dir))) {
		if (!strncmp(d->d_name, "mmfdev-", 7) &&
		    strstr(d->d_name, "dmabuf")) {
			snprintf(node, len, "/dev/%s", d->d_name);
			break;
		}
	}
	closedir(dir);
	return node[0] ? 0 : -1;
}
