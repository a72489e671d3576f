// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libmmfdev device-memory accessors.  All barrier rules live here.
 *
 * Each accessor is one volatile access of its width: the compiler may not
 * split, merge, widen or drop it, and never turns it into a memcpy() call.
 * io_wmb() before a write orders earlier memory writes before it (a buffer
 * before its doorbell; on x86 it also drains write-combining buffers);
 * io_rmb() after a read orders it before later reads.
 */
#include <stdint.h>
#include <string.h>

#include "mmfdev.h"

#if defined(__aarch64__)
#define io_wmb()	__asm__ __volatile__("dmb oshst" ::: "memory")
#define io_rmb()	__asm__ __volatile__("dmb oshld" ::: "memory")
#elif defined(__x86_64__) || defined(__i386__)
#define io_wmb()	__asm__ __volatile__("sfence" ::: "memory")
#define io_rmb()	__asm__ __volatile__("" ::: "memory")
#else
#define io_wmb()	__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define io_rmb()	__atomic_thread_fence(__ATOMIC_SEQ_CST)
#endif

/*
 * One volatile load, then the read barrier; the write barrier, then one
 * volatile store.  Each width is the same two lines, so they are made here.
 */
#define MMFDEV_DEFINE_ACCESSORS(bits)					\
MMFDEV_API uint##bits##_t mmfdev_read##bits(const volatile void *addr)	\
{									\
	uint##bits##_t v = *(const volatile uint##bits##_t *)addr;	\
									\
	io_rmb();							\
	return v;							\
}									\
									\
MMFDEV_API void mmfdev_write##bits(volatile void *addr,		\
				   uint##bits##_t value)		\
{									\
	io_wmb();							\
	*(volatile uint##bits##_t *)addr = value;			\
}

MMFDEV_DEFINE_ACCESSORS(8)
MMFDEV_DEFINE_ACCESSORS(16)
MMFDEV_DEFINE_ACCESSORS(32)
MMFDEV_DEFINE_ACCESSORS(64)

/* The widest naturally aligned access (8, 4, 2 or 1) at @addr for @left. */
static size_t access_width(uintptr_t addr, size_t left)
{
	size_t n = 8;

	while (n > 1 && ((addr & (n - 1)) || n > left))
		n >>= 1;
	return n;
}

MMFDEV_API void mmfdev_copy_from_device(void *dst, const volatile void *src,
					size_t len)
{
	const volatile uint8_t *s = src;
	uint8_t *d = dst;

	while (len) {
		size_t n = access_width((uintptr_t)s, len);

		switch (n) {
		case 8: {
			uint64_t v = *(const volatile uint64_t *)s;

			memcpy(d, &v, 8);
			break;
		}
		case 4: {
			uint32_t v = *(const volatile uint32_t *)s;

			memcpy(d, &v, 4);
			break;
		}
		case 2: {
			uint16_t v = *(const volatile uint16_t *)s;

			memcpy(d, &v, 2);
			break;
		}
		default:
			*d = *s;
			break;
		}
		s += n;
		d += n;
		len -= n;
	}
	io_rmb();
}

/* Store @n bytes of @v (its first n bytes in memory order) at @d. */
static void store_width(volatile uint8_t *d, const uint8_t *v, size_t n)
{
	switch (n) {
	case 8: {
		uint64_t x;

		memcpy(&x, v, 8);
		*(volatile uint64_t *)d = x;
		break;
	}
	case 4: {
		uint32_t x;

		memcpy(&x, v, 4);
		*(volatile uint32_t *)d = x;
		break;
	}
	case 2: {
		uint16_t x;

		memcpy(&x, v, 2);
		*(volatile uint16_t *)d = x;
		break;
	}
	default:
		*d = *v;
		break;
	}
}

MMFDEV_API void mmfdev_copy_to_device(volatile void *dst, const void *src,
				      size_t len)
{
	volatile uint8_t *d = dst;
	const uint8_t *s = src;

	io_wmb();
	while (len) {
		size_t n = access_width((uintptr_t)d, len);

		store_width(d, s, n);
		d += n;
		s += n;
		len -= n;
	}
}

MMFDEV_API void mmfdev_fill_device(volatile void *dst, int c, size_t len)
{
	volatile uint8_t *d = dst;
	uint8_t pattern[8];

	memset(pattern, c, sizeof(pattern));
	io_wmb();
	while (len) {
		size_t n = access_width((uintptr_t)d, len);

		store_width(d, pattern, n);
		d += n;
		len -= n;
	}
}
