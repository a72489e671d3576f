// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmfdev kselftest for the "phys" module parameter: edu's BAR0 mapped by
 * address, never RAM, and ranges shared with the driver that holds them
 * (with the opt-in only).  The tests reload the module, so they need root
 * and libkmod; they skip without an edu device or a known held block.
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
#include "edu.h"

/* The "phys" module parameter: edu's BAR0 by address, never RAM. */
FIXTURE(phys) {
	char bdf[64];
	unsigned long long bar0;
};

FIXTURE_SETUP(phys)
{
	const char *why = module_cannot_reload();

	if (why)
		SKIP(return, "%s", why);
	if (find_pci(0x1234, 0x11e8, self->bdf, sizeof(self->bdf)))
		SKIP(return, "no edu device");
	ASSERT_EQ(0, pci_bar_start(self->bdf, 0, &self->bar0));
	ASSERT_NE(0, self->bar0);
}

FIXTURE_TEARDOWN(phys)
{
	module_reload_default();
}

/* The first System RAM range in /proc/iomem. */
static int first_system_ram(unsigned long long *start)
{
	unsigned long long s, e, page = sysconf(_SC_PAGESIZE);
	char line[256];
	int ret = -ENOENT;
	FILE *f;

	f = fopen("/proc/iomem", "re");
	if (!f)
		return -errno;
	while (ret && fgets(line, sizeof(line), f)) {
		if (strstr(line, "System RAM") &&
		    sscanf(line, " %llx-%llx", &s, &e) == 2 && s &&
		    e > s + 2 * page) {
			*start = (s + page - 1) & ~(page - 1);
			ret = 0;
		}
	}
	fclose(f);
	return ret;
}

TEST_F_TIMEOUT(phys, register_block_by_address, 120)
{
	char opts[128];
	struct mmfdev *dev;
	uint32_t id = 0;
	size_t len;
	void *regs;

	ASSERT_EQ(0, module_remove());
	/* Nothing holds the BAR now: expose its first page by address. */
	snprintf(opts, sizeof(opts), "phys=edu:0x%llx:0x%lx", self->bar0,
		 sysconf(_SC_PAGESIZE));
	ASSERT_EQ(0, module_insert(opts));
	ASSERT_EQ(0, mmfdev_open_by_name("mmfdev-phys", 0, &dev));
	EXPECT_EQ(4, mmfdev_read(dev, 0, EDU_ID, &id, 4));
	EXPECT_EQ(EDU_ID_VALUE, id);
	ASSERT_EQ(0, mmfdev_map(dev, 0, 0, 0, MMFDEV_MAP_READ, &regs, &len));
	EXPECT_EQ(EDU_ID_VALUE, mmfdev_read32(regs));
	mmfdev_unmap(regs, len);
	mmfdev_close(dev);
}

TEST_F_TIMEOUT(phys, refused_over_ram_and_bad_syntax, 120)
{
	unsigned long long ram = 0;
	char opts[128];

	ASSERT_EQ(0, first_system_ram(&ram));
	ASSERT_EQ(0, module_remove());
	snprintf(opts, sizeof(opts), "phys=ram:0x%llx:0x%lx", ram,
		 sysconf(_SC_PAGESIZE));
	EXPECT_EQ(-EINVAL, module_insert(opts));
	EXPECT_EQ(-EINVAL, module_insert("phys=edu"));
	EXPECT_EQ(-EINVAL, module_insert("phys=edu:0x1000:0"));
	EXPECT_EQ(-EINVAL, module_insert("phys=edu:zz:0x1000"));
	/* Sharing never reaches RAM; "shared" is the only fourth field. */
	snprintf(opts, sizeof(opts), "phys=ram:0x%llx:0x%lx:shared", ram,
		 sysconf(_SC_PAGESIZE));
	EXPECT_EQ(-EINVAL, module_insert(opts));
	snprintf(opts, sizeof(opts), "phys=edu:0x%llx:0x%lx:share",
		 self->bar0, sysconf(_SC_PAGESIZE));
	EXPECT_EQ(-EINVAL, module_insert(opts));
	snprintf(opts, sizeof(opts), "phys=edu:0x%llx:0x%lx:shared:shared",
		 self->bar0, sysconf(_SC_PAGESIZE));
	EXPECT_EQ(-EINVAL, module_insert(opts));
	EXPECT_NE(0, access("/dev/mmfdev-phys", F_OK));
}

/*
 * ":shared" on a range nobody holds: mapped but never requested, so a
 * driver that comes later (here mmfdev's own PCI binding) still gets it.
 */
TEST_F_TIMEOUT(phys, shared_range_left_for_a_later_driver, 120)
{
	unsigned long long last = self->bar0 + sysconf(_SC_PAGESIZE) - 1;
	struct mmfdev_region_info info;
	char opts[128], want[160], line[1024], node[128];
	struct mmfdev *dev, *pci;
	int kmsg;
	size_t len;
	void *regs;

	ASSERT_EQ(0, module_remove());
	kmsg = kmsg_from_now();
	snprintf(opts, sizeof(opts), "phys=edu:0x%llx:0x%lx:shared",
		 self->bar0, sysconf(_SC_PAGESIZE));
	ASSERT_EQ(0, module_insert(opts));
	ASSERT_EQ(0, mmfdev_open_by_name("mmfdev-phys", 0, &dev));
	ASSERT_EQ(0, region_info(mmfdev_get_fd(dev), 0, &info));
	EXPECT_EQ(MMFDEV_REGION_FLAG_READ | MMFDEV_REGION_FLAG_WRITE |
		  MMFDEV_REGION_FLAG_MMAP | MMFDEV_REGION_FLAG_SIZED |
		  MMFDEV_REGION_FLAG_SHARED, info.flags);
	EXPECT_FALSE(iomem_mmfdev_holds(self->bar0, last));
	if (kmsg >= 0) {
		snprintf(want, sizeof(want),
			 "mmfdev: edu: sharing [mem 0x%08llx-0x%08llx] %s",
			 self->bar0, last, "(no driver holds it now)");
		EXPECT_EQ(1, kmsg_grep(kmsg, want, line, sizeof(line)))
			TH_LOG("no line '%s'", want);
		close(kmsg);
	}

	/* The PCI driver binds to edu and requests the BAR next to us. */
	snprintf(node, sizeof(node), "mmfdev-pci-%s", self->bdf);
	ASSERT_EQ(0, sysfs_write(PCI_DRIVER_DIR "/new_id", "1234 11e8"));
	ASSERT_EQ(0, mmfdev_open_by_name(node, 0, &pci));
	EXPECT_TRUE(iomem_mmfdev_holds(self->bar0, last));
	ASSERT_EQ(0, mmfdev_map(dev, 0, 0, 0, MMFDEV_MAP_READ, &regs, &len));
	EXPECT_EQ(EDU_ID_VALUE, mmfdev_read32(regs));
	mmfdev_unmap(regs, len);
	mmfdev_close(pci);
	mmfdev_close(dev);
}

/*
 * A register block the kernel really holds (a busy range in /proc/iomem),
 * with registers that are safe to read and whose values are known:
 *  - arm64: a PL011 (QEMU virt's, held by uart-pl011): its peripheral and
 *    PrimeCell IDs, the same on every PL011;
 *  - x86: PCI config space through MMCONFIG (held by the x86 PCI code, and
 *    on q35 also by the pnp "system" driver): the vendor and device IDs of
 *    0000:00:00.0, as sysfs has them.
 * Reads stay inside the block: QEMU aborts on the rest of a PL011's page.
 */
struct held_reg {
	unsigned int off;
	uint32_t value;
};

struct held_block {
	const char *name;		/* region name in phys= */
	const char *holder;		/* in its /proc/iomem entry */
	const char *owner;		/* in the log line; NULL: not named */
	unsigned int nr_regs;
	struct held_reg regs[5];
};

/* The block for this architecture, or NULL. */
static const struct held_block *held_block_here(void)
{
#if defined(__aarch64__)
	static const struct held_block pl011 = {
		"pl011", "pl011", "with its owner \"uart-pl011\"", 5,
		{ { 0xfe0, 0x11 }, { 0xff0, 0x0d }, { 0xff4, 0xf0 },
		  { 0xff8, 0x05 }, { 0xffc, 0xb1 } },
	};

	return &pl011;
#elif defined(__x86_64__) || defined(__i386__)
	/* "PCI MMCONFIG 0000 [bus 00-ff]" on 6.1, "PCI ECAM ..." on 6.12 */
	static const struct held_block ecam = {
		"ecam", " 0000 [bus 00-", NULL, 1, { { 0x0, 0 } },
	};

	return &ecam;
#else
	return NULL;
#endif
}

/* The start of the first /proc/iomem entry whose name contains @what. */
static int iomem_find(const char *what, unsigned long long *start)
{
	unsigned long long s, e;
	char line[256];
	int ret = -ENOENT, n;
	FILE *f;

	f = fopen("/proc/iomem", "re");
	if (!f)
		return -errno;
	while (ret && fgets(line, sizeof(line), f)) {
		n = 0;
		if (sscanf(line, " %llx-%llx : %n", &s, &e, &n) == 2 && n &&
		    strstr(line + n, what)) {
			*start = s;
			ret = 0;
		}
	}
	fclose(f);
	return ret;
}

/* A sysfs file holding one hex number. */
static int sysfs_hex(const char *path, unsigned int *value)
{
	FILE *f = fopen(path, "re");
	int ret;

	if (!f)
		return -errno;
	ret = fscanf(f, "%x", value) == 1 ? 0 : -EINVAL;
	fclose(f);
	return ret;
}

FIXTURE(held) {
	struct held_block b;
	unsigned long long addr;
	unsigned long page;
	char opts[128];
};

FIXTURE_SETUP(held)
{
	const char *why = module_cannot_reload();
	unsigned int vendor, device;

	self->page = sysconf(_SC_PAGESIZE);
	if (why)
		SKIP(return, "%s", why);
	if (!held_block_here())
		SKIP(return, "no register block known to be held on this arch");
	self->b = *held_block_here();
	if (iomem_find(self->b.holder, &self->addr))
		SKIP(return, "no '%s' in /proc/iomem", self->b.holder);
	if (self->addr % self->page)
		SKIP(return, "%s is not page-aligned", self->b.name);
	if (!strcmp(self->b.name, "ecam")) {
		/* Bus 0, device 0, function 0: the first 4 KiB. */
		ASSERT_EQ(0, sysfs_hex("/sys/bus/pci/devices/0000:00:00.0/vendor",
				       &vendor));
		ASSERT_EQ(0, sysfs_hex("/sys/bus/pci/devices/0000:00:00.0/device",
				       &device));
		self->b.regs[0].value = vendor | device << 16;
	}
	snprintf(self->opts, sizeof(self->opts), "phys=%s:0x%llx:0x%lx",
		 self->b.name, self->addr, self->page);
}

FIXTURE_TEARDOWN(held)
{
	module_reload_default();
}

/* Without the opt-in nothing changes: EBUSY, and nothing is created. */
TEST_F_TIMEOUT(held, refused_without_shared, 120)
{
	ASSERT_EQ(0, module_remove());
	EXPECT_EQ(-EBUSY, module_insert(self->opts));
	EXPECT_NE(0, access("/dev/mmfdev-phys", F_OK));
	EXPECT_NE(0, access("/dev/mmfdev", F_OK));
	EXPECT_FALSE(iomem_mmfdev_holds(self->addr,
					self->addr + self->page - 1));
}

/* With it: mapped next to its owner, and reads see the device. */
TEST_F_TIMEOUT(held, shared_with_its_owner, 120)
{
	const struct held_block *b = &self->b;
	unsigned long long last = self->addr + self->page - 1, held = 0;
	char opts[160], want[160], line[1024];
	struct mmfdev_region_info info;
	struct mmfdev *dev;
	unsigned int i;
	uint8_t *regs;
	uint32_t v;
	size_t len;
	int kmsg;

	ASSERT_EQ(0, module_remove());
	kmsg = kmsg_from_now();
	snprintf(opts, sizeof(opts), "%s:shared", self->opts);
	ASSERT_EQ(0, module_insert(opts));
	ASSERT_EQ(0, mmfdev_open_by_name("mmfdev-phys", 0, &dev));
	ASSERT_EQ(0, region_info(mmfdev_get_fd(dev), 0, &info));
	EXPECT_STREQ(b->name, info.name);
	EXPECT_EQ(MMFDEV_REGION_KIND_MMIO, info.kind);
	EXPECT_EQ(self->page, info.size);
	EXPECT_EQ(MMFDEV_REGION_FLAG_READ | MMFDEV_REGION_FLAG_WRITE |
		  MMFDEV_REGION_FLAG_MMAP | MMFDEV_REGION_FLAG_SIZED |
		  MMFDEV_REGION_FLAG_SHARED, info.flags);

	ASSERT_EQ(0, mmfdev_map(dev, 0, 0, 0, MMFDEV_MAP_READ, (void **)&regs,
				&len));
	EXPECT_EQ(self->page, len);
	for (i = 0; i < b->nr_regs; i++) {
		const struct held_reg *r = &b->regs[i];

		v = mmfdev_read32(regs + r->off);
		EXPECT_EQ(r->value, v)
			TH_LOG("%s 0x%x reads 0x%08x", b->name, r->off, v);
		v = 0;
		EXPECT_EQ(4, mmfdev_read(dev, 0, r->off, &v, 4));
		EXPECT_EQ(r->value, v);
	}
	mmfdev_unmap(regs, len);
	mmfdev_close(dev);

	/* Its owner still holds it; mmfdev requested nothing. */
	EXPECT_EQ(0, iomem_find(b->holder, &held));
	EXPECT_EQ(self->addr, held);
	EXPECT_FALSE(iomem_mmfdev_holds(self->addr, last));

	/* One line in the log, naming the range and, if it can, the owner. */
	if (kmsg < 0)
		return;
	snprintf(want, sizeof(want),
		 "mmfdev: %s: sharing [mem 0x%08llx-0x%08llx] with its owner",
		 b->name, self->addr, last);
	EXPECT_EQ(1, kmsg_grep(kmsg, want, line, sizeof(line)))
		TH_LOG("no line '%s'", want);
	if (b->owner)
		EXPECT_TRUE(strstr(line, b->owner) != NULL) TH_LOG("%s", line);
	close(kmsg);
}

int main(int argc, char **argv)
{
	if (access("/dev/mmfdev", F_OK)) {
		ksft_print_header();
		ksft_exit_skip("/dev/mmfdev does not exist: is the mmfdev module loaded?\n");
	}
	return test_harness_run(argc, argv);
}
