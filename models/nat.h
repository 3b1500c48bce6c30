/* models/nat.h — a NAT / stateful firewall box (SEMANTICS.md S19–S28).
 *
 * Conntrack-like: entries keyed by the full 5-tuple in both directions
 * (two compact id tables, flow_table.h), each entry storing last_seen and
 * the timeout of its TCP state; an entry is expired iff now >= last_seen + T, the only
 * definition of expiry.  No timer per entry: entries sit in one LRU list
 * per timeout class (refresh moves an entry to the tail, so each list stays
 * sorted by expiry) and one box timer is armed for the earliest head, which
 * makes expiry exact in time with bounded work per firing; lookups also
 * test the predicate, so a packet arriving at exactly last_seen + T finds
 * no entry whatever the event order (S21).
 *
 * "inside" is the private side (clients), "outside" the public side.
 */
#pragma once

#include <glib.h>
#include "sim/sim.h"
#include "sim/rng.h"
#include "models/packet.h"

G_BEGIN_DECLS

typedef enum { NAT_MODE_NAPT = 0, NAT_MODE_DYNAMIC, NAT_MODE_STATIC, NAT_MODE_NONE } NatMode;
typedef enum { NAT_PORT_PRESERVE = 0, NAT_PORT_SEQUENTIAL, NAT_PORT_RANDOM } NatPortMode;
typedef enum { NAT_EXPIRY_SILENT = 0, NAT_EXPIRY_RST, NAT_EXPIRY_FIN, NAT_EXPIRY_PROBE } NatOnExpiry;
typedef enum { NAT_UNSOL_DROP = 0, NAT_UNSOL_RST } NatUnsolicited;
typedef enum { NAT_INVALID_DROP = 0, NAT_INVALID_FORWARD, NAT_INVALID_RST } NatInvalid;
typedef enum { NAT_REFRESH_ANY = 0, NAT_REFRESH_OUTBOUND, NAT_REFRESH_DATA } NatRefresh;

/* A port-forwarding entry: outside public_port -> inside ip:port. */
typedef struct {
  guint32 public_ip;
  guint16 public_port;
  guint32 inside_ip;
  guint16 inside_port;
} NatForward;

typedef struct {
  NatMode        mode;
  SimTime        established_timeout;   /* T for ESTABLISHED */
  SimTime        transitory_timeout;    /* SYN_SENT/SYN_RECV/FIN states */
  SimTime        close_timeout;         /* after an RST crossed a replied entry: 10 s */
  SimTime        time_wait_timeout;     /* both FINs seen: 120 s (conntrack) */
  SimTime        clamp_timeout;         /* S19 clamps (unacked data, 3 retrans,
                                           unreplied pickup): 300 s; 0 = off */
  gboolean       loose;                 /* S23 pickup */
  NatPortMode    port_mode;
  guint16        port_lo, port_hi;      /* public port pool, per public IP */
  guint32        public_ip;             /* first public address */
  guint32        public_ips;            /* how many consecutive addresses */
  guint64        max_mappings;          /* 0 = unlimited */
  NatOnExpiry    on_expiry;
  NatUnsolicited unsolicited_inbound;
  NatInvalid     invalid;
  NatRefresh     refresh;
  const NatForward *forwards;           /* port forwarding, may be NULL */
  guint          n_forwards;
  SimTime        probe_interval;        /* on_expiry = probe: 15 s (ASA DCD) */
  guint          probe_count;           /* ... probes before giving up: 5 */
  guint32        inside_base;           /* mode = static: inside host
                                           inside_base + i <-> public_ip + i
                                           (default 10.0.0.2, the world's
                                           first client host) */
} NatConfig;

void nat_config_init_defaults (NatConfig *cfg);

typedef struct _NatBox NatBox;

/* NatMapping.tcp_state: conntrack's TCP states, folded onto the timeout
 * classes natkeep has (S19). */
typedef enum {
  NAT_TCP_NONE = 0,
  NAT_TCP_SYN_SENT,      /* SYN seen from the initiator: transitory */
  NAT_TCP_SYN_RECV,      /* SYN-ACK seen: transitory */
  NAT_TCP_ESTABLISHED,   /* handshake done, or picked up (S23) */
  NAT_TCP_FIN_WAIT,      /* FIN seen one way: transitory */
  NAT_TCP_TIME_WAIT,     /* FIN seen both ways: time_wait_timeout */
  NAT_TCP_CLOSE,         /* RST crossed a replied entry: close_timeout */
} NatTcpState;

/* A mapping as callers may read it (borrowed; valid until the next call). */
typedef struct {
  FlowKey  inside;       /* as the inside host sends it: src = inside host */
  guint32  public_ip;
  guint16  public_port;
  guint8   tcp_state;    /* private conntrack-like state */
  gboolean replied;      /* a packet from outside was seen (for an entry a
                            port forward created: from inside) */
  gboolean picked_up;    /* created by loose pickup (S23) */
  SimTime  created_at;
  SimTime  last_seen;
  SimTime  expires_at;   /* last_seen + T of the current state; while
                            probing (on_expiry = probe) the time the
                            entry goes if the ends stay silent */
} NatMapping;

typedef enum {
  NAT_END_EXPIRED = 0,   /* idle timeout: ended at last_seen + T */
  NAT_END_REBOOT,        /* table wiped */
  NAT_END_RST,           /* a lone RST reply deleted it (S27) or close timer */
  NAT_END_CLOSED,        /* orderly close finished (time_wait/close state ran out) */
} NatEndReason;

typedef struct {
  /* Packet leaves towards the inside / outside (transfer full). */
  void (*to_inside)   (void *owner, NatBox *nat, Packet *p);
  void (*to_outside)  (void *owner, NatBox *nat, Packet *p);
  /* A mapping was created (by SYN or pickup). */
  void (*on_new)      (void *owner, NatBox *nat, const NatMapping *m);
  /* A mapping ended at @at (for EXPIRED exactly last_seen + T, never the
   * time the box noticed; with on_expiry = probe, an entry whose probes
   * went unanswered ends EXPIRED at last_seen + T + probe_count *
   * probe_interval, when it is deleted).  Idle expiry reports EXPIRED in
   * the SYN, ESTABLISHED and FIN_WAIT states, CLOSED in TIME_WAIT and RST
   * in CLOSE. */
  void (*on_end)      (void *owner, NatBox *nat, const NatMapping *m,
                       SimTime at, NatEndReason why);
  /* A new flow was refused: table full or no free port.  Also called when
   * a loose pickup (S23) is refused (then @p has no SYN). */
  void (*on_refused)  (void *owner, NatBox *nat, const Packet *p);
} NatOps;

/* @rng: the box's stream for random ports ("nat:NAME:ports"). */
NatBox *nat_new   (Sim *sim, PacketPool *pool, const char *name,
                   const NatConfig *cfg, const SimRng *rng,
                   const NatOps *ops, void *owner);
void    nat_free  (NatBox *nat);
const char *nat_name (const NatBox *nat);

/* Packet from an inside host, resp. from outside (transfer full).  The ops
 * run synchronously from these calls (and from the box timer); they must
 * not call nat_from_* or nat_reboot re-entrantly. */
void    nat_from_inside  (NatBox *nat, Packet *p);
void    nat_from_outside (NatBox *nat, Packet *p);
/* Prefetch hint before @p reaches the box (link_attach_prefetch): fetches
 * the table slot (stage 1) and then the entry key (stage 2) that
 * nat_from_inside / nat_from_outside will look up.  Changes nothing. */
void    nat_prefetch     (const NatBox *nat, const Packet *p, gboolean from_inside,
                          int stage);

/* Entry hints.  A caller that can tell which connection a packet belongs
 * to (a World: the packet's flow) may keep, per connection and box, the
 * id of the entry its last packet went through, and pass it in *@hint.
 * The box uses the entry named only if it is live and holds the packet's
 * tuple, which makes it the entry the table lookup would find (a tuple is
 * in at most one entry); otherwise it looks in its table.  So any value
 * is safe and the results are the same; a right guess saves the table
 * lookup and the table's cache line.  On return *@hint names the entry the
 * packet went through, or is unchanged if none.  NAT_HINT_NONE guesses
 * nothing. */
#define NAT_HINT_NONE G_MAXUINT32
void    nat_from_inside_hinted  (NatBox *nat, Packet *p, guint32 *hint);
void    nat_from_outside_hinted (NatBox *nat, Packet *p, guint32 *hint);
/* nat_prefetch with the hint nat_from_*_hinted will get: the named entry
 * (stage 2), or, for NAT_HINT_NONE, nat_prefetch. */
void    nat_prefetch_hinted     (const NatBox *nat, const Packet *p,
                                 gboolean from_inside, guint32 hint, int stage);

/* Wipes the table now (S32): every entry ends with NAT_END_REBOOT and
 * at = now (an entry whose deadline is exactly now expired first and is
 * reported as such); every port is free, the sequential allocator starts
 * again at port_lo.  Entries are reported in LRU-list order, not hash
 * order, so runs repeat. */
void    nat_reboot (NatBox *nat);

/* The live (unexpired at now) mapping for an inside 4-tuple, or NULL. */
const NatMapping *nat_lookup_inside (NatBox *nat, const FlowKey *inside);
/* The public port a loose pickup of @inside would get now, or 0 when an
 * outbound mid-stream packet would not be picked up (loose off, table
 * full, no port).  If a live entry exists its own port is returned.
 * Changes nothing, not even the RNG (random choices use a copy), for the
 * end-of-run oracle. */
guint16 nat_pickup_port (NatBox *nat, const FlowKey *inside);

gsize   nat_mappings      (const NatBox *nat);   /* live entries now */
gsize   nat_peak_mappings (const NatBox *nat);

typedef struct {
  guint64 translated_out, translated_in;  /* packets forwarded via an entry */
  guint64 created, picked_up;   /* entries made (all), of which by pickup */
  guint64 expired;              /* entries whose timeout ran out (any state) */
  guint64 refused;              /* new entries refused (full, no port) */
  guint64 dropped_invalid;      /* INVALID packets (S24, S25), whatever
                                   cfg->invalid then did with them */
  guint64 dropped_unsolicited;  /* inbound without entry (S26) */
  guint64 rst_sent;             /* RSTs the box built (S24, S26, S28) */
} NatStats;
const NatStats *nat_stats (const NatBox *nat);

G_END_DECLS
