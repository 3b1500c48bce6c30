/* models/world_private.h — the World's insides, shared by models/world*.c.
 *
 * One Flow record per connection, all in one array allocated once: both
 * TcpConns embedded, both app sides and the outcome fields.  The server
 * socket's 4-tuple is the server demux key, so the demux table stores
 * 4-byte flow indices and no keys (flow_table.h).  No strings and no
 * per-flow allocations.
 */
#pragma once

#include <stdio.h>
#include <glib.h>
#include "sim/sim.h"
#include "sim/rng.h"
#include "models/defaults.h"
#include "models/world.h"
#include "models/flow_table.h"

G_BEGIN_DECLS

/* Why a side's socket ended (the §6 "useful extra"). */
typedef enum {
  WORLD_CAUSE_NONE = 0, WORLD_CAUSE_KEEPALIVE, WORLD_CAUSE_RTO, WORLD_CAUSE_UTO,
  WORLD_CAUSE_SYN, WORLD_CAUSE_RST_PEER, WORLD_CAUSE_RST_NAT,
  WORLD_CAUSE_RST_MIDDLEBOX, WORLD_CAUSE_FIN, WORLD_CAUSE_RESTART,
  WORLD_CAUSE_N
} WorldCause;

enum {
  FLOW_OPENED    = 1 << 0,   /* the client called connect() */
  FLOW_CONNECTED = 1 << 1,   /* the client reached ESTABLISHED once */
  FLOW_SOCK_C    = 1 << 2,   /* the client socket exists (not CLOSED) */
  FLOW_SOCK_S    = 1 << 3,   /* the server socket exists, and is in the demux */
  FLOW_SEEN      = 1 << 4,   /* a SYN reached the server: its socket's
                              * 4-tuple (world_server_key) is valid */
  FLOW_REFUSED   = 1 << 5,   /* the NAT refused a SYN of this flow */
};

/* Boxes after the first whose entry hints a Flow keeps (the first box's
 * are in the sockets, world_nat_hint). */
#define WORLD_HINTED_BOXES 2

/* 320 bytes on a 64-byte boundary (w->flows is aligned): each TcpConn
 * fills two whole cache lines and the rest one more, so an arrival at
 * one end touches three lines of its flow, not the four or five an
 * unaligned 312-byte record straddles. */
typedef struct {
  _Alignas (64)
  TcpConn  conn[2];          /* [WORLD_CLIENT], [WORLD_SERVER]; the server
                              * socket's 4-tuple (world_server_key) is the
                              * flow's server demux key */
  AppSide  app[2];
  SimTime  opened_at;        /* planned open time; >= duration: never opened */
  SimTime  broken_at;        /* SIM_TIME_NEVER: unset */
  SimTime  learned_at[2];    /* SIM_TIME_NEVER: unset */
  guint16  client_port;
  guint8   flags;            /* FLOW_* (FLOW_SEEN: the server key is valid) */
  guint8   outcome[2];       /* WorldOutcome; WORLD_NONE until known */
  guint8   cause[2];         /* WorldCause */
  guint8   broken_by : 4;    /* WorldBreak */
  guint8   broken_box : 4;   /* [scenario] path: index of the box that broke
                              * it (< WORLD_MAX_BOXES; one byte, as before) */
  guint32  nat_hint[WORLD_HINTED_BOXES];   /* the NAT entry the flow's last
                              * packet through box i + 1 went through
                              * (nat.h, entry hints), or NAT_HINT_NONE;
                              * the eight bytes the line had left */
} Flow;

/* Memory goal (bench capacity): 512 bytes of peak RSS per flow, of which
 * this record is most: two TcpConns (tcp.h, <= 128 each), both AppSides
 * and 40 bytes of outcome. */
G_STATIC_ASSERT (sizeof (void *) != 8 || sizeof (Flow) == 320);

/* One middlebox of the path (the single [nat], or [scenario] path). */
typedef struct {
  struct _World *world;
  NatBox        *nat;
  Link          *in, *out;   /* towards the clients / the server; the
                              * lan and wan links, or zero-delay links
                              * between adjacent boxes (owned by the box
                              * on its inside: boxes[i].out) */
  GHashTable    *inside;     /* boxes after the first: the previous box's
                              * public ip:port (guint64) -> flow index + 1 */
  guint          index;
} WorldBox;

/* pattern = http: one heap-allocated socket of a flow (a flow opens a new
 * connection whenever its HttpClient asks).  Freed once it is closed and
 * no longer its flow's last connection on its side (world_http.c). */
typedef struct _WorldHttpConn WorldHttpConn;
struct _WorldHttpConn {
  TcpConn        conn;
  WorldHttpConn *prev, *next; /* the World's live sockets, oldest first */
  guint32        flow;
  guint8         side;       /* WORLD_CLIENT or WORLD_SERVER */
  guint8         in_demux;   /* in the client or server http demux */
  guint8         closed;     /* HTTP has let go of it (on_closed, restart) */
};

/* pattern = http: per-flow state beside the Flow record. */
typedef struct {
  struct _World *world;
  HttpClient    *client;     /* its owner is this record */
  SimTimer       req_timer;  /* the next request (or burst, [app] arrivals) */
  WorldHttpConn *last[2];    /* the last connection's sides (outcome) */
  guint32        probes[2];  /* every connection's probes (world_decide) */
  guint32        burst_sent; /* arrivals = bursts, burst_spacing > 0:
                              * requests of the current burst issued so
                              * far (0: req_timer starts a new burst) */
} WorldHttpFlow;

struct _World {
  WorldConfig  cfg;          /* a copy; name owned */
  Sim         *sim;          /* owned */
  PacketPool  *pool;         /* owned; every packet of the World */
  TcpEnv       tcp_env[2];   /* [WORLD_CLIENT], [WORLD_SERVER]: cfg.client
                              * or cfg.server, world_*_ops, pool; shared by
                              * every Flow's sockets */
  Link        *lan, *wan;
  WorldBox    *boxes;        /* n_boxes, clients' side first */
  guint        n_boxes;
  App         *app;
  Flow        *flows;        /* n_flows records, one allocation */
  guint64      n_flows;
  FlowTable    server_demux; /* flow indices keyed by wan_key, FLOW_SOCK_S only */
  SimRng       iss_rng;      /* "tcp:iss" */
  guint32     *open_order;   /* flows by open time (uniform only) until every
                              * flow is open, else NULL */
  guint64      open_next;    /* next position in open order */
  SimTimer     open_timer;
  guint64      probe_answers;
  gboolean     decided;      /* world_run finished and the oracle ran */
  FILE        *trace;        /* borrowed, NULL = off */
  guint32      trace_flow;
  PcapWriter  *pcap_lan, *pcap_wan;   /* borrowed */
  gboolean     pcap_warned;  /* an oversized segment was left out */
  /* pattern = http */
  gboolean       http;
  WorldHttpFlow *hflows;       /* n_flows records, or NULL */
  HttpServer    *http_server;
  GHashTable    *http_client_demux;   /* key as the client sends -> WorldHttpConn */
  GHashTable    *http_server_demux;   /* key as the server sends -> WorldHttpConn */
  WorldHttpConn *http_first;   /* every WorldHttpConn not yet freed, */
  WorldHttpConn *http_last;    /* oldest first */
  TcpEnv         http_env[2];  /* as tcp_env, with the WorldHttpConn ops */
  SimRng         http_ports;   /* "client:ports" after the first ports */
  SimRng         http_rng;     /* "app:poisson": arrivals = poisson gaps */
};

/* Flow and side of a socket embedded in the flow array. */
static inline Flow *
world_flow_of (const World *w, const TcpConn *c, int *side)
{
  gsize i = ((const char *) c - (const char *) w->flows) / sizeof (Flow);
  Flow *f = &w->flows[i];

  if (side != NULL)
    *side = c == &f->conn[WORLD_CLIENT] ? WORLD_CLIENT : WORLD_SERVER;
  return f;
}

static inline guint64
world_flow_index (const World *w, const Flow *f)
{
  return (guint64) (f - w->flows);
}

static inline guint32
world_client_ip (guint64 i)
{
  return WORLD_CLIENT_NET + 2 + (guint32) i;
}

/* The flow whose client host and port are @ip:@port, or NULL.  With
 * pattern = http client_port is the flow's last connection's port. */
static inline Flow *
world_flow_at (const World *w, guint32 ip, guint16 port)
{
  guint64 i;

  if (ip < WORLD_CLIENT_NET + 2)
    return NULL;
  i = ip - (WORLD_CLIENT_NET + 2);
  if (i >= w->n_flows || w->flows[i].client_port != port)
    return NULL;
  return &w->flows[i];
}

/* The socket of @side that decides the flow's outcome: the embedded one,
 * or with pattern = http the last connection's (NULL: none yet). */
static inline TcpConn *
world_side_conn (const World *w, const Flow *f, int side)
{
  if (w->http)
    {
      WorldHttpConn *h = w->hflows[f - w->flows].last[side];
      return h != NULL ? &h->conn : NULL;
    }
  return (TcpConn *) &f->conn[side];
}

/* The 4-tuple as the server sends (src = server, dst = the client's public
 * address and port); valid once FLOW_SEEN, kept after the socket ends.  It
 * is not stored twice: the server socket holds it. */
static inline const FlowKey *
world_server_key (const Flow *f)
{
  return tcp_conn_key (&f->conn[WORLD_SERVER]);
}

/* world_server_key of the socket world_side_conn gives (FLOW_SEEN). */
static inline const FlowKey *
world_flow_server_key (const World *w, const Flow *f)
{
  return tcp_conn_key (world_side_conn (w, f, WORLD_SERVER));
}

/* The server demux's key of flow @id (lookups pass the reversed packet
 * key). */
static inline const FlowKey *
world_demux_key (const void *w, guint32 id)
{
  return world_server_key (&((const World *) w)->flows[id]);
}

/* The client's 4-tuple as it sends. */
static inline FlowKey
world_client_key (const World *w, const Flow *f)
{
  return (FlowKey) { world_client_ip (world_flow_index (w, f)), WORLD_SERVER_IP,
                     f->client_port, WORLD_SERVER_PORT };
}

/* world_outcome.c */
void        world_decide          (World *w);
void        world_mark_broken     (World *w, Flow *f, SimTime at, WorldBreak why,
                                   guint box);
Flow       *world_box_flow        (const WorldBox *b, guint32 ip, guint16 port);
void        world_side_ends       (World *w, Flow *f, int side, WorldOutcome o,
                                   WorldCause cause, SimTime at);
const char *world_cause_name      (WorldCause c);

/* world_trace.c */
gboolean    world_tracing         (const World *w, guint64 flow);
void        world_trace           (World *w, guint64 flow, const char *where,
                                   const char *fmt, ...) G_GNUC_PRINTF (4, 5);
void        world_trace_packet    (World *w, const char *where, const char *what,
                                   const Packet *p);
void        world_on_tap          (void *user, const Link *link, const Packet *p,
                                   LinkSide from, gboolean dropped);
extern const NatOps world_nat_ops;

/* world_http.c: pattern = http */
void        world_http_new        (World *w, const SimRng *ports, const SimRng *app);
void        world_http_free       (World *w);
void        world_http_open_flow  (World *w, Flow *f);
void        world_http_server_restart (World *w, SimTime now);
gboolean    world_http_client_receive (World *w, Packet *p);
gboolean    world_http_server_receive (World *w, Packet *p);
void        world_http_decide     (World *w);

/* world.c: the packet path */
WorldCause  world_cause_of_error  (TcpCause cause, const Packet *rst);
extern const TcpOps world_client_ops, world_server_ops;
extern const AppOps world_app_ops;
void        world_client_receive      (void *node, Packet *p, LinkSide at);
void        world_server_receive      (void *node, Packet *p, LinkSide at);
/* Prefetch hints for the hosts' links (link_attach_prefetch). */
void        world_host_prefetch       (void *node, const Packet *p, int stage);
void        world_nat_inside_prefetch (void *node, const Packet *p, int stage);
void        world_nat_outside_prefetch (void *node, const Packet *p, int stage);
void        world_nat_inside_receive  (void *node, Packet *p, LinkSide at);
void        world_nat_outside_receive (void *node, Packet *p, LinkSide at);
void        world_nat_to_inside       (void *owner, NatBox *nat, Packet *p);
void        world_nat_to_outside      (void *owner, NatBox *nat, Packet *p);

G_END_DECLS
