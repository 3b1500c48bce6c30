/* models/nat_private.h — the NAT box's insides, shared by nat.c (packet
 * path and state machine), nat_table.c (entries, LRU lists, the box timer,
 * expiry actions) and nat_ports.c (public address and port choice).
 * Included only by those three files and nothing else.
 */
#pragma once

#include <stddef.h>

#include "models/nat.h"
#include "models/flow_table.h"

G_BEGIN_DECLS

/* Directions, also indices of the per-direction arrays of an entry. */
enum { NAT_DIR_OUT = 0,   /* inside -> outside */
       NAT_DIR_IN = 1 };  /* outside -> inside */

/* Timeout classes (S19).  Classes with equal timeouts share one LRU list,
 * so every list holds entries with one T and stays sorted by expiry. */
typedef enum {
  NAT_CLASS_ESTABLISHED = 0,
  NAT_CLASS_TRANSITORY,
  NAT_CLASS_CLOSE,
  NAT_CLASS_TIME_WAIT,
  NAT_CLASS_CLAMP,       /* S19 clamps: unacked data, 3 retrans, pickup */
  NAT_CLASS_PROBE,       /* on_expiry = probe: one probe_interval */
  NAT_CLASS_N
} NatClass;

/* Reaping at most this many entries per box-timer firing keeps one event
 * short; the timer re-arms at the same instant for the rest (S22). */
#define NAT_SWEEP_BUDGET 1024

/* conntrack's nf_conntrack_tcp_max_retrans: the 4th identical segment in a
 * row clamps T (S19). */
#define NAT_MAX_RETRANS 3

/* Linux NF_NAT_MAX_ATTEMPTS: random draws before scanning for a port. */
#define NAT_PORT_ATTEMPTS 128

/* NatEntry.bits */
enum {
  NAT_E_REPLIED   = 1 << 0,  /* a packet against the initiator was seen */
  NAT_E_PICKED_UP = 1 << 1,  /* made by loose pickup (S23) */
  NAT_E_INIT_IN   = 1 << 2,  /* initiated from outside (port forward) */
  NAT_E_END_OK0   = 1 << 3,  /* end[0] valid; END_OK1 = end[1] valid */
  NAT_E_END_OK1   = 1 << 4,
  NAT_E_ACK_OK0   = 1 << 5,  /* ack[0] valid; ACK_OK1 = ack[1] valid */
  NAT_E_ACK_OK1   = 1 << 6,
  NAT_E_FIN0      = 1 << 7,  /* FIN seen outbound; FIN1 = inbound */
  NAT_E_FIN1      = 1 << 8,
  NAT_E_LAST_OK   = 1 << 9,  /* last_* hold a segment */
  NAT_E_LAST_IN   = 1 << 10, /* ... which travelled inbound */
  NAT_E_PROBING   = 1 << 11, /* on_expiry = probe: probing both ends */
  NAT_E_ANS0      = 1 << 12, /* ... and the inside end answered; ANS1 outside */
  NAT_E_ANS1      = 1 << 13,
  NAT_E_FREE      = 1 << 14, /* on the free list: no hint may name it */
};

/* One mapping.  Entries live in slabs of NAT_SLAB entries (never moved,
 * recycled through a free list), so a mapping costs no allocation of its
 * own.  An entry's id is its slab position (nat_entry_at (nat, id) is the
 * entry); both tuple tables (flow_table.h) store ids and read the keys
 * embedded here.
 *
 * Size: capacity runs hold 10^6 mappings against a budget of 512 bytes of
 * peak RSS per flow, so every byte here counts a megabyte.  88 bytes
 * (checked by a G_STATIC_ASSERT in nat_table.c; no holes, and no pointers,
 * so the same on 32- and 64-bit hosts) plus one 4-byte slot in each tuple
 * table, at most 3/4 full: 5-11 bytes per table, about 100-110 bytes in
 * all.  What was taken out, and why that changes nothing:
 *  - the LRU links are 32-bit ids, not pointers: 4 bytes saved per link,
 *    2 links, 8 MB at 10^6.  NAT_NONE ends a list;
 *  - the entry's own id is not stored: every live entry is in exactly one
 *    list, so its id is its predecessor's next, or its list's head
 *    (nat_entry_id); the packet path has it from its lookup;
 *  - the due time is not stored: nat_entry_due computes it exactly from
 *    last_seen, list and probes_left (see there).
 *
 *   offset  bytes  field
 *        0     12  inside            lookup keys first
 *       12     12  reply
 *       24      8  prev, next        LRU links
 *       32     16  created_at, last_seen
 *       48     16  end[2], ack[2]
 *       64     12  last_seq, last_ack, last_end
 *       76      4  last_win, bits
 *       80      4  flow
 *       84      4  state, list, retrans, probes_left
 */
typedef struct _NatEntry NatEntry;
struct _NatEntry {
  FlowKey   inside;       /* by_inside key, first: &e->inside == e.  As the
                             inside host sends: src = inside host */
  FlowKey   reply;        /* by_reply key: as the outside sends back,
                             dst = public ip:port */
  guint32   prev, next;   /* ids of the neighbours in the LRU list the entry
                             sits in (nat_entry_list), or NAT_NONE; a free
                             entry links the free list through next */
  SimTime   created_at;
  SimTime   last_seen;    /* S20: last accepted refreshing packet */
  guint32   end[2];       /* per direction: highest seq + seq_len seen,
                             i.e. that sender's snd_nxt (S19, S28) */
  guint32   ack[2];       /* per direction: highest ack seen */
  guint32   last_seq, last_ack, last_end;   /* retransmission detector: */
  guint16   last_win;                       /* the last ACK-flagged segment */
  guint16   bits;         /* NAT_E_* */
  guint32   flow;         /* world flow index of the creating packet */
  guint8    state;        /* NatTcpState */
  guint8    list;         /* index into nat->lists of the T that started at
                             last_seen; while probing the entry sits in the
                             probe list instead (nat_entry_list) */
  guint8    retrans;      /* identical segments in a row after the first */
  guint8    probes_left;  /* probe rounds still to send */
};

/* "No entry": the end of a list, an empty list, an empty free list. */
#define NAT_NONE FLOW_TABLE_NONE

/* Entries per slab (a power of two): 2^17 entries are 11 MiB, mapped in
 * 2 MiB pages (sim_mem_alloc0) and touched only as ids are handed out.
 * On 4 KiB pages nearly every entry a packet reaches was also a TLB miss
 * (10^6 flows x 20 min of capacity-poisson: 21.4-22.1 s against
 * 20.1-20.5 s); a slab's last, partly used huge page costs at most 0.5
 * MiB more per slab than entries need. */
#define NAT_SLAB_BITS 17
#define NAT_SLAB      (1u << NAT_SLAB_BITS)

/* NAPT: how many ports of one public address are in use towards one
 * remote end (remote ip:port).  Lets a full pool refuse in O(1) instead of
 * scanning every port; one record per (public address, remote end) that
 * has entries, not per entry. */
typedef struct {
  FlowKey   key;          /* src = remote ip:port, dst = public ip, dst_port 0 */
  guint32   used;         /* entries (not port forwards) holding a port */
} NatRemote;

typedef struct {
  SimTime   timeout;      /* T of every entry in the list */
  guint32   head, tail;   /* entry ids or NAT_NONE; head expires first */
} NatList;

struct _NatBox {
  Sim        *sim;
  PacketPool *pool;
  char       *name;
  NatConfig   cfg;         /* forwards points at our own copy */
  NatOps      ops;
  void       *owner;
  SimRng      rng;         /* random ports; copied for the oracle */

  FlowTable   by_inside;   /* entry ids keyed by entry->inside */
  FlowTable   by_reply;    /* entry ids keyed by entry->reply */
  NatEntry  **slab;        /* [n_slabs] arrays of NAT_SLAB entries */
  guint32     n_slabs;
  guint32     n_ids;       /* ids handed out so far (slab positions used) */
  guint32     free_head;   /* id of the last ended entry, linked through
                              next, or NAT_NONE */
  gsize       n_entries;   /* entries in the tables */
  NatList     lists[NAT_CLASS_N];
  guint       n_lists;
  guint8      class_list[NAT_CLASS_N];   /* NatClass -> list index */
  SimTimer    timer;       /* armed for the earliest list head, or idle */

  /* Ports: the last port handed out per public address (sequential). */
  guint16    *last_port;   /* [cfg.public_ips] */
  GHashTable *remotes;     /* NAPT: NatRemote, set mode, owned */
  /* Dynamic mode: inside ip -> pool slot, and live entries per slot. */
  GHashTable *host_slot;   /* GUINT_TO_POINTER (ip) -> slot */
  guint32    *slot_refs;   /* [cfg.public_ips] */
  guint32     slot_lo_free;   /* every slot below it is in use */

  gsize       peak;
  NatStats    stats;
  NatMapping  view;        /* nat_lookup_inside's borrowed answer */
};

static inline NatEntry *
nat_entry_at (const NatBox *nat, guint32 id)
{
  return &nat->slab[id >> NAT_SLAB_BITS][id & (NAT_SLAB - 1)];
}

/* The entry @id, or NULL for NAT_NONE: for walking a list. */
static inline NatEntry *
nat_entry_or_null (const NatBox *nat, guint32 id)
{
  return id != NAT_NONE ? nat_entry_at (nat, id) : NULL;
}

/* The index into nat->lists of the list @e sits in. */
static inline guint
nat_entry_list (const NatBox *nat, const NatEntry *e)
{
  return (e->bits & NAT_E_PROBING) ? nat->class_list[NAT_CLASS_PROBE] : e->list;
}

/* When the box must act on @e: last_seen + T, or the next probe round
 * while probing.  Not stored, since it is exact to compute: an entry
 * enters a list only at last_seen + T (nat_entry_new, nat_entry_touch),
 * or, while probing, one probe_interval after the previous deadline, and
 * the box acts exactly at each deadline (the box timer fires for the
 * earliest one; a lookup that comes first at that instant acts for it).
 * Probing begins at last_seen + T with probes_left = the round count and
 * takes one off per round sent, so rounds sent = count - probes_left. */
static inline SimTime
nat_entry_due (const NatBox *nat, const NatEntry *e)
{
  SimTime due = e->last_seen + nat->lists[e->list].timeout;

  if (e->bits & NAT_E_PROBING)
    due += (SimTime) (MIN (nat->cfg.probe_count, G_MAXUINT8) - e->probes_left)
           * nat->lists[nat->class_list[NAT_CLASS_PROBE]].timeout;
  return due;
}

/* nat_table.c */
SimTime   nat_class_timeout  (const NatBox *nat, NatClass cls);
NatClass  nat_entry_class    (const NatBox *nat, const NatEntry *e);
void      nat_table_init     (NatBox *nat);
void      nat_table_clear    (NatBox *nat);
NatEntry *nat_entry_new      (NatBox *nat, const FlowKey *inside,
                              guint32 public_ip, guint16 public_port,
                              gboolean init_in, gboolean picked_up,
                              guint8 state, guint32 flow);
/* @id: @e's (nat_entry_id, or from the lookup that found it). */
void      nat_entry_touch    (NatBox *nat, NatEntry *e, guint32 id);
guint32   nat_entry_id       (const NatBox *nat, const NatEntry *e);
void      nat_entry_end      (NatBox *nat, NatEntry *e, SimTime at,
                              NatEndReason why);
gboolean  nat_entry_service  (NatBox *nat, NatEntry *e);
gboolean  nat_entry_gone_at  (const NatBox *nat, const NatEntry *e, SimTime now);
NatEntry *nat_find_inside    (NatBox *nat, const FlowKey *key);
NatEntry *nat_find_reply     (NatBox *nat, const FlowKey *key);
/* nat_find_inside (@dir NAT_DIR_OUT) or nat_find_reply (NAT_DIR_IN) of
 * @key, trying the entry *@hint names first (nat.h, entry hints); then
 * *@hint names the entry found, if any. */
NatEntry *nat_find_hinted    (NatBox *nat, const FlowKey *key, guint dir,
                              guint32 *hint);
/* The entry holding a tuple, live or not (no reaping), or NULL. */
NatEntry *nat_peek_inside    (const NatBox *nat, const FlowKey *key);
NatEntry *nat_peek_reply     (const NatBox *nat, const FlowKey *key);
gsize     nat_live           (const NatBox *nat);
void      nat_entry_view     (const NatBox *nat, const NatEntry *e, NatMapping *m);
NatEndReason nat_entry_end_reason (const NatEntry *e);
void      nat_send           (NatBox *nat, Packet *p, guint towards_dir);

/* nat_ports.c */
void      nat_ports_init     (NatBox *nat);
void      nat_ports_clear    (NatBox *nat);
void      nat_ports_reset    (NatBox *nat);
gboolean  nat_ports_choose   (NatBox *nat, const FlowKey *inside,
                              gboolean commit, guint32 *ip, guint16 *port);
void      nat_ports_hold     (NatBox *nat, const NatEntry *e);
void      nat_ports_release  (NatBox *nat, const NatEntry *e);

G_END_DECLS
