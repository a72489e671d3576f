/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * QEMU's "edu" teaching device (docs/specs/edu.rst in QEMU's sources):
 * PCI 1234:11e8, BAR0 = 1 MiB of registers.  The one register map for
 * the kselftests, the benchmark and the mmfdev-edu example.
 */
#ifndef MMFDEV_EDU_H
#define MMFDEV_EDU_H

#include <errno.h>
#include <stdint.h>
#include <time.h>

#include <mmfdev.h>

#define EDU_VENDOR		0x1234
#define EDU_DEVICE		0x11e8

/* Registers of BAR0, 32 bits wide. */
#define EDU_ID			0x00	/* major 1, minor 0, then 0xed */
#define EDU_LIVENESS		0x04	/* reads back the complement */
#define EDU_FACTORIAL		0x08
#define EDU_STATUS		0x20
#define EDU_STATUS_COMPUTING	0x01
#define EDU_STATUS_IRQ_FACT	0x80	/* raise an interrupt when done */
#define EDU_IRQ_STATUS		0x24
#define EDU_IRQ_RAISE		0x60
#define EDU_IRQ_ACK		0x64
#define EDU_DMA_SRC		0x80
#define EDU_DMA_DST		0x88
#define EDU_DMA_COUNT		0x90
#define EDU_DMA_CMD		0x98
#define EDU_DMA_CMD_START	0x1	/* runs while set */
#define EDU_DMA_CMD_TO_RAM	0x2	/* from edu's buffer to RAM */
#define EDU_DMA_CMD_IRQ		0x4	/* raise EDU_DMA_IRQ when done */
#define EDU_DMA_IRQ		0x100
/* edu's own 4 KiB buffer, in the DMA engine's address space. */
#define EDU_DMA_BUF		0x40000
/*
 * Its size, 4 KiB whatever the page size.  A transfer must end before
 * the buffer's last byte: QEMU's range check is off by one, and aborts
 * QEMU (hw_error()) for one that ends at the end.
 */
#define EDU_DMA_BUF_SIZE	0x1000

/* edu's identification register: major 1, minor 0, then 0xed. */
#define EDU_ID_VALUE		0x010000edU

/*
 * Start one transfer of @len bytes from @src to @dst, addresses in the
 * DMA engine's space (EDU_DMA_BUF for edu's buffer, a bus address for
 * memory).  @cmd adds EDU_DMA_CMD_TO_RAM, and EDU_DMA_CMD_IRQ for an
 * interrupt at the end.
 */
static inline void edu_dma_start(volatile uint8_t *regs, uint64_t src,
				 uint64_t dst, uint32_t len, uint32_t cmd)
{
	mmfdev_write32(regs + EDU_DMA_SRC, (uint32_t)src);
	mmfdev_write32(regs + EDU_DMA_SRC + 4, (uint32_t)(src >> 32));
	mmfdev_write32(regs + EDU_DMA_DST, (uint32_t)dst);
	mmfdev_write32(regs + EDU_DMA_DST + 4, (uint32_t)(dst >> 32));
	mmfdev_write32(regs + EDU_DMA_COUNT, len);
	mmfdev_write32(regs + EDU_DMA_CMD, cmd | EDU_DMA_CMD_START);
}

/*
 * Wait for the transfer to end by polling its command register (edu
 * takes 100 ms of virtual time over one): 0, or -ETIMEDOUT after 5 s.
 */
static inline int edu_dma_poll(volatile uint8_t *regs)
{
	struct timespec ts = { 0, 10000000 };
	int i;

	for (i = 0; i < 500; i++) {
		if (!(mmfdev_read32(regs + EDU_DMA_CMD) & EDU_DMA_CMD_START))
			return 0;
		nanosleep(&ts, NULL);
	}
	return -ETIMEDOUT;
}

#endif /* MMFDEV_EDU_H */
