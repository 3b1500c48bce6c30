/* models/packet.h — an IPv4/TCP segment as the models see it.
 *
 * A packet carries the real header fields that keep-alive, NAT and RST
 * logic depend on (addresses, ports, seq, ack, flags, window, payload
 * length); the payload itself is never stored, only its length.  Packets
 * have one owner at a time: whoever holds the pointer forwards it or frees
 * it.  They come from a PacketPool (a free list per World), so the steady
 * state allocates nothing per packet.
 */
#pragma once

#include <glib.h>
#include "sim/time.h"

G_BEGIN_DECLS

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10

/* Who built a packet; lets an endpoint's error say whose RST it was. */
enum { PACKET_ORIGIN_HOST = 0, PACKET_ORIGIN_NAT, PACKET_ORIGIN_MIDDLEBOX };

/* Addresses and ports in host byte order. */
typedef struct {
  guint32 src_ip, dst_ip;
  guint16 src_port, dst_port;
} FlowKey;

typedef struct _Packet Packet;
struct _Packet {
  FlowKey  key;
  guint32  seq, ack;
  guint32  len;            /* payload bytes */
  guint16  window;         /* advertised window (unscaled), for pcap */
  guint8   flags;          /* TCP_* */
  guint8   ttl;
  guint8   origin;         /* PACKET_ORIGIN_*: who built it (not on the wire) */
  guint8   link_to;        /* on a link: the LinkSide it goes to (link.c) */
  guint32  flow;           /* world flow index, for traces (not on the wire) */
  guint32  link_downs;     /* on a link: the link's outage count at the send */
  union {
    Packet       *next_free;   /* in the pool: its free list */
    struct _Link *link;        /* on a link: that link (link.c) */
  };
};
/* Six words on LP64: the link's fields fill what was padding and share
 * the pool's link. */
G_STATIC_ASSERT (sizeof (void *) != 8 || sizeof (Packet) == 48);

typedef struct _PacketPool PacketPool;

PacketPool *packet_pool_new   (void);
void        packet_pool_free  (PacketPool *pool);   /* all packets returned first */
/* A zeroed packet (ttl 64) from @pool (transfer full). */
Packet     *packet_new        (PacketPool *pool);
/* A copy of @p from @p's pool (transfer full). */
Packet     *packet_copy       (PacketPool *pool, const Packet *p);
/* Returns @p to @pool; NULL is fine. */
void        packet_free       (PacketPool *pool, Packet *p);
gsize       packet_pool_live  (const PacketPool *pool);   /* packets out */

/* Sequence-space comparisons (RFC 9293 §3.4 modular arithmetic). */
static inline gboolean seq_lt  (guint32 a, guint32 b) { return (gint32) (a - b) < 0; }
static inline gboolean seq_leq (guint32 a, guint32 b) { return (gint32) (a - b) <= 0; }
static inline gboolean seq_gt  (guint32 a, guint32 b) { return (gint32) (a - b) > 0; }
static inline gboolean seq_geq (guint32 a, guint32 b) { return (gint32) (a - b) >= 0; }

/* Sequence space a segment occupies: payload plus one each for SYN, FIN. */
static inline guint32
packet_seq_len (const Packet *p)
{
  return p->len + ((p->flags & TCP_SYN) ? 1 : 0) + ((p->flags & TCP_FIN) ? 1 : 0);
}

static inline FlowKey
flow_key_reverse (FlowKey k)
{
  FlowKey r = { k.dst_ip, k.src_ip, k.dst_port, k.src_port };   /* no compound literal: C++ includes this */
  return r;
}

guint    flow_key_hash  (gconstpointer key);    /* for GHashTable */
gboolean flow_key_equal (gconstpointer a, gconstpointer b);

/* SplitMix64's finalizer: every input bit affects every output bit, so
 * keys that differ only in the low port bits still spread over buckets. */
static inline guint64
flow_key_mix64 (guint64 z)
{
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

/* 64 well-mixed bits of @k; flow_key_hash () folds them to 32.  Inline
 * for the hot lookups. */
static inline guint64
flow_key_hash64 (const FlowKey *k)
{
  guint64 addrs = ((guint64) k->src_ip << 32) | k->dst_ip;
  guint64 ports = ((guint64) k->src_port << 16) | k->dst_port;

  return flow_key_mix64 (addrs ^ flow_key_mix64 (ports + G_GUINT64_CONSTANT (0x9e3779b97f4a7c15)));
}

/* flow_key_equal () inline. */
static inline gboolean
flow_key_same (const FlowKey *x, const FlowKey *y)
{
  return x->src_ip == y->src_ip && x->dst_ip == y->dst_ip
      && x->src_port == y->src_port && x->dst_port == y->dst_port;
}

/* "10.0.0.1:40000>198.51.100.1:443 [S.] seq 1 ack 0 len 0" into @buf. */
char    *packet_format  (const Packet *p, char *buf, gsize size);
/* "10.0.0.1" into @buf (16 bytes enough). */
char    *ip_format      (guint32 ip, char *buf, gsize size);

/* RST answering @in when no socket exists for it (S18, RFC 9293 §3.10.7.1):
 * seq = in.ack if ACK was set, else seq = 0 and ack = in.seq + seq_len with
 * ACK set.  Addresses reversed.  Returns NULL if @in is itself a RST.
 * (transfer full) */
Packet  *packet_new_rst_reply (PacketPool *pool, const Packet *in);

G_END_DECLS
