/* models/world_outcome.c — what became of each connection (SEMANTICS.md §6).
 *
 * Outcomes that an event decides (timeout, reset, closed, refused) are
 * recorded when the event happens, and the first one a side gets is final:
 * a later error on the same side (a FIN retransmitted into a dead NAT after
 * end of file, say) changes nothing the application had not already seen.
 * alive and stale are left to the end-of-run oracle (world_decide), which
 * inspects sockets, links and the NAT table without sending anything.
 *
 * broken_at comes from the NAT's own reports: NatOps.on_end gives the
 * exact end of a mapping (last_seen + T for an expiry, never the time the
 * box noticed, S22), on_new a loose pickup's public port, on_refused a
 * refused SYN.  A break counts only while one side still held its socket
 * at that instant: a mapping that outlives both endpoints broke nothing.
 */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "models/defaults.h"
#include "models/world_private.h"

/* Flow.broken_by and Flow.broken_box share one byte. */
G_STATIC_ASSERT (WORLD_BREAK_REFUSED < 16 && WORLD_MAX_BOXES <= 16);

static const char *const outcome_names[WORLD_N_OUTCOMES] = {
  "-", "alive", "timeout", "reset", "closed", "stale", "refused"
};

static const char *const cause_names[WORLD_CAUSE_N] = {
  NULL, "keepalive", "rto", "uto", "syn", "rst-peer", "rst-nat", "rst-middlebox",
  "fin", "restart"
};

const char *
world_outcome_name (WorldOutcome o)
{
  g_return_val_if_fail (o < WORLD_N_OUTCOMES, "?");
  return outcome_names[o];
}

const char *
world_cause_name (WorldCause c)
{
  g_return_val_if_fail (c < WORLD_CAUSE_N, NULL);
  return cause_names[c];
}

const char *
world_break_name (WorldBreak b)
{
  switch (b)
    {
    case WORLD_BREAK_EXPIRY:      return "nat expiry";
    case WORLD_BREAK_REBOOT:      return "nat reboot";
    case WORLD_BREAK_PICKUP_PORT: return "pickup with a new port";
    case WORLD_BREAK_REFUSED:     return "nat refused";
    case WORLD_BREAK_NONE:
    default:                      return "-";
    }
}

void
world_side_ends (World *w, Flow *f, int side, WorldOutcome o, WorldCause cause,
                 SimTime at)
{
  static const char *const who[2] = { "client", "server" };

  if (f->outcome[side] != WORLD_NONE)
    return;
  f->outcome[side] = o;
  f->cause[side] = cause;
  /* §6: refused sides never learned anything. */
  f->learned_at[side] = o == WORLD_REFUSED ? SIM_TIME_NEVER : at;
  world_trace (w, world_flow_index (w, f), who[side], "learns: %s (%s)",
               outcome_names[o], cause_names[cause] != NULL ? cause_names[cause] : "-");
}

/* Did @side hold a socket at @at (or was it still connecting)? */
static gboolean
world_side_in_play (const Flow *f, int side, SimTime at)
{
  if (f->outcome[side] != WORLD_NONE)
    return f->learned_at[side] > at || f->outcome[side] == WORLD_REFUSED;
  return (f->flags & (side == WORLD_CLIENT ? FLOW_SOCK_C : FLOW_SOCK_S)) != 0;
}

void
world_mark_broken (World *w, Flow *f, SimTime at, WorldBreak why, guint box)
{
  if (!world_side_in_play (f, WORLD_CLIENT, at)
      && !world_side_in_play (f, WORLD_SERVER, at))
    return;
  if (f->broken_at != SIM_TIME_NEVER && f->broken_at <= at)
    return;
  f->broken_at = at;
  f->broken_by = why;
  f->broken_box = box;
}

static inline gpointer
world_box_key (guint32 ip, guint16 port)
{
  return GSIZE_TO_POINTER (((gsize) ip << 16) | port);
}

/* The flow whose packets reach box @b from @ip:@port (its inside side):
 * the client host for the first box, the previous box's public address
 * for the others (recorded when that box made the mapping). */
Flow *
world_box_flow (const WorldBox *b, guint32 ip, guint16 port)
{
  gpointer v;

  if (b->index == 0)
    return world_flow_at (b->world, ip, port);
  v = g_hash_table_lookup (b->inside, world_box_key (ip, port));
  return v != NULL ? &b->world->flows[GPOINTER_TO_SIZE (v) - 1] : NULL;
}

/* ------------------------------------------------------------ NatOps */

static void
world_nat_on_new (void *owner, NatBox *nat, const NatMapping *m)
{
  WorldBox *b = owner;
  World *w = b->world;
  Flow *f = world_box_flow (b, m->inside.src_ip, m->inside.src_port);
  const char *where = w->cfg.n_boxes > 0 ? nat_name (nat) : "nat";
  char pub[16];

  if (f == NULL)
    return;
  world_trace (w, world_flow_index (w, f), where, "mapping created%s: public %s:%u",
               m->picked_up ? " by loose pickup" : "",
               ip_format (m->public_ip, pub, sizeof pub), m->public_port);
  if (b->index + 1 < w->n_boxes)
    {
      /* The next box sees this flow from this public address.  An inner
       * pickup on a new port shows up at the next box as a new tuple. */
      g_hash_table_insert (w->boxes[b->index + 1].inside,
                           world_box_key (m->public_ip, m->public_port),
                           GSIZE_TO_POINTER (world_flow_index (w, f) + 1));
      return;
    }
  /* S23: a pickup on another public port is a new 4-tuple to the server. */
  if (m->picked_up && (f->flags & FLOW_SEEN)
      && (m->public_ip != world_flow_server_key (w, f)->dst_ip
          || m->public_port != world_flow_server_key (w, f)->dst_port))
    world_mark_broken (w, f, sim_now (w->sim), WORLD_BREAK_PICKUP_PORT, b->index);
}

static void
world_nat_on_end (void *owner, NatBox *nat, const NatMapping *m, SimTime at,
                  NatEndReason why)
{
  static const char *const reasons[] = { "expired", "wiped by reboot",
                                         "deleted after RST", "closed" };
  WorldBox *b = owner;
  World *w = b->world;
  Flow *f = world_box_flow (b, m->inside.src_ip, m->inside.src_port);
  char t[32], seen[32];

  if (f == NULL)
    return;
  world_trace (w, world_flow_index (w, f), w->cfg.n_boxes > 0 ? nat_name (nat) : "nat",
               "mapping %s at %s (last seen %s)",
               why <= NAT_END_CLOSED ? reasons[why] : "ended",
               sim_time_format_s6 (at, t, sizeof t),
               sim_time_format_s6 (m->last_seen, seen, sizeof seen));
  /* An RST or an orderly close ended the connection before the entry;
   * only an expiry or a wipe is the middlebox breaking a path. */
  if (why == NAT_END_EXPIRED)
    world_mark_broken (w, f, at, WORLD_BREAK_EXPIRY, b->index);
  else if (why == NAT_END_REBOOT)
    world_mark_broken (w, f, at, WORLD_BREAK_REBOOT, b->index);
}

static void
world_nat_on_refused (void *owner, NatBox *nat, const Packet *p)
{
  WorldBox *b = owner;
  World *w = b->world;
  Flow *f = world_box_flow (b, p->key.src_ip, p->key.src_port);

  if (f == NULL)
    return;
  f->flags |= FLOW_REFUSED;
  world_trace (w, world_flow_index (w, f), w->cfg.n_boxes > 0 ? nat_name (nat) : "nat",
               "refuses a new mapping (table full or no free port)");
  world_mark_broken (w, f, sim_now (w->sim), WORLD_BREAK_REFUSED, b->index);
}

const NatOps world_nat_ops = {
  .to_inside = world_nat_to_inside, .to_outside = world_nat_to_outside,
  .on_new = world_nat_on_new, .on_end = world_nat_on_end,
  .on_refused = world_nat_on_refused,
};

/* ------------------------------------------------------------ oracle */

/* The boxes' current answer for the client's 4-tuple ends at the public
 * address the server socket knows, now or after loose pickups: walked box
 * by box, each box's public ip:port being the next box's inside source. */
static gboolean
world_path_keeps_tuple (World *w, const Flow *f, gboolean pickup_ok)
{
  FlowKey key = world_client_key (w, f);
  const FlowKey *sk;

  if (!link_is_up (w->lan) || !link_is_up (w->wan) || !(f->flags & FLOW_SEEN))
    return FALSE;
  sk = world_flow_server_key (w, f);
  for (guint b = 0; b < w->n_boxes; b++)
    {
      NatBox *nat = w->boxes[b].nat;
      gboolean last = b + 1 == w->n_boxes;
      const NatMapping *m = nat_lookup_inside (nat, &key);
      guint16 port;

      if (m != NULL)
        {
          if (last)
            return m->public_ip == sk->dst_ip && m->public_port == sk->dst_port;
          key.src_ip = m->public_ip;
          key.src_port = m->public_port;
          continue;
        }
      /* No entry: only an outbound mid-stream segment can create one
       * (S23); an inbound one never does (S26). */
      if (!pickup_ok || (port = nat_pickup_port (nat, &key)) == 0)
        return FALSE;
      if (last)
        return port == sk->dst_port;
      /* An inner pickup: the box's first public address (exact with
       * public_ips = 1, the inner boxes' default). */
      key.src_ip = w->cfg.box[b].public_ip;
      key.src_port = port;
    }
  return FALSE;
}

static WorldOutcome
world_oracle (World *w, Flow *f, int side)
{
  const TcpConn *me = world_side_conn (w, f, side), *peer = world_side_conn (w, f, !side);
  guint8 peer_sock = side == WORLD_CLIENT ? FLOW_SOCK_S : FLOW_SOCK_C;

  if (side == WORLD_CLIENT && !(f->flags & FLOW_CONNECTED))
    return (f->flags & FLOW_REFUSED) ? WORLD_REFUSED : WORLD_STALE;
  if (side == WORLD_SERVER && !(f->flags & FLOW_SOCK_S))
    return (f->flags & FLOW_REFUSED) ? WORLD_REFUSED : WORLD_NONE;
  if (me == NULL || !tcp_conn_is_open (me))
    return WORLD_STALE;
  if (!(f->flags & peer_sock) || peer == NULL || !tcp_conn_is_open (peer))
    return WORLD_STALE;
  return world_path_keeps_tuple (w, f, side == WORLD_CLIENT) ? WORLD_ALIVE : WORLD_STALE;
}

void
world_decide (World *w)
{
  if (w->http)
    world_http_decide (w);
  for (guint64 i = 0; i < w->n_flows; i++)
    {
      Flow *f = &w->flows[i];

      if (!(f->flags & FLOW_OPENED))
        continue;
      for (int side = 0; side < 2; side++)
        if (f->outcome[side] == WORLD_NONE)
          {
            f->outcome[side] = world_oracle (w, f, side);
            f->learned_at[side] = SIM_TIME_NEVER;
          }
    }
}

/* ----------------------------------------------------------- results */

void
world_flow_result (const World *w, guint64 i, WorldFlowResult *out)
{
  const Flow *f;

  g_return_if_fail (w != NULL && i < w->n_flows && out != NULL);

  f = &w->flows[i];
  out->opened_at = (f->flags & FLOW_OPENED) ? f->opened_at : SIM_TIME_NEVER;
  out->broken_at = f->broken_at;
  out->broken_by = f->broken_by;
  out->broken_box = w->cfg.n_boxes > 0 && f->broken_at != SIM_TIME_NEVER
                    ? w->cfg.box_name[f->broken_box] : NULL;
  for (int s = 0; s < 2; s++)
    {
      out->outcome[s] = f->outcome[s];
      out->learned_at[s] = f->learned_at[s];
      out->cause[s] = cause_names[f->cause[s]];
      /* A server socket that never existed sent nothing; its TcpConn is
       * zeroed memory. */
      if (w->http)
        out->probes[s] = w->hflows[i].probes[s];
      else
        out->probes[s] = s == WORLD_CLIENT || (f->flags & FLOW_SEEN)
                         ? tcp_conn_probes_sent (&f->conn[s]) : 0;
    }
  out->public_port = (f->flags & FLOW_SEEN) ? world_flow_server_key (w, f)->dst_port : 0;
  out->requests = out->failed = out->retried = out->connections_opened = 0;
  out->latency_p50 = out->latency_p99 = SIM_TIME_NEVER;
  if (w->http)
    {
      const HttpClient *hc = w->hflows[i].client;
      const HttpClientStats *st = http_client_stats (hc);

      out->requests = st->requests;
      out->failed = st->failed;
      out->retried = st->retried;
      out->connections_opened = st->connections_opened;
      out->latency_p50 = http_client_percentile (hc, 50);
      out->latency_p99 = http_client_percentile (hc, 99);
    }
}

void
world_point_result (const World *w, WorldPointResult *out)
{
  guint64 probes = 0;

  g_return_if_fail (w != NULL && out != NULL);

  memset (out, 0, sizeof *out);
  out->flows = w->n_flows;
  for (guint64 i = 0; i < w->n_flows; i++)
    {
      const Flow *f = &w->flows[i];
      WorldOutcome c = f->outcome[WORLD_CLIENT], s = f->outcome[WORLD_SERVER];

      /* Alive only when both ends are; otherwise the client's view first,
       * since that is the end the user asked about. */
      if (c == WORLD_ALIVE && s == WORLD_ALIVE)
        out->count[WORLD_ALIVE]++;
      else if (c != WORLD_ALIVE)
        out->count[c]++;
      else
        out->count[s]++;
      if (w->http)
        {
          out->probes[WORLD_CLIENT] += w->hflows[i].probes[WORLD_CLIENT];
          out->probes[WORLD_SERVER] += w->hflows[i].probes[WORLD_SERVER];
          continue;
        }
      out->probes[WORLD_CLIENT] += tcp_conn_probes_sent (&f->conn[WORLD_CLIENT]);
      if (f->flags & FLOW_SEEN)
        out->probes[WORLD_SERVER] += tcp_conn_probes_sent (&f->conn[WORLD_SERVER]);
    }
  out->latency_p50 = out->latency_p99 = SIM_TIME_NEVER;
  if (w->http)
    {
      Latencies all;

      latency_init (&all);

      for (guint64 i = 0; i < w->n_flows; i++)
        {
          const HttpClient *hc = w->hflows[i].client;
          const HttpClientStats *st = http_client_stats (hc);

          out->requests += st->requests;
          out->failed += st->failed;
          out->retried += st->retried;
          out->connections_opened += st->connections_opened;
          latency_merge (&all, http_client_latencies (hc));
        }
      /* Sorted in place: no second copy of every sample. */
      latency_sort (&all);
      out->latency_p50 = latency_percentile (&all, 50);
      out->latency_p99 = latency_percentile (&all, 99);
      latency_clear (&all);
    }
  out->count[WORLD_NONE] = 0;          /* never opened: no column */
  probes = out->probes[WORLD_CLIENT] + out->probes[WORLD_SERVER];
  out->keepalive_bytes = (probes + w->probe_answers) * WORLD_HEADER_BYTES;
  /* With a path: the sum of every box's own peak. */
  for (guint b = 0; b < w->n_boxes; b++)
    out->nat_peak_mappings += nat_peak_mappings (w->boxes[b].nat);
  out->events = sim_events (w->sim);
}
