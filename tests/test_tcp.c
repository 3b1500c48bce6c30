/* tests/test_tcp.c — the TCP endpoint against SEMANTICS.md S1–S18.
 *
 * Each case builds a Sim, a PacketPool and two TcpConns, a client
 * 10.0.0.2:40000 and a server 198.51.100.1:443, joined by a fake wire: a
 * segment reaches the peer one fixed one-way delay later (4 ms unless the
 * case says otherwise, so RTT = 8 ms and the first RTO is
 * 8 + max (2·8, 200) = 208 ms, S12), unless its direction is cut (a black
 * hole).  A segment for a CLOSED endpoint is answered by the "stack" with
 * packet_new_rst_reply (S18), except the first SYN to the listening server,
 * which tcp_conn_accept takes.  Every segment sent is logged with its time,
 * and the application callbacks with theirs; expected values are worked
 * out by hand next to each assertion from the SEMANTICS formula it checks.
 * The handshake starts at t = 0: SYN at 0, SYN-ACK at 4 ms, the client is
 * ESTABLISHED at 8 ms (its last_rx) and the server at 12 ms (its last_rx).
 * Only simulated time is used.
 */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "sim/sim.h"
#include "models/packet.h"
#include "models/tcp.h"

#define CLIENT      0
#define SERVER      1
#define CLIENT_IP   0x0A000002u      /* 10.0.0.2 */
#define SERVER_IP   0xC6336401u      /* 198.51.100.1 */
#define CLIENT_ISS  1000u
#define SERVER_ISS  5000000u
#define WIRE_DELAY  SIM_MS (4)

/* t seconds + ms milliseconds */
#define T(s, ms)    (SIM_S (s) + SIM_MS (ms))

typedef enum {
  K_SYN, K_SYNACK, K_RST, K_FIN, K_DATA, K_PROBE, K_ACK, K_ANY
} Kind;

typedef struct {
  SimTime t;
  int     from;
  Kind    kind;
  guint8  flags;
  guint32 seq, ack, len;
} Rec;

typedef struct {
  SimTime  connected_at, err_at, eof_at, closed_at, acked_at;
  TcpErr   err;
  TcpCause cause;
  guint    n_connected, n_err, n_eof, n_closed, n_acked;
  guint64  recv_bytes;
} SideLog;

typedef struct {
  Sim        *sim;
  PacketPool *pool;
  TcpConfig   cfg[2];
  TcpOps      ops;
  TcpEnv      env[2];      /* cfg[side], ops, pool */
  TcpConn     conn[2];
  FlowKey     key[2];      /* as each side sends */
  SimTime     delay;       /* one way */
  gboolean    cut[2];      /* what side i sends vanishes */
  gboolean    listening;   /* the server takes the next SYN (tcp_conn_accept) */
  guint32     echo[2];     /* side i answers every payload with this many bytes */
  GArray     *log;         /* Rec: every segment sent, also into a cut */
  SideLog     side[2];
} Fixture;

typedef struct {
  Fixture *f;
  int      to;
  Packet  *p;
} Delivery;

static int
side_of (Fixture *f, TcpConn *c)
{
  return c == &f->conn[CLIENT] ? CLIENT : SERVER;
}

static Kind
classify (const Packet *p, guint32 snd_nxt)
{
  if ((p->flags & TCP_SYN) && (p->flags & TCP_ACK))
    return K_SYNACK;
  if (p->flags & TCP_SYN)
    return K_SYN;
  if (p->flags & TCP_RST)
    return K_RST;
  if (p->flags & TCP_FIN)
    return K_FIN;
  if (p->len > 0)
    return K_DATA;
  /* S4: a bare ACK one below the sender's snd_nxt is a keep-alive probe. */
  if (p->flags == TCP_ACK && p->seq == snd_nxt - 1)
    return K_PROBE;
  return K_ACK;
}

static void
delivery_free (void *data)
{
  Delivery *d = data;

  packet_free (d->f->pool, d->p);
  g_free (d);
}

static void wire_send (Fixture *f, int from, Kind kind, Packet *p);

static void
wire_deliver (Sim *sim, void *data)
{
  Delivery *d = data;
  Fixture *f = d->f;
  TcpConn *c = &f->conn[d->to];
  Packet *p = g_steal_pointer (&d->p);

  if (tcp_conn_state (c) == TCP_CLOSED)
    {
      Packet *rst;

      if (d->to == SERVER && f->listening
          && (p->flags & (TCP_SYN | TCP_ACK | TCP_RST)) == TCP_SYN)
        {
          f->listening = FALSE;
          tcp_conn_accept (c, p);
          packet_free (f->pool, p);
          return;
        }
      /* No socket for this 4-tuple: the host's stack answers (S18). */
      rst = packet_new_rst_reply (f->pool, p);
      packet_free (f->pool, p);
      if (rst != NULL)
        wire_send (f, d->to, K_RST, rst);
      return;
    }
  tcp_conn_receive (c, p);
}

static void
wire_send (Fixture *f, int from, Kind kind, Packet *p)
{
  Rec r = { sim_now (f->sim), from, kind, p->flags, p->seq, p->ack, p->len };
  Delivery *d;

  g_array_append_val (f->log, r);
  if (f->cut[from])
    {
      packet_free (f->pool, p);
      return;
    }
  d = g_new0 (Delivery, 1);
  d->f = f;
  d->to = 1 - from;
  d->p = p;
  sim_schedule (f->sim, sim_now (f->sim) + f->delay, wire_deliver, d,
                delivery_free);
}

static void
f_output (void *owner, TcpConn *c, Packet *p)
{
  Fixture *f = owner;

  /* White box: the sender's snd_nxt tells a probe from a plain ACK. */
  wire_send (f, side_of (f, c), classify (p, c->snd_nxt), p);
}

static void
f_on_connected (void *owner, TcpConn *c)
{
  Fixture *f = owner;
  SideLog *s = &f->side[side_of (f, c)];

  s->connected_at = sim_now (f->sim);
  s->n_connected++;
}

static void
f_on_recv (void *owner, TcpConn *c, guint32 bytes)
{
  Fixture *f = owner;
  int side = side_of (f, c);

  f->side[side].recv_bytes += bytes;
  if (f->echo[side] > 0)
    g_assert_cmpint (tcp_conn_send (c, f->echo[side]), ==,
                     TCP_ERR_NONE);
}

static void
f_on_acked (void *owner, TcpConn *c)
{
  Fixture *f = owner;
  SideLog *s = &f->side[side_of (f, c)];

  s->acked_at = sim_now (f->sim);
  s->n_acked++;
}

static void
f_on_eof (void *owner, TcpConn *c)
{
  Fixture *f = owner;
  SideLog *s = &f->side[side_of (f, c)];

  s->eof_at = sim_now (f->sim);
  s->n_eof++;
}

static void
f_on_error (void *owner, TcpConn *c, TcpErr err, TcpCause cause,
            const Packet *rst)
{
  Fixture *f = owner;
  SideLog *s = &f->side[side_of (f, c)];

  g_assert_cmpint (tcp_conn_state (c), ==, TCP_CLOSED);
  g_assert_true ((err == TCP_ERR_RESET) == (rst != NULL));
  s->err_at = sim_now (f->sim);
  s->err = err;
  s->cause = cause;
  s->n_err++;
}

static void
f_on_closed (void *owner, TcpConn *c)
{
  Fixture *f = owner;
  SideLog *s = &f->side[side_of (f, c)];

  s->closed_at = sim_now (f->sim);
  s->n_closed++;
}

static void
f_setup (Fixture *f, gconstpointer data)
{
  f->sim = sim_new (SIM_SCHED_HEAP, NULL);
  g_assert_nonnull (f->sim);
  f->pool = packet_pool_new ();
  tcp_config_init_defaults (&f->cfg[CLIENT]);
  tcp_config_init_defaults (&f->cfg[SERVER]);
  f->ops = (TcpOps) {
    .output = f_output, .on_connected = f_on_connected, .on_recv = f_on_recv,
    .on_acked = f_on_acked, .on_eof = f_on_eof, .on_error = f_on_error,
    .on_closed = f_on_closed,
  };
  f->key[CLIENT] = (FlowKey) { CLIENT_IP, SERVER_IP, 40000, 443 };
  f->key[SERVER] = flow_key_reverse (f->key[CLIENT]);
  f->delay = WIRE_DELAY;
  f->listening = TRUE;
  f->log = g_array_new (FALSE, FALSE, sizeof (Rec));
  /* The configs are borrowed (through the envs): a case may still change
   * them before f_connect, not while the connection is open (tcp.h). */
  tcp_env_init (&f->env[CLIENT], f->sim, &f->cfg[CLIENT], &f->ops, f->pool, f);
  tcp_env_init (&f->env[SERVER], f->sim, &f->cfg[SERVER], &f->ops, f->pool, f);
  tcp_conn_init (&f->conn[CLIENT], &f->env[CLIENT], f->key[CLIENT], CLIENT_ISS);
  tcp_conn_init (&f->conn[SERVER], &f->env[SERVER], f->key[SERVER], SERVER_ISS);
}

static void
f_teardown (Fixture *f, gconstpointer data)
{
  tcp_conn_clear (&f->conn[CLIENT]);
  tcp_conn_clear (&f->conn[SERVER]);
  sim_free (f->sim);               /* frees the packets still on the wire */
  g_assert_cmpuint (packet_pool_live (f->pool), ==, 0);
  packet_pool_free (f->pool);
  g_array_unref (f->log);
}

static void
f_run (Fixture *f, SimTime until)
{
  sim_run_until (f->sim, until);
}

/* Opens the connection at the current time and runs the handshake (three
 * one-way delays). */
static void
f_connect (Fixture *f)
{
  SimTime t0 = sim_now (f->sim);

  tcp_conn_connect (&f->conn[CLIENT]);
  f_run (f, t0 + 3 * f->delay);
  g_assert_cmpint (tcp_conn_state (&f->conn[CLIENT]), ==, TCP_ESTABLISHED);
  g_assert_cmpint (tcp_conn_state (&f->conn[SERVER]), ==, TCP_ESTABLISHED);
}

/* A segment from @to's peer arrives at @to now. */
static void
f_inject (Fixture *f, int to, guint8 flags, guint32 seq, guint32 ack,
          guint32 len)
{
  Packet *p = packet_new (f->pool);

  p->key = f->key[1 - to];
  p->flags = flags;
  p->seq = seq;
  p->ack = ack;
  p->len = len;
  tcp_conn_receive (&f->conn[to], p);
}

/* The @n-th (from 0) segment of @kind sent by @from at or after @since;
 * NULL if none. */
static const Rec *
f_nth (Fixture *f, int from, Kind kind, SimTime since, guint n)
{
  for (guint i = 0; i < f->log->len; i++)
    {
      const Rec *r = &g_array_index (f->log, Rec, i);

      if (r->from != from || r->t < since || (kind != K_ANY && r->kind != kind))
        continue;
      if (n-- == 0)
        return r;
    }
  return NULL;
}

/* Segments of @kind sent by @from in [t0, t1]. */
static guint
f_count (Fixture *f, int from, Kind kind, SimTime t0, SimTime t1)
{
  guint n = 0;

  for (guint i = 0; i < f->log->len; i++)
    {
      const Rec *r = &g_array_index (f->log, Rec, i);

      if (r->from == from && r->t >= t0 && r->t <= t1
          && (kind == K_ANY || r->kind == kind))
        n++;
    }
  return n;
}

static void
f_set_keepalive (Fixture *f, int side, gint64 idle_s, gint64 intvl_s,
                 guint cnt)
{
  f->cfg[side].keepalive = TRUE;
  f->cfg[side].keepidle = SIM_S (idle_s);
  f->cfg[side].keepintvl = SIM_S (intvl_s);
  f->cfg[side].keepcnt = cnt;
}

/* At @send the client sends 100 bytes into a black hole (what it sends
 * vanishes); at @repair, with the data still unacknowledged, the path
 * comes back; runs on to @until. */
static void
f_black_hole_send (Fixture *f, SimTime send, SimTime repair, SimTime until)
{
  f_run (f, send);
  f->cut[CLIENT] = TRUE;
  tcp_conn_send (&f->conn[CLIENT], 100);
  f_run (f, repair);
  g_assert_true (tcp_conn_busy (&f->conn[CLIENT]));
  f->cut[CLIENT] = FALSE;
  f_run (f, until);
}

#define ADD(path, fn) \
  g_test_add (path, Fixture, NULL, f_setup, fn, f_teardown)
#define ADD_DATA(path, data, fn) \
  g_test_add (path, Fixture, data, f_setup, fn, f_teardown)

/* ------------------------------------------------------------------ */
/* Basics                                                              */

static void
test_sizeof (void)
{
  g_test_message ("sizeof (TcpConn) = %" G_GSIZE_FORMAT, sizeof (TcpConn));
  /* DESIGN.md memory goal: a flow in a few hundred bytes. */
  g_assert_cmpuint (sizeof (TcpConn), <=, 184);
}

static void
test_names (void)
{
  g_assert_cmpstr (tcp_state_name (TCP_ESTABLISHED), ==, "ESTABLISHED");
  g_assert_cmpstr (tcp_state_name (TCP_TIME_WAIT), ==, "TIME_WAIT");
  g_assert_cmpstr (tcp_cause_name (TCP_CAUSE_KEEPALIVE), ==, "keepalive");
  g_assert_cmpstr (tcp_cause_name (TCP_CAUSE_RTO), ==, "rto");
  g_assert_cmpstr (tcp_cause_name (TCP_CAUSE_UTO), ==, "uto");
  g_assert_cmpstr (tcp_cause_name (TCP_CAUSE_FIN), ==, "fin");
}

/* S1: keep-alive is off unless asked for; Linux values otherwise. */
static void
test_s1_defaults (void)
{
  TcpConfig cfg;

  tcp_config_init_defaults (&cfg);
  g_assert_false (cfg.keepalive);
  g_assert_cmpint (cfg.keepidle, ==, SIM_S (7200));
  g_assert_cmpint (cfg.keepintvl, ==, SIM_S (75));
  g_assert_cmpuint (cfg.keepcnt, ==, 9);
  g_assert_cmpint (cfg.user_timeout, ==, 0);
  g_assert_cmpuint (cfg.retries2, ==, 15);
  g_assert_cmpuint (cfg.syn_retries, ==, 6);
  g_assert_cmpint (cfg.rto_min, ==, SIM_MS (200));
  g_assert_cmpint (cfg.rto_max, ==, SIM_S (120));
  g_assert_cmpint (cfg.rto_initial, ==, SIM_S (1));
  g_assert_true (cfg.tlp);
}

static void
test_handshake (Fixture *f, gconstpointer data)
{
  const Rec *r;

  f_connect (f);
  r = f_nth (f, CLIENT, K_ANY, 0, 0);
  g_assert_cmpint (r->kind, ==, K_SYN);
  g_assert_cmpint (r->t, ==, 0);
  g_assert_cmpuint (r->seq, ==, CLIENT_ISS);
  r = f_nth (f, SERVER, K_ANY, 0, 0);
  g_assert_cmpint (r->kind, ==, K_SYNACK);
  g_assert_cmpint (r->t, ==, SIM_MS (4));
  g_assert_cmpuint (r->seq, ==, SERVER_ISS);
  g_assert_cmpuint (r->ack, ==, CLIENT_ISS + 1);
  r = f_nth (f, CLIENT, K_ANY, 0, 1);
  g_assert_cmpint (r->kind, ==, K_ACK);
  g_assert_cmpint (r->t, ==, SIM_MS (8));
  g_assert_cmpuint (r->seq, ==, CLIENT_ISS + 1);
  g_assert_cmpuint (r->ack, ==, SERVER_ISS + 1);
  g_assert_cmpint (f->side[CLIENT].connected_at, ==, SIM_MS (8));
  g_assert_cmpint (f->side[SERVER].connected_at, ==, SIM_MS (12));
  g_assert_cmpint (tcp_conn_last_rx (&f->conn[CLIENT]), ==, SIM_MS (8));
  g_assert_cmpint (tcp_conn_last_rx (&f->conn[SERVER]), ==, SIM_MS (12));
  /* Both sides time SYN → SYN-ACK / SYN-ACK → ACK: R = 8 ms. */
  g_assert_cmpint (tcp_conn_srtt (&f->conn[CLIENT]), ==, SIM_MS (8));
  g_assert_cmpint (tcp_conn_srtt (&f->conn[SERVER]), ==, SIM_MS (8));
  g_assert_true (tcp_conn_is_open (&f->conn[CLIENT]));
  g_assert_false (tcp_conn_busy (&f->conn[CLIENT]));
}

/* connect() with syn_retries = 6 into a black hole: SYNs at
 * 0, 1, 3, 7, 15, 31, 63 s (gaps 1·2^k), failure at 127 s. */
static void
test_syn_give_up (Fixture *f, gconstpointer data)
{
  static const gint64 at[] = { 0, 1, 3, 7, 15, 31, 63 };

  f->cut[CLIENT] = TRUE;
  tcp_conn_connect (&f->conn[CLIENT]);
  f_run (f, SIM_S (127) - 1);
  g_assert_cmpuint (f->side[CLIENT].n_err, ==, 0);
  f_run (f, SIM_S (300));
  g_assert_cmpuint (f_count (f, CLIENT, K_SYN, 0, SIM_S (300)), ==, 7);
  for (guint k = 0; k < G_N_ELEMENTS (at); k++)
    g_assert_cmpint (f_nth (f, CLIENT, K_SYN, 0, k)->t, ==, SIM_S (at[k]));
  g_assert_cmpuint (f->side[CLIENT].n_err, ==, 1);
  g_assert_cmpint (f->side[CLIENT].err_at, ==, SIM_S (127));
  g_assert_cmpint (f->side[CLIENT].err, ==, TCP_ERR_TIMEDOUT);
  g_assert_cmpint (f->side[CLIENT].cause, ==, TCP_CAUSE_SYN);
  g_assert_cmpint (f->side[CLIENT].closed_at, ==, SIM_S (127));
  g_assert_cmpuint (f_count (f, CLIENT, K_RST, 0, SIM_S (300)), ==, 0);
  g_assert_cmpint (tcp_conn_send (&f->conn[CLIENT], 1), ==,
                   TCP_ERR_PIPE);
}

/* RFC 6298 §5.7 + Karn: a retransmitted SYN gives no sample, so the client
 * starts with RTO = 3 s; the server's SYN-ACK was not resent, so it has
 * R = 8 ms and RTO = 208 ms. */
static void
test_syn_retransmitted_no_sample (Fixture *f, gconstpointer data)
{
  f->cut[CLIENT] = TRUE;
  tcp_conn_connect (&f->conn[CLIENT]);
  f_run (f, SIM_MS (500));
  f->cut[CLIENT] = FALSE;
  f_run (f, SIM_S (2));
  /* Second SYN at 1 s, SYN-ACK back at 1.008 s. */
  g_assert_cmpint (f->side[CLIENT].connected_at, ==, T (1, 8));
  g_assert_cmpint (f->side[SERVER].connected_at, ==, T (1, 12));
  g_assert_cmpint (tcp_conn_srtt (&f->conn[CLIENT]), ==, 0);
  g_assert_cmpint (tcp_conn_rto (&f->conn[CLIENT]), ==, SIM_S (3));
  g_assert_cmpint (tcp_conn_rto (&f->conn[SERVER]), ==, SIM_MS (208));
  g_assert_cmpuint (tcp_conn_retrans (&f->conn[CLIENT]), ==, 1);
}

/* The passive side resends its SYN-ACK at 1·2^k s and gives up after
 * tcp_synack_retries = 5: SYN-ACKs at 0.004 + 0, 1, 3, 7, 15, 31 s, failure
 * at 0.004 + 63 s.  (Both directions cut after the first SYN, so no
 * duplicate SYN draws an extra SYN-ACK.) */
static void
test_synack_give_up (Fixture *f, gconstpointer data)
{
  static const gint64 at[] = { 0, 1, 3, 7, 15, 31 };

  tcp_conn_connect (&f->conn[CLIENT]);
  f->cut[CLIENT] = f->cut[SERVER] = TRUE;
  f_run (f, SIM_S (100));
  g_assert_cmpuint (f_count (f, SERVER, K_SYNACK, 0, SIM_S (100)), ==, 6);
  for (guint k = 0; k < G_N_ELEMENTS (at); k++)
    g_assert_cmpint (f_nth (f, SERVER, K_SYNACK, 0, k)->t, ==,
                     SIM_MS (4) + SIM_S (at[k]));
  g_assert_cmpint (f->side[SERVER].err_at, ==, T (63, 4));
  g_assert_cmpint (f->side[SERVER].cause, ==, TCP_CAUSE_SYN);
  g_assert_cmpuint (f->side[SERVER].n_connected, ==, 0);
}

/* Data queued while connecting leaves right after the handshake ACK. */
static void
test_send_before_established (Fixture *f, gconstpointer data)
{
  const Rec *r;

  tcp_conn_connect (&f->conn[CLIENT]);
  g_assert_cmpint (tcp_conn_send (&f->conn[CLIENT], 300), ==,
                   TCP_ERR_NONE);
  f_run (f, SIM_S (1));
  r = f_nth (f, CLIENT, K_DATA, 0, 0);
  g_assert_nonnull (r);
  g_assert_cmpint (r->t, ==, SIM_MS (8));
  g_assert_cmpuint (r->seq, ==, CLIENT_ISS + 1);
  g_assert_cmpuint (r->len, ==, 300);
  g_assert_cmpuint (f->side[SERVER].recv_bytes, ==, 300);
  g_assert_cmpint (f->side[CLIENT].acked_at, ==, SIM_MS (16));
}

/* ------------------------------------------------------------------ */
/* Data path                                                           */

/* One segment in flight: sends made meanwhile leave together after the
 * ACK. */
static void
test_data_one_in_flight (Fixture *f, gconstpointer data)
{
  const Rec *r;

  f_connect (f);
  f_run (f, SIM_S (1));
  tcp_conn_send (&f->conn[CLIENT], 100);
  tcp_conn_send (&f->conn[CLIENT], 50);
  tcp_conn_send (&f->conn[CLIENT], 70);
  g_assert_true (tcp_conn_busy (&f->conn[CLIENT]));
  f_run (f, SIM_S (2));
  g_assert_cmpuint (f_count (f, CLIENT, K_DATA, 0, SIM_S (2)), ==, 2);
  r = f_nth (f, CLIENT, K_DATA, 0, 0);
  g_assert_cmpint (r->t, ==, SIM_S (1));
  g_assert_cmpuint (r->len, ==, 100);
  r = f_nth (f, CLIENT, K_DATA, 0, 1);
  g_assert_cmpint (r->t, ==, T (1, 8));        /* the first ACK's arrival */
  g_assert_cmpuint (r->seq, ==, CLIENT_ISS + 101);
  g_assert_cmpuint (r->len, ==, 120);
  g_assert_cmpuint (f->side[SERVER].recv_bytes, ==, 220);
  g_assert_cmpuint (f->side[CLIENT].n_acked, ==, 1);
  g_assert_cmpint (f->side[CLIENT].acked_at, ==, T (1, 16));
  g_assert_false (tcp_conn_busy (&f->conn[CLIENT]));
}

/* A segment beyond rcv_nxt (no out-of-order queue) is answered with a
 * duplicate ACK and dropped. */
static void
test_data_gap_dup_ack (Fixture *f, gconstpointer data)
{
  const Rec *r;

  f_connect (f);
  f_run (f, SIM_S (5));
  f_inject (f, CLIENT, TCP_ACK | TCP_PSH, SERVER_ISS + 1 + 100,
            CLIENT_ISS + 1, 10);
  r = f_nth (f, CLIENT, K_ANY, SIM_S (5), 0);
  g_assert_nonnull (r);
  g_assert_cmpint (r->kind, ==, K_ACK);
  g_assert_cmpuint (r->seq, ==, CLIENT_ISS + 1);
  g_assert_cmpuint (r->ack, ==, SERVER_ISS + 1);
  g_assert_cmpuint (f->side[CLIENT].recv_bytes, ==, 0);
  g_assert_cmpuint (f_count (f, CLIENT, K_ANY, SIM_S (5), SIM_S (5)), ==, 1);
}

/* Old duplicates draw a duplicate ACK and are not delivered again.  One
 * ending exactly at rcv_nxt passes Linux's acceptability test, so its
 * acceptable ACK field moves last_rx (S2); one wholly left of rcv_nxt is
 * discarded before its ACK is looked at. */
static void
test_data_old_duplicate (Fixture *f, gconstpointer data)
{
  f_connect (f);
  f_run (f, SIM_S (1));
  tcp_conn_send (&f->conn[SERVER], 10);     /* arrives at 1.004 */
  f_run (f, SIM_S (5));
  g_assert_cmpuint (f->side[CLIENT].recv_bytes, ==, 10);
  g_assert_cmpint (tcp_conn_last_rx (&f->conn[CLIENT]), ==, T (1, 4));

  /* Wholly old: [rcv_nxt − 20, rcv_nxt − 10). */
  f_inject (f, CLIENT, TCP_ACK | TCP_PSH, SERVER_ISS + 1 - 10,
            CLIENT_ISS + 1, 10);
  g_assert_cmpuint (f_count (f, CLIENT, K_ACK, SIM_S (5), SIM_S (5)), ==, 1);
  g_assert_cmpint (tcp_conn_last_rx (&f->conn[CLIENT]), ==, T (1, 4));

  f_run (f, SIM_S (6));
  /* The retransmission of the last segment: [rcv_nxt − 10, rcv_nxt). */
  f_inject (f, CLIENT, TCP_ACK | TCP_PSH, SERVER_ISS + 1, CLIENT_ISS + 1, 10);
  g_assert_cmpuint (f_count (f, CLIENT, K_ACK, SIM_S (6), SIM_S (6)), ==, 1);
  g_assert_cmpuint (f->side[CLIENT].recv_bytes, ==, 10);
  g_assert_cmpint (tcp_conn_last_rx (&f->conn[CLIENT]), ==, SIM_S (6));
}

/* ------------------------------------------------------------------ */
/* S1 — opt-in, per socket                                             */

/* Only the socket with SO_KEEPALIVE probes; the other only answers.
 * Client 60/10/9: probes at 0.008 + 60 = 60.008, then every 60 + RTT:
 * 120.016, 180.024 (S5). */
static void
test_s1_opt_in (Fixture *f, gconstpointer data)
{
  f_set_keepalive (f, CLIENT, 60, 10, 9);
  f_connect (f);
  f_run (f, SIM_S (200));
  g_assert_cmpuint (f_count (f, CLIENT, K_PROBE, 0, SIM_S (200)), ==, 3);
  g_assert_cmpint (f_nth (f, CLIENT, K_PROBE, 0, 0)->t, ==, T (60, 8));
  g_assert_cmpint (f_nth (f, CLIENT, K_PROBE, 0, 1)->t, ==, T (120, 16));
  g_assert_cmpint (f_nth (f, CLIENT, K_PROBE, 0, 2)->t, ==, T (180, 24));
  g_assert_cmpuint (f_count (f, SERVER, K_PROBE, 0, SIM_S (200)), ==, 0);
  /* The server sent only its handshake segment and three answers. */
  g_assert_cmpuint (f_count (f, SERVER, K_ANY, SIM_S (1), SIM_S (200)), ==, 3);
  g_assert_cmpuint (tcp_conn_probes_sent (&f->conn[CLIENT]), ==, 3);
  g_assert_cmpuint (tcp_conn_probes_sent (&f->conn[SERVER]), ==, 0);
}

/* S1: one unanswered probe does not mean the peer is dead.  60/10/3, the
 * first probe (60.008) is lost, the second (70.008) is answered at 70.016;
 * the count is cleared, so no abort at 0.008 + 60 + 3·10 = 90.008, and the
 * next probe is at max (70.008 + 10, 70.016 + 60) = 130.016 (S5). */
static void
test_s1_single_lost_probe (Fixture *f, gconstpointer data)
{
  f_set_keepalive (f, CLIENT, 60, 10, 3);
  f_connect (f);
  f_run (f, SIM_S (59));
  f->cut[CLIENT] = TRUE;
  f_run (f, SIM_S (65));
  f->cut[CLIENT] = FALSE;
  f_run (f, SIM_S (200));
  g_assert_cmpint (f_nth (f, CLIENT, K_PROBE, 0, 0)->t, ==, T (60, 8));
  g_assert_cmpint (f_nth (f, CLIENT, K_PROBE, 0, 1)->t, ==, T (70, 8));
  g_assert_cmpint (f_nth (f, CLIENT, K_PROBE, 0, 2)->t, ==, T (130, 16));
  g_assert_cmpint (f_nth (f, CLIENT, K_PROBE, 0, 3)->t, ==, T (190, 24));
  g_assert_cmpuint (f->side[CLIENT].n_err, ==, 0);
  g_assert_cmpint (tcp_conn_state (&f->conn[CLIENT]), ==, TCP_ESTABLISHED);
}

/* ------------------------------------------------------------------ */
/* S2 — the idle clock                                                 */

/* A request/response restarts the clock when the response arrives:
 * request at 30 s, server ACK and 200-byte response at 30.004, both at the
 * client at 30.008 → first probe at 30.008 + 60 = 90.008. */
static void
test_s2_response_restarts_clock (Fixture *f, gconstpointer data)
{
  f_set_keepalive (f, CLIENT, 60, 10, 9);
  f->echo[SERVER] = 200;
  f_connect (f);
  f_run (f, SIM_S (30));
  tcp_conn_send (&f->conn[CLIENT], 100);
  /* Nothing this end sends moves last_rx. */
  g_assert_cmpint (tcp_conn_last_rx (&f->conn[CLIENT]), ==, SIM_MS (8));
  f_run (f, SIM_S (31));
  g_assert_cmpuint (f->side[CLIENT].recv_bytes, ==, 200);
  g_assert_cmpint (tcp_conn_last_rx (&f->conn[CLIENT]), ==, T (30, 8));
  f_run (f, SIM_S (100));
  g_assert_cmpuint (f_count (f, CLIENT, K_PROBE, 0, SIM_S (100)), ==, 1);
  g_assert_cmpint (f_nth (f, CLIENT, K_PROBE, 0, 0)->t, ==, T (90, 8));
}

/* Own data acknowledged: last_rx is the ACK's arrival (30.008), not the
 * send (30 s); first probe at 90.008. */
static void
test_s2_own_send_then_ack (Fixture *f, gconstpointer data)
{
  f_set_keepalive (f, CLIENT, 60, 10, 9);
  f_connect (f);
  f_run (f, SIM_S (30));
  tcp_conn_send (&f->conn[CLIENT], 100);
  f_run (f, SIM_S (31));
  g_assert_cmpint (tcp_conn_last_rx (&f->conn[CLIENT]), ==, T (30, 8));
  f_run (f, SIM_S (100));
  g_assert_cmpint (f_nth (f, CLIENT, K_PROBE, 0, 0)->t, ==, T (90, 8));
}

/* A duplicate ACK (ack = snd_una) is acceptable and restarts the clock:
 * injected at 30 s → first probe at 90 s. */
static void
test_s2_dup_ack_counts (Fixture *f, gconstpointer data)
{
  f_set_keepalive (f, CLIENT, 60, 10, 9);
  f_connect (f);
  f_run (f, SIM_S (30));
  f_inject (f, CLIENT, TCP_ACK, SERVER_ISS + 1, CLIENT_ISS + 1, 0);
  g_assert_cmpint (tcp_conn_last_rx (&f->conn[CLIENT]), ==, SIM_S (30));
  /* A pure ACK is not answered. */
  g_assert_cmpuint (f_count (f, CLIENT, K_ANY, SIM_S (30), SIM_S (30)), ==, 0);
  f_run (f, SIM_S (100));
  g_assert_cmpint (f_nth (f, CLIENT, K_PROBE, 0, 0)->t, ==, SIM_S (90));
}

/* Segments outside the window, and ACKs of data never sent, do not move
 * the clock: first probe still at 0.008 + 60 = 60.008. */
static void
test_s2_unacceptable_ignored (Fixture *f, gconstpointer data)
{
  f_set_keepalive (f, CLIENT, 60, 10, 9);
  f_connect (f);
  f_run (f, SIM_S (30));
  /* Beyond the window (65535): a duplicate ACK answers it. */
  f_inject (f, CLIENT, TCP_ACK, SERVER_ISS + 1 + 100000, CLIENT_ISS + 1, 0);
  /* In the window, but ACKs 10 bytes never sent: dropped (silently in
   * ESTABLISHED, as Linux does). */
  f_inject (f, CLIENT, TCP_ACK, SERVER_ISS + 1, CLIENT_ISS + 11, 0);
  g_assert_cmpuint (f_count (f, CLIENT, K_ACK, SIM_S (30), SIM_S (30)), ==, 1);
  g_assert_cmpint (tcp_conn_last_rx (&f->conn[CLIENT]), ==, SIM_MS (8));
  f_run (f, SIM_S (100));
  g_assert_cmpint (f_nth (f, CLIENT, K_PROBE, 0, 0)->t, ==, T (60, 8));
}

/* ------------------------------------------------------------------ */
/* S3 — first probe                                                    */

/* Server data at 20 s reaches the client at 20.004: the tick armed for
 * 60.008 re-arms lazily and the first probe leaves at 20.004 + 60 =
 * 80.004; nothing leaves the client in between but its ACK.  The same
 * case with kernel timers is /tcp/kernel-timers/remainder-rearm. */
typedef struct { guint hz; SimTime probe; } LazyRearm;

static void
test_s3_lazy_rearm (Fixture *f, gconstpointer data)
{
  const LazyRearm *k = data;

  f_set_keepalive (f, CLIENT, 60, 10, 9);
  f->cfg[CLIENT].timer_hz = k->hz;
  f_connect (f);
  f_run (f, SIM_S (20));
  tcp_conn_send (&f->conn[SERVER], 50);
  f_run (f, SIM_S (100));
  g_assert_cmpuint (f_count (f, CLIENT, K_ANY, T (20, 5), k->probe - SIM_MS (1)), ==, 0);
  g_assert_cmpint (f_nth (f, CLIENT, K_PROBE, 0, 0)->t, ==, k->probe);
}

/* Ticks that would only re-arm are not events (tcp_timer.c): client
 * 60/10, server no keep-alive.  Probes at (k + 1)·60.008 (S5); the tick
 * keepintvl after each (70.008, 130.016, 190.024) finds the answer's
 * last_rx and would only re-arm for the remainder, so it is skipped.  In
 * (1 s, 250 s] each of the 4 cycles is 3 events: the tick that probes,
 * the probe arriving at the server, the answer arriving at the client —
 * 12 events, where one event per skipped tick would make it 15. */
static void
test_s3_skipped_ticks_cost_nothing (Fixture *f, gconstpointer data)
{
  guint64 e0;

  f_set_keepalive (f, CLIENT, 60, 10, 9);
  f_connect (f);
  f_run (f, SIM_S (1));
  e0 = sim_events (f->sim);
  f_run (f, SIM_S (250));
  g_assert_cmpuint (f_count (f, CLIENT, K_PROBE, 0, SIM_S (250)), ==, 4);
  g_assert_cmpuint (sim_events (f->sim) - e0, ==, 4 * 3);
}

/* The skipped tick still decides what happens, with what it would have
 * seen.  Probe at 60.008, answer (last_rx) at 60.016; Linux's sk_timer is
 * then at 70.008.  (a) The client sends at 65 s, ACKed at 65.008: the tick
 * at 70.008 re-arms for 65.008 + 60, the probe leaves at 125.008.
 * (b) The client sends at 100 s, after that tick, which re-armed for
 * 60.016 + 60 = 120.016; the ACK at 100.008 moves last_rx, so the tick at
 * 120.016 re-arms for 160.008, where the probe leaves. */
static void
test_s3_skipped_tick_then_send (Fixture *f, gconstpointer data)
{
  SimTime at = GPOINTER_TO_INT (data) ? SIM_S (100) : SIM_S (65);
  SimTime probe = GPOINTER_TO_INT (data) ? T (160, 8) : T (125, 8);

  f_set_keepalive (f, CLIENT, 60, 10, 9);
  f_connect (f);
  f_run (f, at);
  g_assert_cmpint (f_nth (f, CLIENT, K_PROBE, 0, 0)->t, ==, T (60, 8));
  tcp_conn_send (&f->conn[CLIENT], 100);
  f_run (f, at + SIM_S (1));
  g_assert_cmpint (tcp_conn_last_rx (&f->conn[CLIENT]), ==, at + SIM_MS (8));
  f_run (f, SIM_S (200));
  g_assert_cmpuint (f_count (f, CLIENT, K_PROBE, T (60, 9), probe - 1), ==, 0);
  g_assert_cmpint (f_nth (f, CLIENT, K_PROBE, T (60, 9), 0)->t, ==, probe);
}

/* ------------------------------------------------------------------ */
/* S4 — probe and answer on the wire                                   */

/* After 100 bytes sent at 1 s (ACKed at 1.008), the probe at 61.008 is
 * seq = snd_una − 1 = ISS + 101 − 1, ack = rcv_nxt = server ISS + 1, len 0,
 * flags ACK only.  The answer (61.012) is a duplicate ACK: seq = server
 * snd_nxt = SERVER_ISS + 1, ack = server rcv_nxt = CLIENT_ISS + 101. */
static void
test_s4_probe_fields (Fixture *f, gconstpointer data)
{
  const Rec *probe, *answer;

  f_set_keepalive (f, CLIENT, 60, 10, 9);
  f_connect (f);
  f_run (f, SIM_S (1));
  tcp_conn_send (&f->conn[CLIENT], 100);
  f_run (f, SIM_S (62));
  probe = f_nth (f, CLIENT, K_PROBE, 0, 0);
  g_assert_nonnull (probe);
  g_assert_cmpint (probe->t, ==, T (61, 8));
  g_assert_cmphex (probe->flags, ==, TCP_ACK);
  g_assert_cmpuint (probe->seq, ==, CLIENT_ISS + 100);
  g_assert_cmpuint (probe->ack, ==, SERVER_ISS + 1);
  g_assert_cmpuint (probe->len, ==, 0);
  answer = f_nth (f, SERVER, K_ANY, T (61, 8), 0);
  g_assert_nonnull (answer);
  g_assert_cmpint (answer->t, ==, T (61, 12));
  g_assert_cmphex (answer->flags, ==, TCP_ACK);
  g_assert_cmpuint (answer->seq, ==, SERVER_ISS + 1);
  g_assert_cmpuint (answer->ack, ==, CLIENT_ISS + 101);
  g_assert_cmpuint (answer->len, ==, 0);
  g_assert_cmpint (tcp_conn_last_rx (&f->conn[CLIENT]), ==, T (61, 16));
}

/* ------------------------------------------------------------------ */
/* S5 — answered probe                                                 */

/* keepintvl (10) < keepidle + RTT: steady period keepidle + RTT = 60.008 s:
 * last_rx 0.008, probes at 0.008 + 60 = 60.008, then 120.016, 180.024,
 * 240.032, i.e. (k + 1)·60.008. */
static void
test_s5_steady_period (Fixture *f, gconstpointer data)
{
  f_set_keepalive (f, CLIENT, 60, 10, 9);
  f_connect (f);
  f_run (f, SIM_S (250));
  g_assert_cmpuint (f_count (f, CLIENT, K_PROBE, 0, SIM_S (250)), ==, 4);
  for (guint k = 0; k < 4; k++)
    g_assert_cmpint (f_nth (f, CLIENT, K_PROBE, 0, k)->t, ==,
                     (k + 1) * (SIM_S (60) + SIM_MS (8)));
}

/* keepintvl (30) > keepidle (10) + RTT: the period is keepintvl:
 * max (t_probe + 30, t_ans + 10) = t_probe + 30 → 10.008, 40.008, 70.008. */
static void
test_s5_period_keepintvl (Fixture *f, gconstpointer data)
{
  f_set_keepalive (f, CLIENT, 10, 30, 9);
  f_connect (f);
  f_run (f, SIM_S (75));
  g_assert_cmpuint (f_count (f, CLIENT, K_PROBE, 0, SIM_S (75)), ==, 3);
  g_assert_cmpint (f_nth (f, CLIENT, K_PROBE, 0, 0)->t, ==, T (10, 8));
  g_assert_cmpint (f_nth (f, CLIENT, K_PROBE, 0, 1)->t, ==, T (40, 8));
  g_assert_cmpint (f_nth (f, CLIENT, K_PROBE, 0, 2)->t, ==, T (70, 8));
}

/* S5/S6: answers lost until 75 s with 60/10/3: probes 60.008 and 70.008
 * unanswered, 80.008 answered at 80.016, so the abort due at
 * 0.008 + 60 + 3·10 = 90.008 never happens; next probe at
 * max (80.008 + 10, 80.016 + 60) = 140.016. */
static void
test_s5_answer_clears_count (Fixture *f, gconstpointer data)
{
  f_set_keepalive (f, CLIENT, 60, 10, 3);
  f_connect (f);
  f->cut[SERVER] = TRUE;
  f_run (f, SIM_S (75));
  f->cut[SERVER] = FALSE;
  f_run (f, SIM_S (141));
  g_assert_cmpint (f_nth (f, CLIENT, K_PROBE, 0, 0)->t, ==, T (60, 8));
  g_assert_cmpint (f_nth (f, CLIENT, K_PROBE, 0, 1)->t, ==, T (70, 8));
  g_assert_cmpint (f_nth (f, CLIENT, K_PROBE, 0, 2)->t, ==, T (80, 8));
  g_assert_cmpint (f_nth (f, CLIENT, K_PROBE, 0, 3)->t, ==, T (140, 16));
  g_assert_cmpint (tcp_conn_last_rx (&f->conn[CLIENT]), ==, T (140, 24));
  g_assert_cmpuint (f->side[CLIENT].n_err, ==, 0);
}

/* ------------------------------------------------------------------ */
/* S6 — unanswered probes and abort                                    */

typedef struct {
  const char *name;
  gint64      idle_s, intvl_s;
  guint       cnt;
  gint64      detect_s;     /* keepidle + keepcnt·keepintvl */
} DeadPeer;

static const DeadPeer dead_linux   = { "linux",   7200, 75,  9, 7875 };
static const DeadPeer dead_windows = { "windows", 7200,  1, 10, 7210 };
static const DeadPeer dead_bsd     = { "bsd",     7200, 75,  8, 7800 };
static const DeadPeer dead_go      = { "go",        15, 15,  9,  150 };

/* The peer vanishes right after the handshake (both directions cut).
 * Probes at last_rx + keepidle + k·keepintvl, k = 0 … keepcnt − 1; abort at
 * last_rx + keepidle + keepcnt·keepintvl, last_rx = 0.008 s:
 * Linux 7200 + 9·75 = 7875, Windows 7200 + 10·1 = 7210,
 * BSD/macOS 7200 + 8·75 = 7800, Go 15 + 9·15 = 150 s. */
static void
test_s6_dead_peer (Fixture *f, gconstpointer data)
{
  const DeadPeer *d = data;
  SimTime last_rx = SIM_MS (8);
  SimTime t_abort = last_rx + SIM_S (d->detect_s);

  g_assert_cmpint (SIM_S (d->idle_s) + d->cnt * SIM_S (d->intvl_s), ==,
                   SIM_S (d->detect_s));
  f_set_keepalive (f, CLIENT, d->idle_s, d->intvl_s, d->cnt);
  f_connect (f);
  g_assert_cmpint (tcp_conn_last_rx (&f->conn[CLIENT]), ==, last_rx);
  f->cut[CLIENT] = f->cut[SERVER] = TRUE;
  f_run (f, t_abort - 1);
  g_assert_cmpuint (f->side[CLIENT].n_err, ==, 0);
  f_run (f, t_abort + SIM_S (1000));

  g_assert_cmpuint (f_count (f, CLIENT, K_PROBE, 0, t_abort), ==, d->cnt);
  for (guint k = 0; k < d->cnt; k++)
    g_assert_cmpint (f_nth (f, CLIENT, K_PROBE, 0, k)->t, ==,
                     last_rx + SIM_S (d->idle_s) + k * SIM_S (d->intvl_s));
  g_assert_cmpuint (f->side[CLIENT].n_err, ==, 1);
  g_assert_cmpint (f->side[CLIENT].err_at, ==, t_abort);
  g_assert_cmpint (f->side[CLIENT].err_at - last_rx, ==, SIM_S (d->detect_s));
  g_assert_cmpint (f->side[CLIENT].err, ==, TCP_ERR_TIMEDOUT);
  g_assert_cmpint (f->side[CLIENT].cause, ==, TCP_CAUSE_KEEPALIVE);
  g_assert_cmpuint (tcp_conn_probes_sent (&f->conn[CLIENT]), ==, d->cnt);
  /* The server, without keep-alive, never learns (S11, S30). */
  g_assert_cmpint (tcp_conn_state (&f->conn[SERVER]), ==, TCP_ESTABLISHED);
}

/* ------------------------------------------------------------------ */
/* S7 — keep-alive abort as the application sees it                    */

/* Go profile 15/15/9; the server's answers are lost (server → client
 * cut), the client's segments still arrive.  Abort at 0.008 + 150 =
 * 150.008 with exactly one RST, seq = snd_nxt = CLIENT_ISS + 1,
 * ack = rcv_nxt; the error is reported at that instant; later sends get
 * EPIPE and send nothing.  The RST lands on the server's rcv_nxt, which
 * resets at 150.012 (S18). */
static void
test_s7_rst_at_abort (Fixture *f, gconstpointer data)
{
  const Rec *rst;
  SimTime t_abort = T (150, 8);
  guint before;

  f_set_keepalive (f, CLIENT, 15, 15, 9);
  f_connect (f);
  f->cut[SERVER] = TRUE;
  f_run (f, SIM_S (300));
  g_assert_cmpint (f->side[CLIENT].err_at, ==, t_abort);
  g_assert_cmpint (f->side[CLIENT].closed_at, ==, t_abort);
  g_assert_cmpint (f->side[CLIENT].cause, ==, TCP_CAUSE_KEEPALIVE);
  g_assert_cmpint (tcp_conn_state (&f->conn[CLIENT]), ==, TCP_CLOSED);
  g_assert_cmpint (tcp_conn_error (&f->conn[CLIENT]), ==, TCP_ERR_TIMEDOUT);
  g_assert_cmpuint (f_count (f, CLIENT, K_RST, 0, SIM_S (300)), ==, 1);
  rst = f_nth (f, CLIENT, K_RST, 0, 0);
  g_assert_cmpint (rst->t, ==, t_abort);
  g_assert_cmpuint (rst->seq, ==, CLIENT_ISS + 1);
  g_assert_cmpuint (rst->ack, ==, SERVER_ISS + 1);
  g_assert_cmpuint (rst->len, ==, 0);

  before = f->log->len;
  g_assert_cmpint (tcp_conn_send (&f->conn[CLIENT], 10), ==,
                   TCP_ERR_PIPE);
  f_run (f, SIM_S (400));
  g_assert_cmpuint (f->log->len, ==, before);

  g_assert_cmpint (f->side[SERVER].err, ==, TCP_ERR_RESET);
  g_assert_cmpint (f->side[SERVER].cause, ==, TCP_CAUSE_RST);
  g_assert_cmpint (f->side[SERVER].err_at, ==, t_abort + WIRE_DELAY);
}

/* ------------------------------------------------------------------ */
/* S8 — UTO with keep-alive                                            */

typedef struct {
  gint64 uto_s;
  guint  cnt;
  guint  m;           /* max (1, ceil ((UTO − keepidle) / keepintvl)) */
} UtoKa;

/* keepidle 60, keepintvl 10:
 * UTO 75:  m = ceil (15/10) = 2   → abort at last_rx + 80, two probes;
 * UTO 30:  m = max (1, ceil (−3)) = 1 → last_rx + 70, one probe;
 * UTO 200, keepcnt 2 (ignored): m = ceil (140/10) = 14 → last_rx + 200,
 * 14 probes. */
static const UtoKa uto_ka_75  = { 75, 9, 2 };
static const UtoKa uto_ka_30  = { 30, 9, 1 };
static const UtoKa uto_ka_200 = { 200, 2, 14 };

static void
test_s8_uto_keepalive (Fixture *f, gconstpointer data)
{
  const UtoKa *u = data;
  SimTime last_rx = SIM_MS (8);
  SimTime t_abort = last_rx + SIM_S (60) + u->m * SIM_S (10);

  f_set_keepalive (f, CLIENT, 60, 10, u->cnt);
  f->cfg[CLIENT].user_timeout = SIM_S (u->uto_s);
  f_connect (f);
  f->cut[CLIENT] = f->cut[SERVER] = TRUE;
  f_run (f, t_abort - 1);
  g_assert_cmpuint (f->side[CLIENT].n_err, ==, 0);
  f_run (f, t_abort + SIM_S (100));
  g_assert_cmpint (f->side[CLIENT].err_at, ==, t_abort);
  g_assert_cmpint (f->side[CLIENT].cause, ==, TCP_CAUSE_KEEPALIVE);
  g_assert_cmpuint (f_count (f, CLIENT, K_PROBE, 0, t_abort), ==, u->m);
  g_assert_cmpuint (f_count (f, CLIENT, K_RST, 0, t_abort), ==, 1);
}

/* ------------------------------------------------------------------ */
/* S9 — data in flight suspends keep-alive                             */

/* Keep-alive 10/5/3 would abort an idle connection at 0.008 + 25 s.  Data
 * sent at 1 s into a black hole: TLP 1.208, R1 = 1.416,
 * R(k) = R1 + 0.208·(2^k − 2): … R7 = 27.624, R8 = 54.248.  The path is
 * repaired at 50 s, R8 arrives at 54.252, its ACK at 54.256 = last_rx.
 * No probe (and no keep-alive abort) before; the first probe is at
 * 54.256 + 10 = 64.256. */
static void
test_s9_no_probe_while_busy (Fixture *f, gconstpointer data)
{
  SimTime r1 = T (1, 416);
  SimTime r8 = r1 + SIM_MS (208) * ((1 << 8) - 2);

  f_set_keepalive (f, CLIENT, 10, 5, 3);
  f_connect (f);
  f_black_hole_send (f, SIM_S (1), SIM_S (50), SIM_S (55));
  g_assert_cmpint (r8, ==, T (54, 248));
  g_assert_cmpint (f_nth (f, CLIENT, K_DATA, 0, 9)->t, ==, r8); /* orig, TLP, R1..R8 */
  g_assert_cmpint (tcp_conn_last_rx (&f->conn[CLIENT]), ==, T (54, 256));
  g_assert_false (tcp_conn_busy (&f->conn[CLIENT]));
  f_run (f, SIM_S (100));
  g_assert_cmpuint (f->side[CLIENT].n_err, ==, 0);
  g_assert_cmpuint (f_count (f, CLIENT, K_PROBE, 0, T (64, 255)), ==, 0);
  g_assert_cmpint (f_nth (f, CLIENT, K_PROBE, 0, 0)->t, ==, T (64, 256));
  g_assert_cmpint (f_nth (f, CLIENT, K_PROBE, 0, 1)->t, ==, T (74, 264));
}

/* S9 after a skipped tick: probe at 60.008, answer at 60.016, the tick at
 * 70.008 skipped (it would re-arm for 120.016).  Data sent at 100 s into a
 * black hole: TLP 100.208, R1 = 100.416, R(k) = R1 + 0.208·(2^k − 2),
 * R8 = 153.248.  The tick at 120.016 finds data in flight and looks again
 * at 180.016 (S9); the path is repaired at 150 s, R8's ACK arrives at
 * 153.256 = last_rx, so the tick at 180.016 re-arms for 213.256, where
 * the next probe leaves.  No probe and no abort in between. */
static void
test_s9_busy_after_skipped_tick (Fixture *f, gconstpointer data)
{
  SimTime r8 = T (100, 416) + SIM_MS (208) * ((1 << 8) - 2);

  f_set_keepalive (f, CLIENT, 60, 10, 9);
  f_connect (f);
  f_black_hole_send (f, SIM_S (100), SIM_S (150), SIM_S (160));
  g_assert_cmpint (r8, ==, T (153, 248));
  g_assert_cmpint (f_nth (f, CLIENT, K_DATA, 0, 9)->t, ==, r8);
  g_assert_cmpint (tcp_conn_last_rx (&f->conn[CLIENT]), ==, T (153, 256));
  f_run (f, SIM_S (250));
  g_assert_cmpuint (f->side[CLIENT].n_err, ==, 0);
  g_assert_cmpuint (f_count (f, CLIENT, K_PROBE, T (60, 9), T (213, 255)), ==, 0);
  g_assert_cmpint (f_nth (f, CLIENT, K_PROBE, T (60, 9), 0)->t, ==, T (213, 256));
}

/* ------------------------------------------------------------------ */
/* S10 — a peer's probe does not reset your clock                      */

/* Client 60/10, server 100/10.  Client probes: 60.008, 120.016, 180.024
 * (each answered one RTT later, S5).  Server probes: 0.012 + 100 =
 * 100.012 (the client's probes arriving at 60.012 and 120.020 did not move
 * its clock), then 100.020 + 100 = 200.020.  The server's probe reaching
 * the client at 100.016 does not move the client's clock either: its probe
 * stays at 120.016, not 160.016. */
static void
test_s10_peer_probe (Fixture *f, gconstpointer data)
{
  f_set_keepalive (f, CLIENT, 60, 10, 9);
  f_set_keepalive (f, SERVER, 100, 10, 9);
  f_connect (f);
  f_run (f, T (60, 13));
  g_assert_cmpint (tcp_conn_last_rx (&f->conn[SERVER]), ==, SIM_MS (12));
  f_run (f, T (100, 17));
  g_assert_cmpint (tcp_conn_last_rx (&f->conn[CLIENT]), ==, T (60, 16));
  f_run (f, T (200, 30));
  g_assert_cmpuint (f_count (f, CLIENT, K_PROBE, 0, T (200, 30)), ==, 3);
  g_assert_cmpint (f_nth (f, CLIENT, K_PROBE, 0, 0)->t, ==, T (60, 8));
  g_assert_cmpint (f_nth (f, CLIENT, K_PROBE, 0, 1)->t, ==, T (120, 16));
  g_assert_cmpint (f_nth (f, CLIENT, K_PROBE, 0, 2)->t, ==, T (180, 24));
  g_assert_cmpuint (f_count (f, SERVER, K_PROBE, 0, T (200, 30)), ==, 2);
  g_assert_cmpint (f_nth (f, SERVER, K_PROBE, 0, 0)->t, ==, T (100, 12));
  g_assert_cmpint (f_nth (f, SERVER, K_PROBE, 0, 1)->t, ==, T (200, 20));
}

/* ------------------------------------------------------------------ */
/* S11 — no keep-alive, no news                                        */

static void
test_s11_silent (Fixture *f, gconstpointer data)
{
  f_connect (f);
  f_run (f, SIM_D (10));
  /* SYN, SYN-ACK, ACK and nothing else in ten days. */
  g_assert_cmpuint (f->log->len, ==, 3);
  g_assert_cmpint (tcp_conn_state (&f->conn[CLIENT]), ==, TCP_ESTABLISHED);
  g_assert_cmpint (tcp_conn_state (&f->conn[SERVER]), ==, TCP_ESTABLISHED);
  g_assert_false (sim_alarm_is_armed (&f->conn[CLIENT].timer));
  g_assert_false (sim_alarm_is_armed (&f->conn[SERVER].timer));
}

/* ------------------------------------------------------------------ */
/* S12 — RTO                                                           */

/* R = 8 ms: RTO = 8 + max (2·8, 200) = 208 ms. */
static void
test_s12_rto_lan (Fixture *f, gconstpointer data)
{
  f_connect (f);
  g_assert_cmpint (tcp_conn_rto (&f->conn[CLIENT]), ==, SIM_MS (208));
  g_assert_cmpint (tcp_conn_rto (&f->conn[SERVER]), ==, SIM_MS (208));
}

/* R = 200 ms: RTO = 200 + max (400, 200) = 600 ms.  A second sample of
 * 200 ms: RTTVAR = 3/4·100 + 1/4·|200 − 200| = 75, SRTT = 200, so
 * RTO = 200 + max (300, 200) = 500 ms. */
static void
test_s12_rto_second_sample (Fixture *f, gconstpointer data)
{
  f->delay = SIM_MS (100);
  f_connect (f);
  g_assert_cmpint (tcp_conn_rto (&f->conn[CLIENT]), ==, SIM_MS (600));
  tcp_conn_send (&f->conn[CLIENT], 100);
  f_run (f, SIM_S (2));
  g_assert_cmpint (tcp_conn_srtt (&f->conn[CLIENT]), ==, SIM_MS (200));
  g_assert_cmpint (tcp_conn_rto (&f->conn[CLIENT]), ==, SIM_MS (500));
}

/* R = 60 s: 60 + max (120, 0.2) = 180 s, clamped to rto_max = 120 s.
 * (rto_initial 100 s, so that no SYN is resent and Karn keeps the
 * sample.) */
static void
test_s12_rto_clamp (Fixture *f, gconstpointer data)
{
  f->delay = SIM_S (30);
  f->cfg[CLIENT].rto_initial = f->cfg[SERVER].rto_initial = SIM_S (100);
  f_connect (f);
  g_assert_cmpint (tcp_conn_rto (&f->conn[CLIENT]), ==, SIM_S (120));
}

/* ------------------------------------------------------------------ */
/* S13 — tail-loss probe                                               */

/* R = 8 ms: PTO = 2·8 + 200 = 216 ms > RTO 208 ms, so the TLP leaves at
 * t_send + 208 ms = 1.208; R1 = 1.208 + 0.208 = 1.416, R2 = R1 + 0.416. */
static void
test_s13_tlp_capped_by_rto (Fixture *f, gconstpointer data)
{
  f_connect (f);
  f_run (f, SIM_S (1));
  f->cut[CLIENT] = TRUE;
  tcp_conn_send (&f->conn[CLIENT], 100);
  f_run (f, SIM_S (3));
  g_assert_cmpint (f_nth (f, CLIENT, K_DATA, 0, 0)->t, ==, SIM_S (1));
  g_assert_cmpint (f_nth (f, CLIENT, K_DATA, 0, 1)->t, ==, T (1, 208));
  g_assert_cmpint (f_nth (f, CLIENT, K_DATA, 0, 2)->t, ==, T (1, 416));
  g_assert_cmpint (f_nth (f, CLIENT, K_DATA, 0, 3)->t, ==, T (1, 832));
  g_assert_cmpuint (f_nth (f, CLIENT, K_DATA, 0, 1)->seq, ==, CLIENT_ISS + 1);
}

/* R = 300 ms: RTO = 300 + max (600, 200) = 900 ms, PTO = 600 + 200 =
 * 800 ms.  Send at 2 s: TLP at 2.8, R1 = 2.8 + 0.9 = 3.7, R2 = 3.7 + 1.8 =
 * 5.5. */
static void
test_s13_tlp_at_pto (Fixture *f, gconstpointer data)
{
  f->delay = SIM_MS (150);
  f_connect (f);
  g_assert_cmpint (tcp_conn_rto (&f->conn[CLIENT]), ==, SIM_MS (900));
  f_run (f, SIM_S (2));
  f->cut[CLIENT] = TRUE;
  tcp_conn_send (&f->conn[CLIENT], 100);
  f_run (f, SIM_S (6));
  g_assert_cmpint (f_nth (f, CLIENT, K_DATA, 0, 1)->t, ==, T (2, 800));
  g_assert_cmpint (f_nth (f, CLIENT, K_DATA, 0, 2)->t, ==, T (3, 700));
  g_assert_cmpint (f_nth (f, CLIENT, K_DATA, 0, 3)->t, ==, T (5, 500));
}

/* Without TLP the first retransmission is the RTO: R1 = 1 + 0.208. */
static void
test_s13_no_tlp (Fixture *f, gconstpointer data)
{
  f->cfg[CLIENT].tlp = FALSE;
  f_connect (f);
  f_run (f, SIM_S (1));
  f->cut[CLIENT] = TRUE;
  tcp_conn_send (&f->conn[CLIENT], 100);
  f_run (f, SIM_S (3));
  g_assert_cmpint (f_nth (f, CLIENT, K_DATA, 0, 1)->t, ==, T (1, 208));
  g_assert_cmpint (f_nth (f, CLIENT, K_DATA, 0, 2)->t, ==, T (1, 624));
}

/* ------------------------------------------------------------------ */
/* S14 — exponential backoff                                           */

/* RTO 208 ms, R1 = 1.416: R(k+1) − R(k) = min (0.208·2^k, 120 s):
 * 0.416, 0.832, …, 0.208·512 = 106.496 (k = 9), then 120 s (k ≥ 10,
 * 0.208·1024 = 212.992 > 120). */
static void
test_s14_backoff (Fixture *f, gconstpointer data)
{
  f_connect (f);
  f_run (f, SIM_S (1));
  f->cut[CLIENT] = TRUE;
  tcp_conn_send (&f->conn[CLIENT], 100);
  f_run (f, SIM_S (1000));
  /* Data segment 2 is R1 (0: original, 1: TLP). */
  g_assert_cmpint (f_nth (f, CLIENT, K_DATA, 0, 2)->t, ==, T (1, 416));
  for (guint k = 1; k <= 14; k++)
    {
      SimTime rk = f_nth (f, CLIENT, K_DATA, 0, 1 + k)->t;
      SimTime rk1 = f_nth (f, CLIENT, K_DATA, 0, 2 + k)->t;
      SimTime want = k <= 9 ? SIM_MS (208) << k : SIM_S (120);

      g_assert_cmpint (rk1 - rk, ==, want);
    }
}

/* ------------------------------------------------------------------ */
/* S15 — retries2                                                      */

static void
test_s15_budget (void)
{
  /* B = floor (log2 (120 / 0.2)) = 9. */
  g_assert_cmpint (tcp_retries_budget (0, SIM_S (120)), ==, SIM_MS (200));
  g_assert_cmpint (tcp_retries_budget (3, SIM_S (120)), ==, SIM_S (3));       /* 0.2·15 */
  g_assert_cmpint (tcp_retries_budget (8, SIM_S (120)), ==, SIM_MS (102200)); /* 0.2·511 */
  g_assert_cmpint (tcp_retries_budget (9, SIM_S (120)), ==, SIM_MS (204600)); /* 0.2·1023 */
  g_assert_cmpint (tcp_retries_budget (10, SIM_S (120)), ==, SIM_MS (324600));/* + 120 */
  g_assert_cmpint (tcp_retries_budget (15, SIM_S (120)), ==, SIM_MS (924600));/* 204.6 + 6·120 */
  /* rto_max 60 s: B = floor (log2 300) = 8; L(15) = 102.2 + 7·60 = 522.2. */
  g_assert_cmpint (tcp_retries_budget (15, SIM_S (60)), ==, SIM_MS (522200));
  g_assert_cmpint (tcp_retries_budget (3, SIM_S (60)), ==, SIM_S (3));
}

typedef struct {
  SimTime delay;        /* one way */
  SimTime rto;          /* from the handshake sample */
  guint   retries2;
  SimTime abort_after_r1;
  guint   rto_rtx;      /* RTO retransmissions before the abort */
} Retries;

/* S15 worked example, RTO 0.208 s: R(k) − R1 = 0.208·(2^k − 2) up to
 * R10 = 212.576, then +120 each: R15 = 812.576 < 924.6 ≤ R16 = 932.576 →
 * abort at R1 + 932.576 (= 1022·0.208 + 720) after 15 RTO retransmissions. */
static const Retries retries_15 = { SIM_MS (4), SIM_MS (208), 15,
                                    SIM_MS (932576), 15 };
/* Boundary trap, RTO exactly 0.200 s (zero RTT: SRTT = RTTVAR = 0):
 * R16 − R1 = 0.2·1022 + 720 = 924.4 < 924.6, so it resends once more;
 * R17 − R1 = 1044.4 → abort there after 16 RTO retransmissions. */
static const Retries retries_trap = { 0, SIM_MS (200), 15,
                                      SIM_MS (1044400), 16 };
/* retries2 = 8, L = 102.2 s: R8 − R1 = 0.208·254 = 52.832 < 102.2 ≤
 * R9 − R1 = 0.208·510 = 106.08 → abort at R1 + 106.08, 8 retransmissions. */
static const Retries retries_8 = { SIM_MS (4), SIM_MS (208), 8,
                                   SIM_MS (106080), 8 };

/* Data sent at 1 s into a black hole; TLP at 1 + RTO (PTO = 2·SRTT +
 * 200 ms ≥ RTO in both fixtures), R1 = 1 + 2·RTO. */
static void
test_s15_retries2 (Fixture *f, gconstpointer data)
{
  const Retries *r = data;
  SimTime t_send = SIM_S (1);
  SimTime r1 = t_send + 2 * r->rto;
  SimTime t_abort = r1 + r->abort_after_r1;

  f->delay = r->delay;
  f->cfg[CLIENT].retries2 = r->retries2;
  f_connect (f);
  g_assert_cmpint (tcp_conn_rto (&f->conn[CLIENT]), ==, r->rto);
  f_run (f, t_send);
  f->cut[CLIENT] = TRUE;
  tcp_conn_send (&f->conn[CLIENT], 100);
  f_run (f, t_abort - 1);
  g_assert_cmpuint (f->side[CLIENT].n_err, ==, 0);
  f_run (f, t_abort + SIM_S (1000));
  g_assert_cmpint (f_nth (f, CLIENT, K_DATA, 0, 2)->t, ==, r1);
  g_assert_cmpint (f->side[CLIENT].err_at, ==, t_abort);
  g_assert_cmpint (f->side[CLIENT].err, ==, TCP_ERR_TIMEDOUT);
  g_assert_cmpint (f->side[CLIENT].cause, ==, TCP_CAUSE_RTO);
  /* original + TLP + RTO retransmissions */
  g_assert_cmpuint (f_count (f, CLIENT, K_DATA, 0, t_abort), ==, 2 + r->rto_rtx);
  g_assert_cmpuint (tcp_conn_retrans (&f->conn[CLIENT]), ==, 1 + r->rto_rtx);
  /* The last retransmission is strictly before the abort. */
  g_assert_cmpint (f_nth (f, CLIENT, K_DATA, 0, 1 + r->rto_rtx)->t, <, t_abort);
}

/* ------------------------------------------------------------------ */
/* S16 — UTO with data outstanding                                     */

/* UTO 30 s: R1 = 1.416 and the abort is at exactly R1 + 30 = 31.416; RTO
 * retransmissions R1 … R7 (R7 = 1.416 + 0.208·126 = 27.624; R8 would be
 * 54.248), no RST. */
static void
test_s16_uto_data (Fixture *f, gconstpointer data)
{
  SimTime r1 = T (1, 416);

  f->cfg[CLIENT].user_timeout = SIM_S (30);
  f_connect (f);
  f_run (f, SIM_S (1));
  f->cut[CLIENT] = TRUE;
  tcp_conn_send (&f->conn[CLIENT], 100);
  f_run (f, SIM_S (100));
  g_assert_cmpint (f_nth (f, CLIENT, K_DATA, 0, 2)->t, ==, r1);
  g_assert_cmpint (f->side[CLIENT].err_at, ==, r1 + SIM_S (30));
  g_assert_cmpint (f->side[CLIENT].err, ==, TCP_ERR_TIMEDOUT);
  g_assert_cmpint (f->side[CLIENT].cause, ==, TCP_CAUSE_UTO);
  g_assert_cmpuint (f_count (f, CLIENT, K_DATA, 0, SIM_S (100)), ==, 2 + 7);
  g_assert_cmpint (f_nth (f, CLIENT, K_DATA, 0, 8)->t, ==, T (27, 624));
  g_assert_cmpuint (f_count (f, CLIENT, K_RST, 0, SIM_S (100)), ==, 0);
}

/* UTO does nothing while no data is outstanding and keep-alive is off. */
static void
test_s16_uto_idle (Fixture *f, gconstpointer data)
{
  f->cfg[CLIENT].user_timeout = SIM_S (10);
  f_connect (f);
  f->cut[CLIENT] = f->cut[SERVER] = TRUE;
  f_run (f, SIM_D (1));
  g_assert_cmpuint (f->log->len, ==, 3);
  g_assert_cmpuint (f->side[CLIENT].n_err, ==, 0);
  g_assert_cmpint (tcp_conn_state (&f->conn[CLIENT]), ==, TCP_ESTABLISHED);
}

/* ------------------------------------------------------------------ */
/* S17 — retransmission abort as the application sees it               */

/* retries2 = 3, L = 0.2·15 = 3 s: R4 − R1 = 0.208·14 = 2.912 < 3 ≤
 * R5 − R1 = 6.24 → abort at 1.416 + 6.24 = 7.656: ETIMEDOUT, CLOSED, no
 * RST, EPIPE afterwards. */
static void
test_s17_no_rst (Fixture *f, gconstpointer data)
{
  guint before;

  f->cfg[CLIENT].retries2 = 3;
  f_connect (f);
  f_run (f, SIM_S (1));
  f->cut[CLIENT] = TRUE;
  tcp_conn_send (&f->conn[CLIENT], 100);
  f_run (f, SIM_S (20));
  g_assert_cmpint (f->side[CLIENT].err_at, ==, T (7, 656));
  g_assert_cmpint (f->side[CLIENT].cause, ==, TCP_CAUSE_RTO);
  g_assert_cmpint (tcp_conn_error (&f->conn[CLIENT]), ==, TCP_ERR_TIMEDOUT);
  g_assert_cmpint (tcp_conn_state (&f->conn[CLIENT]), ==, TCP_CLOSED);
  g_assert_cmpint (f->side[CLIENT].closed_at, ==, T (7, 656));
  g_assert_cmpuint (f_count (f, CLIENT, K_RST, 0, SIM_S (20)), ==, 0);
  g_assert_cmpuint (f_count (f, CLIENT, K_ANY, T (7, 656), SIM_S (20)), ==, 0);
  before = f->log->len;
  g_assert_cmpint (tcp_conn_send (&f->conn[CLIENT], 10), ==,
                   TCP_ERR_PIPE);
  f_run (f, SIM_S (30));
  g_assert_cmpuint (f->log->len, ==, before);
}

/* ------------------------------------------------------------------ */
/* S18 — RST                                                           */

/* The server restarts at 5 s (tcp_conn_clear; its stack answers with
 * packet_new_rst_reply).  Go keep-alive 15/15/9: the probe at 15.008
 * carries ack = rcv_nxt = SERVER_ISS + 1, the RST comes back with that
 * seq, lands exactly on rcv_nxt and resets the client at 15.016, one RTT
 * after the probe. */
static void
test_s18_restarted_peer (Fixture *f, gconstpointer data)
{
  const Rec *rst;

  f_set_keepalive (f, CLIENT, 15, 15, 9);
  f_connect (f);
  f_run (f, SIM_S (5));
  tcp_conn_clear (&f->conn[SERVER]);
  f_run (f, SIM_S (60));
  g_assert_cmpint (f_nth (f, CLIENT, K_PROBE, 0, 0)->t, ==, T (15, 8));
  rst = f_nth (f, SERVER, K_RST, 0, 0);
  g_assert_nonnull (rst);
  g_assert_cmpint (rst->t, ==, T (15, 12));
  g_assert_cmpuint (rst->seq, ==, SERVER_ISS + 1);
  g_assert_cmpuint (f->side[CLIENT].n_err, ==, 1);
  g_assert_cmpint (f->side[CLIENT].err, ==, TCP_ERR_RESET);
  g_assert_cmpint (f->side[CLIENT].cause, ==, TCP_CAUSE_RST);
  g_assert_cmpint (f->side[CLIENT].err_at, ==, T (15, 16));
  g_assert_cmpint (f->side[CLIENT].err_at - f_nth (f, CLIENT, K_PROBE, 0, 0)->t,
                   ==, 2 * WIRE_DELAY);
  /* A cleared socket reports nothing. */
  g_assert_cmpuint (f->side[SERVER].n_err + f->side[SERVER].n_closed, ==, 0);
}

/* An exact RST resets at once even on an idle connection without
 * keep-alive. */
static void
test_s18_exact_rst_idle (Fixture *f, gconstpointer data)
{
  f_connect (f);
  f_run (f, SIM_S (1000));
  f_inject (f, CLIENT, TCP_RST, SERVER_ISS + 1, 0, 0);
  g_assert_cmpint (f->side[CLIENT].err_at, ==, SIM_S (1000));
  g_assert_cmpint (f->side[CLIENT].err, ==, TCP_ERR_RESET);
  g_assert_cmpint (f->side[CLIENT].closed_at, ==, SIM_S (1000));
  g_assert_cmpint (tcp_conn_send (&f->conn[CLIENT], 1), ==,
                   TCP_ERR_PIPE);
}

/* In the window but not exact: a challenge ACK (seq = snd_nxt,
 * ack = rcv_nxt) and no abort (RFC 5961 §3).  Outside the window: ignored,
 * nothing sent. */
static void
test_s18_inexact_rst (Fixture *f, gconstpointer data)
{
  const Rec *r;

  f_connect (f);
  f_run (f, SIM_S (10));
  f_inject (f, CLIENT, TCP_RST, SERVER_ISS + 1 + 100, 0, 0);
  g_assert_cmpuint (f_count (f, CLIENT, K_ANY, SIM_S (10), SIM_S (10)), ==, 1);
  r = f_nth (f, CLIENT, K_ANY, SIM_S (10), 0);
  g_assert_cmpint (r->kind, ==, K_ACK);
  g_assert_cmpuint (r->seq, ==, CLIENT_ISS + 1);
  g_assert_cmpuint (r->ack, ==, SERVER_ISS + 1);
  g_assert_cmpint (tcp_conn_state (&f->conn[CLIENT]), ==, TCP_ESTABLISHED);

  f_run (f, SIM_S (20));
  f_inject (f, CLIENT, TCP_RST, SERVER_ISS + 1 + 100000, 0, 0);
  f_inject (f, CLIENT, TCP_RST, SERVER_ISS + 1 - 10, 0, 0);
  g_assert_cmpuint (f_count (f, CLIENT, K_ANY, SIM_S (20), SIM_S (20)), ==, 0);
  g_assert_cmpuint (f->side[CLIENT].n_err, ==, 0);
  g_assert_cmpint (tcp_conn_state (&f->conn[CLIENT]), ==, TCP_ESTABLISHED);
}

/* SYN_SENT: a RST counts only if it ACKs the SYN (ack == snd_nxt).  The
 * server port is closed: its stack answers the SYN with RST|ACK, ack =
 * ISS + 1, so the client resets one RTT after the SYN; a RST with another
 * ack is ignored. */
static void
test_s18_syn_sent (Fixture *f, gconstpointer data)
{
  f->listening = FALSE;
  f->cut[CLIENT] = TRUE;          /* the first SYN is lost */
  tcp_conn_connect (&f->conn[CLIENT]);
  f_inject (f, CLIENT, TCP_RST | TCP_ACK, 0, CLIENT_ISS + 5, 0);
  g_assert_cmpint (tcp_conn_state (&f->conn[CLIENT]), ==, TCP_SYN_SENT);
  f->cut[CLIENT] = FALSE;
  f_run (f, SIM_S (2));
  /* Second SYN at 1 s, the RST back at 1.008. */
  g_assert_cmpint (f->side[CLIENT].err_at, ==, T (1, 8));
  g_assert_cmpint (f->side[CLIENT].err, ==, TCP_ERR_RESET);
  g_assert_cmpint (f->side[CLIENT].cause, ==, TCP_CAUSE_RST);
}

/* After the peer's FIN (CLOSE_WAIT) Linux also takes seq = rcv_nxt − 1
 * (tcp_reset_check): the S37 race.  The server closes at 10 s (FIN at
 * 10, at the client at 10.004); the client's request sent at 10.002
 * reaches the orphaned server in FIN_WAIT_1 at 10.006, whose stack resets
 * and answers with seq = the request's ack = SERVER_ISS + 1, one below the
 * client's rcv_nxt by then: the client sees EOF at 10.004 and ECONNRESET
 * at 10.010. */
static void
test_s18_rst_after_fin (Fixture *f, gconstpointer data)
{
  f_connect (f);
  f_run (f, SIM_S (10));
  tcp_conn_close (&f->conn[SERVER]);
  f_run (f, T (10, 2));
  tcp_conn_send (&f->conn[CLIENT], 100);
  f_run (f, SIM_S (20));
  g_assert_cmpint (f->side[CLIENT].eof_at, ==, T (10, 4));
  g_assert_cmpint (f->side[CLIENT].err_at, ==, T (10, 10));
  g_assert_cmpint (f->side[CLIENT].err, ==, TCP_ERR_RESET);
  g_assert_cmpuint (f_nth (f, SERVER, K_RST, 0, 0)->seq, ==, SERVER_ISS + 1);
  /* The orphaned server reports no error, only its end. */
  g_assert_cmpuint (f->side[SERVER].n_err, ==, 0);
  g_assert_cmpint (f->side[SERVER].closed_at, ==, T (10, 6));
}

/* ------------------------------------------------------------------ */
/* S29 (d) and orderly close                                           */

/* Client closes at 10 s: FIN at 10, server EOF at 10.004 (CLOSE_WAIT),
 * client FIN_WAIT_2 at 10.008.  Server closes at 20 s: FIN at 20, client
 * TIME_WAIT at 20.004, server CLOSED at 20.008 on the last ACK, client
 * CLOSED at 20.004 + 60 = 80.004. */
static void
test_s29_fin_eof (Fixture *f, gconstpointer data)
{
  f_connect (f);
  f_run (f, SIM_S (10));
  tcp_conn_close (&f->conn[CLIENT]);
  g_assert_cmpint (tcp_conn_state (&f->conn[CLIENT]), ==, TCP_FIN_WAIT_1);
  g_assert_cmpint (f_nth (f, CLIENT, K_FIN, 0, 0)->t, ==, SIM_S (10));
  g_assert_cmpint (tcp_conn_send (&f->conn[CLIENT], 1), ==,
                   TCP_ERR_PIPE);
  f_run (f, SIM_S (15));
  g_assert_cmpint (f->side[SERVER].eof_at, ==, T (10, 4));
  g_assert_cmpint (tcp_conn_cause (&f->conn[SERVER]), ==, TCP_CAUSE_FIN);
  g_assert_cmpint (tcp_conn_state (&f->conn[SERVER]), ==, TCP_CLOSE_WAIT);
  g_assert_cmpint (tcp_conn_state (&f->conn[CLIENT]), ==, TCP_FIN_WAIT_2);
  f_run (f, SIM_S (20));
  tcp_conn_close (&f->conn[SERVER]);
  f_run (f, SIM_S (200));
  g_assert_cmpint (f->side[SERVER].closed_at, ==, T (20, 8));
  g_assert_cmpint (f->side[CLIENT].closed_at, ==, T (80, 4));
  g_assert_cmpuint (f->side[CLIENT].n_closed, ==, 1);
  g_assert_cmpuint (f->side[SERVER].n_closed, ==, 1);
  g_assert_cmpuint (f->side[CLIENT].n_eof + f->side[CLIENT].n_err, ==, 0);
  g_assert_cmpuint (f->side[SERVER].n_err, ==, 0);
  g_assert_cmpint (tcp_conn_error (&f->conn[CLIENT]), ==, TCP_ERR_NONE);
}

/* Both close at 10 s: FIN_WAIT_1 → CLOSING on the crossing FINs (10.004),
 * TIME_WAIT on the ACKs (10.008), CLOSED at 70.008. */
static void
test_close_simultaneous (Fixture *f, gconstpointer data)
{
  f_connect (f);
  f_run (f, SIM_S (10));
  tcp_conn_close (&f->conn[CLIENT]);
  tcp_conn_close (&f->conn[SERVER]);
  f_run (f, T (10, 5));
  g_assert_cmpint (tcp_conn_state (&f->conn[CLIENT]), ==, TCP_CLOSING);
  g_assert_cmpint (tcp_conn_state (&f->conn[SERVER]), ==, TCP_CLOSING);
  f_run (f, T (10, 9));
  g_assert_cmpint (tcp_conn_state (&f->conn[CLIENT]), ==, TCP_TIME_WAIT);
  g_assert_cmpint (tcp_conn_state (&f->conn[SERVER]), ==, TCP_TIME_WAIT);
  f_run (f, SIM_S (100));
  g_assert_cmpint (f->side[CLIENT].closed_at, ==, T (70, 8));
  g_assert_cmpint (f->side[SERVER].closed_at, ==, T (70, 8));
  g_assert_cmpuint (f->side[CLIENT].n_eof + f->side[SERVER].n_eof, ==, 0);
}

/* The FIN is retransmitted like data: FIN at 10, TLP 10.208, R1 10.416,
 * R2 10.832, R3 11.664 (all lost until 12 s), R4 = 10.416 + 0.208·14 =
 * 13.328 gets through: server EOF at 13.332. */
static void
test_close_fin_retransmitted (Fixture *f, gconstpointer data)
{
  f_connect (f);
  f_run (f, SIM_S (10));
  f->cut[CLIENT] = TRUE;
  tcp_conn_close (&f->conn[CLIENT]);
  f_run (f, SIM_S (12));
  f->cut[CLIENT] = FALSE;
  f_run (f, SIM_S (20));
  g_assert_cmpint (f_nth (f, CLIENT, K_FIN, 0, 1)->t, ==, T (10, 208));
  g_assert_cmpint (f_nth (f, CLIENT, K_FIN, 0, 5)->t, ==, T (13, 328));
  g_assert_cmpint (f->side[SERVER].eof_at, ==, T (13, 332));
  g_assert_cmpint (tcp_conn_state (&f->conn[CLIENT]), ==, TCP_FIN_WAIT_2);
}

/* The FIN goes out only after queued data is acknowledged. */
static void
test_close_after_data (Fixture *f, gconstpointer data)
{
  f_connect (f);
  f_run (f, SIM_S (10));
  tcp_conn_send (&f->conn[CLIENT], 100);
  tcp_conn_send (&f->conn[CLIENT], 100);
  tcp_conn_close (&f->conn[CLIENT]);
  f_run (f, SIM_S (11));
  /* data 10, data 10.008, FIN 10.016 */
  g_assert_cmpint (f_nth (f, CLIENT, K_DATA, 0, 1)->t, ==, T (10, 8));
  g_assert_cmpint (f_nth (f, CLIENT, K_FIN, 0, 0)->t, ==, T (10, 16));
  g_assert_cmpuint (f_nth (f, CLIENT, K_FIN, 0, 0)->seq, ==, CLIENT_ISS + 201);
  g_assert_cmpuint (f->side[SERVER].recv_bytes, ==, 200);
  g_assert_cmpint (f->side[SERVER].eof_at, ==, T (10, 20));
}

/* tcp_conn_close is a full close: data that reaches the orphan anyway
 * resets it (RFC 1122 §4.2.2.13, Linux TCPAbortOnData).  Client closes at
 * 10 s (FIN_WAIT_2 at 10.008); the server, in CLOSE_WAIT, sends at 15 s;
 * the client answers RST with seq = the data's ack = the server's rcv_nxt
 * (CLIENT_ISS + 2, past the client's FIN): exact, so the server gets
 * ECONNRESET at 15.008; the orphan just goes, at 15.004, without an error
 * of its own. */
static void
test_close_data_to_orphan (Fixture *f, gconstpointer data)
{
  f_connect (f);
  f_run (f, SIM_S (10));
  tcp_conn_close (&f->conn[CLIENT]);
  f_run (f, SIM_S (15));
  g_assert_cmpint (tcp_conn_send (&f->conn[SERVER], 10), ==,
                   TCP_ERR_NONE);
  f_run (f, SIM_S (20));
  g_assert_cmpuint (f_nth (f, CLIENT, K_RST, 0, 0)->seq, ==, CLIENT_ISS + 2);
  g_assert_cmpint (f->side[CLIENT].closed_at, ==, T (15, 4));
  g_assert_cmpuint (f->side[CLIENT].n_err, ==, 0);
  g_assert_cmpint (f->side[SERVER].err_at, ==, T (15, 8));
  g_assert_cmpint (f->side[SERVER].err, ==, TCP_ERR_RESET);
}

/* An orphan's FIN is retransmitted with tcp_orphan_retries = 8 instead of
 * retries2 (Linux): L(8) = 102.2 s.  FIN at 10 into a black hole, TLP
 * 10.208, R1 = 10.416; R9 − R1 = 0.208·510 = 106.08 ≥ 102.2 > R8 − R1 =
 * 52.832 → gone at 10.416 + 106.08 = 116.496, silently (no on_error: the
 * application has closed), no RST. */
static void
test_close_orphan_retries (Fixture *f, gconstpointer data)
{
  f_connect (f);
  f_run (f, SIM_S (10));
  f->cut[CLIENT] = TRUE;
  tcp_conn_close (&f->conn[CLIENT]);
  f_run (f, SIM_S (1000));
  g_assert_cmpint (f->side[CLIENT].closed_at, ==, T (116, 496));
  g_assert_cmpuint (f->side[CLIENT].n_err, ==, 0);
  g_assert_cmpint (tcp_conn_error (&f->conn[CLIENT]), ==, TCP_ERR_TIMEDOUT);
  g_assert_cmpint (tcp_conn_cause (&f->conn[CLIENT]), ==, TCP_CAUSE_RTO);
  /* FIN, TLP, R1 … R8 */
  g_assert_cmpuint (f_count (f, CLIENT, K_FIN, 0, SIM_S (1000)), ==, 10);
  g_assert_cmpuint (f_count (f, CLIENT, K_RST, 0, SIM_S (1000)), ==, 0);
}

/* An orphan in FIN_WAIT_2 whose peer never closes goes after
 * fin_timeout: 10.008 + 60 = 70.008, silently. */
static void
test_close_fin_wait_2_timeout (Fixture *f, gconstpointer data)
{
  f_connect (f);
  f_run (f, SIM_S (10));
  tcp_conn_close (&f->conn[CLIENT]);
  f_run (f, SIM_S (100));
  g_assert_cmpint (f->side[CLIENT].closed_at, ==, T (70, 8));
  g_assert_cmpuint (f_count (f, CLIENT, K_ANY, T (10, 9), SIM_S (100)), ==, 0);
  g_assert_cmpint (tcp_conn_state (&f->conn[SERVER]), ==, TCP_CLOSE_WAIT);
}

/* ------------------------------------------------------------------ */
/* SEMANTICS.md §7 — the kernel-timer mode (timer_hz)                   */

/* HZ 250, 4 ms jiffies.  A timer due E jiffies from now sits on the level
 * whose range holds its delay D (level 0: D < 63, level n: 63·8^(n-1) <=
 * D < 63·8^n) and fires at ((E >> 3n) + 1) << 3n.  Inside a timer's own
 * callback the wheel's clock is one ahead, so D counts one less. */

/* The client is ESTABLISHED at 8 ms = jiffy 2 and arms keepidle = 7200 s
 * = 1 800 000 jiffies: E = 1 800 002, level 5 (258 048 .. 2 064 383),
 * granularity 32 768: (54 + 1) · 32 768 = 1 802 240 jiffies = 7208.960 s,
 * 8.952 s late (the table's bound for this level: 131.072 s). */
static void
test_kt_first_probe (Fixture *f, gconstpointer data)
{
  f_set_keepalive (f, CLIENT, 7200, 75, 9);
  f->cfg[CLIENT].timer_hz = 250;
  f_connect (f);
  f_run (f, SIM_S (7300));
  g_assert_cmpint (f_nth (f, CLIENT, K_PROBE, 0, 0)->t, ==, T (7208, 960));
  g_assert_cmpuint (f_count (f, CLIENT, K_PROBE, 0, T (7208, 959)), ==, 0);
}

/* SEMANTICS §7, measured: unanswered probes re-armed back to back are
 * ceil (keepintvl / g) · g apart.  keepidle 60 s = 15 000 jiffies from
 * jiffy 2: E = 15 002, level 3 (4032 .. 32 255), granularity 512:
 * (29 + 1) · 512 = 15 360 = 61.440 s.  Then from the callback, keepintvl
 * 2 s = 500 jiffies, D = 499: level 1, granularity 8, and from a multiple
 * of 8 the bucket is 504 jiffies = 2.016 s on; 5 s = 1250, D = 1249:
 * level 2, granularity 64, 1280 jiffies = 5.120 s on.  keepcnt 4: the
 * fifth tick aborts. */
typedef struct { gint64 intvl_s, spacing_ms; } KtIntvl;

static void
test_kt_probe_spacing (Fixture *f, gconstpointer data)
{
  const KtIntvl *k = data;
  SimTime first = T (61, 440);

  f_set_keepalive (f, CLIENT, 60, k->intvl_s, 4);
  f->cfg[CLIENT].timer_hz = 250;
  f_connect (f);
  f->cut[CLIENT] = f->cut[SERVER] = TRUE;
  f_run (f, SIM_S (200));
  g_assert_cmpuint (f_count (f, CLIENT, K_PROBE, 0, SIM_S (200)), ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpint (f_nth (f, CLIENT, K_PROBE, 0, i)->t, ==,
                     first + i * SIM_MS (k->spacing_ms));
  g_assert_cmpint (f->side[CLIENT].err_at, ==, first + 4 * SIM_MS (k->spacing_ms));
  g_assert_cmpint (f->side[CLIENT].cause, ==, TCP_CAUSE_KEEPALIVE);
}

/* S3 in kernel-timer mode (test_s3_lazy_rearm with HZ 250): the tick at
 * 61.440 s (jiffy 15 360) finds the server's 50 bytes of 20 s, received
 * at 20.004 s = jiffy 5001: idle 10 359 jiffies < 15 000, so it re-arms
 * for the remaining 4641 from its callback: E = 20 001, D = 4640, level
 * 3, granularity 512: (39 + 1) · 512 = 20 480 jiffies = 81.920 s (ideal:
 * 80.004 s).  That tick is skipped, not run (tcp_timer.c); the probe
 * time is the same. */

/* SYN retransmissions at HZ 250 (S14 with the wheel): rto_initial 1 s =
 * 250 jiffies armed at jiffy 0 (not a callback): level 1, (31 + 1) · 8 =
 * 256 = 1.024 s.  From the callback, 500 jiffies (D = 499, level 1):
 * from 256, (94 + 1) · 8 = 760 = 3.040 s; 1000 (D = 999, level 2,
 * granularity 64): from 760, (27 + 1) · 64 = 1792 = 7.168 s.  With ideal
 * timers: 1, 3, 7 s. */
static void
test_kt_syn_backoff (Fixture *f, gconstpointer data)
{
  f->cfg[CLIENT].timer_hz = 250;
  f->cut[CLIENT] = TRUE;
  tcp_conn_connect (&f->conn[CLIENT]);
  f_run (f, SIM_S (10));
  g_assert_cmpuint (f_count (f, CLIENT, K_SYN, 0, SIM_S (10)), ==, 4);
  g_assert_cmpint (f_nth (f, CLIENT, K_SYN, 0, 0)->t, ==, 0);
  g_assert_cmpint (f_nth (f, CLIENT, K_SYN, 0, 1)->t, ==, T (1, 24));
  g_assert_cmpint (f_nth (f, CLIENT, K_SYN, 0, 2)->t, ==, T (3, 40));
  g_assert_cmpint (f_nth (f, CLIENT, K_SYN, 0, 3)->t, ==, T (7, 168));
}

/* S12 with §7: one-way 2.5 ms, so R = 5 ms and the ideal RTO is
 * 5 + max (10, 200) = 205 ms.  The kernel keeps it in whole jiffies,
 * rounded up: 52 jiffies = 208 ms at HZ 250 (S12's "0.208 s on the
 * measured kernel"), 21 = 210 ms at HZ 100, 205 at HZ 1000. */
typedef struct { guint hz; gint64 rto_ms; } KtRto;

static void
test_kt_rto_jiffies (Fixture *f, gconstpointer data)
{
  const KtRto *k = data;

  f->cfg[CLIENT].timer_hz = k->hz;
  f->delay = SIM_US (2500);
  f_connect (f);
  g_assert_cmpint (tcp_conn_rto (&f->conn[CLIENT]), ==, SIM_MS (k->rto_ms));
}

int
main (int argc, char **argv)
{
  static const KtIntvl kt_2s = { 2, 2016 }, kt_5s = { 5, 5120 };
  static const KtRto kt_rto[] = { { 0, 205 }, { 100, 210 }, { 250, 208 }, { 1000, 205 } };
  static const LazyRearm s3_ideal = { 0, T (80, 4) }, s3_hz250 = { 250, T (81, 920) };

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tcp/memory/sizeof", test_sizeof);
  g_test_add_func ("/tcp/names", test_names);
  g_test_add_func ("/tcp/S1/defaults-off", test_s1_defaults);
  ADD ("/tcp/handshake/basic", test_handshake);
  ADD ("/tcp/kernel-timers/first-probe-hz250", test_kt_first_probe);
  ADD_DATA ("/tcp/kernel-timers/probes-2016ms-apart", &kt_2s, test_kt_probe_spacing);
  ADD_DATA ("/tcp/kernel-timers/probes-5120ms-apart", &kt_5s, test_kt_probe_spacing);
  ADD_DATA ("/tcp/kernel-timers/remainder-rearm", &s3_hz250, test_s3_lazy_rearm);
  ADD ("/tcp/kernel-timers/syn-backoff", test_kt_syn_backoff);
  for (gsize i = 0; i < G_N_ELEMENTS (kt_rto); i++)
    {
      g_autofree char *name = g_strdup_printf ("/tcp/kernel-timers/rto-whole-jiffies-hz%u",
                                               kt_rto[i].hz);
      ADD_DATA (name, &kt_rto[i], test_kt_rto_jiffies);
    }
  ADD ("/tcp/handshake/syn-give-up-127s", test_syn_give_up);
  ADD ("/tcp/handshake/syn-retransmitted-no-sample", test_syn_retransmitted_no_sample);
  ADD ("/tcp/handshake/synack-give-up", test_synack_give_up);
  ADD ("/tcp/handshake/send-before-established", test_send_before_established);
  ADD ("/tcp/data/one-segment-in-flight", test_data_one_in_flight);
  ADD ("/tcp/data/gap-dup-ack", test_data_gap_dup_ack);
  ADD ("/tcp/data/old-duplicate", test_data_old_duplicate);
  ADD ("/tcp/S1/opt-in-per-socket", test_s1_opt_in);
  ADD ("/tcp/S1/single-lost-probe-not-fatal", test_s1_single_lost_probe);
  ADD ("/tcp/S2/response-restarts-clock", test_s2_response_restarts_clock);
  ADD ("/tcp/S2/own-send-then-ack", test_s2_own_send_then_ack);
  ADD ("/tcp/S2/dup-ack-counts", test_s2_dup_ack_counts);
  ADD ("/tcp/S2/unacceptable-ignored", test_s2_unacceptable_ignored);
  ADD_DATA ("/tcp/S3/first-probe-lazy-rearm", &s3_ideal, test_s3_lazy_rearm);
  ADD ("/tcp/S3/skipped-ticks-cost-nothing", test_s3_skipped_ticks_cost_nothing);
  ADD_DATA ("/tcp/S3/skipped-tick-then-send-before", GINT_TO_POINTER (0),
            test_s3_skipped_tick_then_send);
  ADD_DATA ("/tcp/S3/skipped-tick-then-send-after", GINT_TO_POINTER (1),
            test_s3_skipped_tick_then_send);
  ADD ("/tcp/S4/probe-and-answer-fields", test_s4_probe_fields);
  ADD ("/tcp/S5/steady-period-keepidle-plus-rtt", test_s5_steady_period);
  ADD ("/tcp/S5/steady-period-keepintvl", test_s5_period_keepintvl);
  ADD ("/tcp/S5/answer-clears-count", test_s5_answer_clears_count);
  ADD_DATA ("/tcp/S6/dead-peer-linux", &dead_linux, test_s6_dead_peer);
  ADD_DATA ("/tcp/S6/dead-peer-windows", &dead_windows, test_s6_dead_peer);
  ADD_DATA ("/tcp/S6/dead-peer-bsd", &dead_bsd, test_s6_dead_peer);
  ADD_DATA ("/tcp/S6/dead-peer-go", &dead_go, test_s6_dead_peer);
  ADD ("/tcp/S7/one-rst-then-epipe", test_s7_rst_at_abort);
  ADD_DATA ("/tcp/S8/uto-75-abort-at-80", &uto_ka_75, test_s8_uto_keepalive);
  ADD_DATA ("/tcp/S8/uto-30-one-probe", &uto_ka_30, test_s8_uto_keepalive);
  ADD_DATA ("/tcp/S8/uto-200-ignores-keepcnt", &uto_ka_200, test_s8_uto_keepalive);
  ADD ("/tcp/S9/no-probe-while-busy", test_s9_no_probe_while_busy);
  ADD ("/tcp/S9/busy-after-skipped-tick", test_s9_busy_after_skipped_tick);
  ADD ("/tcp/S10/peer-probe-keeps-clock", test_s10_peer_probe);
  ADD ("/tcp/S11/no-keepalive-silent", test_s11_silent);
  ADD ("/tcp/S12/rto-lan-208ms", test_s12_rto_lan);
  ADD ("/tcp/S12/rto-second-sample", test_s12_rto_second_sample);
  ADD ("/tcp/S12/rto-clamped", test_s12_rto_clamp);
  ADD ("/tcp/S13/tlp-capped-by-rto", test_s13_tlp_capped_by_rto);
  ADD ("/tcp/S13/tlp-at-pto", test_s13_tlp_at_pto);
  ADD ("/tcp/S13/no-tlp", test_s13_no_tlp);
  ADD ("/tcp/S14/backoff-doubling-capped", test_s14_backoff);
  g_test_add_func ("/tcp/S15/budget", test_s15_budget);
  ADD_DATA ("/tcp/S15/retries2-15-worked-example", &retries_15, test_s15_retries2);
  ADD_DATA ("/tcp/S15/boundary-trap-rto-200ms", &retries_trap, test_s15_retries2);
  ADD_DATA ("/tcp/S15/retries2-8", &retries_8, test_s15_retries2);
  ADD ("/tcp/S16/uto-with-data", test_s16_uto_data);
  ADD ("/tcp/S16/uto-idle-no-effect", test_s16_uto_idle);
  ADD ("/tcp/S17/rto-abort-no-rst", test_s17_no_rst);
  ADD ("/tcp/S18/restarted-peer-probe-reset", test_s18_restarted_peer);
  ADD ("/tcp/S18/exact-rst-while-idle", test_s18_exact_rst_idle);
  ADD ("/tcp/S18/inexact-rst-challenge-ack", test_s18_inexact_rst);
  ADD ("/tcp/S18/syn-sent-rst", test_s18_syn_sent);
  ADD ("/tcp/S18/rst-after-fin", test_s18_rst_after_fin);
  ADD ("/tcp/S29/fin-eof-and-close", test_s29_fin_eof);
  ADD ("/tcp/close/simultaneous", test_close_simultaneous);
  ADD ("/tcp/close/fin-retransmitted", test_close_fin_retransmitted);
  ADD ("/tcp/close/fin-after-data", test_close_after_data);
  ADD ("/tcp/close/fin-wait-2-timeout", test_close_fin_wait_2_timeout);
  ADD ("/tcp/close/data-to-orphan-rst", test_close_data_to_orphan);
  ADD ("/tcp/close/orphan-fin-retries", test_close_orphan_retries);

  return g_test_run ();
}
