/* tests/test_link.c — the link model and the packet helpers it carries.
 *
 * Link cases build a Sim, a PacketPool and one link whose two sides record
 * what arrives and when; expected times are worked out by hand from the
 * contract (40 header bytes + payload, rounded up to whole ns).  Packet cases
 * check the S18 RST reply (SEMANTICS.md, RFC 9293 §3.10.7.1), the pool's
 * recycling and the one-line format.  Only simulated time is used.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib.h>

#include "sim/sim.h"
#include "sim/rng.h"
#include "models/packet.h"
#include "models/link.h"

#define IP(a, b, c, d) (((guint32) (a) << 24) | ((guint32) (b) << 16) | ((guint32) (c) << 8) | (guint32) (d))

typedef struct {
  SimTime  at;
  LinkSide side;
  guint32  seq;
  guint32  len;
} Arrival;

typedef struct {
  Sim        *sim;
  PacketPool *pool;
  Link       *link;
  GArray     *arrivals;    /* Arrival, in delivery order */
  guint64     tapped;
  guint64     tapped_dropped;
} Fixture;

static void
on_receive (void *node, Packet *p, LinkSide at)
{
  Fixture *f = node;
  Arrival a = { sim_now (f->sim), at, p->seq, p->len };

  g_array_append_val (f->arrivals, a);
  packet_free (f->pool, p);
}

static void
on_tap (void *user, const Link *link, const Packet *p, LinkSide from,
        gboolean dropped)
{
  Fixture *f = user;

  f->tapped++;
  if (dropped)
    f->tapped_dropped++;
}

static void
fixture_setup (Fixture *f, const LinkConfig *cfg)
{
  g_autoptr(GError) error = NULL;
  SimRng rng;

  f->sim = sim_new (SIM_SCHED_HEAP, &error);
  g_assert_no_error (error);
  f->pool = packet_pool_new ();
  sim_rng_init (&rng, 1, 0, 0, "link:test:loss");
  f->link = link_new (f->sim, f->pool, "test", cfg, &rng);
  link_attach (f->link, LINK_SIDE_A, on_receive, f);
  link_attach (f->link, LINK_SIDE_B, on_receive, f);
  link_set_tap (f->link, on_tap, f);
  f->arrivals = g_array_new (FALSE, FALSE, sizeof (Arrival));
  f->tapped = f->tapped_dropped = 0;
}

static void
fixture_teardown (Fixture *f)
{
  sim_free (f->sim);
  link_free (f->link);
  g_assert_cmpuint (packet_pool_live (f->pool), ==, 0);
  packet_pool_free (f->pool);
  g_array_unref (f->arrivals);
}

static void
send_data (Fixture *f, LinkSide from, guint32 seq, guint32 len)
{
  Packet *p = packet_new (f->pool);

  p->key = (FlowKey) { IP (10, 0, 0, 2), IP (198, 51, 100, 1), 40000, 443 };
  p->seq = seq;
  p->len = len;
  p->flags = TCP_ACK;
  link_send (f->link, from, p);
}

static const Arrival *
arrival (Fixture *f, guint i)
{
  g_assert_cmpuint (i, <, f->arrivals->len);
  return &g_array_index (f->arrivals, Arrival, i);
}

static void
test_delay (void)
{
  LinkConfig cfg = { .delay = SIM_MS (10), .rate_bps = 0, .loss = 0.0 };
  Fixture f;

  fixture_setup (&f, &cfg);
  send_data (&f, LINK_SIDE_A, 1, 1000);
  sim_run_until (f.sim, SIM_MS (3));
  send_data (&f, LINK_SIDE_B, 2, 0);

  /* Infinite rate: arrival = send time + delay, nothing else. */
  sim_run_until (f.sim, SIM_MS (10) - 1);
  g_assert_cmpuint (f.arrivals->len, ==, 0);
  sim_run_until (f.sim, SIM_MS (10));
  g_assert_cmpuint (f.arrivals->len, ==, 1);
  g_assert_cmpint (arrival (&f, 0)->at, ==, SIM_MS (10));
  g_assert_cmpint (arrival (&f, 0)->side, ==, LINK_SIDE_B);
  g_assert_cmpuint (arrival (&f, 0)->seq, ==, 1);

  sim_run (f.sim);
  g_assert_cmpuint (f.arrivals->len, ==, 2);
  g_assert_cmpint (arrival (&f, 1)->at, ==, SIM_MS (13));
  g_assert_cmpint (arrival (&f, 1)->side, ==, LINK_SIDE_A);

  g_assert_cmpuint (link_sent (f.link), ==, 2);
  g_assert_cmpuint (link_dropped (f.link), ==, 0);
  g_assert_cmpuint (f.tapped, ==, 2);
  g_assert_cmpstr (link_name (f.link), ==, "test");
  g_assert_cmpint (link_config (f.link)->delay, ==, SIM_MS (10));
  fixture_teardown (&f);
}

static void
test_serialization (void)
{
  LinkConfig cfg = { .delay = SIM_MS (5), .rate_bps = 8000000, .loss = 0.0 };
  Fixture f;

  fixture_setup (&f, &cfg);
  /* 1000 B payload at 8 Mbit/s: (1040 * 8) / 8e6 s = 1.04 ms on the wire.
   * Three back to back from A queue behind each other; one from B at the
   * same instant uses B's own transmitter. */
  send_data (&f, LINK_SIDE_A, 1, 1000);
  send_data (&f, LINK_SIDE_A, 2, 1000);
  send_data (&f, LINK_SIDE_A, 3, 1000);
  send_data (&f, LINK_SIDE_B, 4, 1000);
  sim_run_until (f.sim, SIM_MS (20));
  g_assert_cmpuint (f.arrivals->len, ==, 4);
  /* A→B #1 and B→A both at 1.04 + 5 ms, in send order. */
  g_assert_cmpuint (arrival (&f, 0)->seq, ==, 1);
  g_assert_cmpint (arrival (&f, 0)->at, ==, SIM_US (6040));
  g_assert_cmpuint (arrival (&f, 1)->seq, ==, 4);
  g_assert_cmpint (arrival (&f, 1)->at, ==, SIM_US (6040));
  g_assert_cmpint (arrival (&f, 1)->side, ==, LINK_SIDE_A);
  g_assert_cmpuint (arrival (&f, 2)->seq, ==, 2);
  g_assert_cmpint (arrival (&f, 2)->at, ==, SIM_US (7080));
  g_assert_cmpuint (arrival (&f, 3)->seq, ==, 3);
  g_assert_cmpint (arrival (&f, 3)->at, ==, SIM_US (8120));

  /* Idle transmitter again: a packet sent at 20 ms starts at once. */
  send_data (&f, LINK_SIDE_A, 5, 1000);
  sim_run (f.sim);
  g_assert_cmpint (arrival (&f, 4)->at, ==, SIM_MS (20) + SIM_US (1040) + SIM_MS (5));
  fixture_teardown (&f);

  /* Rounding up: 0 B payload at 3 Mbit/s is 320 / 3e6 s = 106666.67 ns,
   * so 106667 ns; the second packet starts there, not a fraction earlier. */
  cfg = (LinkConfig) { .delay = 0, .rate_bps = 3000000, .loss = 0.0 };
  fixture_setup (&f, &cfg);
  send_data (&f, LINK_SIDE_A, 1, 0);
  send_data (&f, LINK_SIDE_A, 2, 0);
  sim_run (f.sim);
  g_assert_cmpint (arrival (&f, 0)->at, ==, 106667);
  g_assert_cmpint (arrival (&f, 1)->at, ==, 2 * 106667);
  fixture_teardown (&f);
}

static guint64
run_lossy (double loss, guint n, guint *delivered)
{
  LinkConfig cfg = { .delay = SIM_MS (1), .rate_bps = 0, .loss = loss };
  Fixture f;
  guint64 dropped;

  fixture_setup (&f, &cfg);
  for (guint i = 0; i < n; i++)
    {
      send_data (&f, LINK_SIDE_A, i, 0);
      if (i % 1000 == 999)
        sim_run_until (f.sim, sim_now (f.sim) + SIM_US (10));
    }
  sim_run (f.sim);
  dropped = link_dropped (f.link);
  *delivered = f.arrivals->len;
  g_assert_cmpuint (link_sent (f.link), ==, n);
  g_assert_cmpuint (f.tapped, ==, n);
  g_assert_cmpuint (f.tapped_dropped, ==, dropped);
  fixture_teardown (&f);
  return dropped;
}

static void
test_loss_rate (void)
{
  const guint n = 100000;
  guint delivered, delivered2;
  guint64 dropped, dropped2;

  /* Binomial(10^5, 0.1): mean 10^4, sd sqrt(10^5 * 0.1 * 0.9) = 94.9.
   * ±600 is more than 6 sd, so a correct link never fails it. */
  dropped = run_lossy (0.1, n, &delivered);
  g_assert_cmpuint (dropped + delivered, ==, n);
  g_assert_cmpfloat (fabs ((double) dropped - 10000.0), <, 600.0);

  /* Same stream, same draws. */
  dropped2 = run_lossy (0.1, n, &delivered2);
  g_assert_cmpuint (dropped2, ==, dropped);

  dropped = run_lossy (0.0, 1000, &delivered);
  g_assert_cmpuint (dropped, ==, 0);
  g_assert_cmpuint (delivered, ==, 1000);
  dropped = run_lossy (1.0, 1000, &delivered);
  g_assert_cmpuint (dropped, ==, 1000);
  g_assert_cmpuint (delivered, ==, 0);
}

static void
test_outage_in_flight (void)
{
  LinkConfig cfg = { .delay = SIM_MS (10), .rate_bps = 0, .loss = 0.0 };
  Fixture f;

  fixture_setup (&f, &cfg);
  send_data (&f, LINK_SIDE_A, 1, 100);        /* due at 10 ms */
  sim_run_until (f.sim, SIM_MS (5));
  link_set_up (f.link, FALSE);                /* p1 in flight: lost */
  g_assert_false (link_is_up (f.link));
  send_data (&f, LINK_SIDE_B, 2, 0);          /* down at send: dropped */
  g_assert_cmpuint (f.tapped_dropped, ==, 1);
  sim_run_until (f.sim, SIM_MS (6));
  link_set_up (f.link, TRUE);                 /* back before p1 was due */
  sim_run_until (f.sim, SIM_MS (7));
  send_data (&f, LINK_SIDE_A, 3, 0);          /* due at 17 ms */

  sim_run_until (f.sim, SIM_MS (10));
  g_assert_cmpuint (f.arrivals->len, ==, 0);
  g_assert_cmpuint (link_dropped (f.link), ==, 2);
  sim_run (f.sim);
  g_assert_cmpuint (f.arrivals->len, ==, 1);
  g_assert_cmpuint (arrival (&f, 0)->seq, ==, 3);
  g_assert_cmpint (arrival (&f, 0)->at, ==, SIM_MS (17));
  g_assert_cmpuint (link_sent (f.link), ==, 3);
  g_assert_cmpuint (link_dropped (f.link), ==, 2);
  /* The tap saw p1 as sent: it was on the wire when the link died. */
  g_assert_cmpuint (f.tapped, ==, 3);
  g_assert_cmpuint (f.tapped_dropped, ==, 1);
  fixture_teardown (&f);

  /* A queue behind a busy transmitter dies with the link too, and the
   * transmitter is free at once: 1000 B at 8 Mbit/s is 1.04 ms each. */
  cfg = (LinkConfig) { .delay = SIM_MS (1), .rate_bps = 8000000, .loss = 0.0 };
  fixture_setup (&f, &cfg);
  for (guint i = 0; i < 10; i++)
    send_data (&f, LINK_SIDE_A, i, 1000);     /* queue drains at 10.4 ms */
  /* At 3 ms #0 has arrived (2.04 ms), #1 is on the wire (due 3.08 ms) and
   * #2..#9 are queued: nine lost.  The next packet starts at 3 ms. */
  sim_run_until (f.sim, SIM_MS (3));
  link_set_up (f.link, FALSE);
  link_set_up (f.link, TRUE);
  send_data (&f, LINK_SIDE_A, 100, 1000);
  sim_run (f.sim);
  g_assert_cmpuint (f.arrivals->len, ==, 2);
  g_assert_cmpint (arrival (&f, 0)->at, ==, SIM_US (1040) + SIM_MS (1));
  g_assert_cmpuint (arrival (&f, 1)->seq, ==, 100);
  g_assert_cmpint (arrival (&f, 1)->at, ==, SIM_MS (3) + SIM_US (1040) + SIM_MS (1));
  g_assert_cmpuint (link_dropped (f.link), ==, 9);
  fixture_teardown (&f);
}

/* Packets in flight go back to the pool whichever of Sim and Link is
 * freed first (ASan checks that nothing dangles). */
static void
test_teardown (void)
{
  LinkConfig cfg = { .delay = SIM_MS (10), .rate_bps = 0, .loss = 0.0 };
  Fixture f;

  fixture_setup (&f, &cfg);
  send_data (&f, LINK_SIDE_A, 1, 0);
  send_data (&f, LINK_SIDE_B, 2, 0);
  g_assert_cmpuint (packet_pool_live (f.pool), ==, 2);
  sim_free (f.sim);                           /* destroy notifies */
  g_assert_cmpuint (packet_pool_live (f.pool), ==, 0);
  link_free (f.link);
  packet_pool_free (f.pool);
  g_array_unref (f.arrivals);

  fixture_setup (&f, &cfg);
  send_data (&f, LINK_SIDE_A, 1, 0);
  send_data (&f, LINK_SIDE_B, 2, 0);
  link_free (f.link);                         /* drops the arrivals */
  g_assert_cmpuint (packet_pool_live (f.pool), ==, 0);
  sim_run (f.sim);                            /* nothing left to fire */
  g_assert_cmpuint (f.arrivals->len, ==, 0);
  sim_free (f.sim);
  packet_pool_free (f.pool);
  g_array_unref (f.arrivals);

  /* The Link first, then the Sim. */
  fixture_setup (&f, &cfg);
  send_data (&f, LINK_SIDE_A, 1, 0);
  link_free (f.link);
  sim_free (f.sim);
  g_assert_cmpuint (packet_pool_live (f.pool), ==, 0);
  packet_pool_free (f.pool);
  g_array_unref (f.arrivals);
}

static Packet *
make (PacketPool *pool, guint8 flags, guint32 seq, guint32 ack, guint32 len)
{
  Packet *p = packet_new (pool);

  p->key = (FlowKey) { IP (10, 0, 0, 2), IP (198, 51, 100, 1), 40000, 443 };
  p->flags = flags;
  p->seq = seq;
  p->ack = ack;
  p->len = len;
  p->origin = PACKET_ORIGIN_NAT;
  p->flow = 7;
  return p;
}

static void
test_rst_with_ack (void)
{
  PacketPool *pool = packet_pool_new ();
  Packet *in = make (pool, TCP_ACK | TCP_PSH, 1000, 5000, 100);
  Packet *rst = packet_new_rst_reply (pool, in);
  char buf[128];

  /* <SEQ=SEG.ACK><CTL=RST>, no ACK flag. */
  g_assert_nonnull (rst);
  g_assert_cmpuint (rst->flags, ==, TCP_RST);
  g_assert_cmpuint (rst->seq, ==, 5000);
  g_assert_cmpuint (rst->ack, ==, 0);
  g_assert_cmpuint (rst->len, ==, 0);
  g_assert_cmpuint (rst->key.src_ip, ==, IP (198, 51, 100, 1));
  g_assert_cmpuint (rst->key.dst_ip, ==, IP (10, 0, 0, 2));
  g_assert_cmpuint (rst->key.src_port, ==, 443);
  g_assert_cmpuint (rst->key.dst_port, ==, 40000);
  g_assert_cmpuint (rst->origin, ==, PACKET_ORIGIN_HOST);
  g_assert_cmpuint (rst->flow, ==, 7);
  g_assert_cmpuint (rst->ttl, ==, 64);
  g_assert_cmpstr (packet_format (rst, buf, sizeof buf), ==,
                   "198.51.100.1:443>10.0.0.2:40000 [R] seq 5000 ack 0 len 0");

  /* A keep-alive probe (seq = snd_una - 1, no data) to a restarted peer. */
  packet_free (pool, rst);
  packet_free (pool, in);
  in = make (pool, TCP_ACK, 999, 5000, 0);
  rst = packet_new_rst_reply (pool, in);
  g_assert_cmpuint (rst->seq, ==, 5000);
  g_assert_cmpuint (rst->flags, ==, TCP_RST);
  packet_free (pool, rst);

  /* Never a RST for a RST, with or without ACK. */
  in->flags = TCP_RST | TCP_ACK;
  g_assert_null (packet_new_rst_reply (pool, in));
  in->flags = TCP_RST;
  g_assert_null (packet_new_rst_reply (pool, in));
  packet_free (pool, in);
  g_assert_cmpuint (packet_pool_live (pool), ==, 0);
  packet_pool_free (pool);
}

static void
test_rst_without_ack (void)
{
  PacketPool *pool = packet_pool_new ();
  Packet *in = make (pool, TCP_SYN, 1000, 0, 0);
  Packet *rst = packet_new_rst_reply (pool, in);
  char buf[128];

  /* <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>; a SYN occupies one. */
  g_assert_cmpuint (rst->flags, ==, TCP_RST | TCP_ACK);
  g_assert_cmpuint (rst->seq, ==, 0);
  g_assert_cmpuint (rst->ack, ==, 1001);
  g_assert_cmpuint (rst->key.src_port, ==, 443);
  g_assert_cmpuint (rst->key.dst_port, ==, 40000);
  g_assert_cmpuint (rst->origin, ==, PACKET_ORIGIN_HOST);
  g_assert_cmpstr (packet_format (rst, buf, sizeof buf), ==,
                   "198.51.100.1:443>10.0.0.2:40000 [R.] seq 0 ack 1001 len 0");
  packet_free (pool, rst);
  packet_free (pool, in);

  /* FIN with 10 data bytes, no ACK, sequence wrapping past 2^32. */
  in = make (pool, TCP_FIN, 0xfffffffa, 0, 10);
  rst = packet_new_rst_reply (pool, in);
  g_assert_cmpuint (rst->ack, ==, 5);          /* 0xfffffffa + 11 mod 2^32 */
  g_assert_cmpuint (rst->flags, ==, TCP_RST | TCP_ACK);
  packet_free (pool, rst);
  packet_free (pool, in);
  packet_pool_free (pool);
}

static void
test_pool_reuse (void)
{
  PacketPool *pool = packet_pool_new ();
  Packet *ps[600];
  Packet *p, *c;
  char buf[128];
  gboolean seen = FALSE;

  /* More than two slabs' worth, all distinct and all zeroed. */
  for (guint i = 0; i < G_N_ELEMENTS (ps); i++)
    {
      ps[i] = packet_new (pool);
      g_assert_cmpuint (ps[i]->ttl, ==, 64);
      g_assert_cmpuint (ps[i]->seq, ==, 0);
      ps[i]->seq = i;
      ps[i]->flags = TCP_SYN | TCP_ACK;
    }
  g_assert_cmpuint (packet_pool_live (pool), ==, G_N_ELEMENTS (ps));
  for (guint i = 0; i < G_N_ELEMENTS (ps); i++)
    g_assert_cmpuint (ps[i]->seq, ==, i);
  for (guint i = 0; i < G_N_ELEMENTS (ps); i++)
    packet_free (pool, ps[i]);
  packet_free (pool, NULL);
  g_assert_cmpuint (packet_pool_live (pool), ==, 0);

  /* A recycled packet comes back zeroed. */
  p = packet_new (pool);
  for (guint i = 0; i < G_N_ELEMENTS (ps); i++)
    seen |= p == ps[i];
  g_assert_true (seen);
  g_assert_cmpuint (p->seq, ==, 0);
  g_assert_cmpuint (p->flags, ==, 0);
  g_assert_cmpuint (p->ttl, ==, 64);
  g_assert_null (p->next_free);

  p->key = (FlowKey) { IP (10, 0, 0, 2), IP (198, 51, 100, 1), 40000, 443 };
  p->flags = TCP_SYN | TCP_ACK;
  p->seq = 1;
  c = packet_copy (pool, p);
  g_assert_true (c != p);
  g_assert_true (flow_key_equal (&c->key, &p->key));
  g_assert_cmpuint (flow_key_hash (&c->key), ==, flow_key_hash (&p->key));
  g_assert_cmpstr (packet_format (c, buf, sizeof buf), ==,
                   "10.0.0.2:40000>198.51.100.1:443 [S.] seq 1 ack 0 len 0");
  c->key.src_port++;
  g_assert_false (flow_key_equal (&c->key, &p->key));
  g_assert_cmpuint (flow_key_hash (&c->key), !=, flow_key_hash (&p->key));
  g_assert_cmpuint (packet_pool_live (pool), ==, 2);

  g_assert_cmpstr (ip_format (IP (255, 0, 10, 1), buf, sizeof buf), ==, "255.0.10.1");

  /* Freeing the pool with packets out releases their slabs too. */
  packet_pool_free (pool);
}

/* Flow keys differing in one port should spread over a small table. */
static void
test_flow_key_hash (void)
{
  guint buckets[64] = { 0 };
  const guint n = 64 * 1000;

  for (guint i = 0; i < n; i++)
    {
      FlowKey k = { IP (10, 0, 0, 2), IP (198, 51, 100, 1), 40000 + i, 443 };
      buckets[flow_key_hash (&k) & 63]++;
    }
  /* Mean 1000, sd about 31.5: ±200 is over 6 sd. */
  for (guint b = 0; b < 64; b++)
    {
      g_assert_cmpuint (buckets[b], >, 800);
      g_assert_cmpuint (buckets[b], <, 1200);
    }

  FlowKey k = { 1, 2, 3, 4 };
  g_assert_cmpuint (flow_key_hash (&k), ==, flow_key_hash (&k));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/link/delay", test_delay);
  g_test_add_func ("/link/serialization", test_serialization);
  g_test_add_func ("/link/loss-rate", test_loss_rate);
  g_test_add_func ("/link/outage-in-flight", test_outage_in_flight);
  g_test_add_func ("/link/teardown", test_teardown);
  g_test_add_func ("/packet/rst-reply/S18-with-ack", test_rst_with_ack);
  g_test_add_func ("/packet/rst-reply/S18-without-ack", test_rst_without_ack);
  g_test_add_func ("/packet/pool-reuse", test_pool_reuse);
  g_test_add_func ("/packet/flow-key-hash", test_flow_key_hash);

  return g_test_run ();
}
