/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Network device events: a packet handed to a device driver for
 * transmission and a packet received, with LTTng's fields that
 * lttng-analyses' network statistics read (name, len). LTTng also
 * records the packet's IP and transport headers on reception; ktrace
 * does not. The reception event keeps the tracepoint's name,
 * netif_receive_skb, which lttng-analyses looks for and Trace Compass
 * accepts besides LTTng's current net_if_receive_skb. Read several
 * times by define_events.h: no include guard around the events.
 */
#ifndef _KTRACE_EVENTS_NET_HELPERS
#define _KTRACE_EVENTS_NET_HELPERS
#include <linux/netdevice.h>
#include <linux/skbuff.h>

/* NULL, recorded as "(null)", for a packet not attached to a device. */
static inline const char *ktrace_net_skb_dev_name(const struct sk_buff *skb)
{
	const struct net_device *dev = skb->dev;

	return dev ? dev->name : NULL;
}
#endif /* _KTRACE_EVENTS_NET_HELPERS */

/* skb may be freed already: only its address is recorded. */
KTRACE_EVENT(net_dev_xmit, net_dev_xmit,
	KTRACE_PROTO(struct sk_buff *skb, int rc, struct net_device *dev,
		     unsigned int skb_len),
	KTRACE_FIELDS(
		kt_hex(unsigned long, skbaddr, (unsigned long)skb)
		kt_int(int, rc, rc)
		kt_int(unsigned int, len, skb_len)
		kt_string(name, dev->name)
	))

KTRACE_EVENT(netif_receive_skb, netif_receive_skb,
	KTRACE_PROTO(struct sk_buff *skb),
	KTRACE_FIELDS(
		kt_hex(unsigned long, skbaddr, (unsigned long)skb)
		kt_int(unsigned int, len, skb->len)
		kt_string(name, ktrace_net_skb_dev_name(skb))
	))
