/* models/packet.c — packet pool, flow keys and the RST-for-no-socket reply.
 *
 * Packets are fixed-size records handed out from a free list.  The pool
 * allocates them in slabs of PACKET_SLAB packets and keeps every slab, so
 * packet_pool_free() releases all memory in one sweep even when packets are
 * still out (an aborted run, or a caller that frees the pool before the
 * Sim): nothing leaks, and nothing needs to walk the holders.  Those packets
 * are dangling afterwards, so the World frees its Sim (whose destroy
 * notifies return packets in flight) before the pool.
 *
 * The reply to a segment that finds no socket follows RFC 9293 §3.10.7.1
 * (SEMANTICS.md S18).  Formatting mimics tcpdump's one-line summary so
 * traces and `tcpdump -nn` output can be read side by side.
 */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "models/packet.h"

/* Packets per slab: big enough that a busy World grows its pool a handful of
 * times, small enough (about 10 KiB) that an idle one wastes little. */
#define PACKET_SLAB 256

struct _PacketPool {
  GPtrArray *slabs;        /* Packet[PACKET_SLAB] each, owned */
  Packet    *free_list;    /* linked through next_free */
  gsize      live;         /* packets handed out and not yet returned */
};

PacketPool *
packet_pool_new (void)
{
  PacketPool *pool = g_new0 (PacketPool, 1);

  pool->slabs = g_ptr_array_new_with_free_func (g_free);
  return pool;
}

void
packet_pool_free (PacketPool *pool)
{
  if (pool == NULL)
    return;
  /* Packets still out live in our slabs and go with them (see the file
   * comment); say so for whoever is debugging a teardown order. */
  if (pool->live > 0)
    g_debug ("packet pool freed with %" G_GSIZE_FORMAT " packets still out",
             pool->live);
  g_ptr_array_unref (pool->slabs);
  g_free (pool);
}

static void
packet_pool_grow (PacketPool *pool)
{
  Packet *slab = g_new (Packet, PACKET_SLAB);

  g_ptr_array_add (pool->slabs, slab);
  /* Thread the slab so the lowest address is handed out first; not needed
   * for correctness, only to keep a fresh pool's order predictable. */
  for (gsize i = PACKET_SLAB; i-- > 0;)
    {
      slab[i].next_free = pool->free_list;
      pool->free_list = &slab[i];
    }
}

Packet *
packet_new (PacketPool *pool)
{
  Packet *p;

  g_return_val_if_fail (pool != NULL, NULL);

  if (pool->free_list == NULL)
    packet_pool_grow (pool);
  p = pool->free_list;
  pool->free_list = p->next_free;
  pool->live++;

  memset (p, 0, sizeof *p);
  p->ttl = 64;             /* Linux net.ipv4.ip_default_ttl */
  return p;
}

Packet *
packet_copy (PacketPool *pool, const Packet *p)
{
  Packet *c;

  g_return_val_if_fail (p != NULL, NULL);

  c = packet_new (pool);
  *c = *p;
  c->next_free = NULL;
  return c;
}

void
packet_free (PacketPool *pool, Packet *p)
{
  if (p == NULL)
    return;
  g_return_if_fail (pool != NULL);
  g_assert (pool->live > 0);

  p->next_free = pool->free_list;
  pool->free_list = p;
  pool->live--;
}

gsize
packet_pool_live (const PacketPool *pool)
{
  g_return_val_if_fail (pool != NULL, 0);
  return pool->live;
}

guint
flow_key_hash (gconstpointer key)
{
  guint64 h = flow_key_hash64 (key);

  return (guint) (h ^ (h >> 32));
}

gboolean
flow_key_equal (gconstpointer a, gconstpointer b)
{
  return flow_key_same (a, b);
}

char *
ip_format (guint32 ip, char *buf, gsize size)
{
  g_snprintf (buf, size, "%u.%u.%u.%u",
              (ip >> 24) & 0xff, (ip >> 16) & 0xff, (ip >> 8) & 0xff, ip & 0xff);
  return buf;
}

char *
packet_format (const Packet *p, char *buf, gsize size)
{
  char src[16], dst[16], flags[8];
  gsize n = 0;

  /* tcpdump's order and letters: F S R P, then '.' for ACK. */
  if (p->flags & TCP_FIN)
    flags[n++] = 'F';
  if (p->flags & TCP_SYN)
    flags[n++] = 'S';
  if (p->flags & TCP_RST)
    flags[n++] = 'R';
  if (p->flags & TCP_PSH)
    flags[n++] = 'P';
  if (p->flags & TCP_ACK)
    flags[n++] = '.';
  flags[n] = '\0';

  g_snprintf (buf, size, "%s:%u>%s:%u [%s] seq %u ack %u len %u",
              ip_format (p->key.src_ip, src, sizeof src), p->key.src_port,
              ip_format (p->key.dst_ip, dst, sizeof dst), p->key.dst_port,
              n > 0 ? flags : "none", p->seq, p->ack, p->len);
  return buf;
}

Packet *
packet_new_rst_reply (PacketPool *pool, const Packet *in)
{
  Packet *rst;

  g_return_val_if_fail (in != NULL, NULL);

  /* RFC 9293 §3.10.7.1: never answer a RST with a RST, or two stacks
   * without sockets could bounce them forever. */
  if (in->flags & TCP_RST)
    return NULL;

  rst = packet_new (pool);
  rst->key = flow_key_reverse (in->key);
  rst->origin = PACKET_ORIGIN_HOST;
  rst->flow = in->flow;
  if (in->flags & TCP_ACK)
    {
      /* <SEQ=SEG.ACK><CTL=RST>: SEG.ACK is the sender's rcv_nxt, so the
       * RST lands exactly on it and is accepted (RFC 5961 §3). */
      rst->seq = in->ack;
      rst->flags = TCP_RST;
    }
  else
    {
      /* <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>: a bare SYN has no ACK
       * to echo, so acknowledge what it occupied instead. */
      rst->seq = 0;
      rst->ack = in->seq + packet_seq_len (in);
      rst->flags = TCP_RST | TCP_ACK;
    }
  return rst;
}
