// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mmfdev-rp1-gpio: drive a Raspberry Pi 5 GPIO through RP1's registers,
 * mapped into this process, as /dev/gpiomem would let you.
 *
 * The overlays in driver/dts/ give RP1's GPIO block to mmfdev as the node
 * /dev/mmfdev-1f000d0000.mmfdev with three regions: "io" (io_bank0-2),
 * "rio" (sys_rio0-2) and "pads" (pads_bank0-2).  This program makes bank-0
 * GPIO N (default 17, header pin 11) an output of SYS_RIO, blinks it five
 * times through the SET and CLR aliases, prints the bank's input levels
 * each time, then makes the pin an input again.
 *
 * usage: mmfdev-rp1-gpio [GPIO]
 *	  mmfdev-rp1-gpio --self-check NODE [GPIO]
 *
 * --self-check is for the QEMU lanes, not for a board: NODE is a node of
 * the same shape on plain RAM (scripts/lane.sh's stand-in).  It makes the
 * same writes without the pauses, then reads the three regions back with
 * pread(2), not through the mappings, and fails unless each write landed
 * at its documented offset and nowhere else.  RAM has no SET/CLR aliases:
 * there a write to an alias stays at the alias's own offset, which is what
 * the check wants.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mmfdev.h>

#define RP1_GPIO_NODE	"mmfdev-1f000d0000.mmfdev"

/* Every RP1 register has atomic aliases in the same bank. */
#define RP1_SET		0x2000	/* writing 1s sets those bits */
#define RP1_CLR		0x3000	/* writing 1s clears those bits */

/* "io" (io_bank0): per pin STATUS at 8 * n, CTRL at 8 * n + 4 */
#define IO_CTRL(n)	(8 * (n) + 4)
#define CTRL_FUNCSEL	0x1fu		/* bits 4:0 */
#define CTRL_OUTOVER	(3u << 12)	/* 0: output level from FUNCSEL */
#define CTRL_OEOVER	(3u << 14)	/* 0: output enable from FUNCSEL */
#define FUNCSEL_SYS_RIO	5u

/* "rio" (sys_rio0): one bit per pin */
#define RIO_OUT		0x00
#define RIO_OE		0x04
#define RIO_IN		0x08		/* the pins' input levels */

/* "pads" (pads_bank0): 0x00 is VOLTAGE_SELECT, pin n at 4 + 4 * n */
#define PAD(n)		(4 + 4 * (n))
#define PAD_IE		(1u << 6)	/* input enable */
#define PAD_OD		(1u << 7)	/* output disable */

enum { IO, RIO, PADS, NREGIONS };
static const char *const region_names[NREGIONS] = { "io", "rio", "pads" };

static volatile uint32_t *reg(void *base, unsigned int offset)
{
	return (volatile uint32_t *)((char *)base + offset);
}

/* Map a whole region, read and write, in its default (uncached) mode. */
static void *map(struct mmfdev *dev, const char *name, unsigned int *index,
		 size_t *len)
{
	struct mmfdev_region *region;
	void *addr;
	int ret;

	ret = mmfdev_region_find(dev, name, &region);
	if (!ret) {
		*index = mmfdev_region_get_index(region);
		ret = mmfdev_map(dev, *index, 0, 0,
				 MMFDEV_MAP_READ | MMFDEV_MAP_WRITE, &addr,
				 len);
		mmfdev_region_free(region);
	}
	if (ret) {
		fprintf(stderr, "rp1-gpio: %s: %s\n", name,
			mmfdev_strerror(ret));
		exit(1);
	}
	return addr;
}

/*
 * The example proper: GPIO n as an output of SYS_RIO, blinked, then an
 * input again.  pause is the time high and the time low, in seconds.
 */
static void blink(void *io, void *rio, void *pads, unsigned int n,
		  unsigned int pause)
{
	uint32_t bit = 1u << n, ctrl;
	int i;

	/* the pad: input enabled, output not disabled */
	mmfdev_write32(reg(pads, PAD(n) + RP1_SET), PAD_IE);
	mmfdev_write32(reg(pads, PAD(n) + RP1_CLR), PAD_OD);
	/* start low, then enable the output */
	mmfdev_write32(reg(rio, RIO_OUT + RP1_CLR), bit);
	mmfdev_write32(reg(rio, RIO_OE + RP1_SET), bit);
	/* hand the pin to SYS_RIO, without overrides */
	ctrl = mmfdev_read32(reg(io, IO_CTRL(n)));
	ctrl &= ~(CTRL_FUNCSEL | CTRL_OUTOVER | CTRL_OEOVER);
	mmfdev_write32(reg(io, IO_CTRL(n)), ctrl | FUNCSEL_SYS_RIO);

	for (i = 0; i < 5; i++) {
		mmfdev_write32(reg(rio, RIO_OUT + RP1_SET), bit);
		printf("GPIO%u high, levels 0x%07x\n", n,
		       mmfdev_read32(reg(rio, RIO_IN)));
		sleep(pause);
		mmfdev_write32(reg(rio, RIO_OUT + RP1_CLR), bit);
		printf("GPIO%u low,  levels 0x%07x\n", n,
		       mmfdev_read32(reg(rio, RIO_IN)));
		sleep(pause);
	}
	mmfdev_write32(reg(rio, RIO_OE + RP1_CLR), bit);	/* input again */
}

/*
 * --self-check, on a stand-in of RAM only.  The words that blink() must
 * leave behind are listed again below with the offsets of RP1's
 * documentation written out, not through the macros above, so that a
 * wrong macro shows.  Each of them first gets a different value, by
 * pwrite.  After blink(), each region read back by pread must equal its
 * copy from before blink(), with exactly those words changed.  Returns the
 * number of words that differ, or -1 when the check itself fails.
 */
#define RP1_REGION_SIZE	0xc000		/* three banks of 16 KiB */

struct word {
	unsigned int region, offset;
	uint32_t before, after;
};

static int self_check(struct mmfdev *dev, const unsigned int index[],
		      void *map[], const size_t len[], unsigned int n)
{
	const uint32_t bit = 1u << n;
	const struct word want[] = {
		/* pads_bank0: pin n at 0x04 + 4 * n; SET +0x2000, CLR +0x3000 */
		{ PADS, 0x2000 + 0x04 + 4 * n, 0, 1u << 6 },	/* IE */
		{ PADS, 0x3000 + 0x04 + 4 * n, 0, 1u << 7 },	/* OD */
		/* sys_rio0: OUT at 0x00, OE at 0x04 */
		{ RIO, 0x2000 + 0x00, ~bit, bit },
		{ RIO, 0x3000 + 0x00, ~bit, bit },
		{ RIO, 0x2000 + 0x04, ~bit, bit },
		{ RIO, 0x3000 + 0x04, ~bit, bit },
		/* io_bank0: CTRL at 8 * n + 4, FUNCSEL 5, no overrides */
		{ IO, 8 * n + 4, 0xffffffff, 0xffff0fe5 },
	};
	const unsigned int nwant = sizeof(want) / sizeof(want[0]);
	uint32_t *before[NREGIONS] = { NULL }, *after[NREGIONS] = { NULL };
	unsigned int r, i, k;
	int bad = 0;

	for (r = 0; r < NREGIONS; r++) {
		if (len[r] != RP1_REGION_SIZE) {
			fprintf(stderr, "rp1-gpio: %s is 0x%zx bytes, not 0x%x\n",
				region_names[r], len[r], RP1_REGION_SIZE);
			return -1;
		}
	}
	for (k = 0; k < nwant; k++) {
		if (mmfdev_write(dev, index[want[k].region], want[k].offset,
				 &want[k].before, 4) != 4) {
			fprintf(stderr, "rp1-gpio: cannot pwrite %s + 0x%04x\n",
				region_names[want[k].region], want[k].offset);
			return -1;
		}
	}
	for (r = 0; r < NREGIONS; r++) {
		before[r] = malloc(len[r]);
		after[r] = malloc(len[r]);
		if (!before[r] || !after[r] ||
		    mmfdev_copy_from_region(dev, index[r], 0, before[r],
					    len[r])) {
			fprintf(stderr, "rp1-gpio: cannot pread %s\n",
				region_names[r]);
			bad = -1;
			goto out;
		}
	}

	blink(map[IO], map[RIO], map[PADS], n, 0);

	for (r = 0; r < NREGIONS; r++) {
		if (mmfdev_copy_from_region(dev, index[r], 0, after[r],
					    len[r])) {
			fprintf(stderr, "rp1-gpio: cannot pread %s\n",
				region_names[r]);
			bad = -1;
			goto out;
		}
		for (k = 0; k < nwant; k++)
			if (want[k].region == r)
				before[r][want[k].offset / 4] = want[k].after;
		for (i = 0; i < len[r] / 4; i++) {
			if (after[r][i] == before[r][i])
				continue;
			fprintf(stderr,
				"rp1-gpio: %s + 0x%04x holds 0x%08x, not 0x%08x\n",
				region_names[r], i * 4, after[r][i],
				before[r][i]);
			bad++;
		}
	}
out:
	for (r = 0; r < NREGIONS; r++) {
		free(before[r]);
		free(after[r]);
	}
	return bad;
}

int main(int argc, char **argv)
{
	const char *node = RP1_GPIO_NODE;
	unsigned int n = 17, index[NREGIONS];
	int check = 0, ret, r;
	size_t len[NREGIONS];
	void *addr[NREGIONS];
	struct mmfdev *dev;

	if (argc > 2 && !strcmp(argv[1], "--self-check")) {
		check = 1;
		node = argv[2];
		argv += 2;
		argc -= 2;
		if (!strcmp(node, RP1_GPIO_NODE)) {
			fprintf(stderr,
				"rp1-gpio: --self-check writes patterns: not on RP1\n");
			return 1;
		}
	}
	if (argc > 1)
		n = strtoul(argv[1], NULL, 0);
	if (n > 27) {
		fprintf(stderr, "rp1-gpio: bank 0 only, GPIO 0 to 27\n");
		return 1;
	}
	ret = mmfdev_open_by_name(node, 0, &dev);
	if (ret) {
		fprintf(stderr, "rp1-gpio: %s: %s\n", node,
			mmfdev_strerror(ret));
		return 1;
	}
	for (r = 0; r < NREGIONS; r++)
		addr[r] = map(dev, region_names[r], &index[r], &len[r]);

	if (!check) {
		blink(addr[IO], addr[RIO], addr[PADS], n, 1);
	} else {
		ret = self_check(dev, index, addr, len, n);
		if (ret > 0)
			fprintf(stderr, "rp1-gpio: %s: %d words wrong\n",
				node, ret);
		else
			printf("rp1-gpio: every write landed at its offset (page size %ld)\n",
			       sysconf(_SC_PAGESIZE));
	}
	for (r = 0; r < NREGIONS; r++)
		mmfdev_unmap(addr[r], len[r]);
	mmfdev_close(dev);
	return ret ? 1 : 0;
}
