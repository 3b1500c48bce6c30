/* models/world.c — the packet path of a World: hosts, sockets, the NAT's
 * links and the applications' glue.
 *
 * Wiring (see world.h): clients on side A of the lan link, the NAT's inside
 * on side B; the NAT's outside on side A of the wan link, the server on
 * side B.  Every client host has its own address 10.0.0.(2 + i), so the
 * client-side demux is arithmetic on the destination address (flow i)
 * plus a port check: a hash table there would cost memory and buy nothing.
 * The server has one address and port, so it demultiplexes by the full
 * 4-tuple in a table of flow indices whose keys live in the flow records
 * (flow_table.h, 4 bytes a slot).
 *
 * A host answers a segment that finds no socket with RST (S18), never a
 * RST with a RST.  A SYN to the server's listening port that finds no
 * socket creates the server side in the flow the SYN belongs to (the
 * packet's `flow` tag, which is simulation bookkeeping, not on the wire).
 * Building, opening, faults and the run itself are in world_build.c.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "models/defaults.h"
#include "models/world_private.h"

/* ------------------------------------------------------------ sockets */

static void
world_tcp_output (World *w, TcpConn *c, Packet *p, int side)
{
  Flow *f = world_flow_of (w, c, NULL);
  guint64 i = world_flow_index (w, f);

  p->flow = (guint32) i;
  if (world_tracing (w, i) && p->len == 0 && p->flags == TCP_ACK
      && p->seq == c->snd_una - 1)
    world_trace (w, i, side == WORLD_CLIENT ? "client" : "server",
                 "sends keep-alive probe %u", tcp_conn_probes_sent (c) + 1);
  if (side == WORLD_CLIENT)
    link_send (w->lan, LINK_SIDE_A, p);
  else
    link_send (w->wan, LINK_SIDE_B, p);
}

static void
world_client_output (void *owner, TcpConn *c, Packet *p)
{
  world_tcp_output (owner, c, p, WORLD_CLIENT);
}

static void
world_server_output (void *owner, TcpConn *c, Packet *p)
{
  world_tcp_output (owner, c, p, WORLD_SERVER);
}

static void
world_on_connected (void *owner, TcpConn *c)
{
  World *w = owner;
  int side;
  Flow *f = world_flow_of (w, c, &side);

  if (side == WORLD_CLIENT)
    f->flags |= FLOW_CONNECTED;
  world_trace (w, world_flow_index (w, f), side == WORLD_CLIENT ? "client" : "server",
               "connected");
  app_connected (w->app, c);
}

static void
world_on_recv (void *owner, TcpConn *c, guint32 bytes)
{
  World *w = owner;

  app_received (w->app, c, bytes);
}

static void
world_on_eof (void *owner, TcpConn *c)
{
  World *w = owner;
  int side;
  Flow *f = world_flow_of (w, c, &side);

  world_side_ends (w, f, side, WORLD_CLOSED, WORLD_CAUSE_FIN, sim_now (w->sim));
  app_eof (w->app, c);
}

static void
world_on_error (void *owner, TcpConn *c, TcpErr err, TcpCause cause, const Packet *rst)
{
  World *w = owner;
  SimTime now = sim_now (w->sim);
  int side;
  Flow *f = world_flow_of (w, c, &side);
  WorldCause why = world_cause_of_error (cause, rst);
  WorldOutcome o = err == TCP_ERR_RESET ? WORLD_RESET : WORLD_TIMEOUT;

  /* A client whose SYN the NAT refused never opened (§6 "refused"),
   * however its connect() finally gave up. */
  if (side == WORLD_CLIENT && !(f->flags & FLOW_CONNECTED) && (f->flags & FLOW_REFUSED))
    o = WORLD_REFUSED;
  world_side_ends (w, f, side, o, why, now);
  app_stop (w->app, c);
}

WorldCause
world_cause_of_error (TcpCause cause, const Packet *rst)
{
  WorldCause why = WORLD_CAUSE_NONE;

  switch (cause)
    {
    case TCP_CAUSE_KEEPALIVE: why = WORLD_CAUSE_KEEPALIVE; break;
    case TCP_CAUSE_RTO:       why = WORLD_CAUSE_RTO; break;
    case TCP_CAUSE_UTO:       why = WORLD_CAUSE_UTO; break;
    case TCP_CAUSE_SYN:       why = WORLD_CAUSE_SYN; break;
    case TCP_CAUSE_FIN:       why = WORLD_CAUSE_FIN; break;
    case TCP_CAUSE_RST:
    case TCP_CAUSE_NONE:
    default:
      why = WORLD_CAUSE_RST_PEER;
      if (rst != NULL && rst->origin == PACKET_ORIGIN_NAT)
        why = WORLD_CAUSE_RST_NAT;
      else if (rst != NULL && rst->origin == PACKET_ORIGIN_MIDDLEBOX)
        why = WORLD_CAUSE_RST_MIDDLEBOX;
      break;
    }
  return why;
}

static void
world_on_closed (void *owner, TcpConn *c)
{
  World *w = owner;
  int side;
  Flow *f = world_flow_of (w, c, &side);

  if (side == WORLD_CLIENT)
    f->flags &= ~FLOW_SOCK_C;
  else if (f->flags & FLOW_SOCK_S)
    {
      flow_table_remove (&w->server_demux, (guint32) world_flow_index (w, f),
                         world_demux_key, w);
      f->flags &= ~FLOW_SOCK_S;
    }
}

const TcpOps world_client_ops = {
  .output = world_client_output, .on_connected = world_on_connected,
  .on_recv = world_on_recv, .on_eof = world_on_eof,
  .on_error = world_on_error, .on_closed = world_on_closed,
};

const TcpOps world_server_ops = {
  .output = world_server_output, .on_connected = world_on_connected,
  .on_recv = world_on_recv, .on_eof = world_on_eof,
  .on_error = world_on_error, .on_closed = world_on_closed,
};

/* A probe (S4) that reaches an existing socket draws exactly one duplicate
 * ACK: count it for keepalive_bytes before the socket sees it. */
static void
world_count_probe_answer (World *w, const TcpConn *c, const Packet *p)
{
  if (p->len == 0 && p->flags == TCP_ACK && p->seq == c->rcv_nxt - 1
      && tcp_conn_is_open (c))
    w->probe_answers++;
}

/* S18: the host has no socket for @p. */
static void
world_host_rst (World *w, Packet *p, const char *who, Link *link, LinkSide side)
{
  Packet *rst = packet_new_rst_reply (w->pool, p);

  if (world_tracing (w, p->flow))
    world_trace_packet (w, who, rst != NULL ? "no socket, answers RST to" :
                        "no socket, drops", p);
  packet_free (w->pool, p);
  if (rst != NULL)
    link_send (link, side, rst);
}

/* lan side A: the client hosts. */
void
world_client_receive (void *node, Packet *p, LinkSide at)
{
  World *w = node;
  Flow *f;

  if (p->key.dst_ip < WORLD_CLIENT_NET + 2
      || p->key.dst_ip - (WORLD_CLIENT_NET + 2) >= w->n_flows)
    {
      packet_free (w->pool, p);          /* no such host */
      return;
    }
  if (w->http)
    {
      if (!world_http_client_receive (w, p))
        world_host_rst (w, p, "client", w->lan, LINK_SIDE_A);
      return;
    }
  f = world_flow_at (w, p->key.dst_ip, p->key.dst_port);
  if (f == NULL || !(f->flags & FLOW_SOCK_C)
      || p->key.src_ip != WORLD_SERVER_IP || p->key.src_port != WORLD_SERVER_PORT)
    {
      world_host_rst (w, p, "client", w->lan, LINK_SIDE_A);
      return;
    }
  if (world_tracing (w, p->flow))
    world_trace_packet (w, "client", "recv", p);
  world_count_probe_answer (w, &f->conn[WORLD_CLIENT], p);
  tcp_conn_receive (&f->conn[WORLD_CLIENT], p);
}

/* A socket's two cache lines (its alarm first), for writing. */
static inline void
world_prefetch_conn (const TcpConn *c)
{
  G_STATIC_ASSERT (sizeof (TcpConn) <= 128);
  __builtin_prefetch (c, 1);
  __builtin_prefetch ((const char *) c + 64, 1);
}

/* Either host's hint: the packet's flow record, whose socket the packet
 * will most likely reach (the client's by address, the server's by the
 * flow the packet came from). */
void
world_host_prefetch (void *node, const Packet *p, int stage)
{
  World *w = node;

  if (stage != 1 || w->http || p->flow >= w->n_flows)
    return;
  /* The receiving end's socket (two lines) and the flow's other fields. */
  const Flow *f = &w->flows[p->flow];
  world_prefetch_conn (&f->conn[p->key.dst_port == WORLD_SERVER_PORT
                                ? WORLD_SERVER : WORLD_CLIENT]);
  __builtin_prefetch (f->app, 1);
}

/* A SYN for the listening port and no socket: the passive open. */
static gboolean
world_server_accept (World *w, Packet *p)
{
  Flow *f;

  if (p->key.dst_port != WORLD_SERVER_PORT
      || (p->flags & (TCP_SYN | TCP_ACK | TCP_RST | TCP_FIN)) != TCP_SYN
      || p->flow >= w->n_flows)
    return FALSE;
  f = &w->flows[p->flow];
  if (f->flags & FLOW_SOCK_S)
    return FALSE;                       /* the slot holds another 4-tuple */
  f->flags |= FLOW_SEEN | FLOW_SOCK_S;
  /* A new socket (a SYN retransmitted after a restart) starts afresh. */
  f->outcome[WORLD_SERVER] = WORLD_NONE;
  f->cause[WORLD_SERVER] = WORLD_CAUSE_NONE;
  f->learned_at[WORLD_SERVER] = SIM_TIME_NEVER;
  tcp_conn_init (&f->conn[WORLD_SERVER], &w->tcp_env[WORLD_SERVER],
                 flow_key_reverse (p->key), (guint32) sim_rng_next_u64 (&w->iss_rng));
  f->conn[WORLD_SERVER].user = NAT_HINT_NONE;
  app_side_init (&f->app[WORLD_SERVER], TRUE);
  flow_table_add (&w->server_demux, p->flow, world_demux_key, w);
  if (world_tracing (w, p->flow))
    world_trace_packet (w, "server", "accepts", p);
  tcp_conn_accept (&f->conn[WORLD_SERVER], p);
  packet_free (w->pool, p);
  return TRUE;
}

/* wan side B: the server host. */
void
world_server_receive (void *node, Packet *p, LinkSide at)
{
  World *w = node;
  Flow *f;
  FlowKey rkey;

  if (p->key.dst_ip != WORLD_SERVER_IP)
    {
      packet_free (w->pool, p);          /* not for this host */
      return;
    }
  if (w->http)
    {
      if (!world_http_server_receive (w, p))
        world_host_rst (w, p, "server", w->wan, LINK_SIDE_B);
      return;
    }
  /* Fast path: the flow the packet came from usually owns its 4-tuple.
   * Keys are unique in the demux, so a match there is the match; only a
   * miss (a pickup on another port, a port reused by another flow) needs
   * the table. */
  rkey = flow_key_reverse (p->key);
  f = p->flow < w->n_flows ? &w->flows[p->flow] : NULL;
  if (f == NULL || !(f->flags & FLOW_SOCK_S) || !flow_key_equal (world_server_key (f), &rkey))
    {
      guint32 id = flow_table_lookup (&w->server_demux, &rkey, world_demux_key, w);
      f = id != FLOW_TABLE_NONE ? &w->flows[id] : NULL;
    }
  if (f != NULL)
    {
      if (world_tracing (w, p->flow))
        world_trace_packet (w, "server", "recv", p);
      world_count_probe_answer (w, &f->conn[WORLD_SERVER], p);
      tcp_conn_receive (&f->conn[WORLD_SERVER], p);
      return;
    }
  if (!world_server_accept (w, p))
    world_host_rst (w, p, "server", w->wan, LINK_SIDE_B);
}

/* ---------------------------------------------------------------- NAT */

/* Where @p's flow keeps its entry hint for box @b, or NULL.  For the
 * first box, in the socket that sent @p (the client's from the inside,
 * the server's from the outside): its line was just written by that
 * send, where the flow record's last line may be cold (a keep-alive probe
 * or an ACK touches no application state). */
static inline guint32 *
world_nat_hint (const WorldBox *b, const Packet *p, gboolean inside)
{
  World *w = b->world;

  if (p->flow >= w->n_flows)
    return NULL;
  Flow *f = &w->flows[p->flow];
  if (b->index == 0)
    return &f->conn[inside ? WORLD_CLIENT : WORLD_SERVER].user;
  if (b->index <= WORLD_HINTED_BOXES)
    return &f->nat_hint[b->index - 1];
  return NULL;
}

static void
world_nat_pass (WorldBox *b, Packet *p, gboolean inside)
{
  guint32 *hint = world_nat_hint (b, p, inside);

  if (inside)
    nat_from_inside_hinted (b->nat, p, hint);
  else
    nat_from_outside_hinted (b->nat, p, hint);
}

/* Hands @p to box @b; when tracing, says whether the box dropped it (the
 * NatOps have no drop callback, so compare its counters). */
static void
world_nat_receive (WorldBox *b, Packet *p, gboolean inside)
{
  World *w = b->world;
  guint64 flow = p->flow;
  const char *where = w->cfg.n_boxes > 0 ? nat_name (b->nat) : "nat";
  NatStats before;

  if (!world_tracing (w, flow))
    {
      world_nat_pass (b, p, inside);
      return;
    }
  world_trace_packet (w, where, inside ? "recv from inside" : "recv from outside", p);
  before = *nat_stats (b->nat);
  world_nat_pass (b, p, inside);
  if (nat_stats (b->nat)->dropped_invalid > before.dropped_invalid)
    world_trace (w, flow, where, "drops it: invalid (no entry)");
  else if (nat_stats (b->nat)->dropped_unsolicited > before.dropped_unsolicited)
    world_trace (w, flow, where, "drops it: unsolicited inbound (no entry)");
}

/* Stage 1 fetches the line holding the hint (world_nat_hint: often still
 * in cache from the send), stage 2 reads it and fetches the entry it
 * names. */
static void
world_nat_prefetch (WorldBox *b, const Packet *p, gboolean inside, int stage)
{
  const guint32 *hint = world_nat_hint (b, p, inside);

  if (hint != NULL && stage == 1)
    __builtin_prefetch (hint);
  else
    nat_prefetch_hinted (b->nat, p, inside, hint != NULL ? *hint : NAT_HINT_NONE, stage);
}

void
world_nat_inside_prefetch (void *node, const Packet *p, int stage)
{
  world_nat_prefetch (node, p, TRUE, stage);
}

void
world_nat_outside_prefetch (void *node, const Packet *p, int stage)
{
  world_nat_prefetch (node, p, FALSE, stage);
}

void
world_nat_inside_receive (void *node, Packet *p, LinkSide at)
{
  world_nat_receive (node, p, TRUE);
}

void
world_nat_outside_receive (void *node, Packet *p, LinkSide at)
{
  world_nat_receive (node, p, FALSE);
}

void
world_nat_to_inside (void *owner, NatBox *nat, Packet *p)
{
  WorldBox *b = owner;

  link_send (b->in, LINK_SIDE_B, p);
}

void
world_nat_to_outside (void *owner, NatBox *nat, Packet *p)
{
  WorldBox *b = owner;

  link_send (b->out, LINK_SIDE_A, p);
}

/* ---------------------------------------------------------------- app */

/* The World behind a socket: the owner pointer we gave tcp_env_init.
 * tcp.h keeps the field public for embedding; we only read back our own
 * value, because a one-shot event carries a single pointer. */
static inline World *
world_of_conn (TcpConn *c)
{
  return tcp_conn_owner (c);
}

static AppSide *
world_app_side (void *owner, TcpConn *c)
{
  int side;
  Flow *f = world_flow_of (owner, c, &side);

  return &f->app[side];
}

/* One-shot app events carry the socket with the action in its low bits
 * (a TcpConn is at least 8-byte aligned). */
static void
world_on_app_event (Sim *sim, void *data)
{
  uintptr_t v = (uintptr_t) data;
  TcpConn *c = (TcpConn *) (v & ~(uintptr_t) 3);

  app_fire (world_of_conn (c)->app, c, (AppAction) (v & 3));
}

/* The engine's hint before an app event: stage 1 fetches the socket (two
 * lines, its alarm first), stage 2 its app side, found through the
 * socket's owner, which stage 1 fetched. */
static void
world_app_prefetch (void *data, int stage)
{
  const TcpConn *c = (const TcpConn *) ((uintptr_t) data & ~(uintptr_t) 3);

  if (stage == 1)
    {
      world_prefetch_conn (c);
      return;
    }
  int side;
  const Flow *f = world_flow_of (tcp_conn_owner (c), c, &side);
  __builtin_prefetch (&f->app[side], 1);
}

static void
world_app_schedule (void *owner, TcpConn *c, SimTime when, AppAction action)
{
  World *w = owner;

  G_STATIC_ASSERT (G_ALIGNOF (TcpConn) >= 4);
  g_assert ((action & ~3) == 0);
  sim_schedule_hinted (w->sim, when, world_on_app_event,
                       (void *) ((uintptr_t) c | (uintptr_t) action), NULL,
                       world_app_prefetch);
}

static void
world_app_on_pipe (void *owner, TcpConn *c, SimTime at)
{
  World *w = owner;
  int side;
  Flow *f = world_flow_of (w, c, &side);

  world_trace (w, world_flow_index (w, f), side == WORLD_CLIENT ? "client" : "server",
               "app write fails with EPIPE: the socket is dead");
}

static void
world_app_on_send (void *owner, TcpConn *c, guint32 bytes, gboolean response)
{
  World *w = owner;
  int side;
  Flow *f = world_flow_of (w, c, &side);

  world_trace (w, world_flow_index (w, f), side == WORLD_CLIENT ? "client" : "server",
               "app writes %u bytes (%s)", bytes, response ? "response" : "request");
}

const AppOps world_app_ops = {
  .side = world_app_side, .schedule = world_app_schedule,
  .on_pipe = world_app_on_pipe, .on_send = world_app_on_send,
};
