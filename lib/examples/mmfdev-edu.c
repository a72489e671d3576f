// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mmfdev-edu: drive a device through its registers, mapped into this
 * process.  The device is QEMU's "edu" teaching device (PCI 1234:11e8),
 * bound to mmfdev with pci_ids=1234:11e8: its BAR0 holds an
 * identification register, a liveness register that answers with the
 * complement of what was written, and a factorial unit.
 *
 * usage: mmfdev-edu NODE [N]
 *	NODE	e.g. /dev/mmfdev-pci-0000:00:03.0
 *	N	compute N! on the device (default 10; edu works in 32 bits)
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <mmfdev.h>

/* edu's register map: tests/edu.h, shared with the kselftests. */
#include "edu.h"

/* Poll the status register until edu is done: 0, or -ETIMEDOUT. */
static int edu_wait(volatile uint8_t *regs)
{
	struct timespec ts = { 0, 1000000 };
	int i;

	for (i = 0; i < 2000; i++) {
		if (!(mmfdev_read32(regs + EDU_STATUS) & EDU_STATUS_COMPUTING))
			return 0;
		nanosleep(&ts, NULL);
	}
	return -ETIMEDOUT;
}

static int run(struct mmfdev *dev, unsigned int n)
{
	struct mmfdev_region *bar0;
	uint32_t id, expect = 1, got;
	volatile uint8_t *regs;
	unsigned int i;
	size_t len;
	void *addr;
	int ret;

	ret = mmfdev_region_find(dev, "bar0", &bar0);
	if (ret) {
		fprintf(stderr, "mmfdev-edu: no region bar0: %s\n",
			mmfdev_strerror(ret));
		return ret;
	}
	printf("region %u \"%s\": %llu bytes of MMIO, mmap offset 0x%llx\n",
	       mmfdev_region_get_index(bar0), mmfdev_region_get_name(bar0),
	       (unsigned long long)mmfdev_region_get_size(bar0),
	       (unsigned long long)mmfdev_region_get_offset(bar0));
	ret = mmfdev_map(dev, mmfdev_region_get_index(bar0), 0, 0,
			 MMFDEV_MAP_READ | MMFDEV_MAP_WRITE, &addr, &len);
	mmfdev_region_free(bar0);
	if (ret) {
		fprintf(stderr, "mmfdev-edu: map bar0: %s\n",
			mmfdev_strerror(ret));
		return ret;
	}
	regs = addr;
	printf("mapped %zu bytes at %p (%zu-byte pages), uncached\n", len,
	       addr, mmfdev_get_page_size(dev));

	id = mmfdev_read32(regs + EDU_ID);
	printf("identification register: 0x%08x (edu %u.%u)\n", id, id >> 24,
	       (id >> 16) & 0xff);

	mmfdev_write32(regs + EDU_LIVENESS, 0x12345678);
	printf("liveness: wrote 0x12345678, read back 0x%08x\n",
	       mmfdev_read32(regs + EDU_LIVENESS));

	mmfdev_write32(regs + EDU_FACTORIAL, n);
	ret = edu_wait(regs);
	if (ret) {
		fprintf(stderr, "mmfdev-edu: the device never finished\n");
		goto unmap;
	}
	got = mmfdev_read32(regs + EDU_FACTORIAL);
	for (i = 2; i <= n; i++)
		expect *= i;
	printf("factorial: wrote %u, the device answered %u (%s)\n", n, got,
	       got == expect ? "right" : "WRONG");
	if (got != expect || (id & 0xff) != 0xed)
		ret = -EIO;
unmap:
	mmfdev_unmap(addr, len);
	return ret;
}

int main(int argc, char **argv)
{
	unsigned int n = 10;
	struct mmfdev *dev;
	int ret;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: mmfdev-edu NODE [N]\n");
		return 2;
	}
	if (argc == 3)
		n = strtoul(argv[2], NULL, 0);

	ret = mmfdev_open(argv[1], 0, &dev);
	if (ret) {
		fprintf(stderr, "mmfdev-edu: open %s: %s\n", argv[1],
			mmfdev_strerror(ret));
		return 1;
	}
	printf("opened %s (device \"%s\", %u regions)\n", argv[1],
	       mmfdev_get_name(dev), mmfdev_get_num_regions(dev));
	ret = run(dev, n);
	mmfdev_close(dev);
	return ret ? 1 : 0;
}
