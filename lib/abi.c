// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libmmfdev: the constants mmfdev.h mirrors from the uapi header, checked
 * against it at build time, all in this one place.
 *
 * The library hands the kernel's values through (region kinds and flags,
 * cache modes, event kinds, triggers and flags, device flags, DMA kinds,
 * sync flags and buffer flags) under its own names, so
 * that users need not include <linux/mmfdev.h>.  This file compiles to
 * nothing; it fails the build when a mirror drifts.
 *
 * The cache modes and MMFDEV_CACHE_BIT() have the same names in both
 * headers, and a redefinition with another value would only warn: take
 * the library's values first, then let <linux/mmfdev.h> define its own.
 */
#include "mmfdev.h"

enum {
	LIB_CACHE_UC = MMFDEV_CACHE_UC,
	LIB_CACHE_WC = MMFDEV_CACHE_WC,
	LIB_CACHE_WB = MMFDEV_CACHE_WB,
	LIB_CACHE_BIT_UC = MMFDEV_CACHE_BIT(MMFDEV_CACHE_UC),
	LIB_CACHE_BIT_WC = MMFDEV_CACHE_BIT(MMFDEV_CACHE_WC),
	LIB_CACHE_BIT_WB = MMFDEV_CACHE_BIT(MMFDEV_CACHE_WB),
};

#undef MMFDEV_CACHE_UC
#undef MMFDEV_CACHE_WC
#undef MMFDEV_CACHE_WB
#undef MMFDEV_CACHE_BIT

#include <linux/mmfdev.h>

_Static_assert(MMFDEV_REGION_NONE == MMFDEV_REGION_KIND_NONE &&
	       MMFDEV_REGION_RAM == MMFDEV_REGION_KIND_RAM &&
	       MMFDEV_REGION_MMIO == MMFDEV_REGION_KIND_MMIO &&
	       MMFDEV_REGION_RESERVED == MMFDEV_REGION_KIND_RESERVED &&
	       MMFDEV_REGION_IOPORT == MMFDEV_REGION_KIND_IOPORT &&
	       MMFDEV_REGION_DMA == MMFDEV_REGION_KIND_DMA,
	       "region kinds differ from the ABI");
_Static_assert(MMFDEV_REGION_READ == MMFDEV_REGION_FLAG_READ &&
	       MMFDEV_REGION_WRITE == MMFDEV_REGION_FLAG_WRITE &&
	       MMFDEV_REGION_MMAP == MMFDEV_REGION_FLAG_MMAP &&
	       MMFDEV_REGION_SIZED == MMFDEV_REGION_FLAG_SIZED &&
	       MMFDEV_REGION_SHARED == MMFDEV_REGION_FLAG_SHARED &&
	       MMFDEV_REGION_DMA_SYNC == MMFDEV_REGION_FLAG_DMA_SYNC,
	       "region flags differ from the ABI");
_Static_assert(LIB_CACHE_UC == MMFDEV_CACHE_UC &&
	       LIB_CACHE_WC == MMFDEV_CACHE_WC &&
	       LIB_CACHE_WB == MMFDEV_CACHE_WB &&
	       LIB_CACHE_WB < MMFDEV_CACHE_NR,
	       "cache modes differ from the ABI");
_Static_assert(LIB_CACHE_BIT_UC == MMFDEV_CACHE_BIT(MMFDEV_CACHE_UC) &&
	       LIB_CACHE_BIT_WC == MMFDEV_CACHE_BIT(MMFDEV_CACHE_WC) &&
	       LIB_CACHE_BIT_WB == MMFDEV_CACHE_BIT(MMFDEV_CACHE_WB),
	       "cache mode bits differ from the ABI");
_Static_assert(MMFDEV_EVENT_DOORBELL == MMFDEV_EVENT_KIND_DOORBELL &&
	       MMFDEV_EVENT_MSIX == MMFDEV_EVENT_KIND_MSIX &&
	       MMFDEV_EVENT_MSI == MMFDEV_EVENT_KIND_MSI &&
	       MMFDEV_EVENT_INTX == MMFDEV_EVENT_KIND_INTX &&
	       MMFDEV_EVENT_IRQ == MMFDEV_EVENT_KIND_IRQ,
	       "event kinds differ from the ABI");
_Static_assert(MMFDEV_EVENT_EDGE == MMFDEV_EVENT_TRIGGER_EDGE &&
	       MMFDEV_EVENT_LEVEL == MMFDEV_EVENT_TRIGGER_LEVEL,
	       "trigger types differ from the ABI");
_Static_assert(MMFDEV_EVENT_NEEDS_UNMASK == MMFDEV_EVENT_FLAG_UNMASK &&
	       MMFDEV_EVENT_CAN_RING == MMFDEV_EVENT_FLAG_RING &&
	       MMFDEV_EVENT_MASKED == MMFDEV_EVENT_FLAG_MASKED,
	       "event flags differ from the ABI");
_Static_assert(MMFDEV_DEVICE_DMA == MMFDEV_DEVICE_FLAG_DMA &&
	       MMFDEV_DEVICE_IOMMU == MMFDEV_DEVICE_FLAG_IOMMU &&
	       MMFDEV_DEVICE_DMA_COHERENT == MMFDEV_DEVICE_FLAG_DMA_COHERENT &&
	       MMFDEV_DEVICE_ALL_MEMORY == MMFDEV_DEVICE_FLAG_ALL_MEMORY,
	       "device flags differ from the ABI");
_Static_assert(MMFDEV_DMA_COHERENT == MMFDEV_DMA_KIND_COHERENT &&
	       MMFDEV_DMA_STREAMING == MMFDEV_DMA_KIND_STREAMING &&
	       MMFDEV_DMA_CONTIGUOUS == MMFDEV_DMA_KIND_CONTIGUOUS,
	       "DMA kinds differ from the ABI");
_Static_assert(MMFDEV_DMA_TO_DEVICE == MMFDEV_DMA_SYNC_TO_DEVICE &&
	       MMFDEV_DMA_FROM_DEVICE == MMFDEV_DMA_SYNC_FROM_DEVICE &&
	       MMFDEV_DMA_BIDIRECTIONAL == MMFDEV_DMA_SYNC_BIDIRECTIONAL &&
	       MMFDEV_DMA_FOR_CPU == MMFDEV_DMA_SYNC_FOR_CPU &&
	       MMFDEV_DMA_FOR_DEVICE == MMFDEV_DMA_SYNC_FOR_DEVICE,
	       "DMA sync flags differ from the ABI");
_Static_assert(MMFDEV_DMA_F_SYNC == MMFDEV_DMA_INFO_SYNC &&
	       MMFDEV_DMA_F_CONTIGUOUS == MMFDEV_DMA_INFO_CONTIGUOUS &&
	       MMFDEV_DMA_F_IOMMU == MMFDEV_DMA_INFO_IOMMU,
	       "DMA buffer flags differ from the ABI");
/* MMFDEV_EVENT_BIT() masks are uint64_t. */
_Static_assert(MMFDEV_MAX_EVENTS <= 64, "lines no longer fit a mask");
