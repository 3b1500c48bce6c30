/* cli/advise.c — `natkeep advise SCENARIO.ini [--set GROUP.KEY=VALUE]...`
 *
 * The inverse question: the largest keepidle that keeps every flow's NAT
 * entry alive, what it costs, and a simulation that checks the answer.
 *
 * SEMANTICS.md S5 and S21: an answered probe leaves at t_ans + keepidle,
 * so in steady state the NAT sees a gap of keepidle + RTT(prober <-> NAT)
 * between the answer to one probe and the next probe, and the entry
 * survives iff that gap is below T (expiry at now >= last_seen + T, so
 * equality loses).  Linux takes TCP_KEEPIDLE in whole seconds (at most
 * 32767), so the answer is the largest integer s with s + RTT < T.
 * The box's refresh rule (S20) changes which packets count:
 *  - any: probe and answer both refresh; the gap is keepidle + RTT(prober
 *    <-> NAT);
 *  - outbound: only packets leaving the inside refresh.  A client probe
 *    refreshes, its answer does not, so the gap is keepidle + the full
 *    client <-> server RTT.  A server probe does not refresh, but the
 *    client's answer to it does: again keepidle + the full RTT;
 *  - data: probes carry no payload, so TCP keep-alive can never keep the
 *    entry; only application traffic below T can.
 * S5 also bounds the period from below: the next probe leaves at
 * max(t_probe + keepintvl, t_ans + keepidle), so a keepintvl longer than
 * T plus the far side's RTT breaks the entry whatever keepidle says; the
 * advice then lowers keepintvl too, and the check runs with it.
 * Loss is not part of the answer: a lost probe adds keepintvl to the gap,
 * which is reported when a link has loss.
 * Kernel-timer mode (timer_hz, SEMANTICS.md §7): the probe after an
 * answer can leave up to one granularity of keepidle's wheel level late,
 * so the answer is the largest s with s + that lateness + RTT < T; a
 * second more then breaks only the flows whose timers fall late enough.
 *
 * The check runs the scenario itself (flows capped at 200, duration at
 * least 4 T so several probe periods fall inside) with the answer, then
 * with one second more, which must cross the S21 boundary: the entry then
 * expires, although a loose pickup that keeps the port may still repair
 * the flow (S23, S31) — the output then says so instead of claiming a
 * failure.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "sim/sim.h"
#include "sim/scenario.h"
#include "models/ktimer.h"
#include "models/world.h"
#include "cli/cli.h"

#define ADVISE_VERIFY_FLOWS   200
#define ADVISE_KEEPIDLE_MAX_S 32767     /* Linux MAX_TCP_KEEPIDLE */
#define ADVISE_SEGMENT_BYTES  40        /* IPv4 + TCP headers, no options */

/* How late a keep-alive tick keepidle = @s seconds ahead can fire: 0
 * with ideal timers, else the granularity of its wheel level (§7). */
static SimTime
keepidle_late (guint hz, gint64 s)
{
  if (hz == 0)
    return 0;
  return (SimTime) ktimer_granularity (hz, ktimer_to_jiffies (hz, SIM_S (s)))
         * ktimer_jiffy (hz);
}

/* Largest whole number of seconds s with s + lateness + @rtt < @t; -1 if
 * none >= 1. */
static gint64
largest_keepidle_s (SimTime t, SimTime rtt, guint hz)
{
  SimTime room = t - rtt;
  if (room <= SIM_S (1))
    return -1;
  gint64 s = MIN ((room - 1) / SIM_S (1), (gint64) ADVISE_KEEPIDLE_MAX_S);
  while (s >= 1 && SIM_S (s) + keepidle_late (hz, s) >= room)
    s--;
  return s >= 1 ? s : -1;
}

static const char *
fmt_t (SimTime t, char *buf)
{
  return sim_time_format (t, buf, 64);
}

/* With kernel timers, the lateness the answer @s allowed for. */
static void
print_kernel_late (guint hz, gint64 s, SimTime gap, SimTime t)
{
  char late[64], c[64], d[64];

  if (hz == 0)
    return;
  fmt_t (keepidle_late (hz, s), late);
  printf ("  kernel timers: at HZ %u the tick after an answer fires up to %s late "
          "(SEMANTICS §7), so %" G_GINT64_FORMAT " + %s + %s < %s\n",
          hz, late, s, late, fmt_t (gap, c), fmt_t (t, d));
}

/* "825 B", "82.5 kB", "1.2 MB" (decimal units, like network rates). */
static char *
fmt_bytes (double b)
{
  if (b < 1e3)
    return g_strdup_printf ("%.0f B", b);
  if (b < 1e6)
    return g_strdup_printf ("%.1f kB", b / 1e3);
  if (b < 1e9)
    return g_strdup_printf ("%.1f MB", b / 1e6);
  return g_strdup_printf ("%.2f GB", b / 1e9);
}

typedef struct {
  guint64 flows, alive, broken;
  guint64 count[WORLD_N_OUTCOMES];
} AdviseCheck;

/* Runs @base with the verification caps and one side's keepidle. */
static gboolean
advise_simulate (const WorldConfig *base, int side, gint64 keepidle_s, AdviseCheck *out,
                 GError **error)
{
  WorldConfig cfg = *base;           /* shallow: only scalars change */
  SimTime four_t = base->nat.established_timeout * 4;
  cfg.flows = MIN (base->flows, (guint64) ADVISE_VERIFY_FLOWS);
  cfg.duration = MAX (base->duration, four_t);
  TcpConfig *tc = side == WORLD_CLIENT ? &cfg.client : &cfg.server;
  tc->keepalive = TRUE;
  tc->keepidle = SIM_S (keepidle_s);
  if (side == WORLD_SERVER)
    cfg.client.keepalive = FALSE;    /* the server's probes alone */
  Sim *sim = sim_new (SIM_SCHED_WHEEL, error);
  if (sim == NULL)
    return FALSE;
  g_autoptr(World) w = world_new (&cfg, sim, cfg.seed, 0, 0);
  world_run (w);
  WorldPointResult r;
  world_point_result (w, &r);
  memset (out, 0, sizeof *out);
  out->flows = r.flows;
  out->alive = r.count[WORLD_ALIVE];
  memcpy (out->count, r.count, sizeof out->count);
  for (guint64 i = 0; i < world_n_flows (w); i++)
    {
      WorldFlowResult fr;
      world_flow_result (w, i, &fr);
      if (fr.broken_at != SIM_TIME_NEVER)
        out->broken++;
    }
  return TRUE;
}

static void
print_outcomes (const AdviseCheck *c)
{
  for (int o = WORLD_ALIVE + 1; o < WORLD_N_OUTCOMES; o++)
    if (c->count[o])
      printf (", %" G_GUINT64_FORMAT " %s", c->count[o], world_outcome_name (o));
}

/* Verifies @s and, when it answers the S21 question, @s + 1. */
static gboolean
advise_verify (const WorldConfig *cfg, int side, gint64 s, GError **error)
{
  const char *who = side == WORLD_CLIENT ? "client" : "server";
  char d[64];
  AdviseCheck ok, over;
  if (!advise_simulate (cfg, side, s, &ok, error))
    return FALSE;
  SimTime dur = MAX (cfg->duration, cfg->nat.established_timeout * 4);
  printf ("%s: %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " flows alive",
          ok.alive == ok.flows ? "verified" : "NOT verified", ok.alive, ok.flows);
  print_outcomes (&ok);
  printf (" (simulated with %s.keepidle = %" G_GINT64_FORMAT "s, %" G_GUINT64_FORMAT
          " flows, %s)", who, s, ok.flows, fmt_t (dur, d));
  if (ok.broken)
    printf ("; the NAT broke %" G_GUINT64_FORMAT " paths", ok.broken);
  printf ("\n");
  if (s >= ADVISE_KEEPIDLE_MAX_S)
    return TRUE;                     /* no larger keepidle to try */
  if (!advise_simulate (cfg, side, s + 1, &over, error))
    return FALSE;
  guint hz = side == WORLD_CLIENT ? cfg->client.timer_hz : cfg->server.timer_hz;
  printf ("one second more, %s.keepidle = %" G_GINT64_FORMAT "s (%s): "
          "%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " flows alive",
          who, s + 1, hz > 0 ? "kernel timers: lost only where a timer falls late enough"
                             : "S21 boundary", over.alive, over.flows);
  print_outcomes (&over);
  printf ("; the NAT broke %" G_GUINT64_FORMAT " paths", over.broken);
  if (over.broken > 0 && over.alive == over.flows)
    printf (" (a loose pickup on the same public port repaired them, S23/S31)");
  printf ("\n");
  return TRUE;
}

/* S5: keepintvl too long for T?  The NAT then sees keepintvl − @far
 * between an answer and the next probe (@far: the RTT on the other side
 * of the NAT, 0 with refresh = outbound).  Lowers it to @s in @cfg. */
static void
advise_keepintvl (WorldConfig *cfg, int side, gint64 s, SimTime far)
{
  TcpConfig *tc = side == WORLD_CLIENT ? &cfg->client : &cfg->server;
  char a[64], b[64];
  if (tc->keepintvl - far < cfg->nat.established_timeout)
    return;
  printf ("  also: keepintvl = %s is too long: the next probe leaves at max(t_probe + keepintvl, "
          "t_answer + keepidle) (S5), so set %s.keepintvl <= %" G_GINT64_FORMAT "s (below T = %s); "
          "the check below uses that\n",
          fmt_t (tc->keepintvl, a), side == WORLD_CLIENT ? "client" : "server", s,
          fmt_t (cfg->nat.established_timeout, b));
  tc->keepintvl = SIM_S (s);
}

/* Cost of keep-alive at @keepidle_s with probe period keepidle + @rtt. */
static void
print_cost (const WorldConfig *cfg, gint64 keepidle_s, SimTime rtt)
{
  double period = keepidle_s + SIM_TIME_TO_S (rtt);
  double probes = 3600.0 / period;
  double bytes = probes * 2 * ADVISE_SEGMENT_BYTES;
  g_autofree char *b1 = fmt_bytes (bytes);
  g_autofree char *ball = fmt_bytes (bytes * cfg->flows);
  printf ("  cost: %.2f probes/h per flow (one every keepidle + RTT = %.3f s, S5), "
          "%.2f packets/h with the answers, %s/h per flow at %d bytes each; "
          "%s/h for all %" G_GUINT64_FORMAT " flows\n",
          probes, period, 2 * probes, b1, ADVISE_SEGMENT_BYTES, ball, cfg->flows);
}

static int
advise (const WorldConfig *cfg)
{
  const NatConfig *nat = &cfg->nat;
  SimTime t = nat->established_timeout;
  SimTime rtt_lan = 2 * cfg->lan.delay, rtt_wan = 2 * cfg->wan.delay;
  SimTime rtt = rtt_lan + rtt_wan;
  static const char *const refresh[] = { "any", "outbound", "data" };
  char a[64], b[64], c[64], e[64];
  g_autoptr(GError) error = NULL;

  printf ("%s: NAT established timeout T = %s, refresh = %s; RTT client<->NAT %s, "
          "server<->NAT %s, client<->server %s\n",
          cfg->name, fmt_t (t, a), refresh[nat->refresh], fmt_t (rtt_lan, b),
          fmt_t (rtt_wan, c), fmt_t (rtt, e));
  if (nat->mode == NAT_MODE_STATIC)
    printf ("  note: mode = static keeps a fixed binding; the idle timeout still "
            "removes the connection state\n");

  if (nat->refresh == NAT_REFRESH_DATA)
    {
      gint64 s = largest_keepidle_s (t, rtt, 0);
      printf ("client keepidle: none — TCP keep-alive cannot keep this entry: with refresh = data "
              "only segments with payload restart the box's idle timer (S20; AWS ALB, Classic "
              "ELB), and probes and their answers carry none.\n");
      if (s > 0)
        printf ("  recommend: application-level traffic (a request or ping of at least 1 byte) "
                "more often than every T − RTT, e.g. [app] pattern = periodic, interval = %"
                G_GINT64_FORMAT "s (%" G_GINT64_FORMAT " + %s < %s)\n", s, s, fmt_t (rtt, a),
                fmt_t (t, b));
      else
        printf ("  T is shorter than a round trip: no idle connection can survive this box\n");
      /* Show it: keep-alive well below T still loses the entry. */
      gint64 probe_s = MAX ((gint64) 1, MIN ((gint64) 60, (t / SIM_S (1)) / 2));
      AdviseCheck k;
      if (!advise_simulate (cfg, WORLD_CLIENT, probe_s, &k, &error))
        goto failed;
      printf ("check (client.keepidle = %" G_GINT64_FORMAT "s, far below T): %"
              G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " flows alive",
              probe_s, k.alive, k.flows);
      print_outcomes (&k);
      printf ("; the NAT broke %" G_GUINT64_FORMAT " paths%s\n", k.broken,
              k.broken && k.alive == k.flows
                ? " (a loose pickup on the same public port repaired them, S23/S31)" : "");
      return CLI_OK;
    }

  /* S21: the gap after an answered probe. */
  SimTime gap_c = nat->refresh == NAT_REFRESH_OUTBOUND ? rtt : rtt_lan;
  SimTime gap_s = nat->refresh == NAT_REFRESH_OUTBOUND ? rtt : rtt_wan;
  gint64 sc = largest_keepidle_s (t, gap_c, cfg->client.timer_hz);
  if (sc < 0)
    {
      printf ("client keepidle: none — T = %s leaves no whole second of keepidle below it\n",
              fmt_t (t, a));
      return CLI_OK;
    }
  printf ("client keepidle: %" G_GINT64_FORMAT " s\n", sc);
  if (nat->refresh == NAT_REFRESH_OUTBOUND)
    printf ("  why: refresh = outbound counts only the client's probes, not the answers, so the "
            "NAT sees a gap of keepidle + RTT(client<->server): %" G_GINT64_FORMAT " + %s < %s "
            "(S5, S20, S21); Linux sets TCP_KEEPIDLE in whole seconds\n",
            sc, fmt_t (gap_c, a), fmt_t (t, b));
  else
    printf ("  why: after each answered probe the NAT sees a gap of keepidle + RTT(client<->NAT) "
            "= %" G_GINT64_FORMAT " + %s < %s; keepidle = T is lost on the tie (S5, S21); "
            "Linux sets TCP_KEEPIDLE in whole seconds\n", sc, fmt_t (gap_c, a), fmt_t (t, b));
  print_kernel_late (cfg->client.timer_hz, sc, gap_c, t);
  if (sc == ADVISE_KEEPIDLE_MAX_S)
    printf ("  note: capped at Linux's maximum TCP_KEEPIDLE of 32767 s; T = %s itself is larger\n",
            fmt_t (t, a));
  WorldConfig vc = *cfg;             /* shallow: only scalars change */
  advise_keepintvl (&vc, WORLD_CLIENT, sc,
                    nat->refresh == NAT_REFRESH_OUTBOUND ? 0 : rtt_wan);
  print_cost (cfg, sc, rtt);
  if (cfg->lan.loss > 0 || cfg->wan.loss > 0)
    printf ("  note: links lose packets; one lost probe widens the gap by keepintvl = %s, "
            "so keepidle + keepintvl + RTT < T survives one loss\n",
            fmt_t (vc.client.keepintvl, a));
  if (!advise_verify (&vc, WORLD_CLIENT, sc, &error))
    goto failed;

  if (cfg->server.keepalive)
    {
      gint64 ss = largest_keepidle_s (t, gap_s, cfg->server.timer_hz);
      if (ss < 0)
        printf ("server keepidle: none below T\n");
      else
        {
          printf ("server keepidle: %" G_GINT64_FORMAT " s (server keep-alive alone)\n", ss);
          if (nat->refresh == NAT_REFRESH_OUTBOUND)
            printf ("  why: the server's probes enter from outside and refresh nothing; the "
                    "client's answers leave from inside and do: gap keepidle + RTT(client<->server) "
                    "= %" G_GINT64_FORMAT " + %s < %s (S20, S21)\n", ss, fmt_t (gap_s, a), fmt_t (t, b));
          else
            printf ("  why: gap keepidle + RTT(server<->NAT) = %" G_GINT64_FORMAT " + %s < %s; "
                    "a server that probes into an expired entry is cut off for good (S26, S31)\n",
                    ss, fmt_t (gap_s, a), fmt_t (t, b));
          print_kernel_late (cfg->server.timer_hz, ss, gap_s, t);
          WorldConfig vs = *cfg;
          advise_keepintvl (&vs, WORLD_SERVER, ss,
                            nat->refresh == NAT_REFRESH_OUTBOUND ? 0 : rtt_lan);
          print_cost (cfg, ss, rtt);
          if (!advise_verify (&vs, WORLD_SERVER, ss, &error))
            goto failed;
        }
    }
  return CLI_OK;

failed:
  fprintf (stderr, "natkeep advise: %s\n", error->message);
  return CLI_FAILED;
}

int
cli_advise (int argc, char **argv)
{
  g_auto(GStrv) sets = NULL;
  GOptionEntry entries[] = {
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
      "Override a scenario key (repeatable)", "GROUP.KEY=VALUE" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new (
    "SCENARIO.ini - the largest keepidle (and its cost) that keeps every flow alive");
  g_autoptr(GError) error = NULL;
  g_autoptr(SimScenario) sc = NULL;
  WorldConfig cfg;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      fprintf (stderr, "natkeep advise: %s (try natkeep advise --help)\n", error->message);
      return CLI_BAD_INPUT;
    }
  if (argc != 2)
    {
      fprintf (stderr, "natkeep advise: expected exactly one scenario file "
               "(try natkeep advise --help)\n");
      return CLI_BAD_INPUT;
    }
  sc = sim_scenario_load (argv[1], &error);
  for (guint i = 0; sc != NULL && sets != NULL && sets[i] != NULL; i++)
    if (!sim_scenario_set_override (sc, sets[i], &error))
      break;
  world_config_init_defaults (&cfg);
  if (error != NULL || !world_config_load (&cfg, sc, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      world_config_clear (&cfg);
      return CLI_BAD_INPUT;
    }
  if (cfg.n_boxes > 0)
    {
      /* advise reasons about one box's timeouts (cfg.nat). */
      fprintf (stderr, "natkeep advise: %s has a [scenario] path; advise handles a "
               "single [nat] only (run the path with natkeep run)\n", argv[1]);
      world_config_clear (&cfg);
      return CLI_BAD_INPUT;
    }
  int status = advise (&cfg);
  world_config_clear (&cfg);
  return status;
}
