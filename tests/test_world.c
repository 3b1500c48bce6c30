/* tests/test_world.c — whole worlds against times computed by hand.
 *
 * Each case loads a scenario from a string, runs it on every scheduler
 * built in (one suite, several queues: the ns-3 test-suite idea) and
 * checks outcomes and instants that follow from SEMANTICS.md's formulas.
 * With lan 1 ms and wan 20 ms one way and a flow opened at 0:
 *   0.000 client SYN      0.001 NAT (mapping created)    0.021 server
 *   0.021 server SYN-ACK  0.041 NAT                      0.042 client:
 *         client last_rx = 0.042 (acceptable ACK, S2), it ACKs at once
 *   0.043 NAT last_seen = 0.043 (the handshake ACK)      0.063 server:
 *         server last_rx = 0.063
 * so an idle mapping expires at 0.043 + T (S21), the client's RTT is
 * 42 ms and the server's RTT to the NAT 40 ms.
 *
 * Bad model keys: one file per problem in tests/data/bad-model/, each with
 * its full expected message (the scenario reader's own cases live in
 * test_scenario.c).
 */
#include "config.h"

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "sim/sim.h"
#include "sim/scenario.h"
#include "models/world.h"
#include "tests/fixture_world.h"

#define MS(x) SIM_MS (x)

/* Every scenario here shares this path, unless it says otherwise. */
#define PATH_INI \
  "[link.lan]\ndelay = 1ms\n[link.wan]\ndelay = 20ms\n"

static World *
world_from (const char *ini, SimSchedKind kind, guint64 seed_override)
{
  return fixture_world_run (ini, kind, seed_override, NULL);
}

static void
flow0 (World *w, WorldFlowResult *r)
{
  world_flow_result (w, 0, r);
}

/* --------------------------------------------------------------- cases */

/* (a) S21: keepidle 60 s < T = 350 s keeps every mapping, for a day. */
static void
test_keepidle_below_nat (gconstpointer data)
{
  SimSchedKind kind = GPOINTER_TO_INT (data);
  g_autoptr(World) w = world_from (
    "[scenario]\nduration = 24h\nflows = 20\nopen = uniform 0s 60s\n"
    "[client]\nkeepalive = on\nkeepidle = 60s\nkeepintvl = 10s\nkeepcnt = 3\n"
    "[nat]\nestablished_timeout = 350s\nloose = off\n" PATH_INI, kind, 0);
  WorldPointResult p;

  world_point_result (w, &p);
  g_assert_cmpuint (p.flows, ==, 20);
  g_assert_cmpuint (p.count[WORLD_ALIVE], ==, 20);
  for (guint64 i = 0; i < 20; i++)
    {
      WorldFlowResult r;

      world_flow_result (w, i, &r);
      g_assert_cmpint (r.outcome[WORLD_CLIENT], ==, WORLD_ALIVE);
      g_assert_cmpint (r.outcome[WORLD_SERVER], ==, WORLD_ALIVE);
      g_assert_cmpint (r.broken_at, ==, SIM_TIME_NEVER);
      /* S5: a probe every keepidle + RTT = 60.042 s: 1438 or 1439 in a
       * day, depending on the open time. */
      g_assert_cmpuint (r.probes[WORLD_CLIENT], >=, 1438);
      g_assert_cmpuint (r.probes[WORLD_CLIENT], <=, 1439);
    }
  /* Every probe reached the server and drew one duplicate ACK. */
  g_assert_cmpuint (p.keepalive_bytes, ==, 2 * p.probes[WORLD_CLIENT] * 40);
  g_assert_cmpuint (p.nat_peak_mappings, ==, 20);
}

/* (b) S6 + S24: Linux defaults, NAT 350 s silent, loose off. */
static void
test_linux_defaults_expire (gconstpointer data)
{
  SimSchedKind kind = GPOINTER_TO_INT (data);
  g_autoptr(World) w = world_from (
    "[scenario]\nduration = 3h\nflows = 1\nopen = 0s\n"
    "[client]\nkeepalive = on\nkeepidle = 7200s\nkeepintvl = 75s\nkeepcnt = 9\n"
    "[nat]\nestablished_timeout = 350s\nloose = off\ninvalid = drop\n"
    "on_expiry = silent\n" PATH_INI, kind, 0);
  WorldFlowResult r;
  WorldPointResult p;

  flow0 (w, &r);
  g_assert_cmpint (r.opened_at, ==, 0);
  /* last_seen 0.043 + 350 */
  g_assert_cmpint (r.broken_at, ==, MS (350043));
  g_assert_cmpint (r.broken_by, ==, WORLD_BREAK_EXPIRY);
  /* last_rx 0.042 + 7200 + 9 * 75 */
  g_assert_cmpint (r.outcome[WORLD_CLIENT], ==, WORLD_TIMEOUT);
  g_assert_cmpint (r.learned_at[WORLD_CLIENT], ==, MS (42) + SIM_S (7200 + 9 * 75));
  g_assert_cmpstr (r.cause[WORLD_CLIENT], ==, "keepalive");
  g_assert_cmpuint (r.probes[WORLD_CLIENT], ==, 9);
  /* S25: the abort's RST dies at the NAT; the idle server never learns. */
  g_assert_cmpint (r.outcome[WORLD_SERVER], ==, WORLD_STALE);
  g_assert_cmpint (r.learned_at[WORLD_SERVER], ==, SIM_TIME_NEVER);
  world_point_result (w, &p);
  g_assert_cmpuint (p.count[WORLD_TIMEOUT], ==, 1);
  g_assert_cmpuint (p.count[WORLD_ALIVE], ==, 0);
  /* 9 probes, none answered */
  g_assert_cmpuint (p.keepalive_bytes, ==, 9 * 40);
}

/* (c) S32 + S18: the server restarts; the next probe meets RST one RTT
 * later. */
static void
test_server_restart (gconstpointer data)
{
  SimSchedKind kind = GPOINTER_TO_INT (data);
  g_autoptr(World) w = world_from (
    "[scenario]\nduration = 1h\nflows = 1\n"
    "[client]\nkeepalive = on\nkeepidle = 300s\nkeepintvl = 75s\n"
    "[nat]\nestablished_timeout = 350s\n"
    "[faults]\nserver_restart = 100s\n" PATH_INI, kind, 0);
  WorldFlowResult r;

  flow0 (w, &r);
  /* probe at last_rx + 300 = 300.042, RST back 42 ms later */
  g_assert_cmpint (r.outcome[WORLD_CLIENT], ==, WORLD_RESET);
  g_assert_cmpint (r.learned_at[WORLD_CLIENT], ==, MS (300042) + MS (42));
  g_assert_cmpstr (r.cause[WORLD_CLIENT], ==, "rst-peer");
  g_assert_cmpuint (r.probes[WORLD_CLIENT], ==, 1);
  g_assert_cmpint (r.outcome[WORLD_SERVER], ==, WORLD_CLOSED);
  g_assert_cmpint (r.learned_at[WORLD_SERVER], ==, SIM_S (100));
  g_assert_cmpstr (r.cause[WORLD_SERVER], ==, "restart");
  /* the host, not a middlebox, broke this one */
  g_assert_cmpint (r.broken_at, ==, SIM_TIME_NEVER);
}

static char *
read_all (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
remove_results (const char *dir)
{
  g_autofree char *p = g_build_filename (dir, "points.tsv", NULL);
  g_autofree char *f = g_build_filename (dir, "flows.tsv", NULL);

  g_unlink (p);
  g_unlink (f);
  g_rmdir (dir);
}

/* Writes a run of the determinism scenario with @seed into a new temp dir
 * and returns the dir (transfer full). */
static char *
run_into_tmp (SimSchedKind kind, guint64 seed)
{
  static const char *const lines[] = { "natkeep test", "scenario test.ini", NULL };
  WorldResultsMeta meta = { lines, 0, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(World) w = world_from (
    "[scenario]\nduration = 2h\nflows = 40\nopen = uniform 0s 10m\n"
    "[client]\nkeepalive = on\nkeepidle = 400s\nkeepintvl = 30s\nkeepcnt = 4\n"
    "[app]\npattern = poisson\ninterval = 20m\n"
    "[nat]\nestablished_timeout = 350s\nport_mode = random\n"
    "[link.lan]\ndelay = 1ms\n[link.wan]\ndelay = 20ms\nloss = 0.01\n", kind, seed);
  char *dir = g_dir_make_tmp ("natkeep-world-XXXXXX", &error);

  g_assert_no_error (error);
  g_assert_true (world_write_results (w, &meta, dir, TRUE, &error));
  g_assert_no_error (error);
  return dir;
}

/* (d) same scenario and seed: the same bytes; another seed: other flows. */
static void
test_deterministic (gconstpointer data)
{
  SimSchedKind kind = GPOINTER_TO_INT (data);
  g_autofree char *d1 = run_into_tmp (kind, 7);
  g_autofree char *d2 = run_into_tmp (kind, 7);
  g_autofree char *d3 = run_into_tmp (kind, 8);
  g_autofree char *p1 = read_all (d1, "points.tsv"), *p2 = read_all (d2, "points.tsv");
  g_autofree char *f1 = read_all (d1, "flows.tsv"), *f2 = read_all (d2, "flows.tsv");
  g_autofree char *f3 = read_all (d3, "flows.tsv");

  g_assert_cmpstr (p1, ==, p2);
  g_assert_cmpstr (f1, ==, f2);
  g_assert_cmpstr (f1, !=, f3);
  g_assert_true (g_str_has_prefix (p1, "# natkeep test\n# scenario test.ini\n"
                                   "point\trep\tflows\talive\ttimeout\treset\tclosed\t"
                                   "stale\trefused\tsurvival\tprobes_client\t"
                                   "probes_server\tkeepalive_bytes\tnat_peak_mappings\t"
                                   "events\n0\t0\t40\t"));
  g_assert_true (strstr (f1, "\npoint\trep\tflow\topened_at\tbroken_at\tclient_outcome\t"
                         "client_learned_at\tserver_outcome\tserver_learned_at\t"
                         "client_probes\tserver_probes\tpublic_port\n0\t0\t0\t") != NULL);
  remove_results (d1);
  remove_results (d2);
  remove_results (d3);
}

/* The queue behind the engine changes nothing a user can see. */
static void
test_same_across_schedulers (void)
{
  g_autofree char *dh = run_into_tmp (SIM_SCHED_HEAP, 3);
  g_autofree char *dw = run_into_tmp (SIM_SCHED_WHEEL, 3);
  g_autofree char *ph = read_all (dh, "points.tsv"), *pw = read_all (dw, "points.tsv");
  g_autofree char *fh = read_all (dh, "flows.tsv"), *fw = read_all (dw, "flows.tsv");

  g_assert_cmpstr (ph, ==, pw);
  g_assert_cmpstr (fh, ==, fw);
  remove_results (dh);
  remove_results (dw);
}

#define LOOSE_INI(port_mode) \
  "[scenario]\nduration = 1200s\nflows = 1\n" \
  "[app]\npattern = request-after\nafter = 1000s\nsender = client\n" \
  "request_bytes = 100\nresponse_bytes = 100\n" \
  "[nat]\nestablished_timeout = 350s\nloose = on\nport_mode = " port_mode "\n" PATH_INI

/* (e) S23/S31: silence longer than T, then the client speaks first. */
static void
test_loose_preserve (gconstpointer data)
{
  g_autoptr(World) w = world_from (LOOSE_INI ("preserve"), GPOINTER_TO_INT (data), 0);
  WorldFlowResult r;

  flow0 (w, &r);
  g_assert_cmpint (r.broken_at, ==, MS (350043));
  /* the pickup kept the port: nothing to see at 1200 s */
  g_assert_cmpint (r.outcome[WORLD_CLIENT], ==, WORLD_ALIVE);
  g_assert_cmpint (r.outcome[WORLD_SERVER], ==, WORLD_ALIVE);
}

static void
test_loose_random (gconstpointer data)
{
  g_autoptr(World) w = world_from (LOOSE_INI ("random"), GPOINTER_TO_INT (data), 0);
  WorldFlowResult r;
  WorldPointResult p;

  flow0 (w, &r);
  g_assert_cmpint (r.broken_at, ==, MS (350043));
  /* request at connect + 1000 = 1000.042; the server's RST for the new
   * 4-tuple is back one RTT later */
  g_assert_cmpint (r.outcome[WORLD_CLIENT], ==, WORLD_RESET);
  g_assert_cmpint (r.learned_at[WORLD_CLIENT], ==, MS (1000042) + MS (42));
  g_assert_cmpstr (r.cause[WORLD_CLIENT], ==, "rst-peer");
  /* its socket still waits on the old 4-tuple */
  g_assert_cmpint (r.outcome[WORLD_SERVER], ==, WORLD_STALE);
  world_point_result (w, &p);
  g_assert_cmpuint (p.count[WORLD_RESET], ==, 1);
}

/* (f) S26/S31: server-only keep-alive slower than T, NAT answers RST. */
static void
test_unsolicited_rst (gconstpointer data)
{
  g_autoptr(World) w = world_from (
    "[scenario]\nduration = 1h\nflows = 1\n"
    "[server]\nkeepalive = on\nkeepidle = 600s\n"
    "[nat]\nestablished_timeout = 350s\nunsolicited_inbound = rst\n" PATH_INI,
    GPOINTER_TO_INT (data), 0);
  WorldFlowResult r;
  WorldPointResult p;

  flow0 (w, &r);
  g_assert_cmpint (r.broken_at, ==, MS (350043));
  /* server last_rx 0.063 + 600, and 40 ms to the NAT and back */
  g_assert_cmpint (r.outcome[WORLD_SERVER], ==, WORLD_RESET);
  g_assert_cmpint (r.learned_at[WORLD_SERVER], ==, MS (600063) + MS (40));
  g_assert_cmpstr (r.cause[WORLD_SERVER], ==, "rst-nat");
  g_assert_cmpuint (r.probes[WORLD_SERVER], ==, 1);
  /* the client never sends, so never learns (S30) */
  g_assert_cmpint (r.outcome[WORLD_CLIENT], ==, WORLD_STALE);
  world_point_result (w, &p);
  g_assert_cmpuint (p.count[WORLD_STALE], ==, 1);
}

/* S32: a reboot breaks the path (broken_at), and a pickup that keeps the
 * port repairs it before anyone notices: broken and alive. */
static void
test_nat_reboot_repaired (gconstpointer data)
{
  g_autoptr(World) w = world_from (
    "[scenario]\nduration = 1h\nflows = 3\n"
    "[client]\nkeepalive = on\nkeepidle = 60s\n"
    "[nat]\nestablished_timeout = 350s\nloose = on\nport_mode = preserve\n"
    "[faults]\nnat_reboot = 100s\n" PATH_INI, GPOINTER_TO_INT (data), 0);

  for (guint64 i = 0; i < 3; i++)
    {
      WorldFlowResult r;

      world_flow_result (w, i, &r);
      g_assert_cmpint (r.broken_at, ==, SIM_S (100));
      g_assert_cmpint (r.broken_by, ==, WORLD_BREAK_REBOOT);
      g_assert_cmpint (r.outcome[WORLD_CLIENT], ==, WORLD_ALIVE);
      g_assert_cmpint (r.outcome[WORLD_SERVER], ==, WORLD_ALIVE);
    }
}

/* §6 refused: a full table refuses the second flow's SYN. */
static void
test_refused (gconstpointer data)
{
  g_autoptr(World) w = world_from (
    "[scenario]\nduration = 10m\nflows = 2\nopen = uniform 0s 1s\n"
    "[client]\nkeepalive = on\nkeepidle = 60s\n"
    "[nat]\nmax_mappings = 1\n" PATH_INI, GPOINTER_TO_INT (data), 0);
  WorldPointResult p;
  guint refused = 0;

  world_point_result (w, &p);
  g_assert_cmpuint (p.count[WORLD_ALIVE], ==, 1);
  g_assert_cmpuint (p.count[WORLD_REFUSED], ==, 1);
  for (guint64 i = 0; i < 2; i++)
    {
      WorldFlowResult r;

      world_flow_result (w, i, &r);
      if (r.outcome[WORLD_CLIENT] != WORLD_REFUSED)
        continue;
      refused++;
      g_assert_cmpint (r.learned_at[WORLD_CLIENT], ==, SIM_TIME_NEVER);
      g_assert_cmpint (r.broken_by, ==, WORLD_BREAK_REFUSED);
      g_assert_cmpint (r.broken_at, ==, r.opened_at + MS (1));
      g_assert_cmpuint (r.public_port, ==, 0);
    }
  g_assert_cmpuint (refused, ==, 1);
}

/* S8 with S24: UTO 75 s, keepidle 60 s, keepintvl 10 s: abort at last_rx
 * + 80 s after two unanswered probes. */
static void
test_user_timeout (gconstpointer data)
{
  g_autoptr(World) w = world_from (
    "[scenario]\nduration = 1h\nflows = 1\n"
    "[client]\nkeepalive = on\nkeepidle = 60s\nkeepintvl = 10s\nuser_timeout = 75s\n"
    "[nat]\nestablished_timeout = 30s\nloose = off\n" PATH_INI,
    GPOINTER_TO_INT (data), 0);
  WorldFlowResult r;

  flow0 (w, &r);
  g_assert_cmpint (r.broken_at, ==, MS (30043));
  g_assert_cmpint (r.outcome[WORLD_CLIENT], ==, WORLD_TIMEOUT);
  g_assert_cmpint (r.learned_at[WORLD_CLIENT], ==, MS (42) + SIM_S (80));
  g_assert_cmpuint (r.probes[WORLD_CLIENT], ==, 2);
}

/* SEMANTICS.md §7, the derived example: Linux defaults (keepidle 7200 s,
 * keepintvl 75 s, keepcnt 9) behind a NAT at RFC 5382's minimum, 7440 s.
 * The flow opens at 149.958 s, so the client is ESTABLISHED at 150.000 s
 * and the NAT last saw the handshake ACK at 150.001 s: the mapping
 * expires at 150.001 + 7440 = 7590.001 s unless a probe comes first.
 *  - ideal timers: the first probe leaves at 150 + 7200 = 7350.000 s and
 *    refreshes it; the flow lives.
 *  - timer_hz = 1000 (1 ms jiffies): keepidle is 7 200 000 jiffies, armed at
 *    jiffy 150 000 for 7 350 000: level 6 (delays 2 064 384 ..
 *    16 515 072), granularity 8^6 = 262 144 jiffies, so the timer fires at
 *    (7 350 000 / 262 144 + 1) · 262 144 = (28 + 1) · 262 144 = 7 602 176,
 *    i.e. 7602.176 s, 252 s late and past the expiry: the probe meets no
 *    mapping and is dropped, as are the 8 after it.  Each later tick is
 *    armed from the callback (wheel clock one ahead) for 75 000 jiffies:
 *    level 4 (32 256 .. 258 047), granularity 4096, so from a multiple of
 *    4096 the next bucket is 19 · 4096 = 77 824 jiffies on: the 10th tick,
 *    which aborts, is at 7602.176 + 9 · 77.824 = 8302.592 s.
 *  - timer_hz = 250 (4 ms jiffies): armed at jiffy 37 500 for 1 837 500:
 *    level 5, granularity 32 768, fires at (56 + 1) · 32 768 = 1 867 776
 *    jiffies = 7471.104 s: late too, but before 7590.001 s; it lives. */
static void
test_kernel_timers_rfc5382 (gconstpointer data)
{
  static const struct { guint hz; gboolean dies; } cases[] = {
    { 0, FALSE }, { 250, FALSE }, { 1000, TRUE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *ini = g_strdup_printf (
        "[scenario]\nduration = 3h\nflows = 1\nopen = 149958ms\n"
        "[client]\nkeepalive = on\nkeepidle = 7200s\nkeepintvl = 75s\nkeepcnt = 9\n"
        "timer_hz = %u\n"
        "[nat]\nestablished_timeout = 7440s\nloose = off\ninvalid = drop\n" PATH_INI,
        cases[i].hz);
      g_autoptr(World) w = world_from (ini, GPOINTER_TO_INT (data), 0);
      WorldFlowResult r;

      flow0 (w, &r);
      g_assert_cmpint (r.opened_at, ==, MS (149958));
      if (!cases[i].dies)
        {
          g_assert_cmpint (r.outcome[WORLD_CLIENT], ==, WORLD_ALIVE);
          g_assert_cmpint (r.broken_at, ==, SIM_TIME_NEVER);
          continue;
        }
      g_assert_cmpint (r.broken_at, ==, MS (7590001));
      g_assert_cmpint (r.broken_by, ==, WORLD_BREAK_EXPIRY);
      g_assert_cmpint (r.outcome[WORLD_CLIENT], ==, WORLD_TIMEOUT);
      g_assert_cmpstr (r.cause[WORLD_CLIENT], ==, "keepalive");
      g_assert_cmpint (r.learned_at[WORLD_CLIENT], ==, MS (8302592));
      g_assert_cmpuint (r.probes[WORLD_CLIENT], ==, 9);
      g_assert_cmpint (r.outcome[WORLD_SERVER], ==, WORLD_STALE);
    }
}

/* Periodic requests faster than T keep an idle-keep-alive flow alive, and
 * the responder answers each one. */
static void
test_periodic_app (gconstpointer data)
{
  g_autoptr(World) w = world_from (
    "[scenario]\nduration = 1h\nflows = 5\nopen = uniform 0s 10s\n"
    "[app]\npattern = periodic\ninterval = 100s\nsender = server\n"
    "[nat]\nestablished_timeout = 350s\nloose = off\n" PATH_INI,
    GPOINTER_TO_INT (data), 0);
  WorldPointResult p;

  world_point_result (w, &p);
  g_assert_cmpuint (p.count[WORLD_ALIVE], ==, 5);
  g_assert_cmpuint (p.probes[WORLD_CLIENT] + p.probes[WORLD_SERVER], ==, 0);
}

/* ----------------------------------------------------------- bad input */

typedef struct {
  const char *file;
  int         code;
  const char *message;      /* after the directory part of the path */
} BadCase;

static const BadCase bad_cases[] = {
  { "wrong-enum.ini", NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
    "wrong-enum.ini:6: [nat] on_expiry: unknown value \"reset\" (expected one of: "
    "silent, rst, fin, probe; did you mean \"rst\"?)" },
  { "negative-delay.ini", NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE,
    "negative-delay.ini:6: [link.wan] delay: -5ms is negative (expected a duration "
    "from 0s to 36500d)" },
  { "loss-above-one.ini", NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE,
    "loss-above-one.ini:4: [link.wan] loss: 1.5 is out of range (expected a number "
    "from 0 to 1)" },
  { "keepcnt-zero.ini", NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE,
    "keepcnt-zero.ini:4: [client] keepcnt: 0 is out of range (expected an integer "
    "from 1 to 127)" },
  { "keepidle-too-large.ini", NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE,
    "keepidle-too-large.ini:4: [server] keepidle: 10h is out of range (expected a "
    "duration from 1s to 9h6m7s)" },
  { "ports-reversed.ini", NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
    "ports-reversed.ini:4: [nat] ports: low port 60000 above high port 1024 "
    "(expected LO-HI with 1 <= LO <= HI <= 65535)" },
  { "unknown-profile.ini", NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
    "unknown-profile.ini:3: [nat] profile: unknown profile \"nat.aws-natgateway\" "
    "(expected a built-in id, see natkeep profiles; did you mean "
    "\"nat.aws-nat-gateway\"?)" },
  { "profile-not-applicable.ini", NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
    "profile-not-applicable.ini:6: [nat] profile: os.linux applies to client, server "
    "(expected a nat profile)" },
  { "profile-in-app.ini", NATKEEP_SCENARIO_ERROR_UNKNOWN_KEY,
    "profile-in-app.ini:3: [app] profile: unknown key" },
  { "open-syntax.ini", NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
    "open-syntax.ini:4: [scenario] open: bad value \"uniform 10m\" (expected 0s, a "
    "duration, uniform A B or poisson RATE_PER_S)" },
  { "open-reversed.ini", NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
    "open-reversed.ini:4: [scenario] open: uniform 10m 5m ends before it starts "
    "(expected uniform A B with A <= B)" },
  { "open-after-end.ini", NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE,
    "open-after-end.ini:4: [scenario] open: flows would open at 2h, not before the "
    "end of the run (expected times below duration 1h)" },
  { "poisson-too-slow.ini", NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE,
    "poisson-too-slow.ini:5: [scenario] open: 100 flows at 1 per second take longer "
    "than duration 10s to open (expected RATE >= flows / duration)" },
  { "wan-down-syntax.ini", NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
    "wan-down-syntax.ini:3: [faults] wan_down: bad outage \"30m 10s\" (expected "
    "START for LENGTH, e.g. 30m for 10s)" },
  { "fault-after-end.ini", NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE,
    "fault-after-end.ini:6: [faults] nat_reboot: 2h is not before the end of the "
    "run (expected a time below [scenario] duration 1h)" },
  { "http-pattern.ini", NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE,
    "http-pattern.ini:4: [app] response_bytes: 0 with pattern = http (expected 1 - "
    "65495: an HTTP request always has a response)" },
  /* SEMANTICS.md §7: the kernel-timer mode needs whole-ns jiffies. */
  { "timer-hz-300.ini", NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
    "timer-hz-300.ini:4: [client] timer_hz: a jiffy of 1/300 s is not a whole number "
    "of ns (expected 0 for ideal timers, or an HZ that divides 10^9, such as 100, 250 "
    "or 1000)" },
  { "timer-hz-too-high.ini", NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE,
    "timer-hz-too-high.ini:3: [server] timer_hz: 4000 is out of range (expected an "
    "integer from 0 to 1000)" },
  /* Issue: max = 0 and negative timeouts are bad input (S35, S34). */
  { "http-max-zero.ini", NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE,
    "http-max-zero.ini:5: [http] server_keepalive_max: 0 is out of range "
    "(expected an integer from 1 to 2147483647)" },
  { "http-timeout-negative.ini", NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE,
    "http-timeout-negative.ini:5: [http] server_keepalive_timeout: -5s is negative "
    "(expected a duration from 0s to 36500d)" },
  { "typo-keepidle.ini", NATKEEP_SCENARIO_ERROR_UNKNOWN_KEY,
    "typo-keepidle.ini:4: [client] keepidel: unknown key (did you mean \"keepidle\"?)" },
  { "path-unknown-box.ini", NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
    "path-unknown-box.ini:3: [scenario] path: unknown box \"cgant\" (expected a "
    "[nat.NAME] group for every name; did you mean \"cgnat\"?)" },
  { "path-twice.ini", NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
    "path-twice.ini:3: [scenario] path: box \"cpe\" is listed twice (expected each "
    "box once: a path has no cycles)" },
  { "path-with-nat.ini", NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
    "path-with-nat.ini:3: [scenario] path: [nat] cannot be used with a path "
    "(expected one [nat.NAME] group per box, and no [nat])" },
  { "path-empty-item.ini", NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
    "path-empty-item.ini:3: [scenario] path: empty item 2 in \"cpe, , cgnat\" "
    "(expected box names separated by commas)" },
  { "path-box-not-on-path.ini", NATKEEP_SCENARIO_ERROR_UNKNOWN_KEY,
    "path-box-not-on-path.ini:7: [nat.lb]: unknown group" },
  { "rto-min-above-max.ini", NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
    "rto-min-above-max.ini:4: [client] rto_max: rto_min 2s is above rto_max 1s "
    "(expected rto_min <= rto_max)" },
  /* [app] arrivals (pattern = http only) */
  { "http-arrivals-unknown.ini", NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
    "http-arrivals-unknown.ini:4: [app] arrivals: unknown value \"sometimes\" "
    "(expected one of: periodic, poisson, bursts)" },
  { "http-burst-size-zero.ini", NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE,
    "http-burst-size-zero.ini:5: [app] burst_size: 0 is out of range "
    "(expected an integer from 1 to 10000)" },
  { "http-arrivals-not-http.ini", NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
    "http-arrivals-not-http.ini:5: [app] arrivals: bursts with pattern = periodic "
    "(expected pattern = http, or no arrivals: only HTTP requests have arrivals)" },
  { "http-burst-spacing-negative.ini", NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE,
    "http-burst-spacing-negative.ini:6: [app] burst_spacing: -1s is negative "
    "(expected a duration from 0s to 36500d)" },
  { "http-burst-size-not-bursts.ini", NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
    "http-burst-size-not-bursts.ini:5: [app] burst_size: 4 with arrivals = poisson "
    "(expected arrivals = bursts, or no burst_size)" },
  /* (4 - 1) * 20 s = 60 s, not below interval 60 s (sim_time_format: 1m) */
  { "http-burst-longer-than-interval.ini", NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE,
    "http-burst-longer-than-interval.ini:8: [app] burst_spacing: 4 requests 20s "
    "apart do not end before the next burst, interval 1m later (expected "
    "(burst_size - 1) * burst_spacing below interval)" },
};

static void
test_bad_model (gconstpointer data)
{
  const BadCase *c = data;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "bad-model",
                                                 c->file, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *expected = g_strdup_printf ("%s/%s", dir, c->message);
  g_autoptr(GError) error = NULL;
  g_autoptr(SimScenario) sc = sim_scenario_load (path, &error);
  WorldConfig cfg;

  g_assert_no_error (error);
  world_config_init_defaults (&cfg);
  g_assert_false (world_config_load (&cfg, sc, &error));
  g_assert_error (error, NATKEEP_SCENARIO_ERROR, c->code);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_null (strchr (error->message, '\n'));
  world_config_clear (&cfg);
}

/* ---- [scenario] path: middleboxes in series ------------------------------
 * cpe (conntrack 432000 s) -> cgnat -> lb, keepidle 300 s.  The first
 * break over every box is broken_at, and broken_by names its box. */
#define CHAIN_INI(cgnat, lb) \
  "[scenario]\nduration = 1h\nflows = 30\nopen = uniform 0s 60s\n" \
  "path = cpe, cgnat, lb\n" \
  "[client]\nprofile = os.linux\nkeepalive = on\nkeepidle = 300s\n[app]\npattern = idle\n" \
  "[nat.cpe]\nprofile = cpe.linux\n" \
  "[nat.cgnat]\n" cgnat "\n[nat.lb]\n" lb "\n" PATH_INI

/* The case: the middle box has the shortest timeout (200 s, below
 * keepidle 300 s; the lb keeps 350 s, refreshed by the probes): every flow
 * is broken by cgnat at t0 + 0.043 + 200 s, and without a pickup the
 * probes die there: client timeout at t0 + 300.042 + 9 * 75 s. */
static void
test_chain_middle_shortest (gconstpointer data)
{
  SimSchedKind kind = GPOINTER_TO_INT (data);
  g_autoptr(World) w = world_from (CHAIN_INI ("established_timeout = 200s\nloose = off",
                                              "established_timeout = 350s\nloose = off"),
                                   kind, 0);
  const char *meta_lines[] = { NULL };
  WorldResultsMeta meta = { meta_lines, 0, 0 };
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  WorldPointResult p;

  world_point_result (w, &p);
  g_assert_cmpuint (p.count[WORLD_TIMEOUT], ==, 30);
  /* peak mappings: the sum over the boxes, 30 each */
  g_assert_cmpuint (p.nat_peak_mappings, ==, 90);
  for (guint64 i = 0; i < world_n_flows (w); i++)
    {
      WorldFlowResult r;

      world_flow_result (w, i, &r);
      g_assert_cmpstr (r.broken_box, ==, "cgnat");
      g_assert_cmpint (r.broken_by, ==, WORLD_BREAK_EXPIRY);
      g_assert_cmpint (r.broken_at, ==, r.opened_at + MS (200043));
      g_assert_cmpint (r.outcome[WORLD_CLIENT], ==, WORLD_TIMEOUT);
      g_assert_cmpint (r.learned_at[WORLD_CLIENT], ==, r.opened_at + MS (975042));
      g_assert_cmpint (r.outcome[WORLD_SERVER], ==, WORLD_STALE);
    }
  world_format_flows (w, &meta, TRUE, out);
  lines = g_strsplit (out->str, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "point\trep\tflow\topened_at\tbroken_at\tclient_outcome\t"
                   "client_learned_at\tserver_outcome\tserver_learned_at\tclient_probes\t"
                   "server_probes\tpublic_port\tbroken_by");
  for (guint i = 1; lines[i] != NULL && *lines[i] != '\0'; i++)
    g_assert_true (g_str_has_suffix (lines[i], "\tcgnat"));
}

/* The oracle walks every box: a loose cgnat picking the flow up again on
 * the same port (preserve) hands the lb the same tuple, so the client is
 * alive (every probe answered) although cgnat broke the flow once (the
 * server, whose segments create nothing, is stale while cgnat has no
 * entry, as with one box); keepidle below every
 * timeout keeps every flow alive with nothing broken ("-"). */
static void
test_chain_oracle_walks (gconstpointer data)
{
  SimSchedKind kind = GPOINTER_TO_INT (data);
  g_autoptr(World) w = world_from (CHAIN_INI ("established_timeout = 200s\nloose = on\n"
                                              "port_mode = preserve",
                                              "established_timeout = 350s\nloose = off"),
                                   kind, 0);
  g_autoptr(World) w2 = world_from (CHAIN_INI ("established_timeout = 400s",
                                               "established_timeout = 350s"), kind, 0);
  WorldPointResult p;

  for (guint64 i = 0; i < world_n_flows (w); i++)
    {
      WorldFlowResult r;

      world_flow_result (w, i, &r);
      g_assert_cmpstr (r.broken_box, ==, "cgnat");
      /* the client's next segment would be picked up on the same port */
      g_assert_cmpint (r.outcome[WORLD_CLIENT], ==, WORLD_ALIVE);
      g_assert_cmpuint (r.probes[WORLD_CLIENT], ==, 11);
    }
  world_point_result (w2, &p);
  g_assert_cmpuint (p.count[WORLD_ALIVE], ==, 30);
  for (guint64 i = 0; i < world_n_flows (w2); i++)
    {
      WorldFlowResult r;

      world_flow_result (w2, i, &r);
      g_assert_null (r.broken_box);
      g_assert_cmpint (r.broken_at, ==, SIM_TIME_NEVER);
    }
}

/* ---- [app] pattern = http (S33-S37) at world level ---------------------
 * Path as above: a request on a reused connection is answered 42 ms (RTT)
 * + service_time later; a new connection adds the handshake (42 ms).  The
 * first request goes at open (0 s), then one every `interval`, so a run of
 * duration D holds floor (D / interval) + 1 requests. */
#define HTTP_INI(interval, duration, extra) \
  "[scenario]\nduration = " duration "\nflows = 1\n" \
  "[app]\npattern = http\ninterval = " interval "\n" \
  "[http]\nservice_time = 10ms\nclient_pool_idle_timeout = 90s\n" extra PATH_INI

/* M = 100 and one request a second for R = 250 requests: the server closes
 * after responses 100 and 200 (Connection: close, S35), so the flow opens
 * ceil (250 / 100) = 3 connections, and nothing fails. */
static void
test_http_max_requests (gconstpointer data)
{
  g_autoptr(World) w = world_from (HTTP_INI ("1s", "249500ms",
                                             "server_keepalive_timeout = 5s\n"
                                             "server_keepalive_max = 100\n"),
                                   GPOINTER_TO_INT (data), 0);
  WorldFlowResult r;
  WorldPointResult p;

  flow0 (w, &r);
  g_assert_cmpuint (r.requests, ==, 250);
  g_assert_cmpuint (r.connections_opened, ==, 3);
  g_assert_cmpuint (r.failed, ==, 0);
  g_assert_cmpuint (r.retried, ==, 0);
  /* 247 requests on a reused connection (52 ms), 3 on new ones (94 ms). */
  g_assert_cmpint (r.latency_p50, ==, MS (52));
  g_assert_cmpint (r.latency_p99, ==, MS (94));
  world_point_result (w, &p);
  g_assert_cmpuint (p.requests, ==, 250);
  g_assert_cmpuint (p.connections_opened, ==, 3);
  g_assert_cmpint (p.latency_p50, ==, MS (52));
}

/* K_s = 5 s and a request every 7 s: the server closes each connection 5 s
 * after its response, its FIN reaches the client at ~5.05 s, before the
 * next request (7 s), and Go's pool drops the connection (S36): every
 * request needs a new connection; none fails. */
static void
test_http_server_timeout (gconstpointer data)
{
  g_autoptr(World) w = world_from (HTTP_INI ("7s", "69s",
                                             "server_keepalive_timeout = 5s\n"),
                                   GPOINTER_TO_INT (data), 0);
  WorldFlowResult r;

  flow0 (w, &r);
  g_assert_cmpuint (r.requests, ==, 10);
  g_assert_cmpuint (r.connections_opened, ==, 10);
  g_assert_cmpuint (r.failed, ==, 0);
  g_assert_cmpint (r.latency_p50, ==, MS (94));
  g_assert_cmpint (r.latency_p99, ==, MS (94));
}

/* The race (S34, S37): K_s = 5 s, the response is written 31 ms after the
 * request is sent, so the server closes 5.031 s after it; a request sent
 * 5.030 s after the previous one still finds the connection pooled (the
 * FIN arrives at 5.052 s) but reaches the server at 5.051 s, after it
 * closed: RST.  Retry off: that request fails.  Retry on: it is sent
 * again on a new connection and nothing fails. */
static void
test_http_race_retry (gconstpointer data)
{
  g_autoptr(World) off = world_from (HTTP_INI ("5030ms", "120s",
                                               "server_keepalive_timeout = 5s\n"
                                               "retry_idempotent = off\n"),
                                     GPOINTER_TO_INT (data), 0);
  g_autoptr(World) on = world_from (HTTP_INI ("5030ms", "120s",
                                              "server_keepalive_timeout = 5s\n"
                                              "retry_idempotent = on\n"),
                                    GPOINTER_TO_INT (data), 0);
  WorldFlowResult r;

  /* Requests 0..23 at k * 5.030 s: new connection, reused, failed (k % 3
   * = 0, 1, 2), so 8 fail and 8 connections open. */
  flow0 (off, &r);
  g_assert_cmpuint (r.requests, ==, 24);
  g_assert_cmpuint (r.failed, ==, 8);
  g_assert_cmpuint (r.retried, ==, 0);
  g_assert_cmpuint (r.connections_opened, ==, 8);
  flow0 (on, &r);
  g_assert_cmpuint (r.requests, ==, 24);
  g_assert_cmpuint (r.failed, ==, 0);
  g_assert_cmpuint (r.retried, >, 0);
}

/* The two committed HTTP scenarios give the counts their headers promise. */
static void
test_http_scenarios (void)
{
  static const struct {
    const char *file;
    guint64     requests, failed, retried, opened;
    gint64      p50_ms, p99_ms;
  } cases[] = {
    { "http-pool-vs-server-timeout.ini", 120, 40, 0, 40, 52, 94 },
    { "http-pool-fixed.ini", 120, 0, 0, 120, 94, 94 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "scenarios",
                                                     cases[i].file, NULL);
      g_autofree char *text = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(World) w = NULL;
      WorldPointResult p;

      g_file_get_contents (path, &text, NULL, &error);
      g_assert_no_error (error);
      w = world_from (text, SIM_SCHED_HEAP, 0);
      world_point_result (w, &p);
      g_assert_cmpuint (p.requests, ==, cases[i].requests);
      g_assert_cmpuint (p.failed, ==, cases[i].failed);
      g_assert_cmpuint (p.retried, ==, cases[i].retried);
      g_assert_cmpuint (p.connections_opened, ==, cases[i].opened);
      g_assert_cmpint (p.latency_p50, ==, MS (cases[i].p50_ms));
      g_assert_cmpint (p.latency_p99, ==, MS (cases[i].p99_ms));
    }
}

/* The committed scenarios all load (and the examples in them stay valid). */
static void
test_committed_scenarios (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "..", "scenarios", NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(SimScenario) sc = NULL;
      WorldConfig cfg;

      if (!g_str_has_suffix (name, ".ini"))
        continue;
      path = g_build_filename (dir, name, NULL);
      sc = sim_scenario_load (path, &error);
      g_assert_no_error (error);
      world_config_init_defaults (&cfg);
      if (!world_config_load (&cfg, sc, &error))
        g_error ("%s", error->message);
      world_config_clear (&cfg);
      n++;
    }
  g_assert_cmpuint (n, >=, 7);
}

/* What the header comment of each committed scenario promises, for every
 * flow: times in ms after the flow opened, -1 for unset. */
typedef struct {
  const char  *file;
  WorldOutcome client, server;
  gint64       client_ms, server_ms, broken_ms;
  const char  *broken_box;  /* [scenario] path: every flow's broken_by */
} ScenarioCase;

static const ScenarioCase scenario_cases[] = {
  { "default.ini", WORLD_TIMEOUT, WORLD_STALE, 7875042, -1, 350043 },
  { "keepidle-below-nat.ini", WORLD_ALIVE, WORLD_ALIVE, -1, -1, -1 },
  { "keepidle-at-nat.ini", WORLD_TIMEOUT, WORLD_STALE, 1025042, -1, 350043 },
  { "loose-pickup-preserve.ini", WORLD_ALIVE, WORLD_ALIVE, -1, -1, 350043 },
  { "loose-pickup-random.ini", WORLD_RESET, WORLD_STALE, 1000084, -1, 350043 },
  { "unsolicited-rst.ini", WORLD_STALE, WORLD_RESET, -1, 1000103, 350043 },
  { "user-timeout.ini", WORLD_TIMEOUT, WORLD_STALE, 80042, -1, 45043 },
  { "server-restart.ini", WORLD_RESET, WORLD_CLOSED, 300084, 100000, -1 },
  { "nat-reboot.ini", WORLD_ALIVE, WORLD_ALIVE, -1, -1, 1000000 },
  { "server-keepalive-only.ini", WORLD_STALE, WORLD_TIMEOUT, -1, 1275063, 350043 },
  { "on-expiry-rst.ini", WORLD_RESET, WORLD_RESET, 240044, 240063, 240043 },
  { "chain-cpe-cgnat-lb.ini", WORLD_TIMEOUT, WORLD_STALE, 975042, -1, 240043, "lb" },
};

static SimTime
case_time (const WorldFlowResult *r, gint64 ms)
{
  return ms < 0 ? SIM_TIME_NEVER : r->opened_at + MS (ms);
}

static void
test_scenario_promise (gconstpointer data)
{
  const ScenarioCase *c = data;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "scenarios", c->file,
                                                 NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(World) w = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  w = world_from (text, SIM_SCHED_HEAP, 0);
  for (guint64 i = 0; i < world_n_flows (w); i++)
    {
      WorldFlowResult r;

      world_flow_result (w, i, &r);
      g_assert_cmpint (r.outcome[WORLD_CLIENT], ==, c->client);
      g_assert_cmpint (r.outcome[WORLD_SERVER], ==, c->server);
      g_assert_cmpint (r.learned_at[WORLD_CLIENT], ==, case_time (&r, c->client_ms));
      g_assert_cmpint (r.learned_at[WORLD_SERVER], ==, case_time (&r, c->server_ms));
      g_assert_cmpint (r.broken_at, ==, case_time (&r, c->broken_ms));
      g_assert_cmpstr (r.broken_box, ==, c->broken_box);
    }
}

static void
add_all_schedulers (const char *path, GTestDataFunc func)
{
  for (int k = 0; k < SIM_SCHED_N; k++)
    {
      g_autofree char *name = NULL;

      if (k == SIM_SCHED_NS3 || !sim_sched_kind_available (k))
        continue;             /* ns-3's Simulator is process-wide: own suite */
      name = g_strdup_printf ("%s/%s", path, sim_sched_kind_name (k));
      g_test_add_data_func (name, GINT_TO_POINTER (k), func);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  add_all_schedulers ("/world/keepalive/below-nat-timeout", test_keepidle_below_nat);
  add_all_schedulers ("/world/keepalive/linux-defaults-expire",
                      test_linux_defaults_expire);
  add_all_schedulers ("/world/keepalive/user-timeout", test_user_timeout);
  add_all_schedulers ("/world/keepalive/kernel-timers-rfc5382", test_kernel_timers_rfc5382);
  add_all_schedulers ("/world/fault/server-restart", test_server_restart);
  add_all_schedulers ("/world/fault/nat-reboot-repaired", test_nat_reboot_repaired);
  add_all_schedulers ("/world/results/deterministic", test_deterministic);
  g_test_add_func ("/world/results/same-across-schedulers", test_same_across_schedulers);
  add_all_schedulers ("/world/nat/loose-preserve", test_loose_preserve);
  add_all_schedulers ("/world/nat/loose-random", test_loose_random);
  add_all_schedulers ("/world/nat/unsolicited-rst", test_unsolicited_rst);
  add_all_schedulers ("/world/nat/refused", test_refused);
  add_all_schedulers ("/world/app/periodic", test_periodic_app);
  add_all_schedulers ("/world/path/middle-box-shortest", test_chain_middle_shortest);
  add_all_schedulers ("/world/path/oracle-walks-every-box", test_chain_oracle_walks);
  add_all_schedulers ("/world/http/max-requests-3-connections", test_http_max_requests);
  add_all_schedulers ("/world/http/server-timeout-new-connections",
                      test_http_server_timeout);
  add_all_schedulers ("/world/http/race-retry", test_http_race_retry);
  g_test_add_func ("/world/http/committed-scenarios", test_http_scenarios);
  g_test_add_func ("/world/config/committed-scenarios", test_committed_scenarios);
  for (gsize i = 0; i < G_N_ELEMENTS (scenario_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/world/scenarios/%s", scenario_cases[i].file);

      g_test_add_data_func (name, &scenario_cases[i], test_scenario_promise);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/world/config/bad/%s", bad_cases[i].file);

      g_test_add_data_func (name, &bad_cases[i], test_bad_model);
    }
  return g_test_run ();
}
