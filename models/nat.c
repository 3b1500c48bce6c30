/* models/nat.c — a NAT / stateful firewall box: the packet path and the
 * per-entry TCP state machine (SEMANTICS.md S19–S28, S32).
 *
 * Modelled on Linux conntrack + nf_nat as measured through an nftables
 * masquerade (PROFILES.md §5a) and generalised by per-box switches for
 * other boxes (PROFILES.md §7): an entry per 5-tuple, created by an
 * outbound SYN (or an inbound SYN to a port forward), or picked up from a
 * mid-stream outbound segment when `loose` is on (S23); TCP states folded
 * onto five timeout classes; the S19 clamps; refresh by every accepted
 * packet or only some (S20); and what happens to packets that find no
 * entry (S23–S27, the decision table of SEMANTICS.md §3).
 *
 * Left out, on purpose: TCP window tracking (conntrack's tcp_in_window;
 * with be_liberal = 0 it would mark out-of-window segments INVALID, but the
 * keep-alive probes we care about, seq = snd_una - 1, pass it anyway, S20),
 * the zero-window clamp, conntrack's "do not renew a SYN_SENT entry on SYN
 * retransmission" (S20 says every accepted packet refreshes), ICMP, UDP,
 * hairpinning and helpers.  Entries and expiry live in nat_table.c,
 * address and port choice in nat_ports.c.
 *
 * Directions: an entry's initiator is inside (outbound SYN or pickup) or
 * outside (port forward); "reply" means a packet against the initiator,
 * as conntrack's IPS_SEEN_REPLY.
 */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "models/defaults.h"
#include "models/nat_private.h"

void
nat_config_init_defaults (NatConfig *cfg)
{
  g_return_if_fail (cfg != NULL);
  *cfg = (NatConfig) {
    .mode = NAT_MODE_NAPT,
    .established_timeout = NAT_DEFAULT_ESTABLISHED_TIMEOUT,
    .transitory_timeout = NAT_DEFAULT_TRANSITORY_TIMEOUT,
    .close_timeout = NAT_DEFAULT_CLOSE_TIMEOUT,
    .time_wait_timeout = NAT_DEFAULT_TIME_WAIT_TIMEOUT,
    .clamp_timeout = NAT_DEFAULT_CLAMP_TIMEOUT,
    .loose = NAT_DEFAULT_LOOSE,
    .port_mode = NAT_PORT_PRESERVE,
    .port_lo = NAT_DEFAULT_PORT_LO,
    .port_hi = NAT_DEFAULT_PORT_HI,
    .public_ip = WORLD_PUBLIC_IP,
    .public_ips = NAT_DEFAULT_PUBLIC_IPS,
    .max_mappings = 0,
    .on_expiry = NAT_EXPIRY_SILENT,
    .unsolicited_inbound = NAT_UNSOL_DROP,
    .invalid = NAT_INVALID_DROP,
    .refresh = NAT_REFRESH_ANY,
    .forwards = NULL,
    .n_forwards = 0,
    .probe_interval = NAT_DEFAULT_PROBE_INTERVAL,
    .probe_count = NAT_DEFAULT_PROBE_COUNT,
    .inside_base = WORLD_CLIENT_NET + 2,   /* the world's first client host */
  };
}

NatBox *
nat_new (Sim *sim, PacketPool *pool, const char *name, const NatConfig *cfg,
         const SimRng *rng, const NatOps *ops, void *owner)
{
  NatBox *nat;

  g_return_val_if_fail (sim != NULL && pool != NULL && cfg != NULL, NULL);
  g_return_val_if_fail (cfg->established_timeout > 0 && cfg->transitory_timeout > 0
                        && cfg->close_timeout > 0 && cfg->time_wait_timeout > 0
                        && cfg->clamp_timeout >= 0, NULL);
  g_return_val_if_fail (cfg->port_lo > 0 && cfg->port_lo <= cfg->port_hi, NULL);
  g_return_val_if_fail (cfg->mode == NAT_MODE_NONE || cfg->public_ips > 0, NULL);
  g_return_val_if_fail (cfg->on_expiry != NAT_EXPIRY_PROBE || cfg->probe_count == 0
                        || cfg->probe_interval > 0, NULL);
  g_return_val_if_fail (cfg->n_forwards == 0 || cfg->forwards != NULL, NULL);

  nat = g_new0 (NatBox, 1);
  nat->sim = sim;
  nat->pool = pool;
  nat->name = g_strdup (name != NULL ? name : "nat");
  nat->cfg = *cfg;
  /* Our own copy of the forwards: the caller's array may go away. */
  nat->cfg.forwards = NULL;
  if (cfg->n_forwards > 0)
    {
      NatForward *fw = g_new (NatForward, cfg->n_forwards);
      memcpy (fw, cfg->forwards, cfg->n_forwards * sizeof *fw);
      nat->cfg.forwards = fw;
    }
  if (ops != NULL)
    nat->ops = *ops;
  nat->owner = owner;
  if (rng != NULL)
    nat->rng = *rng;
  else
    {
      /* A fixed stream, so a caller without one still gets repeatable runs. */
      g_autofree char *stream = g_strdup_printf ("nat:%s:ports", nat->name);
      sim_rng_init (&nat->rng, 0, 0, 0, stream);
    }
  nat_table_init (nat);
  nat_ports_init (nat);
  return nat;
}

void
nat_free (NatBox *nat)
{
  if (nat == NULL)
    return;
  nat_table_clear (nat);
  nat_ports_clear (nat);
  g_free ((NatForward *) nat->cfg.forwards);
  g_free (nat->name);
  g_free (nat);
}

const char *
nat_name (const NatBox *nat)
{
  g_return_val_if_fail (nat != NULL, NULL);
  return nat->name;
}

/* S20 refresh = any | outbound | data. */
static gboolean
nat_refreshes (const NatBox *nat, guint dir, const Packet *p)
{
  switch (nat->cfg.refresh)
    {
    case NAT_REFRESH_OUTBOUND: return dir == NAT_DIR_OUT;
    case NAT_REFRESH_DATA:     return p->len > 0;
    case NAT_REFRESH_ANY:
    default:                   return TRUE;
    }
}

/* Sequence tracking for the S19 clamps and the S28 forged segments: each
 * direction's highest seq + seq_len (its snd_nxt) and highest ack, and
 * conntrack's retransmission detector, which counts ACK-only-flag segments
 * identical to the previous one in direction, seq, ack, end and window. */
static void
nat_track_seq (NatEntry *e, guint dir, const Packet *p)
{
  guint32 end = p->seq + packet_seq_len (p);
  guint16 end_ok = NAT_E_END_OK0 << dir, ack_ok = NAT_E_ACK_OK0 << dir;
  gboolean in = dir == NAT_DIR_IN;

  if (!(e->bits & end_ok) || seq_gt (end, e->end[dir]))
    {
      e->end[dir] = end;
      e->bits |= end_ok;
    }
  if (p->flags & TCP_ACK && (!(e->bits & ack_ok) || seq_gt (p->ack, e->ack[dir])))
    {
      e->ack[dir] = p->ack;
      e->bits |= ack_ok;
    }

  if ((p->flags & (TCP_SYN | TCP_FIN | TCP_RST | TCP_ACK)) != TCP_ACK)
    return;
  if ((e->bits & NAT_E_LAST_OK) && ((e->bits & NAT_E_LAST_IN) != 0) == in
      && e->last_seq == p->seq && e->last_ack == p->ack && e->last_end == end
      && e->last_win == p->window)
    {
      if (e->retrans < G_MAXUINT8)
        e->retrans++;
      return;
    }
  e->bits |= NAT_E_LAST_OK;
  e->bits = in ? (e->bits | NAT_E_LAST_IN) : (e->bits & ~NAT_E_LAST_IN);
  e->last_seq = p->seq;
  e->last_ack = p->ack;
  e->last_end = end;
  e->last_win = p->window;
  e->retrans = 0;
}

typedef enum {
  NAT_PASS = 0,     /* translate and forward */
  NAT_CONSUME,      /* an answer to the box's own probe: goes no further */
  NAT_PASS_KILL,    /* forward, but the entry dies first (S27) */
} NatVerdict;

/* A packet accepted for entry @id (@e) travelling @dir: state machine and
 * refresh. */
static NatVerdict
nat_entry_track (NatBox *nat, NatEntry *e, guint32 id, guint dir, const Packet *p)
{
  guint init = (e->bits & NAT_E_INIT_IN) ? NAT_DIR_IN : NAT_DIR_OUT;
  guint8 f = p->flags, old = e->state;
  gboolean consume = FALSE;

  if (e->bits & NAT_E_PROBING)
    {
      /* Dead connection detection: any packet from an end counts as its
       * answer.  The duplicate ACK answering our probe (S4: seq = its
       * snd_nxt, ack = its rcv_nxt) was asked for by the box, so it stops
       * here instead of resetting the other end's idle clock (S2). */
      e->bits |= NAT_E_ANS0 << dir;
      consume = (f & (TCP_SYN | TCP_FIN | TCP_RST | TCP_ACK)) == TCP_ACK
                && p->len == 0 && p->seq == e->end[dir] && p->ack == e->end[1 - dir];
    }

  if (consume)
    ;                     /* the box's own business: no tracking */
  else if (f & TCP_RST)
    {
      /* S27: a RST before any reply kills the entry at once (conntrack
       * does so for a RST either way while IPS_SEEN_REPLY is unset); after
       * a reply it moves the entry to CLOSE (S19). */
      if (!(e->bits & NAT_E_REPLIED))
        return NAT_PASS_KILL;
      e->state = NAT_TCP_CLOSE;
    }
  else
    {
      nat_track_seq (e, dir, p);
      if (dir != init)
        e->bits |= NAT_E_REPLIED;
      if (f & TCP_FIN)
        {
          e->bits |= NAT_E_FIN0 << dir;
          if (e->state == NAT_TCP_CLOSE)
            ;
          else if ((e->bits & NAT_E_FIN0) && (e->bits & NAT_E_FIN1))
            e->state = NAT_TCP_TIME_WAIT;
          else if (e->state < NAT_TCP_FIN_WAIT)
            e->state = NAT_TCP_FIN_WAIT;
        }
      else if (f & TCP_SYN)
        {
          if ((f & TCP_ACK) && dir != init && e->state == NAT_TCP_SYN_SENT)
            e->state = NAT_TCP_SYN_RECV;
        }
      else if ((f & TCP_ACK) && dir == init && e->state == NAT_TCP_SYN_RECV)
        e->state = NAT_TCP_ESTABLISHED;
    }

  if (e->bits & NAT_E_PROBING)
    {
      /* Both ends alive (or the connection moved on): refreshed and kept.
       * Anything less refreshes nothing; the probe schedule decides. */
      if (((e->bits & NAT_E_ANS0) && (e->bits & NAT_E_ANS1)) || e->state != old)
        nat_entry_touch (nat, e, id);
    }
  else if (e->state != old || nat_refreshes (nat, dir, p))
    {
      /* S20.  A state change always starts the new state's timeout, as
       * conntrack sets it on every transition; the refresh switch only
       * decides for packets that leave the state as it was. */
      nat_entry_touch (nat, e, id);
    }
  return consume ? NAT_CONSUME : NAT_PASS;
}

/* conntrack reopens a connection in TIME_WAIT or CLOSE when the initiator
 * sends a new SYN on the same tuple: the old entry is killed and a fresh
 * one made (and a fresh port chosen). */
static gboolean
nat_syn_reopens (const NatEntry *e, guint dir, const Packet *p)
{
  guint init = (e->bits & NAT_E_INIT_IN) ? NAT_DIR_IN : NAT_DIR_OUT;

  return (p->flags & (TCP_SYN | TCP_ACK | TCP_RST | TCP_FIN)) == TCP_SYN
      && dir == init
      && (e->state == NAT_TCP_TIME_WAIT || e->state == NAT_TCP_CLOSE);
}

static gboolean
nat_table_full (const NatBox *nat)
{
  return nat->cfg.max_mappings > 0 && nat_live (nat) >= nat->cfg.max_mappings;
}

/* A new outbound entry (SYN, or pickup per S23), or NULL if refused. */
static NatEntry *
nat_open (NatBox *nat, const Packet *p, gboolean pickup)
{
  guint32 ip;
  guint16 port;

  if (nat_table_full (nat) || !nat_ports_choose (nat, &p->key, TRUE, &ip, &port))
    return NULL;
  return nat_entry_new (nat, &p->key, ip, port, FALSE, pickup,
                        pickup ? NAT_TCP_ESTABLISHED : NAT_TCP_SYN_SENT, p->flow);
}

static const NatForward *
nat_forward_for (const NatBox *nat, const FlowKey *k)
{
  for (guint i = 0; i < nat->cfg.n_forwards; i++)
    if (nat->cfg.forwards[i].public_ip == k->dst_ip
        && nat->cfg.forwards[i].public_port == k->dst_port)
      return &nat->cfg.forwards[i];
  return NULL;
}

/* An inbound SYN to a port forward: an entry towards the inside host. */
static NatEntry *
nat_open_forward (NatBox *nat, const Packet *p, const NatForward *fw)
{
  FlowKey inside = { fw->inside_ip, p->key.src_ip, fw->inside_port, p->key.src_port };

  if (nat_table_full (nat) || nat_find_inside (nat, &inside) != NULL)
    return NULL;
  return nat_entry_new (nat, &inside, fw->public_ip, fw->public_port, TRUE, FALSE,
                        NAT_TCP_SYN_SENT, p->flow);
}

static void
nat_refuse (NatBox *nat, Packet *p)
{
  nat->stats.refused++;
  if (nat->ops.on_refused != NULL)
    nat->ops.on_refused (nat->owner, nat, p);
  packet_free (nat->pool, p);
}

/* S24, S25: an outbound packet conntrack calls INVALID. */
static void
nat_invalid (NatBox *nat, Packet *p)
{
  Packet *rst;

  nat->stats.dropped_invalid++;
  switch (nat->cfg.invalid)
    {
    case NAT_INVALID_FORWARD:
      /* Leaks out untranslated, private source address and all; nothing
       * can answer it. */
      nat_send (nat, p, NAT_DIR_OUT);
      return;
    case NAT_INVALID_RST:
      /* AWS NAT Gateway: RST back to the inside sender, built as a stack
       * without a socket would (S18): seq = the packet's ack. */
      rst = packet_new_rst_reply (nat->pool, p);
      if (rst != NULL)
        {
          rst->origin = PACKET_ORIGIN_NAT;
          nat->stats.rst_sent++;
          nat_send (nat, rst, NAT_DIR_IN);
        }
      break;
    case NAT_INVALID_DROP:
    default:
      break;
    }
  packet_free (nat->pool, p);
}

/* S26: inbound with no entry is addressed to the box itself. */
static void
nat_unsolicited (NatBox *nat, Packet *p)
{
  Packet *rst;

  nat->stats.dropped_unsolicited++;
  if (nat->cfg.unsolicited_inbound == NAT_UNSOL_RST
      && (rst = packet_new_rst_reply (nat->pool, p)) != NULL)
    {
      /* The box's own stack, no socket on that port (S18 format).  No
       * entry is made for it (S27). */
      rst->origin = PACKET_ORIGIN_NAT;
      nat->stats.rst_sent++;
      nat_send (nat, rst, NAT_DIR_OUT);
    }
  packet_free (nat->pool, p);
}

void
nat_from_inside (NatBox *nat, Packet *p)
{
  nat_from_inside_hinted (nat, p, NULL);
}

void
nat_from_inside_hinted (NatBox *nat, Packet *p, guint32 *hint)
{
  NatEntry *e;
  guint32 id;
  NatVerdict v;
  guint8 f;

  g_return_if_fail (nat != NULL && p != NULL);
  f = p->flags & (TCP_SYN | TCP_ACK | TCP_RST | TCP_FIN);
  id = hint != NULL ? *hint : NAT_HINT_NONE;
  e = nat_find_hinted (nat, &p->key, NAT_DIR_OUT, &id);
  if (e != NULL && nat_syn_reopens (e, NAT_DIR_OUT, p))
    {
      nat_entry_end (nat, e, sim_now (nat->sim), nat_entry_end_reason (e));
      e = NULL;
    }
  if (e == NULL)
    {
      if (f == TCP_SYN)
        e = nat_open (nat, p, FALSE);
      else if (f == TCP_ACK && nat->cfg.loose)
        e = nat_open (nat, p, TRUE);      /* S23 pickup */
      else
        {
          nat_invalid (nat, p);           /* S24 (loose off), S25 (FIN, RST) */
          return;
        }
      if (e == NULL)
        {
          nat_refuse (nat, p);
          return;
        }
      id = nat_entry_id (nat, e);         /* the old tail's next: in cache */
    }
  if (hint != NULL)
    *hint = id;

  v = nat_entry_track (nat, e, id, NAT_DIR_OUT, p);
  if (v == NAT_CONSUME)
    {
      packet_free (nat->pool, p);
      return;
    }
  p->key.src_ip = e->reply.dst_ip;
  p->key.src_port = e->reply.dst_port;
  if (v == NAT_PASS_KILL)
    nat_entry_end (nat, e, sim_now (nat->sim), NAT_END_RST);
  nat->stats.translated_out++;
  nat_send (nat, p, NAT_DIR_OUT);
}

void
nat_from_outside (NatBox *nat, Packet *p)
{
  nat_from_outside_hinted (nat, p, NULL);
}

void
nat_from_outside_hinted (NatBox *nat, Packet *p, guint32 *hint)
{
  const NatForward *fw;
  NatEntry *e;
  guint32 id;
  NatVerdict v;

  g_return_if_fail (nat != NULL && p != NULL);
  id = hint != NULL ? *hint : NAT_HINT_NONE;
  e = nat_find_hinted (nat, &p->key, NAT_DIR_IN, &id);
  if (e != NULL && nat_syn_reopens (e, NAT_DIR_IN, p))
    {
      nat_entry_end (nat, e, sim_now (nat->sim), nat_entry_end_reason (e));
      e = NULL;
    }
  if (e == NULL)
    {
      fw = (p->flags & (TCP_SYN | TCP_ACK | TCP_RST | TCP_FIN)) == TCP_SYN
           ? nat_forward_for (nat, &p->key) : NULL;
      if (fw == NULL)
        {
          nat_unsolicited (nat, p);       /* S26 */
          return;
        }
      if ((e = nat_open_forward (nat, p, fw)) == NULL)
        {
          nat_refuse (nat, p);
          return;
        }
      id = nat_entry_id (nat, e);
    }
  if (hint != NULL)
    *hint = id;

  v = nat_entry_track (nat, e, id, NAT_DIR_IN, p);
  if (v == NAT_CONSUME)
    {
      packet_free (nat->pool, p);
      return;
    }
  p->key.dst_ip = e->inside.src_ip;
  p->key.dst_port = e->inside.src_port;
  if (v == NAT_PASS_KILL)
    nat_entry_end (nat, e, sim_now (nat->sim), NAT_END_RST);   /* S27 */
  nat->stats.translated_in++;
  nat_send (nat, p, NAT_DIR_IN);
}

const NatMapping *
nat_lookup_inside (NatBox *nat, const FlowKey *inside)
{
  NatEntry *e;

  g_return_val_if_fail (nat != NULL && inside != NULL, NULL);
  e = nat_find_inside (nat, inside);
  if (e == NULL)
    return NULL;
  nat_entry_view (nat, e, &nat->view);
  return &nat->view;
}

/* The oracle: an existing live entry answers with its own port; otherwise
 * what nat_from_inside would pick for a mid-stream segment now.  Reads
 * only: expired entries are judged by the predicate, never reaped, and
 * random choices come from a copy of the RNG. */
guint16
nat_pickup_port (NatBox *nat, const FlowKey *inside)
{
  NatEntry *e;
  guint32 ip;
  guint16 port;

  g_return_val_if_fail (nat != NULL && inside != NULL, 0);
  e = nat_peek_inside (nat, inside);
  if (e != NULL && !nat_entry_gone_at (nat, e, sim_now (nat->sim)))
    return e->reply.dst_port;
  if (!nat->cfg.loose || nat_table_full (nat)
      || !nat_ports_choose (nat, inside, FALSE, &ip, &port))
    return 0;
  return port;
}

gsize
nat_mappings (const NatBox *nat)
{
  g_return_val_if_fail (nat != NULL, 0);
  return nat_live (nat);
}

gsize
nat_peak_mappings (const NatBox *nat)
{
  g_return_val_if_fail (nat != NULL, 0);
  return nat->peak;
}

const NatStats *
nat_stats (const NatBox *nat)
{
  g_return_val_if_fail (nat != NULL, NULL);
  return &nat->stats;
}
