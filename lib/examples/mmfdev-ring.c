// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mmfdev-ring: a single-producer, single-consumer ring in the device's
 * RAM region, between two processes that each open and map the device
 * themselves, and sleep on doorbells instead of spinning.
 *
 * The producer writes COUNT numbered records (sequence number, length,
 * payload, CRC-32) into the ring's slots, publishes its head index and
 * rings the "data" doorbell.  The consumer sleeps on that doorbell while
 * the ring is empty, checks every record (none lost, duplicated or
 * corrupt), publishes its tail and, if the producer may be waiting for
 * room, rings the "space" doorbell, on which the producer sleeps while the
 * ring is full.  The doorbells are the device's first two lines of kind
 * MMFDEV_EVENT_DOORBELL.
 *
 * Neither side may sleep through a ring: each consumes its doorbell's
 * events, then looks at the ring, and only then waits, so an event that
 * comes after the look ends the wait.  The producer announces that it is
 * about to sleep in the shared page, which the consumer reads after
 * publishing its tail (a store-fence-load on each side, so at least one of
 * them sees the other).
 *
 * usage: mmfdev-ring [NODE] [COUNT]	(default /dev/mmfdev, 100000)
 *
 * Exit status: 0 when every record arrived intact and no wakeup was lost,
 * 1 on any failure, 2 on a usage error or a device without two doorbells
 * or a RAM region.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mmfdev.h>

#define NSLOTS		128		/* a power of two */
#define SLOT_SIZE	256
#define BATCH		(NSLOTS / 8)	/* records between publishes */
#define PAYLOAD_MAX	(SLOT_SIZE - 16)
#define WAIT_NS		(10LL * 1000000000)	/* a doorbell is overdue */
#define CACHELINE	128

/* One slot.  The CRC covers seq, len and payload, seeded with the nonce. */
struct record {
	uint64_t seq;
	uint32_t len;
	uint32_t crc;
	uint8_t payload[PAYLOAD_MAX];
};

_Static_assert(sizeof(struct record) == SLOT_SIZE, "record layout");
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "atomics must work across processes");

/* What each side did, written by that side, read by the parent at the end. */
struct stats {
	uint64_t records;	/* consumer: intact records, in order */
	uint64_t lost;
	uint64_t duplicated;
	uint64_t corrupt;
	uint64_t wakeups;	/* waits ended by a doorbell */
	uint64_t doorbells;	/* doorbells rung */
	uint64_t missed;	/* waits that timed out with work to do */
};

/* The first page of the mapping; the slots follow on the next page. */
struct ring_ctl {
	/* written by the producer */
	_Alignas(CACHELINE) _Atomic uint32_t head;	/* records published */
	_Atomic uint32_t done;			/* all of them published */
	_Atomic uint32_t producer_waiting;	/* may sleep for room */
	/* written by the consumer */
	_Alignas(CACHELINE) _Atomic uint32_t tail;	/* records consumed */
	_Alignas(CACHELINE) struct stats producer;
	struct stats consumer;
};

/* What a process knows of the ring; fork() copies it to the children. */
struct ring {
	const char *node;
	unsigned int region;
	unsigned int data_line;		/* the producer rings it */
	unsigned int space_line;	/* the consumer rings it */
	uint64_t count;
	uint32_t nonce;
	size_t map_len;
	/* per process */
	struct mmfdev *dev;
	struct ring_ctl *ctl;
	struct record *slots;
	struct stats *stats;
	uint32_t head;			/* the producer's copy */
	uint32_t tail;			/* the consumer's copy */
	uint64_t next;			/* the consumer's expected seq */
};

static uint32_t crc_table[256];

static void crc_init(void)
{
	uint32_t c;
	int i, k;

	for (i = 0; i < 256; i++) {
		c = i;
		for (k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320 ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

static uint32_t crc32(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	crc = ~crc;
	while (len--)
		crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static uint32_t record_crc(uint32_t nonce, const struct record *rec)
{
	uint32_t crc;

	crc = crc32(nonce, &rec->seq, sizeof(rec->seq));
	crc = crc32(crc, &rec->len, sizeof(rec->len));
	return crc32(crc, rec->payload, rec->len);
}

static void write_record(const struct ring *r, struct record *rec,
			 uint64_t seq)
{
	uint32_t x = (uint32_t)(seq * 2654435761u) ^ r->nonce;
	uint32_t i;

	rec->seq = seq;
	rec->len = 1 + x % PAYLOAD_MAX;
	for (i = 0; i < rec->len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		rec->payload[i] = (uint8_t)x;
	}
	rec->crc = record_crc(r->nonce, rec);
}

static void check_record(struct ring *r, const struct record *rec)
{
	struct stats *st = r->stats;

	if (rec->len == 0 || rec->len > PAYLOAD_MAX ||
	    rec->crc != record_crc(r->nonce, rec)) {
		st->corrupt++;
		r->next++;	/* it held the record expected here */
		return;
	}
	if (rec->seq < r->next) {
		st->duplicated++;
		return;
	}
	st->lost += rec->seq - r->next;
	st->records++;
	r->next = rec->seq + 1;
}

static int ring_doorbell(struct ring *r, unsigned int line)
{
	int ret;

	/* The ring's stores before the doorbell that announces them. */
	atomic_thread_fence(memory_order_seq_cst);
	ret = mmfdev_event_ring(r->dev, line);
	if (ret) {
		fprintf(stderr, "mmfdev-ring: ring line %u: %s\n", line,
			mmfdev_strerror(ret));
		return ret;
	}
	r->stats->doorbells++;
	return 0;
}

/* The consumer's condition: records to read, or no more will come. */
static int data_ready(struct ring *r)
{
	return atomic_load_explicit(&r->ctl->head, memory_order_acquire) !=
	       r->tail ||
	       atomic_load_explicit(&r->ctl->done, memory_order_acquire);
}

/* The producer's condition: a free slot. */
static int space_ready(struct ring *r)
{
	return r->head - atomic_load_explicit(&r->ctl->tail,
					      memory_order_acquire) < NSLOTS;
}

/*
 * Sleep on doorbell @line until ready(r): consume the line's events, look,
 * then wait.  A ring after the look ends the wait; one before it was for
 * a change the look saw.
 */
static int sleep_on(struct ring *r, unsigned int line,
		    int (*ready)(struct ring *r))
{
	int ret;

	for (;;) {
		ret = mmfdev_event_read(r->dev, line, NULL, NULL, NULL);
		if (ret) {
			fprintf(stderr, "mmfdev-ring: read line %u: %s\n",
				line, mmfdev_strerror(ret));
			return ret;
		}
		/* The count before the ring it announces. */
		atomic_thread_fence(memory_order_seq_cst);
		if (ready(r))
			return 0;

		ret = mmfdev_event_wait(r->dev, MMFDEV_EVENT_BIT(line), WAIT_NS,
					NULL);
		if (!ret) {
			r->stats->wakeups++;
		} else if (ret == -ETIMEDOUT) {
			if (!ready(r)) {
				fprintf(stderr,
					"mmfdev-ring: %d: no doorbell on line %u in %lld s, giving up\n",
					getpid(), line, WAIT_NS / 1000000000);
				return ret;
			}
			fprintf(stderr,
				"mmfdev-ring: %d: line %u: the ring moved without waking us\n",
				getpid(), line);
			r->stats->missed++;
		} else if (ret != -EINTR) {
			fprintf(stderr, "mmfdev-ring: wait on line %u: %s\n",
				line, mmfdev_strerror(ret));
			return ret;
		}
	}
}

static int produce(struct ring *r)
{
	struct ring_ctl *ctl = r->ctl;
	uint32_t tail, room, n, i;
	uint64_t seq = 0;
	int ret;

	while (seq < r->count) {
		tail = atomic_load_explicit(&ctl->tail, memory_order_acquire);
		room = NSLOTS - (r->head - tail);
		if (!room) {
			/* Announce the sleep before the last look at tail. */
			atomic_store_explicit(&ctl->producer_waiting, 1,
					      memory_order_seq_cst);
			ret = sleep_on(r, r->space_line, space_ready);
			atomic_store_explicit(&ctl->producer_waiting, 0,
					      memory_order_relaxed);
			if (ret)
				return ret;
			continue;
		}
		n = room < BATCH ? room : BATCH;
		if (n > r->count - seq)
			n = r->count - seq;
		for (i = 0; i < n; i++)
			write_record(r, &r->slots[(r->head + i) % NSLOTS],
				     seq + i);
		r->head += n;
		seq += n;
		atomic_store_explicit(&ctl->head, r->head,
				      memory_order_release);
		if (seq == r->count)
			atomic_store_explicit(&ctl->done, 1,
					      memory_order_release);
		ret = ring_doorbell(r, r->data_line);
		if (ret)
			return ret;
	}
	return 0;
}

/* The producer is done and every record it published is read. */
static int drained(struct ring *r)
{
	/* done first: it was stored after the last head. */
	if (!atomic_load_explicit(&r->ctl->done, memory_order_acquire))
		return 0;
	return atomic_load_explicit(&r->ctl->head, memory_order_acquire) ==
	       r->tail;
}

static int consume(struct ring *r)
{
	struct ring_ctl *ctl = r->ctl;
	struct record rec;
	uint32_t head, n;
	int ret = 0;

	for (;;) {
		head = atomic_load_explicit(&ctl->head, memory_order_acquire);
		if (head == r->tail) {
			if (drained(r))
				break;
			ret = sleep_on(r, r->data_line, data_ready);
			if (ret)
				break;
			continue;
		}
		for (n = 0; n < BATCH && r->tail != head; n++, r->tail++) {
			memcpy(&rec, &r->slots[r->tail % NSLOTS], sizeof(rec));
			check_record(r, &rec);
		}
		/* Free the slots, then see whether the producer sleeps. */
		atomic_store_explicit(&ctl->tail, r->tail, memory_order_release);
		atomic_thread_fence(memory_order_seq_cst);
		if (atomic_load_explicit(&ctl->producer_waiting,
					 memory_order_relaxed)) {
			ret = ring_doorbell(r, r->space_line);
			if (ret)
				break;
		}
	}
	if (r->next < r->count)
		r->stats->lost += r->count - r->next;
	return ret;
}

static int ring_open(struct ring *r)
{
	int ret;

	ret = mmfdev_open(r->node, 0, &r->dev);
	if (ret)
		fprintf(stderr, "mmfdev-ring: open %s: %s\n",
			r->node ? r->node : MMFDEV_DEFAULT_PATH,
			mmfdev_strerror(ret));
	return ret;
}

/* Open the node and map the ring: header page, then the slots. */
static int ring_map(struct ring *r)
{
	long page = sysconf(_SC_PAGESIZE);
	void *addr;
	int ret;

	ret = ring_open(r);
	if (ret)
		return ret;
	ret = mmfdev_map(r->dev, r->region, 0, r->map_len,
			 MMFDEV_MAP_READ | MMFDEV_MAP_WRITE, &addr, NULL);
	if (ret) {
		fprintf(stderr, "mmfdev-ring: map region %u: %s\n", r->region,
			mmfdev_strerror(ret));
		mmfdev_close(r->dev);
		return ret;
	}
	r->ctl = addr;
	r->slots = (struct record *)((char *)addr + page);
	return 0;
}

static void ring_unmap(struct ring *r)
{
	mmfdev_unmap(r->ctl, r->map_len);
	mmfdev_close(r->dev);
}

static int child(struct ring *r, int producer)
{
	int ret;

	if (ring_map(r))
		return 1;
	if (producer) {
		r->stats = &r->ctl->producer;
		ret = produce(r);
	} else {
		r->stats = &r->ctl->consumer;
		ret = consume(r);
	}
	ring_unmap(r);
	return ret ? 1 : 0;
}

static pid_t spawn(struct ring *r, int producer)
{
	pid_t pid = fork();

	if (pid < 0) {
		perror("mmfdev-ring: fork");
		return pid;
	}
	if (pid == 0) {
		/* Our own handle and mapping, so our own marks. */
		ring_unmap(r);
		_exit(child(r, producer));
	}
	return pid;
}

/* The first two doorbells: 0, or -ENOENT if the device has fewer. */
static int find_doorbells(struct ring *r)
{
	unsigned int i, n = mmfdev_get_num_events(r->dev), found = 0;
	struct mmfdev_event *ev;
	int ret;

	for (i = 0; i < n && found < 2; i++) {
		ret = mmfdev_event_get(r->dev, i, &ev);
		if (ret)
			return ret;
		if (mmfdev_event_get_kind(ev) == MMFDEV_EVENT_DOORBELL &&
		    (mmfdev_event_get_flags(ev) & MMFDEV_EVENT_CAN_RING)) {
			if (found++)
				r->space_line = i;
			else
				r->data_line = i;
		}
		mmfdev_event_free(ev);
	}
	return found == 2 ? 0 : -ENOENT;
}

/* The first mappable RAM region, big enough for the ring. */
static int find_ram(struct ring *r)
{
	unsigned int i, n = mmfdev_get_num_regions(r->dev);
	struct mmfdev_region *reg;
	int ret, found = 0;

	for (i = 0; i < n && !found; i++) {
		ret = mmfdev_region_get(r->dev, i, &reg);
		if (ret)
			return ret;
		if (mmfdev_region_get_kind(reg) == MMFDEV_REGION_RAM &&
		    (mmfdev_region_get_flags(reg) & MMFDEV_REGION_MMAP) &&
		    mmfdev_region_get_size(reg) >= r->map_len) {
			r->region = i;
			found = 1;
		}
		mmfdev_region_free(reg);
	}
	return found ? 0 : -ENOENT;
}

int main(int argc, char **argv)
{
	struct ring r = { .node = NULL, .count = 100000 };
	long page = sysconf(_SC_PAGESIZE);
	pid_t pids[2], pid, killed = 0;
	int ret, status, failed = 0, left = 2;
	const struct stats *p, *c;
	struct timespec now;
	char *end;

	if (argc > 1)
		r.node = argv[1];
	if (argc > 2) {
		errno = 0;
		r.count = strtoull(argv[2], &end, 0);
		if (errno || end == argv[2] || *end || argv[2][0] == '-')
			r.count = 0;
	}
	if (argc > 3 || !r.count) {
		fprintf(stderr, "usage: mmfdev-ring [NODE] [COUNT]\n");
		return 2;
	}
	if (page <= 0) {
		perror("mmfdev-ring: page size");
		return 1;
	}
	r.map_len = page + (NSLOTS * SLOT_SIZE + page - 1) / page * page;
	clock_gettime(CLOCK_MONOTONIC, &now);
	r.nonce = (uint32_t)now.tv_nsec ^ (uint32_t)getpid() << 16;
	crc_init();

	if (ring_open(&r))
		return 1;
	ret = find_doorbells(&r);
	if (ret == -ENOENT)
		fprintf(stderr,
			"mmfdev-ring: %s has fewer than the 2 doorbells needed (%u event lines)\n",
			mmfdev_get_name(r.dev), mmfdev_get_num_events(r.dev));
	else if (ret)
		fprintf(stderr, "mmfdev-ring: event lines: %s\n",
			mmfdev_strerror(ret));
	if (!ret) {
		ret = find_ram(&r);
		if (ret == -ENOENT)
			fprintf(stderr,
				"mmfdev-ring: %s has no mappable RAM region of %zu bytes\n",
				mmfdev_get_name(r.dev), r.map_len);
		else if (ret)
			fprintf(stderr, "mmfdev-ring: regions: %s\n",
				mmfdev_strerror(ret));
	}
	mmfdev_close(r.dev);
	if (ret)
		return ret == -ENOENT ? 2 : 1;

	/* The parent sets the ring up, then each child maps it on its own. */
	if (ring_map(&r))
		return 1;
	memset(r.ctl, 0, sizeof(*r.ctl));
	printf("mmfdev-ring: %s: region %u, %d slots, doorbells %u and %u\n",
	       mmfdev_get_name(r.dev), r.region, NSLOTS, r.data_line,
	       r.space_line);
	fflush(stdout);

	pids[0] = spawn(&r, 0);
	if (pids[0] < 0) {
		ring_unmap(&r);
		return 1;
	}
	pids[1] = spawn(&r, 1);
	if (pids[1] < 0) {
		kill(pids[0], SIGTERM);
		killed = pids[0];
		failed = 1;
		left = 1;
	}
	while (left > 0) {
		pid = waitpid(-1, &status, 0);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			perror("mmfdev-ring: waitpid");
			return 1;
		}
		left--;
		if (WIFEXITED(status) && !WEXITSTATUS(status))
			continue;
		failed = 1;
		if (pid == killed)
			continue;
		fprintf(stderr, "mmfdev-ring: the %s failed\n",
			pid == pids[0] ? "consumer" : "producer");
		/* Do not leave the other one waiting for a dead peer. */
		if (left && !killed) {
			killed = pid == pids[0] ? pids[1] : pids[0];
			kill(killed, SIGTERM);
		}
	}

	p = &r.ctl->producer;
	c = &r.ctl->consumer;
	printf("mmfdev-ring: %" PRIu64 " records, %" PRIu64 " lost, %" PRIu64
	       " duplicated, %" PRIu64 " corrupt, %" PRIu64 " wakeups, %" PRIu64
	       " doorbells\n", c->records, c->lost, c->duplicated, c->corrupt,
	       p->wakeups + c->wakeups, p->doorbells + c->doorbells);
	if (p->missed + c->missed)
		fprintf(stderr, "mmfdev-ring: %" PRIu64 " lost wakeups\n",
			p->missed + c->missed);
	if (c->records != r.count || c->lost || c->duplicated || c->corrupt ||
	    p->missed || c->missed)
		failed = 1;
	ring_unmap(&r);
	return failed;
}
