// SPDX-License-Identifier: GPL-2.0
/*
 * CTF packets: the ring buffer callbacks that write each sub-buffer's
 * packet header and packet context (struct ktrace_ctf_packet), as the
 * session's metadata describes them.
 *
 * subbuf_begin() writes what is known when a sub-buffer is entered: the
 * trace identity and timestamp_begin. subbuf_end() completes the context
 * once every byte of the packet is committed. Both run in the writer's
 * context, possibly NMI: plain stores only.
 */
#include <linux/mm.h>
#include <linux/string.h>
#include <asm/byteorder.h>

#include "core/core_internal.h"

/*
 * Little-endian CPUs only. Every integer of a trace is written in the
 * CPU's byte order, which the metadata declares, but the event header's
 * bit fields are packed (event.c) as a CPU-order integer with the 5-bit id
 * in its low bits: that is where CTF puts the first bit field of a
 * little-endian trace, while with byte_order = be CTF puts it in the high
 * bits. Rather than write traces whose every event header decodes wrong,
 * refuse to build (docs/TRACE-FORMAT.md, "Conventions").
 */
#ifdef __BIG_ENDIAN
#error "ktrace supports little-endian CPUs only (docs/TRACE-FORMAT.md)"
#endif

static void ctf_subbuf_begin(void *priv, unsigned int cpu, void *subbuf,
			     u64 ts)
{
	const struct ktrace_channel *c = priv;
	struct ktrace_ctf_packet *p = subbuf;

	p->magic = KTRACE_CTF_MAGIC;
	memcpy(p->uuid, &c->session->uuid, sizeof(p->uuid));
	p->stream_id = c->id;
	p->stream_instance_id = cpu;
	p->timestamp_begin = ts;
	p->timestamp_end = 0;
	p->content_size = 0;
	p->packet_size = 0;
	p->packet_seq_num = 0;
	p->events_discarded = 0;
	p->cpu_id = cpu;
}

static void ctf_subbuf_end(void *priv, unsigned int cpu, void *subbuf,
			   const struct ktrace_rb_packet_info *info)
{
	struct ktrace_ctf_packet *p = subbuf;

	p->timestamp_end = info->ts_end;
	p->content_size = (u64)info->content_size * BITS_PER_BYTE;
	/*
	 * As in LTTng, a packet ends at the page after its content: readers
	 * copy only that much, and a CTF reader finds the next packet there.
	 */
	p->packet_size = (u64)PAGE_ALIGN(info->content_size) * BITS_PER_BYTE;
	p->packet_seq_num = info->seq;
	p->events_discarded = info->events_discarded;
}

const struct ktrace_rb_ops ktrace_ctf_rb_ops = {
	.subbuf_begin = ctf_subbuf_begin,
	.subbuf_end = ctf_subbuf_end,
};
