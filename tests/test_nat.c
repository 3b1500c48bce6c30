/* tests/test_nat.c — the NAT / firewall model against SEMANTICS.md S19–S28
 * and S32.
 *
 * Each case builds a Sim, a PacketPool and one NatBox whose ops record
 * every packet the box lets out (time, direction, header fields), every
 * mapping made and every mapping that ended (with the reported `at`).
 * Packets are hand-built and handed to nat_from_inside / nat_from_outside
 * at chosen simulated instants; sim_run_until() moves the clock, so the
 * box timer fires exactly as it would in a run.  Where the order of two
 * same-instant events matters, the packet is scheduled with sim_schedule()
 * before the box timer is (re)armed, so it fires first (FIFO on ties).
 * Expected values are worked out by hand in the comments.
 *
 * Conventions: client 10.0.0.1:40000, server 198.51.100.1:443, public
 * address 203.0.113.1; the client's ISN is 1000, the server's 5000, so
 * after the handshake the client's snd_nxt is 1001 and the server's 5001.
 * The handshake is SYN at t0, SYN-ACK at t0 + 20 ms, ACK at t0 + 40 ms.
 */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "sim/sim.h"
#include "sim/rng.h"
#include "models/defaults.h"
#include "models/packet.h"
#include "models/nat.h"
#include "models/flow_table.h"

#define IP(a, b, c, d) (((guint32) (a) << 24) | ((guint32) (b) << 16) | ((guint32) (c) << 8) | (guint32) (d))

#define CLIENT   IP (10, 0, 0, 1)
#define CPORT    40000
#define SERVER   WORLD_SERVER_IP
#define SPORT    WORLD_SERVER_PORT
#define PUB      WORLD_PUBLIC_IP
#define ISN_C    1000u
#define ISN_S    5000u

enum { TO_IN = 0, TO_OUT = 1 };

typedef struct {
  SimTime t;
  guint   to;          /* TO_IN / TO_OUT */
  Packet  pk;          /* a copy of what left the box */
} Sent;

typedef struct {
  SimTime      now;    /* when on_end ran */
  SimTime      at;     /* what it reported */
  NatEndReason why;
  NatMapping   m;
} Ended;

typedef struct {
  Sim        *sim;
  PacketPool *pool;
  NatConfig   cfg;
  NatForward  fwd[2];
  SimRng      rng;
  NatBox     *nat;
  GArray     *sent;     /* Sent */
  GArray     *ended;    /* Ended */
  GArray     *made;     /* NatMapping, from on_new */
  guint       refused;
} Fx;

/* A flow as the test drives it: the inside 4-tuple and its public side. */
typedef struct {
  FlowKey k;
  guint32 pub_ip;
  guint16 pub_port;
} Flow;

static void
record (Fx *f, guint to, Packet *p)
{
  Sent s = { sim_now (f->sim), to, *p };

  s.pk.next_free = NULL;
  g_array_append_val (f->sent, s);
  packet_free (f->pool, p);
}

static void
on_to_inside (void *owner, NatBox *nat, Packet *p)
{
  record (owner, TO_IN, p);
}

static void
on_to_outside (void *owner, NatBox *nat, Packet *p)
{
  record (owner, TO_OUT, p);
}

static void
on_new (void *owner, NatBox *nat, const NatMapping *m)
{
  Fx *f = owner;

  g_array_append_val (f->made, *m);
}

static void
on_end (void *owner, NatBox *nat, const NatMapping *m, SimTime at, NatEndReason why)
{
  Fx *f = owner;
  Ended e = { sim_now (f->sim), at, why, *m };

  g_array_append_val (f->ended, e);
}

static void
on_refused (void *owner, NatBox *nat, const Packet *p)
{
  Fx *f = owner;

  f->refused++;
}

static const NatOps fx_ops = {
  on_to_inside, on_to_outside, on_new, on_end, on_refused,
};

static void
fx_setup (Fx *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->sim = sim_new (*(const SimSchedKind *) data, &error);
  g_assert_no_error (error);
  f->pool = packet_pool_new ();
  nat_config_init_defaults (&f->cfg);
  sim_rng_init (&f->rng, 1, 0, 0, "nat:test:ports");
  f->nat = NULL;
  f->sent = g_array_new (FALSE, FALSE, sizeof (Sent));
  f->ended = g_array_new (FALSE, FALSE, sizeof (Ended));
  f->made = g_array_new (FALSE, FALSE, sizeof (NatMapping));
  f->refused = 0;
}

static void
fx_teardown (Fx *f, gconstpointer data)
{
  nat_free (f->nat);
  sim_free (f->sim);
  /* Every packet handed to the box came back through the ops or was freed
   * by it: nothing leaks from the pool. */
  g_assert_cmpuint (packet_pool_live (f->pool), ==, 0);
  packet_pool_free (f->pool);
  g_array_unref (f->sent);
  g_array_unref (f->ended);
  g_array_unref (f->made);
}

/* Builds the box from f->cfg (tests adjust it first). */
static void
fx_start (Fx *f)
{
  f->nat = nat_new (f->sim, f->pool, "test", &f->cfg, &f->rng, &fx_ops, f);
  g_assert_nonnull (f->nat);
}

static void
at (Fx *f, SimTime t)
{
  g_assert_cmpint (t, >=, sim_now (f->sim));
  sim_run_until (f->sim, t);
}

static Flow
flow (guint32 ip, guint16 port)
{
  return (Flow) { { ip, SERVER, port, SPORT }, 0, 0 };
}

static Packet *
pk (Fx *f, FlowKey k, guint8 flags, guint32 seq, guint32 ack, guint32 len)
{
  Packet *p = packet_new (f->pool);

  p->key = k;
  p->flags = flags;
  p->seq = seq;
  p->ack = ack;
  p->len = len;
  p->window = 1000;
  return p;
}

/* Outbound segment of @fl at @t; afterwards fl's public side is updated
 * from the table (if an entry exists). */
static void
out (Fx *f, Flow *fl, SimTime t, guint8 flags, guint32 seq, guint32 ack, guint32 len)
{
  const NatMapping *m;

  at (f, t);
  nat_from_inside (f->nat, pk (f, fl->k, flags, seq, ack, len));
  if ((m = nat_lookup_inside (f->nat, &fl->k)) != NULL)
    {
      fl->pub_ip = m->public_ip;
      fl->pub_port = m->public_port;
    }
}

/* Inbound segment to @fl's public side, from its remote end. */
static void
in (Fx *f, const Flow *fl, SimTime t, guint8 flags, guint32 seq, guint32 ack, guint32 len)
{
  FlowKey k = { fl->k.dst_ip, fl->pub_ip, fl->k.dst_port, fl->pub_port };

  at (f, t);
  nat_from_outside (f->nat, pk (f, k, flags, seq, ack, len));
}

static void
handshake (Fx *f, Flow *fl, SimTime t0)
{
  out (f, fl, t0, TCP_SYN, ISN_C, 0, 0);
  g_assert_cmpuint (fl->pub_port, !=, 0);
  in (f, fl, t0 + SIM_MS (20), TCP_SYN | TCP_ACK, ISN_S, ISN_C + 1, 0);
  out (f, fl, t0 + SIM_MS (40), TCP_ACK, ISN_C + 1, ISN_S + 1, 0);
}

static const NatMapping *
lookup (Fx *f, const Flow *fl)
{
  return nat_lookup_inside (f->nat, &fl->k);
}

static SimTime
expires (Fx *f, const Flow *fl)
{
  const NatMapping *m = lookup (f, fl);

  g_assert_nonnull (m);
  return m->expires_at;
}

static const Sent *
sent_nth (Fx *f, guint i)
{
  g_assert_cmpuint (i, <, f->sent->len);
  return &g_array_index (f->sent, Sent, i);
}

static const Sent *
sent_last (Fx *f)
{
  g_assert_cmpuint (f->sent->len, >, 0);
  return sent_nth (f, f->sent->len - 1);
}

static const Ended *
ended_nth (Fx *f, guint i)
{
  g_assert_cmpuint (i, <, f->ended->len);
  return &g_array_index (f->ended, Ended, i);
}

/* A packet handed to the box by an event, so it can run before the box
 * timer at the same instant (events fire FIFO on ties). */
typedef struct {
  Fx     *f;
  Packet *p;
  gboolean inbound;
} Later;

static void
later_fire (Sim *sim, void *data)
{
  Later *l = data;
  Packet *p = g_steal_pointer (&l->p);

  if (l->inbound)
    nat_from_outside (l->f->nat, p);
  else
    nat_from_inside (l->f->nat, p);
}

static void
later_free (void *data)
{
  Later *l = data;

  packet_free (l->f->pool, l->p);
  g_free (l);
}

static void
later (Fx *f, SimTime t, gboolean inbound, Packet *p)
{
  Later *l = g_new (Later, 1);

  *l = (Later) { f, p, inbound };
  sim_schedule (f->sim, t, later_fire, l, later_free);
}

/* ---- S19: entries, states, ports, clamps ---------------------------- */

/* SYN at 0 -> SYN_SENT, T = transitory 240 s -> expires 240 s.
 * SYN-ACK at 0.02 -> SYN_RECV, replied, expires 240.02 s.
 * ACK at 0.04 -> ESTABLISHED, expires 0.04 + 350 = 350.04 s. */
static void
test_s19_handshake_states (Fx *f, gconstpointer data)
{
  Flow fl = flow (CLIENT, CPORT);
  const NatMapping *m;

  f->cfg.established_timeout = SIM_S (350);
  fx_start (f);

  out (f, &fl, 0, TCP_SYN, ISN_C, 0, 0);
  m = lookup (f, &fl);
  g_assert_nonnull (m);
  g_assert_cmpuint (m->tcp_state, ==, NAT_TCP_SYN_SENT);
  g_assert_false (m->replied);
  g_assert_cmpint (m->expires_at, ==, SIM_S (240));
  g_assert_cmpuint (m->public_ip, ==, PUB);
  g_assert_cmpuint (m->public_port, ==, CPORT);     /* preserve */
  /* The SYN left translated. */
  g_assert_cmpuint (sent_last (f)->to, ==, TO_OUT);
  g_assert_cmpuint (sent_last (f)->pk.key.src_ip, ==, PUB);
  g_assert_cmpuint (sent_last (f)->pk.key.src_port, ==, CPORT);
  g_assert_cmpuint (sent_last (f)->pk.key.dst_ip, ==, SERVER);

  in (f, &fl, SIM_MS (20), TCP_SYN | TCP_ACK, ISN_S, ISN_C + 1, 0);
  m = lookup (f, &fl);
  g_assert_cmpuint (m->tcp_state, ==, NAT_TCP_SYN_RECV);
  g_assert_true (m->replied);
  g_assert_cmpint (m->expires_at, ==, SIM_MS (20) + SIM_S (240));
  g_assert_cmpuint (sent_last (f)->to, ==, TO_IN);
  g_assert_cmpuint (sent_last (f)->pk.key.dst_ip, ==, CLIENT);
  g_assert_cmpuint (sent_last (f)->pk.key.dst_port, ==, CPORT);

  out (f, &fl, SIM_MS (40), TCP_ACK, ISN_C + 1, ISN_S + 1, 0);
  m = lookup (f, &fl);
  g_assert_cmpuint (m->tcp_state, ==, NAT_TCP_ESTABLISHED);
  g_assert_cmpint (m->last_seen, ==, SIM_MS (40));
  g_assert_cmpint (m->expires_at, ==, SIM_MS (40) + SIM_S (350));
  g_assert_cmpuint (nat_stats (f->nat)->created, ==, 1);
  g_assert_cmpuint (nat_stats (f->nat)->translated_out, ==, 2);
  g_assert_cmpuint (nat_stats (f->nat)->translated_in, ==, 1);
}

/* The full 5-tuple matches: the server's address from another port, or
 * another address to the right port, finds nothing (unsolicited, dropped)
 * and, being dropped, refreshes nothing (S20). */
static void
test_s19_full_tuple (Fx *f, gconstpointer data)
{
  Flow fl = flow (CLIENT, CPORT);
  FlowKey k;

  f->cfg.established_timeout = SIM_S (350);
  fx_start (f);
  handshake (f, &fl, 0);
  g_assert_cmpuint (f->sent->len, ==, 3);

  at (f, SIM_S (100));
  k = (FlowKey) { SERVER, PUB, 444, CPORT };
  nat_from_outside (f->nat, pk (f, k, TCP_ACK, ISN_S + 1, ISN_C + 1, 10));
  k = (FlowKey) { IP (198, 51, 100, 2), PUB, SPORT, CPORT };
  nat_from_outside (f->nat, pk (f, k, TCP_ACK, ISN_S + 1, ISN_C + 1, 10));
  g_assert_cmpuint (f->sent->len, ==, 3);
  g_assert_cmpuint (nat_stats (f->nat)->dropped_unsolicited, ==, 2);
  g_assert_cmpint (expires (f, &fl), ==, SIM_MS (40) + SIM_S (350));
}

/* Established 432000 s (Linux), clamp 300 s.  Data at 10 s unacked ->
 * T = 300: expires 310 s.  ACK at 10.02 -> 10.02 + 432000 s.  Data at
 * 20 s never acked -> expires 320 s, and the entry ends then. */
static void
test_s19_clamp_unacked (Fx *f, gconstpointer data)
{
  Flow fl = flow (CLIENT, CPORT);

  f->cfg.established_timeout = SIM_S (432000);
  f->cfg.clamp_timeout = SIM_S (300);
  fx_start (f);
  handshake (f, &fl, 0);
  g_assert_cmpint (expires (f, &fl), ==, SIM_MS (40) + SIM_S (432000));

  out (f, &fl, SIM_S (10), TCP_ACK | TCP_PSH, ISN_C + 1, ISN_S + 1, 100);
  g_assert_cmpint (expires (f, &fl), ==, SIM_S (310));
  in (f, &fl, SIM_S (10) + SIM_MS (20), TCP_ACK, ISN_S + 1, ISN_C + 101, 0);
  g_assert_cmpint (expires (f, &fl), ==, SIM_S (10) + SIM_MS (20) + SIM_S (432000));
  out (f, &fl, SIM_S (20), TCP_ACK | TCP_PSH, ISN_C + 101, ISN_S + 1, 100);
  g_assert_cmpint (expires (f, &fl), ==, SIM_S (320));

  at (f, SIM_S (400));
  g_assert_cmpuint (f->ended->len, ==, 1);
  g_assert_cmpint (ended_nth (f, 0)->at, ==, SIM_S (320));
  g_assert_cmpint (ended_nth (f, 0)->now, ==, SIM_S (320));
  g_assert_cmpint (ended_nth (f, 0)->why, ==, NAT_END_EXPIRED);
}

/* Unanswered keep-alive probes (seq = snd_una - 1 = 1000, ack 5001) at
 * 100, 175, 250 and 325 s are identical segments: the 4th is the 3rd
 * retransmission, so T drops to 300 s: expires 325 + 300 = 625 s instead
 * of 325 + 432000.  A different segment (the server's answer at 325.02)
 * resets the count: 325.02 + 432000. */
static void
test_s19_clamp_retrans (Fx *f, gconstpointer data)
{
  Flow fl = flow (CLIENT, CPORT);

  f->cfg.established_timeout = SIM_S (432000);
  fx_start (f);
  handshake (f, &fl, 0);
  out (f, &fl, SIM_S (100), TCP_ACK, ISN_C, ISN_S + 1, 0);
  out (f, &fl, SIM_S (175), TCP_ACK, ISN_C, ISN_S + 1, 0);
  out (f, &fl, SIM_S (250), TCP_ACK, ISN_C, ISN_S + 1, 0);
  g_assert_cmpint (expires (f, &fl), ==, SIM_S (250) + SIM_S (432000));
  out (f, &fl, SIM_S (325), TCP_ACK, ISN_C, ISN_S + 1, 0);
  g_assert_cmpint (expires (f, &fl), ==, SIM_S (625));
  in (f, &fl, SIM_S (325) + SIM_MS (20), TCP_ACK, ISN_S + 1, ISN_C + 1, 0);
  g_assert_cmpint (expires (f, &fl), ==, SIM_S (325) + SIM_MS (20) + SIM_S (432000));
}

/* A picked-up entry with no reply gets T = min(432000, 300) = 300 s; the
 * first reply lifts the clamp. */
static void
test_s19_clamp_pickup (Fx *f, gconstpointer data)
{
  Flow fl = flow (CLIENT, CPORT);
  const NatMapping *m;

  f->cfg.established_timeout = SIM_S (432000);
  fx_start (f);
  out (f, &fl, SIM_S (1), TCP_ACK, ISN_C + 1, ISN_S + 1, 0);
  m = lookup (f, &fl);
  g_assert_nonnull (m);
  g_assert_true (m->picked_up);
  g_assert_false (m->replied);
  g_assert_cmpuint (m->tcp_state, ==, NAT_TCP_ESTABLISHED);
  g_assert_cmpint (m->expires_at, ==, SIM_S (301));
  in (f, &fl, SIM_S (1) + SIM_MS (20), TCP_ACK, ISN_S + 1, ISN_C + 1, 0);
  m = lookup (f, &fl);
  g_assert_true (m->replied);
  g_assert_cmpint (m->expires_at, ==, SIM_S (1) + SIM_MS (20) + SIM_S (432000));
}

/* RST from the server on a replied entry at 100 s: passed to the client,
 * the entry moves to CLOSE for 10 s and ends at 110 s (reason RST). */
static void
test_s19_rst_close (Fx *f, gconstpointer data)
{
  Flow fl = flow (CLIENT, CPORT);
  const NatMapping *m;

  f->cfg.established_timeout = SIM_S (350);
  fx_start (f);
  handshake (f, &fl, 0);
  in (f, &fl, SIM_S (100), TCP_RST, ISN_S + 1, 0, 0);
  g_assert_cmpuint (sent_last (f)->to, ==, TO_IN);
  g_assert_cmpuint (sent_last (f)->pk.flags, ==, TCP_RST);
  m = lookup (f, &fl);
  g_assert_cmpuint (m->tcp_state, ==, NAT_TCP_CLOSE);
  g_assert_cmpint (m->expires_at, ==, SIM_S (110));
  at (f, SIM_S (200));
  g_assert_cmpuint (f->ended->len, ==, 1);
  g_assert_cmpint (ended_nth (f, 0)->at, ==, SIM_S (110));
  g_assert_cmpint (ended_nth (f, 0)->why, ==, NAT_END_RST);
}

/* Client FIN at 10 s -> FIN_WAIT (transitory 240): 250 s.  Server FIN at
 * 10.02 -> both FINs, TIME_WAIT (120 s): 130.02.  Last ACK at 10.04
 * refreshes: 130.04 s, where it ends CLOSED. */
static void
test_s19_fin_time_wait (Fx *f, gconstpointer data)
{
  Flow fl = flow (CLIENT, CPORT);
  const NatMapping *m;

  f->cfg.established_timeout = SIM_S (350);
  fx_start (f);
  handshake (f, &fl, 0);
  out (f, &fl, SIM_S (10), TCP_FIN | TCP_ACK, ISN_C + 1, ISN_S + 1, 0);
  m = lookup (f, &fl);
  g_assert_cmpuint (m->tcp_state, ==, NAT_TCP_FIN_WAIT);
  g_assert_cmpint (m->expires_at, ==, SIM_S (250));
  in (f, &fl, SIM_S (10) + SIM_MS (20), TCP_FIN | TCP_ACK, ISN_S + 1, ISN_C + 2, 0);
  m = lookup (f, &fl);
  g_assert_cmpuint (m->tcp_state, ==, NAT_TCP_TIME_WAIT);
  g_assert_cmpint (m->expires_at, ==, SIM_S (130) + SIM_MS (20));
  out (f, &fl, SIM_S (10) + SIM_MS (40), TCP_ACK, ISN_C + 2, ISN_S + 2, 0);
  g_assert_cmpint (expires (f, &fl), ==, SIM_S (130) + SIM_MS (40));
  at (f, SIM_S (200));
  g_assert_cmpuint (f->ended->len, ==, 1);
  g_assert_cmpint (ended_nth (f, 0)->at, ==, SIM_S (130) + SIM_MS (40));
  g_assert_cmpint (ended_nth (f, 0)->why, ==, NAT_END_CLOSED);
}

/* Sequential, pool 1024-1026: three SYNs get 1024, 1025, 1026.  The
 * second dies on a RST reply (S27), freeing 1025.  The next SYN starts
 * after the last one handed out (1026), wraps to 1024 (taken), and gets
 * 1025. */
static void
test_s19_sequential (Fx *f, gconstpointer data)
{
  Flow a = flow (CLIENT, 40000), b = flow (CLIENT, 40001);
  Flow c = flow (CLIENT, 40002), d = flow (CLIENT, 40003);

  f->cfg.port_mode = NAT_PORT_SEQUENTIAL;
  f->cfg.port_lo = 1024;
  f->cfg.port_hi = 1026;
  fx_start (f);
  out (f, &a, 0, TCP_SYN, ISN_C, 0, 0);
  out (f, &b, 0, TCP_SYN, ISN_C, 0, 0);
  out (f, &c, 0, TCP_SYN, ISN_C, 0, 0);
  g_assert_cmpuint (a.pub_port, ==, 1024);
  g_assert_cmpuint (b.pub_port, ==, 1025);
  g_assert_cmpuint (c.pub_port, ==, 1026);
  in (f, &b, SIM_MS (20), TCP_RST | TCP_ACK, 0, ISN_C + 1, 0);
  g_assert_null (lookup (f, &b));
  out (f, &d, SIM_MS (30), TCP_SYN, ISN_C, 0, 0);
  g_assert_cmpuint (d.pub_port, ==, 1025);
}

/* Random: each SYN's port is lo + below(range) drawn from the box's RNG
 * stream (no clash here), so a copy of the stream predicts them. */
static void
test_s19_random (Fx *f, gconstpointer data)
{
  SimRng copy = f->rng;
  guint16 seen[5];

  f->cfg.port_mode = NAT_PORT_RANDOM;
  fx_start (f);
  for (guint i = 0; i < 5; i++)
    {
      Flow fl = flow (CLIENT, (guint16) (40000 + i));
      guint16 want = (guint16) (1024 + sim_rng_below (&copy, 65535 - 1024 + 1));

      out (f, &fl, 0, TCP_SYN, ISN_C, 0, 0);
      g_assert_cmpuint (fl.pub_port, ==, want);
      g_assert_cmpuint (fl.pub_port, !=, fl.k.src_port);
      seen[i] = fl.pub_port;
      for (guint j = 0; j < i; j++)
        g_assert_cmpuint (seen[j], !=, seen[i]);
    }
}

/* max_mappings = 2: the third SYN is refused (dropped, on_refused); once
 * the first entry is gone (RST reply, S27) a new SYN fits again. */
static void
test_s19_max_mappings (Fx *f, gconstpointer data)
{
  Flow a = flow (CLIENT, 40000), b = flow (CLIENT, 40001), c = flow (CLIENT, 40002);
  guint n;

  f->cfg.max_mappings = 2;
  fx_start (f);
  out (f, &a, 0, TCP_SYN, ISN_C, 0, 0);
  out (f, &b, 0, TCP_SYN, ISN_C, 0, 0);
  n = f->sent->len;
  out (f, &c, SIM_MS (1), TCP_SYN, ISN_C, 0, 0);
  g_assert_null (lookup (f, &c));
  g_assert_cmpuint (f->refused, ==, 1);
  g_assert_cmpuint (nat_stats (f->nat)->refused, ==, 1);
  g_assert_cmpuint (f->sent->len, ==, n);
  g_assert_cmpuint (nat_mappings (f->nat), ==, 2);

  in (f, &a, SIM_MS (20), TCP_RST | TCP_ACK, 0, ISN_C + 1, 0);
  g_assert_cmpuint (nat_mappings (f->nat), ==, 1);
  out (f, &c, SIM_MS (30), TCP_SYN, ISN_C, 0, 0);
  g_assert_nonnull (lookup (f, &c));
  g_assert_cmpuint (f->refused, ==, 1);
  g_assert_cmpuint (nat_peak_mappings (f->nat), ==, 2);
}

/* A pool of two ports (1024-1025; the inside ports 40000+ lie outside it,
 * so preserve falls back to random): two SYNs to the server take both,
 * the third is refused.  A SYN to another server still gets a port: a
 * public port is taken only per reply tuple, as in conntrack. */
static void
test_s19_port_exhaustion (Fx *f, gconstpointer data)
{
  Flow a = flow (CLIENT, 40000), b = flow (CLIENT, 40001), c = flow (CLIENT, 40002);
  Flow d = flow (CLIENT, 40003);

  f->cfg.port_lo = 1024;
  f->cfg.port_hi = 1025;
  fx_start (f);
  out (f, &a, 0, TCP_SYN, ISN_C, 0, 0);
  out (f, &b, 0, TCP_SYN, ISN_C, 0, 0);
  g_assert_cmpuint (MIN (a.pub_port, b.pub_port), ==, 1024);
  g_assert_cmpuint (MAX (a.pub_port, b.pub_port), ==, 1025);
  out (f, &c, 0, TCP_SYN, ISN_C, 0, 0);
  g_assert_null (lookup (f, &c));
  g_assert_cmpuint (f->refused, ==, 1);

  d.k.dst_ip = IP (198, 51, 100, 2);
  out (f, &d, 0, TCP_SYN, ISN_C, 0, 0);
  g_assert_nonnull (lookup (f, &d));
  g_assert_cmpuint (d.pub_port, >=, 1024);
  g_assert_cmpuint (d.pub_port, <=, 1025);
}

/* The whole default pool (1024-65535: 64512 ports) towards the one
 * server, taken by 64512 inside hosts all using port 40000 (the first
 * keeps it, the rest get random ones); 1000 more SYNs are refused, and the
 * oracle answers 0 for a new flow.  A full pool is recognised by its use
 * count, not by trying 64512 ports per SYN, so this case runs in well
 * under a second. */
static void
test_s19_port_exhaustion_full_range (Fx *f, gconstpointer data)
{
  Flow extra = flow (IP (10, 2, 0, 0), 40000);

  fx_start (f);
  for (guint i = 0; i < 64512 + 1000; i++)
    {
      FlowKey k = { IP (10, 1, 0, 0) + i, SERVER, 40000, SPORT };
      nat_from_inside (f->nat, pk (f, k, TCP_SYN, ISN_C, 0, 0));
    }
  g_assert_cmpuint (nat_mappings (f->nat), ==, 64512);
  g_assert_cmpuint (f->refused, ==, 1000);
  g_assert_cmpuint (nat_pickup_port (f->nat, &extra.k), ==, 0);
  /* Another server still has the whole pool. */
  extra.k.dst_ip = IP (198, 51, 100, 2);
  g_assert_cmpuint (nat_pickup_port (f->nat, &extra.k), ==, 40000);
}

/* ---- S20: refresh --------------------------------------------------- */

/* refresh = any: inbound-only traffic (server probes at 300 and 600 s)
 * keeps the entry: last_seen 600, T 350 -> alive at 950 s - 1 ns, gone
 * at 950 s (clamps off, so the identical probes do not shorten T). */
static void
test_s20_inbound_only (Fx *f, gconstpointer data)
{
  Flow fl = flow (CLIENT, CPORT);

  f->cfg.established_timeout = SIM_S (350);
  f->cfg.clamp_timeout = 0;
  fx_start (f);
  handshake (f, &fl, 0);
  in (f, &fl, SIM_S (300), TCP_ACK, ISN_S, ISN_C + 1, 0);
  in (f, &fl, SIM_S (600), TCP_ACK, ISN_S, ISN_C + 1, 0);
  g_assert_cmpuint (sent_last (f)->to, ==, TO_IN);
  g_assert_cmpint (sent_last (f)->t, ==, SIM_S (600));
  at (f, SIM_S (950) - 1);
  g_assert_nonnull (lookup (f, &fl));
  at (f, SIM_S (950));
  g_assert_null (lookup (f, &fl));
  g_assert_cmpint (ended_nth (f, 0)->at, ==, SIM_S (950));
}

/* refresh = outbound: the server's probe at 300 s is still forwarded but
 * does not refresh, so the entry ends at 350.04 s.  The client's probe at
 * 300 s would have (checked on a second flow: 300 + 350 = 650 s). */
static void
test_s20_outbound (Fx *f, gconstpointer data)
{
  Flow a = flow (CLIENT, 40000), b = flow (CLIENT, 40001);

  f->cfg.established_timeout = SIM_S (350);
  f->cfg.clamp_timeout = 0;
  f->cfg.refresh = NAT_REFRESH_OUTBOUND;
  fx_start (f);
  handshake (f, &a, 0);
  handshake (f, &b, SIM_MS (100));
  in (f, &a, SIM_S (300), TCP_ACK, ISN_S, ISN_C + 1, 0);
  g_assert_cmpuint (sent_last (f)->to, ==, TO_IN);
  g_assert_cmpint (sent_last (f)->t, ==, SIM_S (300));
  g_assert_cmpint (expires (f, &a), ==, SIM_MS (40) + SIM_S (350));
  out (f, &b, SIM_S (300), TCP_ACK, ISN_C, ISN_S + 1, 0);
  g_assert_cmpint (expires (f, &b), ==, SIM_S (650));
  at (f, SIM_S (400));
  g_assert_cmpuint (f->ended->len, ==, 1);
  g_assert_cmpint (ended_nth (f, 0)->at, ==, SIM_MS (40) + SIM_S (350));
  g_assert_cmpuint (ended_nth (f, 0)->m.inside.src_port, ==, 40000);
}

/* refresh = data (AWS ALB): the handshake's state changes start their
 * timeouts (ESTABLISHED at 0.04 -> 350.04); a zero-length keep-alive
 * probe at 300 s passes but refreshes nothing; one byte at 340 s does
 * (690 s); the server's bare ACK at 340.02 does not.  Ends at 690 s. */
static void
test_s20_data (Fx *f, gconstpointer data)
{
  Flow fl = flow (CLIENT, CPORT);

  f->cfg.established_timeout = SIM_S (350);
  f->cfg.clamp_timeout = 0;
  f->cfg.refresh = NAT_REFRESH_DATA;
  fx_start (f);
  handshake (f, &fl, 0);
  g_assert_cmpint (expires (f, &fl), ==, SIM_MS (40) + SIM_S (350));
  out (f, &fl, SIM_S (300), TCP_ACK, ISN_C, ISN_S + 1, 0);
  g_assert_cmpuint (sent_last (f)->to, ==, TO_OUT);
  g_assert_cmpint (sent_last (f)->t, ==, SIM_S (300));
  g_assert_cmpint (expires (f, &fl), ==, SIM_MS (40) + SIM_S (350));
  out (f, &fl, SIM_S (340), TCP_ACK | TCP_PSH, ISN_C + 1, ISN_S + 1, 1);
  g_assert_cmpint (expires (f, &fl), ==, SIM_S (690));
  in (f, &fl, SIM_S (340) + SIM_MS (20), TCP_ACK, ISN_S + 1, ISN_C + 2, 0);
  g_assert_cmpint (expires (f, &fl), ==, SIM_S (690));
  at (f, SIM_S (700));
  g_assert_cmpint (ended_nth (f, 0)->at, ==, SIM_S (690));
}

/* Keep-alive every 300 s (< T = 350) through the box, probe seq =
 * snd_una - 1 and its duplicate-ACK answer: both accepted, translated and
 * refreshing; the default 300 s clamp never applies (nothing unacked, and
 * probe and answer alternate so no segment repeats back to back).  Last
 * answer at 900.06 -> expires 1250.06. */
static void
test_s20_keepalive (Fx *f, gconstpointer data)
{
  Flow fl = flow (CLIENT, CPORT);

  f->cfg.established_timeout = SIM_S (350);
  fx_start (f);
  handshake (f, &fl, 0);
  for (guint k = 1; k <= 3; k++)
    {
      SimTime t = SIM_MS (40) + k * SIM_S (300) + (k - 1) * SIM_MS (20);
      out (f, &fl, t, TCP_ACK, ISN_C, ISN_S + 1, 0);
      g_assert_cmpuint (sent_last (f)->pk.seq, ==, ISN_C);
      g_assert_cmpuint (sent_last (f)->pk.key.src_ip, ==, PUB);
      in (f, &fl, t + SIM_MS (20), TCP_ACK, ISN_S + 1, ISN_C + 1, 0);
      g_assert_cmpuint (sent_last (f)->to, ==, TO_IN);
    }
  /* Answers at 300.06, 600.08, 900.10. */
  g_assert_cmpint (expires (f, &fl), ==, SIM_S (900) + SIM_MS (100) + SIM_S (350));
  g_assert_cmpuint (f->ended->len, ==, 0);
}

/* ---- S21/S22: expiry instant, ties, bounded sweep ------------------- */

/* Established at 0.04 s, T = 350 s: found at 350.04 s - 1 ns, not at
 * 350.04 s; on_end reports at = 350.04 s (the box timer fired then); an
 * inbound packet at exactly 350.04 s finds no entry. */
static void
test_s21_expiry_tie (Fx *f, gconstpointer data)
{
  Flow fl = flow (CLIENT, CPORT);
  SimTime e = SIM_MS (40) + SIM_S (350);
  guint n;

  f->cfg.established_timeout = SIM_S (350);
  fx_start (f);
  handshake (f, &fl, 0);
  at (f, e - 1);
  g_assert_nonnull (lookup (f, &fl));
  g_assert_cmpuint (nat_mappings (f->nat), ==, 1);
  at (f, e);
  g_assert_null (lookup (f, &fl));
  g_assert_cmpuint (nat_mappings (f->nat), ==, 0);
  g_assert_cmpuint (f->ended->len, ==, 1);
  g_assert_cmpint (ended_nth (f, 0)->at, ==, e);
  g_assert_cmpint (ended_nth (f, 0)->now, ==, e);
  g_assert_cmpint (ended_nth (f, 0)->why, ==, NAT_END_EXPIRED);
  g_assert_cmpint (ended_nth (f, 0)->m.last_seen, ==, SIM_MS (40));
  n = f->sent->len;
  in (f, &fl, e, TCP_ACK, ISN_S, ISN_C + 1, 0);
  g_assert_cmpuint (f->sent->len, ==, n);
  g_assert_cmpuint (nat_stats (f->nat)->dropped_unsolicited, ==, 1);
  g_assert_cmpuint (nat_stats (f->nat)->expired, ==, 1);
}

/* The same tie with the packets first: scheduled before the handshake,
 * they fire at 350.04 s before the box timer.  The lookup itself applies
 * now >= last_seen + T: the entry ends (at = 350.04 s, before the packet
 * is handled), the inbound packet is unsolicited and dropped, and the
 * outbound one is picked up afresh (same port, preserve).  The timer,
 * firing afterwards, finds nothing more to do. */
static void
test_s21_packet_first (Fx *f, gconstpointer data)
{
  Flow fl = flow (CLIENT, CPORT);
  SimTime e = SIM_MS (40) + SIM_S (350);
  FlowKey rk = { SERVER, PUB, SPORT, CPORT };
  const NatMapping *m;

  f->cfg.established_timeout = SIM_S (350);
  fx_start (f);
  later (f, e, TRUE, pk (f, rk, TCP_ACK | TCP_PSH, ISN_S + 1, ISN_C + 1, 10));
  later (f, e, FALSE, pk (f, fl.k, TCP_ACK | TCP_PSH, ISN_C + 1, ISN_S + 1, 10));
  handshake (f, &fl, 0);
  at (f, e + SIM_S (1));
  g_assert_cmpuint (f->ended->len, ==, 1);
  g_assert_cmpint (ended_nth (f, 0)->at, ==, e);
  g_assert_cmpuint (nat_stats (f->nat)->dropped_unsolicited, ==, 1);
  g_assert_cmpuint (f->made->len, ==, 2);
  m = lookup (f, &fl);
  g_assert_nonnull (m);
  g_assert_true (m->picked_up);
  g_assert_cmpuint (m->public_port, ==, CPORT);
  g_assert_cmpint (m->created_at, ==, e);
}

typedef struct {
  Fx    *f;
  gsize  live;
  guint  ended;
} Peek;

static void
peek_fire (Sim *sim, void *data)
{
  Peek *pe = data;

  pe->live = nat_mappings (pe->f->nat);
  pe->ended = pe->f->ended->len;
}

/* S22: 10 000 entries made by SYNs at t = 0 all expire at 240 s
 * (transitory).  The box timer reaps 1024 per firing and re-arms at the
 * same instant: ceil(10000 / 1024) = 10 firings, all at 240 s, every
 * on_end with at = 240 s.  A reader scheduled at 240 s ahead of the timer
 * already counts 0 live mappings although none has been reaped yet. */
static void
test_s22_bounded_sweep (Fx *f, gconstpointer data)
{
  Peek pe = { f, 12345, 12345 };

  fx_start (f);
  sim_schedule (f->sim, SIM_S (240), peek_fire, &pe, NULL);
  for (guint i = 0; i < 10000; i++)
    {
      FlowKey k = { CLIENT, SERVER, (guint16) (20000 + i), SPORT };
      nat_from_inside (f->nat, pk (f, k, TCP_SYN, ISN_C, 0, 0));
    }
  g_assert_cmpuint (nat_mappings (f->nat), ==, 10000);
  at (f, SIM_S (240) - 1);
  g_assert_cmpuint (nat_mappings (f->nat), ==, 10000);
  g_assert_cmpuint (sim_events (f->sim), ==, 0);
  at (f, SIM_S (240));
  g_assert_cmpuint (pe.live, ==, 0);
  g_assert_cmpuint (pe.ended, ==, 0);
  g_assert_cmpuint (f->ended->len, ==, 10000);
  for (guint i = 0; i < 10000; i++)
    {
      g_assert_cmpint (ended_nth (f, i)->at, ==, SIM_S (240));
      g_assert_cmpint (ended_nth (f, i)->why, ==, NAT_END_EXPIRED);
      /* FIFO within the list: creation order. */
      g_assert_cmpuint (ended_nth (f, i)->m.inside.src_port, ==, 20000 + i);
    }
  /* 1 peek event + 10 timer firings. */
  g_assert_cmpuint (sim_events (f->sim), ==, 11);
  g_assert_cmpuint (nat_mappings (f->nat), ==, 0);
  g_assert_cmpuint (nat_peak_mappings (f->nat), ==, 10000);
  g_assert_false (sim_pending (f->sim) > 0);
}

/* The box timer may fire before a deadline that moved: armed at 240 s for
 * the SYN_SENT entry (the handshake's later deadlines are later, so it
 * stays), it fires then and re-arms for 350.04 s; a probe at 300 s pushes
 * the deadline to 650 s, so the 350.04 s firing finds nothing either and
 * re-arms.  The entry ends at 650 s with at = 650 s: three firings. */
static void
test_s22_timer_early (Fx *f, gconstpointer data)
{
  Flow fl = flow (CLIENT, CPORT);

  f->cfg.established_timeout = SIM_S (350);
  fx_start (f);
  handshake (f, &fl, 0);
  at (f, SIM_S (240));
  g_assert_cmpuint (sim_events (f->sim), ==, 1);
  out (f, &fl, SIM_S (300), TCP_ACK, ISN_C, ISN_S + 1, 0);
  at (f, SIM_MS (40) + SIM_S (350));
  g_assert_cmpuint (sim_events (f->sim), ==, 2);
  g_assert_cmpuint (f->ended->len, ==, 0);
  g_assert_nonnull (lookup (f, &fl));
  at (f, SIM_S (700));
  g_assert_cmpuint (sim_events (f->sim), ==, 3);
  g_assert_cmpuint (f->ended->len, ==, 1);
  g_assert_cmpint (ended_nth (f, 0)->at, ==, SIM_S (650));
  g_assert_cmpint (ended_nth (f, 0)->now, ==, SIM_S (650));
}

/* S22: port availability is exact.  One-port pool; A's SYN at 0 holds it
 * until 240 s.  B's SYN at 240 s - 1 ns is refused; C's SYN at exactly
 * 240 s, scheduled to run before the box timer, gets the port. */
static void
test_s22_port_free_at_deadline (Fx *f, gconstpointer data)
{
  Flow a = flow (IP (10, 0, 0, 1), 40000);
  Flow b = flow (IP (10, 0, 0, 2), 40000);
  Flow c = flow (IP (10, 0, 0, 3), 40000);

  f->cfg.port_lo = f->cfg.port_hi = 40000;
  fx_start (f);
  later (f, SIM_S (240), FALSE, pk (f, c.k, TCP_SYN, ISN_C, 0, 0));
  out (f, &a, 0, TCP_SYN, ISN_C, 0, 0);
  out (f, &b, SIM_S (240) - 1, TCP_SYN, ISN_C, 0, 0);
  g_assert_cmpuint (f->refused, ==, 1);
  at (f, SIM_S (240));
  g_assert_cmpuint (f->ended->len, ==, 1);
  g_assert_cmpint (ended_nth (f, 0)->at, ==, SIM_S (240));
  g_assert_cmpuint (f->made->len, ==, 2);
  g_assert_cmpuint (g_array_index (f->made, NatMapping, 1).inside.src_ip, ==, c.k.src_ip);
  g_assert_cmpuint (g_array_index (f->made, NatMapping, 1).public_port, ==, 40000);
  g_assert_cmpuint (f->refused, ==, 1);
}

/* ---- S23: loose pickup ---------------------------------------------- */

/* Entry expired at 350.04 s.  Data at 400 s is picked up on the same port
 * (preserve): ESTABLISHED, unreplied, T clamped to 300 s -> 700 s.  The
 * server's ACK at 400.02 makes it replied: 400.02 + 350 = 750.02 s. */
static void
test_s23_pickup_preserve (Fx *f, gconstpointer data)
{
  Flow fl = flow (CLIENT, CPORT);
  const NatMapping *m;

  f->cfg.established_timeout = SIM_S (350);
  fx_start (f);
  handshake (f, &fl, 0);
  g_assert_cmpuint (nat_pickup_port (f->nat, &fl.k), ==, CPORT);
  out (f, &fl, SIM_S (400), TCP_ACK | TCP_PSH, ISN_C + 1, ISN_S + 1, 10);
  g_assert_cmpuint (f->ended->len, ==, 1);
  m = lookup (f, &fl);
  g_assert_nonnull (m);
  g_assert_true (m->picked_up);
  g_assert_false (m->replied);
  g_assert_cmpuint (m->public_port, ==, CPORT);
  g_assert_cmpint (m->expires_at, ==, SIM_S (700));
  g_assert_cmpuint (sent_last (f)->to, ==, TO_OUT);
  g_assert_cmpuint (sent_last (f)->pk.key.src_ip, ==, PUB);
  g_assert_cmpuint (sent_last (f)->pk.key.src_port, ==, CPORT);
  in (f, &fl, SIM_S (400) + SIM_MS (20), TCP_ACK, ISN_S + 1, ISN_C + 11, 0);
  g_assert_cmpint (expires (f, &fl), ==, SIM_S (750) + SIM_MS (20));
  g_assert_cmpuint (nat_stats (f->nat)->picked_up, ==, 1);
}

/* Random ports: the pickup at 400 s gets a new port P2 != P1.  The server
 * has no socket for the new 4-tuple and answers RST, seq = the data's ack
 * (S18): it goes through to the client, and the entry dies at once (S27),
 * at = 400.02 s, reason RST. */
static void
test_s23_pickup_random_rst (Fx *f, gconstpointer data)
{
  Flow fl = flow (CLIENT, CPORT);
  guint16 p1, p2;
  Packet *rst;

  f->cfg.established_timeout = SIM_S (350);
  f->cfg.port_mode = NAT_PORT_RANDOM;
  fx_start (f);
  handshake (f, &fl, 0);
  p1 = fl.pub_port;
  out (f, &fl, SIM_S (400), TCP_ACK | TCP_PSH, ISN_C + 1, ISN_S + 1, 10);
  p2 = fl.pub_port;
  g_assert_cmpuint (p2, !=, p1);
  g_assert_cmpuint (sent_last (f)->pk.key.src_port, ==, p2);

  at (f, SIM_S (400) + SIM_MS (20));
  rst = packet_new_rst_reply (f->pool, &sent_last (f)->pk);
  g_assert_cmpuint (rst->seq, ==, ISN_S + 1);
  nat_from_outside (f->nat, rst);
  g_assert_cmpuint (sent_last (f)->to, ==, TO_IN);
  g_assert_cmpuint (sent_last (f)->pk.flags, ==, TCP_RST);
  g_assert_cmpuint (sent_last (f)->pk.seq, ==, ISN_S + 1);
  g_assert_cmpuint (sent_last (f)->pk.key.dst_ip, ==, CLIENT);
  g_assert_cmpuint (sent_last (f)->pk.key.dst_port, ==, CPORT);
  g_assert_null (lookup (f, &fl));
  g_assert_cmpuint (f->ended->len, ==, 2);
  g_assert_cmpint (ended_nth (f, 1)->at, ==, SIM_S (400) + SIM_MS (20));
  g_assert_cmpint (ended_nth (f, 1)->why, ==, NAT_END_RST);
  g_assert_cmpuint (ended_nth (f, 1)->m.public_port, ==, p2);
  g_assert_cmpuint (nat_mappings (f->nat), ==, 0);
}

/* Preserve, but the old port is taken: after A's entry expired, B (another
 * inside host, same inside port) opened to the same server and got 40000.
 * A's pickup then gets another port; the read-only oracle predicts it
 * (twice, so asking changed nothing) and the pickup agrees. */
static void
test_s23_pickup_port_taken (Fx *f, gconstpointer data)
{
  Flow a = flow (IP (10, 0, 0, 1), CPORT), b = flow (IP (10, 0, 0, 2), CPORT);
  guint16 want;

  f->cfg.established_timeout = SIM_S (350);
  fx_start (f);
  handshake (f, &a, 0);
  handshake (f, &b, SIM_S (360));
  g_assert_cmpuint (b.pub_port, ==, CPORT);
  at (f, SIM_S (400));
  want = nat_pickup_port (f->nat, &a.k);
  g_assert_cmpuint (nat_pickup_port (f->nat, &a.k), ==, want);
  g_assert_cmpuint (want, !=, CPORT);
  out (f, &a, SIM_S (400), TCP_ACK, ISN_C + 1, ISN_S + 1, 0);
  g_assert_cmpuint (a.pub_port, ==, want);
}

/* ---- S24/S25: INVALID ----------------------------------------------- */

static void
invalid_case (Fx *f, NatInvalid inv)
{
  Flow fl = flow (CLIENT, CPORT);

  f->cfg.loose = FALSE;
  f->cfg.invalid = inv;
  fx_start (f);
  g_assert_cmpuint (nat_pickup_port (f->nat, &fl.k), ==, 0);
  out (f, &fl, SIM_S (1), TCP_ACK | TCP_PSH, ISN_C + 1, ISN_S + 1, 10);
  g_assert_null (lookup (f, &fl));
  g_assert_cmpuint (f->made->len, ==, 0);
  g_assert_cmpuint (nat_stats (f->nat)->dropped_invalid, ==, 1);
}

/* S24, loose off, invalid = drop: the segment vanishes. */
static void
test_s24_drop (Fx *f, gconstpointer data)
{
  invalid_case (f, NAT_INVALID_DROP);
  g_assert_cmpuint (f->sent->len, ==, 0);
}

/* S24, invalid = forward: it leaves untranslated (private source). */
static void
test_s24_forward (Fx *f, gconstpointer data)
{
  invalid_case (f, NAT_INVALID_FORWARD);
  g_assert_cmpuint (f->sent->len, ==, 1);
  g_assert_cmpuint (sent_last (f)->to, ==, TO_OUT);
  g_assert_cmpuint (sent_last (f)->pk.key.src_ip, ==, CLIENT);
  g_assert_cmpuint (sent_last (f)->pk.key.src_port, ==, CPORT);
  g_assert_cmpuint (sent_last (f)->pk.len, ==, 10);
}

/* S24, invalid = rst (AWS NAT Gateway): a RST back to the sender as from
 * the server, seq = the segment's ack = 5001, origin NAT, at 1 s. */
static void
test_s24_rst (Fx *f, gconstpointer data)
{
  const Sent *s;

  invalid_case (f, NAT_INVALID_RST);
  g_assert_cmpuint (f->sent->len, ==, 1);
  s = sent_last (f);
  g_assert_cmpuint (s->to, ==, TO_IN);
  g_assert_cmpint (s->t, ==, SIM_S (1));
  g_assert_cmpuint (s->pk.flags, ==, TCP_RST);
  g_assert_cmpuint (s->pk.seq, ==, ISN_S + 1);
  g_assert_cmpuint (s->pk.key.src_ip, ==, SERVER);
  g_assert_cmpuint (s->pk.key.src_port, ==, SPORT);
  g_assert_cmpuint (s->pk.key.dst_ip, ==, CLIENT);
  g_assert_cmpuint (s->pk.key.dst_port, ==, CPORT);
  g_assert_cmpuint (s->pk.origin, ==, PACKET_ORIGIN_NAT);
  g_assert_cmpuint (nat_stats (f->nat)->rst_sent, ==, 1);
}

/* S25: after expiry (350.04 s), with loose on, the client's FIN at 400 s
 * and its RST at 401 s are never picked up: INVALID, dropped, no entry.
 * A data segment after them would be (control: pickup works). */
static void
test_s25_fin_rst (Fx *f, gconstpointer data)
{
  Flow fl = flow (CLIENT, CPORT);
  guint n;

  f->cfg.established_timeout = SIM_S (350);
  fx_start (f);
  handshake (f, &fl, 0);
  n = f->sent->len;
  out (f, &fl, SIM_S (400), TCP_FIN | TCP_ACK, ISN_C + 1, ISN_S + 1, 0);
  out (f, &fl, SIM_S (401), TCP_RST, ISN_C + 2, 0, 0);
  g_assert_null (lookup (f, &fl));
  g_assert_cmpuint (f->sent->len, ==, n);
  g_assert_cmpuint (f->made->len, ==, 1);
  g_assert_cmpuint (nat_stats (f->nat)->dropped_invalid, ==, 2);
  out (f, &fl, SIM_S (402), TCP_ACK, ISN_C + 1, ISN_S + 1, 0);
  g_assert_nonnull (lookup (f, &fl));
}

/* S25 with invalid = rst: the FIN gets a RST (seq = its ack), the RST
 * none (never answer a RST). */
static void
test_s25_fin_rst_invalid_rst (Fx *f, gconstpointer data)
{
  Flow fl = flow (CLIENT, CPORT);

  f->cfg.invalid = NAT_INVALID_RST;
  fx_start (f);
  out (f, &fl, SIM_S (1), TCP_FIN | TCP_ACK, ISN_C + 1, ISN_S + 1, 0);
  g_assert_cmpuint (f->sent->len, ==, 1);
  g_assert_cmpuint (sent_last (f)->pk.flags, ==, TCP_RST);
  g_assert_cmpuint (sent_last (f)->pk.seq, ==, ISN_S + 1);
  out (f, &fl, SIM_S (2), TCP_RST, ISN_C + 1, 0, 0);
  g_assert_cmpuint (f->sent->len, ==, 1);
  g_assert_cmpuint (nat_stats (f->nat)->dropped_invalid, ==, 2);
}

/* ---- S26: inbound without entry ------------------------------------- */

/* unsolicited_inbound = drop: the server's data at 400 s (entry gone at
 * 350.04 s) is lost, nothing re-creates a mapping. */
static void
test_s26_drop (Fx *f, gconstpointer data)
{
  Flow fl = flow (CLIENT, CPORT);
  guint n;

  f->cfg.established_timeout = SIM_S (350);
  fx_start (f);
  handshake (f, &fl, 0);
  n = f->sent->len;
  in (f, &fl, SIM_S (400), TCP_ACK | TCP_PSH, ISN_S + 1, ISN_C + 1, 10);
  g_assert_cmpuint (f->sent->len, ==, n);
  g_assert_cmpuint (nat_mappings (f->nat), ==, 0);
  g_assert_cmpuint (f->made->len, ==, 1);
  g_assert_cmpuint (nat_stats (f->nat)->dropped_unsolicited, ==, 1);
}

/* unsolicited_inbound = rst: the box's own stack answers from the public
 * address, seq = the packet's ack = 1001 (S18), origin NAT, sent outside
 * at the same instant; no entry is kept (S27).  A bare SYN gets
 * <seq 0, ack = seq + 1, RST|ACK>. */
static void
test_s26_rst (Fx *f, gconstpointer data)
{
  Flow fl = flow (CLIENT, CPORT);
  const Sent *s;
  guint n;

  f->cfg.established_timeout = SIM_S (350);
  f->cfg.unsolicited_inbound = NAT_UNSOL_RST;
  fx_start (f);
  handshake (f, &fl, 0);
  n = f->sent->len;
  in (f, &fl, SIM_S (400), TCP_ACK | TCP_PSH, ISN_S + 1, ISN_C + 1, 10);
  g_assert_cmpuint (f->sent->len, ==, n + 1);
  s = sent_last (f);
  g_assert_cmpuint (s->to, ==, TO_OUT);
  g_assert_cmpint (s->t, ==, SIM_S (400));
  g_assert_cmpuint (s->pk.flags, ==, TCP_RST);
  g_assert_cmpuint (s->pk.seq, ==, ISN_C + 1);
  g_assert_cmpuint (s->pk.key.src_ip, ==, PUB);
  g_assert_cmpuint (s->pk.key.src_port, ==, CPORT);
  g_assert_cmpuint (s->pk.key.dst_ip, ==, SERVER);
  g_assert_cmpuint (s->pk.key.dst_port, ==, SPORT);
  g_assert_cmpuint (s->pk.origin, ==, PACKET_ORIGIN_NAT);
  g_assert_cmpuint (nat_mappings (f->nat), ==, 0);
  g_assert_cmpuint (f->made->len, ==, 1);

  in (f, &fl, SIM_S (401), TCP_SYN, 7000, 0, 0);
  s = sent_last (f);
  g_assert_cmpuint (s->pk.flags, ==, TCP_RST | TCP_ACK);
  g_assert_cmpuint (s->pk.seq, ==, 0);
  g_assert_cmpuint (s->pk.ack, ==, 7001);
  /* A RST is never answered. */
  in (f, &fl, SIM_S (402), TCP_RST, 7001, 0, 0);
  g_assert_cmpuint (f->sent->len, ==, n + 2);
  g_assert_cmpuint (nat_stats (f->nat)->rst_sent, ==, 2);
}

/* ---- S27: a lone RST reply ------------------------------------------ */

/* SYN at 0 to a closed server port: RST|ACK at 0.02 goes to the client and
 * deletes the entry at once (at = 0.02 s, RST); the port is free again:
 * the client's next SYN at 0.03 is a new entry on the same port. */
static void
test_s27_rst_reply (Fx *f, gconstpointer data)
{
  Flow fl = flow (CLIENT, CPORT);

  fx_start (f);
  out (f, &fl, 0, TCP_SYN, ISN_C, 0, 0);
  in (f, &fl, SIM_MS (20), TCP_RST | TCP_ACK, 0, ISN_C + 1, 0);
  g_assert_cmpuint (sent_last (f)->to, ==, TO_IN);
  g_assert_cmpuint (sent_last (f)->pk.flags, ==, TCP_RST | TCP_ACK);
  g_assert_cmpuint (sent_last (f)->pk.key.dst_ip, ==, CLIENT);
  g_assert_null (lookup (f, &fl));
  g_assert_cmpuint (f->ended->len, ==, 1);
  g_assert_cmpint (ended_nth (f, 0)->at, ==, SIM_MS (20));
  g_assert_cmpint (ended_nth (f, 0)->why, ==, NAT_END_RST);
  g_assert_cmpuint (nat_mappings (f->nat), ==, 0);
  out (f, &fl, SIM_MS (30), TCP_SYN, ISN_C + 7, 0, 0);
  g_assert_cmpuint (fl.pub_port, ==, CPORT);
  g_assert_cmpuint (f->made->len, ==, 2);
}

/* ---- S28: on_expiry -------------------------------------------------- */

/* Traffic so that each side's next seq is known: client 100 bytes at 10 s
 * (end 1101), server 50 bytes at 20 s (end 5051), ACKs after each.  Last
 * packet 20.02 s, T = 350 -> expiry at 370.02 s. */
static SimTime
s28_traffic (Fx *f, Flow *fl)
{
  f->cfg.established_timeout = SIM_S (350);
  f->cfg.clamp_timeout = 0;
  fx_start (f);
  handshake (f, fl, 0);
  out (f, fl, SIM_S (10), TCP_ACK | TCP_PSH, ISN_C + 1, ISN_S + 1, 100);
  in (f, fl, SIM_S (10) + SIM_MS (20), TCP_ACK, ISN_S + 1, ISN_C + 101, 0);
  in (f, fl, SIM_S (20), TCP_ACK | TCP_PSH, ISN_S + 1, ISN_C + 101, 50);
  out (f, fl, SIM_S (20) + SIM_MS (20), TCP_ACK, ISN_C + 101, ISN_S + 51, 0);
  return SIM_S (370) + SIM_MS (20);
}

/* on_expiry = rst: at exactly 370.02 s a RST to the client as from the
 * server with seq 5051 (the client's rcv_nxt) and one to the server from
 * the public address with seq 1101 (the server's rcv_nxt), origin
 * MIDDLEBOX; the entry ends at 370.02 s. */
static void
test_s28_rst (Fx *f, gconstpointer data)
{
  Flow fl = flow (CLIENT, CPORT);
  SimTime e;
  guint n;
  const Sent *s;

  f->cfg.on_expiry = NAT_EXPIRY_RST;
  e = s28_traffic (f, &fl);
  n = f->sent->len;
  at (f, e + SIM_S (10));
  g_assert_cmpuint (f->sent->len, ==, n + 2);
  s = sent_nth (f, n);
  g_assert_cmpuint (s->to, ==, TO_IN);
  g_assert_cmpint (s->t, ==, e);
  g_assert_true (s->pk.flags & TCP_RST);
  g_assert_cmpuint (s->pk.seq, ==, ISN_S + 51);
  g_assert_cmpuint (s->pk.key.src_ip, ==, SERVER);
  g_assert_cmpuint (s->pk.key.dst_ip, ==, CLIENT);
  g_assert_cmpuint (s->pk.key.dst_port, ==, CPORT);
  g_assert_cmpuint (s->pk.origin, ==, PACKET_ORIGIN_MIDDLEBOX);
  s = sent_nth (f, n + 1);
  g_assert_cmpuint (s->to, ==, TO_OUT);
  g_assert_cmpint (s->t, ==, e);
  g_assert_true (s->pk.flags & TCP_RST);
  g_assert_cmpuint (s->pk.seq, ==, ISN_C + 101);
  g_assert_cmpuint (s->pk.key.src_ip, ==, PUB);
  g_assert_cmpuint (s->pk.key.src_port, ==, CPORT);
  g_assert_cmpuint (s->pk.key.dst_ip, ==, SERVER);
  g_assert_cmpuint (s->pk.origin, ==, PACKET_ORIGIN_MIDDLEBOX);
  g_assert_cmpuint (f->ended->len, ==, 1);
  g_assert_cmpint (ended_nth (f, 0)->at, ==, e);
  g_assert_cmpuint (nat_stats (f->nat)->rst_sent, ==, 2);
}

/* on_expiry = fin (AWS NAT instance): one FIN|ACK to the client only, at
 * 370.02 s, seq 5051, ack 1101. */
static void
test_s28_fin (Fx *f, gconstpointer data)
{
  Flow fl = flow (CLIENT, CPORT);
  SimTime e;
  guint n;
  const Sent *s;

  f->cfg.on_expiry = NAT_EXPIRY_FIN;
  e = s28_traffic (f, &fl);
  n = f->sent->len;
  at (f, e + SIM_S (10));
  g_assert_cmpuint (f->sent->len, ==, n + 1);
  s = sent_nth (f, n);
  g_assert_cmpuint (s->to, ==, TO_IN);
  g_assert_cmpint (s->t, ==, e);
  g_assert_cmpuint (s->pk.flags, ==, TCP_FIN | TCP_ACK);
  g_assert_cmpuint (s->pk.seq, ==, ISN_S + 51);
  g_assert_cmpuint (s->pk.ack, ==, ISN_C + 101);
  g_assert_cmpuint (s->pk.origin, ==, PACKET_ORIGIN_MIDDLEBOX);
  g_assert_cmpint (ended_nth (f, 0)->at, ==, e);
}

/* on_expiry = probe (ASA DCD): at 370.02 s the box sends a probe each
 * way: to the client seq 5050 ack 1101, to the server seq 1100 ack 5051.
 * Both answer with duplicate ACKs (client at 370.03, server at 370.04):
 * the answers are consumed, the entry is refreshed at 370.04 s and lives
 * on (expires 720.04 s), no on_end. */
static void
test_s28_probe_kept (Fx *f, gconstpointer data)
{
  Flow fl = flow (CLIENT, CPORT);
  SimTime e;
  guint n;
  const Sent *s;
  const NatMapping *m;

  f->cfg.on_expiry = NAT_EXPIRY_PROBE;
  e = s28_traffic (f, &fl);
  n = f->sent->len;
  at (f, e);
  g_assert_cmpuint (f->sent->len, ==, n + 2);
  s = sent_nth (f, n);
  g_assert_cmpuint (s->to, ==, TO_IN);
  g_assert_cmpint (s->t, ==, e);
  g_assert_cmpuint (s->pk.flags, ==, TCP_ACK);
  g_assert_cmpuint (s->pk.seq, ==, ISN_S + 50);
  g_assert_cmpuint (s->pk.ack, ==, ISN_C + 101);
  s = sent_nth (f, n + 1);
  g_assert_cmpuint (s->to, ==, TO_OUT);
  g_assert_cmpuint (s->pk.seq, ==, ISN_C + 100);
  g_assert_cmpuint (s->pk.ack, ==, ISN_S + 51);
  m = lookup (f, &fl);
  g_assert_nonnull (m);
  /* Until answered: gone at 370.02 + 5 * 15 = 445.02 s. */
  g_assert_cmpint (m->expires_at, ==, e + SIM_S (75));

  out (f, &fl, e + SIM_MS (10), TCP_ACK, ISN_C + 101, ISN_S + 51, 0);
  in (f, &fl, e + SIM_MS (20), TCP_ACK, ISN_S + 51, ISN_C + 101, 0);
  g_assert_cmpuint (f->sent->len, ==, n + 2);   /* answers consumed */
  g_assert_cmpint (expires (f, &fl), ==, e + SIM_MS (20) + SIM_S (350));
  at (f, e + SIM_S (300));
  g_assert_cmpuint (f->ended->len, ==, 0);
  g_assert_cmpuint (f->sent->len, ==, n + 2);
}

/* on_expiry = probe with only the client answering: rounds at 370.02,
 * 385.02, 400.02, 415.02, 430.02 (10 probes), deletion at 445.02 s =
 * last_seen + T + 5 * 15 s, reported then as EXPIRED.  Still there at
 * 445.02 s - 1 ns. */
static void
test_s28_probe_expires (Fx *f, gconstpointer data)
{
  Flow fl = flow (CLIENT, CPORT);
  SimTime e, gone;
  guint n;

  f->cfg.on_expiry = NAT_EXPIRY_PROBE;
  e = s28_traffic (f, &fl);
  gone = e + 5 * SIM_S (15);
  n = f->sent->len;
  out (f, &fl, e + SIM_MS (10), TCP_ACK, ISN_C + 101, ISN_S + 51, 0);
  at (f, gone - 1);
  g_assert_nonnull (lookup (f, &fl));
  g_assert_cmpuint (f->sent->len, ==, n + 10);
  for (guint k = 0; k < 10; k++)
    g_assert_cmpint (sent_nth (f, n + k)->t, ==, e + (k / 2) * SIM_S (15));
  at (f, gone);
  g_assert_null (lookup (f, &fl));
  g_assert_cmpuint (f->ended->len, ==, 1);
  g_assert_cmpint (ended_nth (f, 0)->at, ==, gone);
  g_assert_cmpint (ended_nth (f, 0)->why, ==, NAT_END_EXPIRED);
}

/* ---- S32: reboot ---------------------------------------------------- */

/* Three established flows; reboot at 1000 s: all end with at = 1000 s
 * (REBOOT), in list order (oldest refresh first).  Ports are free again
 * and the server's next packet for an old flow is unsolicited. */
static void
test_s32_reboot (Fx *f, gconstpointer data)
{
  Flow fl[3] = { flow (CLIENT, 40000), flow (CLIENT, 40001), flow (CLIENT, 40002) };
  guint n;

  fx_start (f);
  for (guint i = 0; i < 3; i++)
    handshake (f, &fl[i], SIM_S (i));
  at (f, SIM_S (1000));
  nat_reboot (f->nat);
  g_assert_cmpuint (f->ended->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpint (ended_nth (f, i)->at, ==, SIM_S (1000));
      g_assert_cmpint (ended_nth (f, i)->why, ==, NAT_END_REBOOT);
      g_assert_cmpuint (ended_nth (f, i)->m.inside.src_port, ==, 40000 + i);
    }
  g_assert_cmpuint (nat_mappings (f->nat), ==, 0);
  g_assert_false (sim_pending (f->sim) > 0);
  n = f->sent->len;
  in (f, &fl[0], SIM_S (1001), TCP_ACK, ISN_S + 1, ISN_C + 1, 5);
  g_assert_cmpuint (f->sent->len, ==, n);
  out (f, &fl[1], SIM_S (1002), TCP_SYN, ISN_C, 0, 0);
  g_assert_cmpuint (fl[1].pub_port, ==, 40001);
}

/* ---- modes and port forwards ---------------------------------------- */

/* Dynamic, pool of 2 addresses: host .1 gets 203.0.113.1, host .2 gets
 * 203.0.113.2 (ports kept), host .3 is refused.  Host .2's second flow
 * reuses its address.  When .1's only entry dies (S27) its address goes
 * back and .3 gets 203.0.113.1. */
static void
test_mode_dynamic (Fx *f, gconstpointer data)
{
  Flow a = flow (IP (10, 0, 0, 1), 40000), b = flow (IP (10, 0, 0, 2), 40000);
  Flow b2 = flow (IP (10, 0, 0, 2), 40001), c = flow (IP (10, 0, 0, 3), 40000);

  f->cfg.mode = NAT_MODE_DYNAMIC;
  f->cfg.public_ips = 2;
  fx_start (f);
  out (f, &a, 0, TCP_SYN, ISN_C, 0, 0);
  out (f, &b, 0, TCP_SYN, ISN_C, 0, 0);
  g_assert_cmpuint (a.pub_ip, ==, PUB);
  g_assert_cmpuint (b.pub_ip, ==, PUB + 1);
  g_assert_cmpuint (a.pub_port, ==, 40000);
  g_assert_cmpuint (b.pub_port, ==, 40000);
  out (f, &c, 0, TCP_SYN, ISN_C, 0, 0);
  g_assert_null (lookup (f, &c));
  g_assert_cmpuint (f->refused, ==, 1);
  out (f, &b2, 0, TCP_SYN, ISN_C, 0, 0);
  g_assert_cmpuint (b2.pub_ip, ==, PUB + 1);
  g_assert_cmpuint (b2.pub_port, ==, 40001);
  in (f, &a, SIM_MS (20), TCP_RST | TCP_ACK, 0, ISN_C + 1, 0);
  out (f, &c, SIM_MS (30), TCP_SYN, ISN_C, 0, 0);
  g_assert_cmpuint (c.pub_ip, ==, PUB);
}

/* Static: inside_base (default 10.0.0.2, the world's first client) + i
 * <-> 203.0.113.1 + i for i < 4, ports kept: 10.0.0.3 is i = 1, so
 * 203.0.113.2; 10.0.0.9 (i = 7) has no address and is refused.  Entries
 * still time out (SYN_SENT: 240 s), and an inbound SYN with no entry
 * meets the firewall (dropped). */
static void
test_mode_static (Fx *f, gconstpointer data)
{
  Flow a = flow (IP (10, 0, 0, 3), 40000), z = flow (IP (10, 0, 0, 9), 40000);
  FlowKey k = { SERVER, PUB + 1, SPORT, 22 };

  f->cfg.mode = NAT_MODE_STATIC;
  f->cfg.public_ips = 4;
  fx_start (f);
  out (f, &a, 0, TCP_SYN, ISN_C, 0, 0);
  g_assert_cmpuint (a.pub_ip, ==, PUB + 1);
  g_assert_cmpuint (a.pub_port, ==, 40000);
  out (f, &z, 0, TCP_SYN, ISN_C, 0, 0);
  g_assert_null (lookup (f, &z));
  g_assert_cmpuint (f->refused, ==, 1);
  nat_from_outside (f->nat, pk (f, k, TCP_SYN, 9000, 0, 0));
  g_assert_cmpuint (nat_stats (f->nat)->dropped_unsolicited, ==, 1);
  at (f, SIM_S (240));
  g_assert_null (lookup (f, &a));
  g_assert_cmpint (ended_nth (f, 0)->at, ==, SIM_S (240));
}

/* None: a pure stateful firewall.  Packets keep their addresses; replies
 * match the tracked entry; timeouts and S26 still apply. */
static void
test_mode_none (Fx *f, gconstpointer data)
{
  Flow fl = flow (CLIENT, CPORT);
  guint n;

  f->cfg.mode = NAT_MODE_NONE;
  f->cfg.established_timeout = SIM_S (350);
  fx_start (f);
  handshake (f, &fl, 0);
  g_assert_cmpuint (fl.pub_ip, ==, CLIENT);
  g_assert_cmpuint (fl.pub_port, ==, CPORT);
  g_assert_cmpuint (sent_nth (f, 0)->pk.key.src_ip, ==, CLIENT);
  g_assert_cmpuint (sent_nth (f, 1)->to, ==, TO_IN);
  at (f, SIM_MS (40) + SIM_S (350));
  g_assert_null (lookup (f, &fl));
  n = f->sent->len;
  in (f, &fl, SIM_S (400), TCP_ACK, ISN_S + 1, ISN_C + 1, 10);
  g_assert_cmpuint (f->sent->len, ==, n);
  g_assert_cmpuint (nat_stats (f->nat)->dropped_unsolicited, ==, 1);
}

/* Port forward 203.0.113.1:8080 -> 10.0.0.5:80: an inbound SYN makes the
 * entry and reaches the inside host; its SYN-ACK leaves from :8080; an
 * inbound ACK from elsewhere without SYN is unsolicited.  Outbound
 * allocation never hands out 8080 (the only pool port here is 8080 and
 * 8081: a client gets 8081). */
static void
test_forward (Fx *f, gconstpointer data)
{
  FlowKey syn = { IP (192, 0, 2, 7), PUB, 5555, 8080 };
  FlowKey inside = { IP (10, 0, 0, 5), IP (192, 0, 2, 7), 80, 5555 };
  FlowKey other = { IP (192, 0, 2, 8), PUB, 5555, 8080 };
  Flow c = flow (CLIENT, CPORT);
  const NatMapping *m;

  f->fwd[0] = (NatForward) { PUB, 8080, IP (10, 0, 0, 5), 80 };
  f->cfg.forwards = f->fwd;
  f->cfg.n_forwards = 1;
  f->cfg.port_lo = 8080;
  f->cfg.port_hi = 8081;
  fx_start (f);
  nat_from_outside (f->nat, pk (f, syn, TCP_SYN, 9000, 0, 0));
  g_assert_cmpuint (sent_last (f)->to, ==, TO_IN);
  g_assert_cmpuint (sent_last (f)->pk.key.dst_ip, ==, IP (10, 0, 0, 5));
  g_assert_cmpuint (sent_last (f)->pk.key.dst_port, ==, 80);
  m = nat_lookup_inside (f->nat, &inside);
  g_assert_nonnull (m);
  g_assert_cmpuint (m->public_port, ==, 8080);
  g_assert_false (m->replied);

  at (f, SIM_MS (1));
  nat_from_inside (f->nat, pk (f, inside, TCP_SYN | TCP_ACK, 3000, 9001, 0));
  g_assert_cmpuint (sent_last (f)->to, ==, TO_OUT);
  g_assert_cmpuint (sent_last (f)->pk.key.src_ip, ==, PUB);
  g_assert_cmpuint (sent_last (f)->pk.key.src_port, ==, 8080);
  at (f, SIM_MS (2));
  nat_from_outside (f->nat, pk (f, syn, TCP_ACK, 9001, 3001, 0));
  m = nat_lookup_inside (f->nat, &inside);
  g_assert_cmpuint (m->tcp_state, ==, NAT_TCP_ESTABLISHED);
  g_assert_true (m->replied);

  nat_from_outside (f->nat, pk (f, other, TCP_ACK, 1, 1, 0));
  g_assert_cmpuint (nat_stats (f->nat)->dropped_unsolicited, ==, 1);
  out (f, &c, SIM_MS (3), TCP_SYN, ISN_C, 0, 0);
  g_assert_cmpuint (c.pub_port, ==, 8081);
}

/* The oracle changes nothing: a random-port box asked many times still
 * hands the next SYN the port a fresh copy of its RNG predicts. */
static void
test_oracle_readonly (Fx *f, gconstpointer data)
{
  Flow a = flow (CLIENT, CPORT);
  SimRng copy = f->rng;
  guint16 want;

  f->cfg.port_mode = NAT_PORT_RANDOM;
  fx_start (f);
  want = (guint16) (1024 + sim_rng_below (&copy, 65535 - 1024 + 1));
  for (guint i = 0; i < 5; i++)
    g_assert_cmpuint (nat_pickup_port (f->nat, &a.k), ==, want);
  out (f, &a, 0, TCP_SYN, ISN_C, 0, 0);
  g_assert_cmpuint (a.pub_port, ==, want);
  /* A live entry answers with its own port. */
  g_assert_cmpuint (nat_pickup_port (f->nat, &a.k), ==, want);
}

/* ------------------------------------------------------------------ */
/* flow_table.h, the id tables behind the NAT and the server demux:     */
/* random adds, removes and lookups against a GHashTable reference,    */
/* with keys crowded onto few ports so runs collide and removal has to */
/* shift them back.                                                    */

static const FlowKey *
ft_key (const void *ctx, guint32 id)
{
  return &((const FlowKey *) ctx)[id];
}

/* Ids far apart: key i belongs to id base + i. */
typedef struct {
  const FlowKey *keys;
  guint32        base;
} FtSpread;

static const FlowKey *
ft_spread_key (const void *ctx, guint32 id)
{
  const FtSpread *s = ctx;

  return &s->keys[id - s->base];
}

/* The tag above each slot's id shrinks as ids need more bits: adding ids
 * 0, 1, 2, ... rebuilds the table at every power of two (17 times up to
 * 2^16), and every id added before must still be found, and nothing else.
 * Ids from 2^31 need all 32 bits, leaving no tag: lookups still work and
 * removal still shifts runs back. */
static void
test_flow_table_id_growth (void)
{
  enum { N = (1 << 16) + 5, HIGH = 1000 };
  FlowKey *keys = g_new (FlowKey, N);
  FtSpread spread = { keys, 0 };
  FlowTable t;

  for (guint32 i = 0; i < N; i++)
    keys[i] = (FlowKey) { 0x0A000000u + i, 0xC6336401u, (guint16) (1024 + i % 61), 443 };
  flow_table_init (&t);
  for (guint32 id = 0; id < N; id++)
    {
      g_assert_cmpuint (flow_table_lookup (&t, &keys[id], ft_spread_key, &spread), ==,
                        FLOW_TABLE_NONE);
      flow_table_add (&t, id, ft_spread_key, &spread);
      if (((id + 1) & id) == 0)          /* id + 1 a power of two: rebuilt */
        for (guint32 j = 0; j <= id; j++)
          g_assert_cmpuint (flow_table_lookup (&t, &keys[j], ft_spread_key, &spread), ==, j);
    }
  g_assert_cmpuint (t.id_mask, ==, (1u << 17) - 1);
  for (guint32 j = 0; j < N; j++)
    g_assert_cmpuint (flow_table_lookup (&t, &keys[j], ft_spread_key, &spread), ==, j);
  flow_table_clear (&t);

  spread.base = 1u << 31;
  flow_table_init (&t);
  for (guint32 i = 0; i < HIGH; i++)
    flow_table_add (&t, spread.base + i, ft_spread_key, &spread);
  g_assert_cmpuint (t.id_mask, ==, G_MAXUINT32);
  for (guint32 i = 0; i < HIGH; i += 2)
    g_assert_true (flow_table_remove (&t, spread.base + i, ft_spread_key, &spread));
  for (guint32 i = 0; i < HIGH; i++)
    g_assert_cmpuint (flow_table_lookup (&t, &keys[i], ft_spread_key, &spread), ==,
                      i % 2 ? spread.base + i : FLOW_TABLE_NONE);
  g_assert_cmpuint (flow_table_size (&t), ==, HIGH / 2);
  flow_table_clear (&t);
  g_free (keys);
}

static void
test_flow_table_random (void)
{
  enum { IDS = 5000, STEPS = 200000 };
  FlowKey *keys = g_new (FlowKey, IDS);
  gboolean *in = g_new0 (gboolean, IDS);
  g_autoptr(GHashTable) ref = g_hash_table_new (flow_key_hash, flow_key_equal);
  FlowTable t;
  SimRng rng;

  sim_rng_init (&rng, 7, 0, 0, "test:flow-table");
  for (guint32 i = 0; i < IDS; i++)
    keys[i] = (FlowKey) { 0x0A000002u + i / 7, 0xC6336401u, (guint16) (i % 7), 443 };
  flow_table_init (&t);
  for (guint step = 0; step < STEPS; step++)
    {
      guint32 id = (guint32) sim_rng_below (&rng, IDS);
      guint32 probe = (guint32) sim_rng_below (&rng, IDS);
      gpointer want;

      if (!in[id] && sim_rng_below (&rng, 3) != 0)
        {
          g_assert_cmpuint (flow_table_lookup (&t, &keys[id], ft_key, keys), ==, FLOW_TABLE_NONE);
          flow_table_add (&t, id, ft_key, keys);
          g_hash_table_insert (ref, &keys[id], GUINT_TO_POINTER (id + 1));
          in[id] = TRUE;
        }
      else if (in[id])
        {
          g_assert_true (flow_table_remove (&t, id, ft_key, keys));
          g_assert_false (flow_table_remove (&t, id, ft_key, keys));
          g_hash_table_remove (ref, &keys[id]);
          in[id] = FALSE;
        }
      want = g_hash_table_lookup (ref, &keys[probe]);
      g_assert_cmpuint (flow_table_lookup (&t, &keys[probe], ft_key, keys), ==,
                        want != NULL ? GPOINTER_TO_UINT (want) - 1 : FLOW_TABLE_NONE);
      g_assert_cmpuint (flow_table_size (&t), ==, g_hash_table_size (ref));
    }
  for (guint32 i = 0; i < IDS; i++)
    g_assert_cmpuint (flow_table_lookup (&t, &keys[i], ft_key, keys), ==,
                      in[i] ? i : FLOW_TABLE_NONE);
  flow_table_remove_all (&t);
  g_assert_cmpuint (flow_table_size (&t), ==, 0);
  g_assert_cmpuint (flow_table_lookup (&t, &keys[0], ft_key, keys), ==, FLOW_TABLE_NONE);
  flow_table_clear (&t);
  g_free (in);
  g_free (keys);
}

/* Entry hints (nat.h): whatever id a caller guesses, the box does what
 * it does without one.  The same random traffic (four inside ends, SYN,
 * ACK, data, FIN and RST both ways, short timeouts so entries expire,
 * reopen and are reused, loose pickup, a reboot half-way) goes once
 * through a box with no hints and once through one whose every packet
 * carries a guess drawn from: the hint its flow got back last time, none,
 * another flow's hint (a live entry with another tuple), a small id (live,
 * free or never used) and a random 32-bit value.  Packets let out, their
 * times, the mappings made and ended and the counters must be equal. */
static void
hint_run (Fx *f, gboolean hinted, guint64 seed)
{
  SimRng r;
  guint32 kept[4];
  Flow fl[4];

  f->cfg.established_timeout = SIM_S (30);
  f->cfg.transitory_timeout = SIM_S (10);
  f->cfg.loose = TRUE;
  f->cfg.port_lo = 1024;
  f->cfg.port_hi = 1029;
  fx_start (f);
  sim_rng_init (&r, seed, 0, 0, "test:hints");
  for (guint i = 0; i < 4; i++)
    {
      fl[i] = flow (CLIENT + i % 2, (guint16) (CPORT + i));
      kept[i] = NAT_HINT_NONE;
    }
  static const guint8 flags[] = {
    TCP_SYN, TCP_ACK, TCP_ACK, TCP_ACK, TCP_SYN | TCP_ACK, TCP_FIN | TCP_ACK, TCP_RST,
  };
  SimTime t = 0;
  for (guint n = 0; n < 4000; n++)
    {
      t += SIM_MS (1 + sim_rng_below (&r, 4000));
      if (n == 2000)
        {
          at (f, t);
          nat_reboot (f->nat);
        }
      guint i = (guint) sim_rng_below (&r, 4);
      gboolean inbound = sim_rng_below (&r, 2);
      guint8 fg = flags[sim_rng_below (&r, G_N_ELEMENTS (flags))];
      guint32 len = (fg & (TCP_SYN | TCP_RST)) ? 0 : (guint32) sim_rng_below (&r, 2) * 100;
      guint32 seq = ISN_C + (guint32) sim_rng_below (&r, 300);
      guint32 ack = ISN_S + (guint32) sim_rng_below (&r, 300);
      guint32 guess;
      switch (sim_rng_below (&r, 5))
        {
        case 0: guess = kept[i]; break;
        case 1: guess = NAT_HINT_NONE; break;
        case 2: guess = kept[(i + 1) % 4]; break;
        case 3: guess = (guint32) sim_rng_below (&r, 8); break;
        default: guess = (guint32) sim_rng_next_u64 (&r); break;
        }
      at (f, t);
      if (inbound)
        {
          const NatMapping *m = nat_lookup_inside (f->nat, &fl[i].k);
          FlowKey k = { fl[i].k.dst_ip, m != NULL ? m->public_ip : PUB, fl[i].k.dst_port,
                        m != NULL ? m->public_port : (guint16) (1024 + i) };
          Packet *p = pk (f, k, fg, ack, seq, len);
          if (hinted)
            nat_from_outside_hinted (f->nat, p, &guess);
          else
            nat_from_outside (f->nat, p);
        }
      else
        {
          Packet *p = pk (f, fl[i].k, fg, seq, ack, len);
          if (hinted)
            nat_from_inside_hinted (f->nat, p, &guess);
          else
            nat_from_inside (f->nat, p);
        }
      /* The hint the box hands back is the one kept for the flow. */
      kept[i] = guess;
    }
  at (f, t + SIM_S (100));
}

static void
test_hint_any_value (Fx *a, gconstpointer data)
{
  Fx b;

  fx_setup (&b, data);
  for (guint64 seed = 1; seed <= 4; seed++)
    {
      if (seed > 1)
        {
          /* A fresh Sim for each seed: the clock starts at 0 again. */
          fx_teardown (a, data);
          fx_setup (a, data);
          fx_teardown (&b, data);
          fx_setup (&b, data);
        }
      hint_run (a, FALSE, seed);
      hint_run (&b, TRUE, seed);
      /* Not a vacuous run: entries were made, ended and used both ways. */
      g_assert_cmpuint (a->made->len, >, 20);
      g_assert_cmpuint (a->ended->len, >, 20);
      g_assert_cmpuint (nat_stats (a->nat)->translated_in, >, 100);
      g_assert_cmpuint (nat_stats (a->nat)->translated_out, >, 100);
      g_assert_cmpmem (nat_stats (a->nat), sizeof (NatStats),
                       nat_stats (b.nat), sizeof (NatStats));
      g_assert_cmpuint (a->sent->len, ==, b.sent->len);
      for (guint i = 0; i < a->sent->len; i++)
        {
          const Sent *x = &g_array_index (a->sent, Sent, i);
          const Sent *y = &g_array_index (b.sent, Sent, i);
          g_assert_cmpint (x->t, ==, y->t);
          g_assert_cmpuint (x->to, ==, y->to);
          g_assert_true (flow_key_same (&x->pk.key, &y->pk.key));
          g_assert_cmpuint (x->pk.flags, ==, y->pk.flags);
          g_assert_cmpuint (x->pk.seq, ==, y->pk.seq);
          g_assert_cmpuint (x->pk.ack, ==, y->pk.ack);
          g_assert_cmpuint (x->pk.len, ==, y->pk.len);
        }
      g_assert_cmpuint (a->ended->len, ==, b.ended->len);
      for (guint i = 0; i < a->ended->len; i++)
        {
          const Ended *x = &g_array_index (a->ended, Ended, i);
          const Ended *y = &g_array_index (b.ended, Ended, i);
          g_assert_cmpint (x->now, ==, y->now);
          g_assert_cmpint (x->at, ==, y->at);
          g_assert_cmpint (x->why, ==, y->why);
          g_assert_cmpuint (x->m.public_port, ==, y->m.public_port);
        }
      g_assert_cmpuint (a->made->len, ==, b.made->len);
    }
  fx_teardown (&b, data);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  /* Every case once per native scheduler: both must give the same times
   * and the same same-instant order (ns-3's one-suite-per-scheduler). */
  static const SimSchedKind heap = SIM_SCHED_HEAP, wheel = SIM_SCHED_WHEEL;
#define ADD(path, fn) \
  G_STMT_START { \
    g_test_add ("/nat" path, Fx, &heap, fx_setup, fn, fx_teardown); \
    g_test_add ("/nat/wheel" path, Fx, &wheel, fx_setup, fn, fx_teardown); \
  } G_STMT_END
  ADD ("/S19/handshake-states", test_s19_handshake_states);
  ADD ("/S19/full-5-tuple", test_s19_full_tuple);
  ADD ("/S19/clamp-unacked", test_s19_clamp_unacked);
  ADD ("/S19/clamp-retrans", test_s19_clamp_retrans);
  ADD ("/S19/clamp-pickup-unreplied", test_s19_clamp_pickup);
  ADD ("/S19/rst-close-timeout", test_s19_rst_close);
  ADD ("/S19/fin-time-wait", test_s19_fin_time_wait);
  ADD ("/S19/port-sequential", test_s19_sequential);
  ADD ("/S19/port-random", test_s19_random);
  ADD ("/S19/max-mappings", test_s19_max_mappings);
  ADD ("/S19/port-exhaustion", test_s19_port_exhaustion);
  ADD ("/S19/port-exhaustion-full-range", test_s19_port_exhaustion_full_range);
  ADD ("/S20/refresh-inbound-only", test_s20_inbound_only);
  ADD ("/S20/refresh-outbound", test_s20_outbound);
  ADD ("/S20/refresh-data-ignores-probe", test_s20_data);
  ADD ("/S20/keepalive-probe-accepted", test_s20_keepalive);
  ADD ("/S21/expiry-tie", test_s21_expiry_tie);
  ADD ("/S21/packet-before-timer", test_s21_packet_first);
  ADD ("/S22/bounded-sweep-10000", test_s22_bounded_sweep);
  ADD ("/S22/timer-fires-early", test_s22_timer_early);
  ADD ("/S22/port-free-at-deadline", test_s22_port_free_at_deadline);
  ADD ("/S23/pickup-preserve", test_s23_pickup_preserve);
  ADD ("/S23/pickup-random-rst", test_s23_pickup_random_rst);
  ADD ("/S23/pickup-port-taken", test_s23_pickup_port_taken);
  ADD ("/S24/loose-off-drop", test_s24_drop);
  ADD ("/S24/loose-off-forward", test_s24_forward);
  ADD ("/S24/loose-off-rst", test_s24_rst);
  ADD ("/S25/fin-rst-not-picked-up", test_s25_fin_rst);
  ADD ("/S25/invalid-rst", test_s25_fin_rst_invalid_rst);
  ADD ("/S26/unsolicited-drop", test_s26_drop);
  ADD ("/S26/unsolicited-rst", test_s26_rst);
  ADD ("/S27/rst-reply-deletes", test_s27_rst_reply);
  ADD ("/S28/on-expiry-rst", test_s28_rst);
  ADD ("/S28/on-expiry-fin", test_s28_fin);
  ADD ("/S28/on-expiry-probe-kept", test_s28_probe_kept);
  ADD ("/S28/on-expiry-probe-expires", test_s28_probe_expires);
  ADD ("/S32/reboot", test_s32_reboot);
  ADD ("/mode/dynamic", test_mode_dynamic);
  ADD ("/mode/static", test_mode_static);
  ADD ("/mode/none", test_mode_none);
  ADD ("/forward/inbound-syn", test_forward);
  ADD ("/oracle/read-only", test_oracle_readonly);
  ADD ("/hint/any-value", test_hint_any_value);
#undef ADD
  g_test_add_func ("/nat/flow-table/random", test_flow_table_random);
  g_test_add_func ("/nat/flow-table/id-growth", test_flow_table_id_growth);

  return g_test_run ();
}
