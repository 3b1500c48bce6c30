/* cli/bench.c — `natkeep bench engine`: the classic hold model, and
 * `natkeep bench capacity`: many idle flows through one NAT (see
 * bench_capacity below).
 *
 * Engine:
 *
 * N timers are pending; firing one re-arms it at now + Exp(mean 1 s), so
 * the queue size stays N while events flow (Jones 1986, the usual way to
 * compare event sets; DESIGN.md's anchors for ns-3 use it too).  The
 * exponential draws come from a pre-drawn table of 2^20 values of one RNG
 * stream, so every scheduler sees the same sequence of delays and the
 * measurement is the queue, not log().  Timing uses the wall clock, which
 * only cli/ may read.  Output: TSV, one header row, one row per
 * (scheduler, pending) pair, with each row's events/s relative to ns-3's
 * default scheduler at the same N when ns-3 was measured in this run.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sim/mem.h"
#include "sim/rng.h"
#include "sim/sim.h"
#include "models/world.h"
#include "cli/cli.h"
#include "cli/results.h"

#define DRAWS (1u << 20)

typedef struct {
  Sim           *sim;
  const SimTime *draws;
  guint32        next_draw;
  guint64        fired;
  guint64        stop_at;
} Hold;

static void
bench_on_hold (SimTimer *timer, void *data)
{
  Hold *h = data;
  sim_timer_start (timer, sim_now (h->sim) + h->draws[h->next_draw++ & (DRAWS - 1)]);
  if (++h->fired == h->stop_at)
    sim_stop (h->sim);
}

typedef struct {
  double  wall_s;
  guint64 events;
  gint64  rss_kb;
} HoldResult;

static gboolean
bench_hold (SimSchedKind kind, guint64 pending, guint64 events,
            const SimTime *draws, HoldResult *out, GError **error)
{
  Sim *sim = sim_new (kind, error);
  if (sim == NULL)
    return FALSE;
  Hold h = { sim, draws, 0, 0, 0 };
  /* One cache line per timer, as an owner with a hot timer would lay it
   * out; the callback's data is the shared Hold. */
  G_STATIC_ASSERT (sizeof (SimTimer) <= 64);
  SimTimer *timers = sim_mem_alloc0 (pending, 64);   /* as models' flows */
  for (guint64 i = 0; i < pending; i++)
    {
      SimTimer *t = (SimTimer *) ((char *) timers + 64 * i);
      sim_timer_init (t, sim, bench_on_hold, &h);
      sim_timer_start (t, draws[h.next_draw++ & (DRAWS - 1)]);
    }
  /* Warm up to the steady-state distribution of pending times. */
  h.stop_at = MIN (pending, events);
  if (h.stop_at > 0)
    sim_run (sim);
  h.fired = 0;
  h.stop_at = events;
  double t0 = cli_wall_seconds ();
  sim_run (sim);
  out->wall_s = cli_wall_seconds () - t0;
  out->events = h.fired;
  out->rss_kb = cli_rss_kb ();
  sim_free (sim);
  sim_mem_free (timers, pending, 64);
  return TRUE;
}

static gboolean
parse_u64_list (const char *text, GArray *out, GError **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  for (char **p = parts; *p; p++)
    {
      guint64 v;
      if (!g_ascii_string_to_unsigned (g_strstrip (*p), 10, 1, G_MAXUINT32, &v, NULL))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--pending: bad count \"%s\" (expected integers from 1 to %u, comma-separated)",
                       *p, G_MAXUINT32);
          return FALSE;
        }
      g_array_append_val (out, v);
    }
  return TRUE;
}

static int
bench_engine (int argc, char **argv)
{
  g_autofree char *pending_s = NULL, *sched_s = NULL, *engine_s = NULL;
  gint64 events = 0, seed = 1;
  GOptionEntry entries[] = {
    { "pending", 'n', 0, G_OPTION_ARG_STRING, &pending_s, "Pending events, or a comma list", "N[,N...]" },
    { "events", 'e', 0, G_OPTION_ARG_INT64, &events, "Timed events per measurement (default 10^7, at least 10*N)", "M" },
    { "scheduler", 's', 0, G_OPTION_ARG_STRING, &sched_s, "heap, wheel, ns3, or all (default all built)", "NAME" },
    { "engine", 0, 0, G_OPTION_ARG_STRING, &engine_s, "native (heap and wheel), ns3, or all (default)", "NAME" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "RNG seed for the delays (default 1)", "S" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("- hold-model benchmark of the event queues");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      fprintf (stderr, "natkeep bench engine: %s\n", error->message);
      return CLI_BAD_INPUT;
    }
  g_autoptr(GArray) pend = g_array_new (FALSE, FALSE, sizeof (guint64));
  if (pending_s == NULL)
    {
      fprintf (stderr, "natkeep bench engine: --pending is required (e.g. --pending 1000,100000,1000000)\n");
      return CLI_BAD_INPUT;
    }
  if (!parse_u64_list (pending_s, pend, &error))
    {
      fprintf (stderr, "natkeep bench engine: %s\n", error->message);
      return CLI_BAD_INPUT;
    }
  if (events < 0)
    {
      fprintf (stderr, "natkeep bench engine: --events: must be positive\n");
      return CLI_BAD_INPUT;
    }
  gboolean want[SIM_SCHED_N] = { FALSE };
  if (sched_s == NULL || strcmp (sched_s, "all") == 0)
    for (int k = 0; k < SIM_SCHED_N; k++)
      want[k] = sim_sched_kind_available ((SimSchedKind) k);
  else
    {
      SimSchedKind k;
      if (!sim_sched_kind_parse (sched_s, &k))
        {
          fprintf (stderr, "natkeep bench engine: --scheduler: unknown \"%s\" (expected heap, wheel, ns3 or all)\n", sched_s);
          return CLI_BAD_INPUT;
        }
      if (!sim_sched_kind_available (k))
        {
          fprintf (stderr, "natkeep bench engine: --scheduler %s: not built in (install libns3-dev and libgsl-dev, then meson setup --reconfigure -Dns3=enabled)\n", sched_s);
          return CLI_FAILED;
        }
      want[k] = TRUE;
    }
  if (engine_s != NULL && strcmp (engine_s, "all") != 0)
    {
      gboolean ns3 = strcmp (engine_s, "ns3") == 0;
      if (!ns3 && strcmp (engine_s, "native") != 0)
        {
          fprintf (stderr, "natkeep bench engine: --engine: unknown \"%s\" (expected native, ns3 or all)\n", engine_s);
          return CLI_BAD_INPUT;
        }
      if (ns3 && !sim_sched_kind_available (SIM_SCHED_NS3))
        {
          fprintf (stderr, "natkeep bench engine: --engine ns3: not built in (install libns3-dev and libgsl-dev, then meson setup --reconfigure -Dns3=enabled)\n");
          return CLI_FAILED;
        }
      gboolean any = FALSE;
      for (int k = 0; k < SIM_SCHED_N; k++)
        {
          want[k] = want[k] && ((k == SIM_SCHED_NS3) == ns3);
          any = any || want[k];
        }
      if (!any)
        {
          fprintf (stderr, "natkeep bench engine: --engine %s contradicts --scheduler %s\n", engine_s, sched_s);
          return CLI_BAD_INPUT;
        }
    }

  SimRng rng;
  sim_rng_init (&rng, (guint64) seed, 0, 0, "bench:hold");
  SimTime *draws = g_new (SimTime, DRAWS);
  for (guint32 i = 0; i < DRAWS; i++)
    draws[i] = MAX (1, sim_rng_exp_time (&rng, SIM_S (1)));

  printf ("scheduler\tpending\tevents\twall_s\tevents_per_s\trss_kb\tratio_ns3\n");
  int status = CLI_OK;
  for (guint i = 0; i < pend->len; i++)
    {
      guint64 n = g_array_index (pend, guint64, i);
      guint64 m = events > 0 ? (guint64) events : MAX (G_GUINT64_CONSTANT (10000000), 10 * n);
      double rate[SIM_SCHED_N] = { 0 };
      HoldResult res[SIM_SCHED_N];
      /* ns-3 first, so every other row can print its ratio. */
      static const SimSchedKind order[] = { SIM_SCHED_NS3, SIM_SCHED_HEAP, SIM_SCHED_WHEEL };
      for (gsize o = 0; o < G_N_ELEMENTS (order); o++)
        {
          SimSchedKind k = order[o];
          if (!want[k])
            continue;
          g_clear_error (&error);
          if (!bench_hold (k, n, m, draws, &res[k], &error))
            {
              fprintf (stderr, "natkeep bench engine: %s\n", error->message);
              status = CLI_FAILED;
              want[k] = FALSE;
              continue;
            }
          rate[k] = res[k].wall_s > 0 ? (double) res[k].events / res[k].wall_s : 0;
          char ratio[32] = "-";
          if (rate[SIM_SCHED_NS3] > 0)
            g_snprintf (ratio, sizeof ratio, "%.2f", rate[k] / rate[SIM_SCHED_NS3]);
          printf ("%s\t%" G_GUINT64_FORMAT "\t%" G_GUINT64_FORMAT "\t%.3f\t%.0f\t%" G_GINT64_FORMAT "\t%s\n",
                  sim_sched_kind_name (k), n, res[k].events, res[k].wall_s, rate[k],
                  res[k].rss_kb, ratio);
          fflush (stdout);
        }
    }
  g_free (draws);
  return status;
}

/* `natkeep bench capacity --flows N --hours H`: the scale test of
 * scenarios/capacity-1m.ini built in memory for any N.  N clients open one
 * connection each, uniformly over the first min (10 min, H) hours, then
 * stay idle with keep-alive 60 s / 10 s / 5 probes; one NAPT box with a
 * 350 s established timeout and ceil (N / 60000) public addresses, each
 * with the pool 1-65535, no loose pickup and RST for mid-stream packets
 * without a mapping (AWS NAT Gateway); the NAT reboots at H / 2.  Prints one TSV row:
 * bytes_per_flow is the process's peak RSS (VmHWM) over N, everything
 * included.  With -o DIR the results files are written too (--flows adds
 * flows.tsv), so two runs can be compared byte for byte, for instance
 * --engine native against --engine ns3 (ns-3's Simulator as the clock). */
static int
bench_capacity (int argc, char **argv)
{
  gint64 flows = 0, seed = 1;
  double hours = 0;
  g_autofree char *dir = NULL, *sched_s = NULL, *engine_s = NULL;
  gboolean want_flows = FALSE;
  GOptionEntry entries[] = {
    { "flows", 'n', 0, G_OPTION_ARG_INT64, &flows, "Client/server connection pairs", "N" },
    { "hours", 'H', 0, G_OPTION_ARG_DOUBLE, &hours, "Simulated hours", "H" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Scenario seed (default 1)", "S" },
    { "scheduler", 's', 0, G_OPTION_ARG_STRING, &sched_s, "heap, wheel (default) or ns3", "NAME" },
    { "engine", 0, 0, G_OPTION_ARG_STRING, &engine_s, "native (default) or ns3", "NAME" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &dir, "Also write points.tsv (and flows.tsv with --flows) to DIR", "DIR" },
    { "flows-tsv", 0, 0, G_OPTION_ARG_NONE, &want_flows, "With -o: write flows.tsv too", NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("- many idle flows through one NAT");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      fprintf (stderr, "natkeep bench capacity: %s\n", error->message);
      return CLI_BAD_INPUT;
    }
  if (flows < 1 || flows > 10000000)
    {
      fprintf (stderr, "natkeep bench capacity: --flows: expected an integer from 1 to 10000000\n");
      return CLI_BAD_INPUT;
    }
  if (!(hours > 0 && hours <= 24 * 365))
    {
      fprintf (stderr, "natkeep bench capacity: --hours: expected a number of hours > 0\n");
      return CLI_BAD_INPUT;
    }
  SimSchedKind kind;
  if (!cli_pick_scheduler ("bench capacity", sched_s, engine_s, &kind))
    return CLI_BAD_INPUT;

  WorldConfig cfg;
  world_config_init_defaults (&cfg);
  g_free (cfg.name);
  cfg.name = g_strdup ("bench-capacity");
  cfg.seed = (guint64) seed;
  cfg.flows = (guint64) flows;
  cfg.duration = (SimTime) (hours * 3600e9 + 0.5);
  cfg.open_kind = WORLD_OPEN_UNIFORM;
  cfg.open_a = 0;
  cfg.open_b = MIN (SIM_S (600), cfg.duration);
  cfg.client.keepalive = TRUE;
  cfg.client.keepidle = SIM_S (60);
  cfg.client.keepintvl = SIM_S (10);
  cfg.client.keepcnt = 5;
  cfg.server.keepalive = FALSE;
  cfg.app.pattern = APP_IDLE;
  cfg.nat.mode = NAT_MODE_NAPT;
  cfg.nat.established_timeout = SIM_S (350);
  cfg.nat.loose = FALSE;
  cfg.nat.invalid = NAT_INVALID_RST;   /* AWS NAT Gateway */
  cfg.nat.port_mode = NAT_PORT_PRESERVE;
  cfg.nat.port_lo = 1;
  cfg.nat.port_hi = 65535;
  cfg.nat.public_ips = (guint32) ((flows + 59999) / 60000);
  cfg.lan.delay = SIM_MS (1);
  cfg.wan.delay = SIM_MS (20);
  cfg.nat_reboot = cfg.duration / 2;

  Sim *sim = sim_new (kind, &error);
  if (sim == NULL)
    {
      fprintf (stderr, "natkeep bench capacity: %s\n", error->message);
      world_config_clear (&cfg);
      return CLI_FAILED;
    }
  double t0 = cli_wall_seconds ();
  World *w = world_new (&cfg, sim, cfg.seed, 0, 0);
  world_run (w);
  double wall = cli_wall_seconds () - t0;
  guint64 events = sim_events (world_sim (w));
  int status = CLI_OK;
  if (dir != NULL)
    {
      g_autofree char *seed_line = g_strdup_printf ("seed %" G_GINT64_FORMAT, seed);
      g_autofree char *what = g_strdup_printf ("bench capacity --flows %" G_GINT64_FORMAT " --hours %g",
                                               flows, hours);
      const char *meta_lines[] = { what, seed_line, NULL };
      WorldResultsMeta meta = { meta_lines, 0, 0 };
      if (g_mkdir_with_parents (dir, 0777) != 0
          || !world_write_results (w, &meta, dir, want_flows, &error))
        {
          fprintf (stderr, "natkeep bench capacity: %s: %s\n", dir,
                   error != NULL ? error->message : g_strerror (errno));
          status = CLI_FAILED;
        }
    }
  gint64 peak_kb = cli_peak_rss_kb ();
  world_free (w);
  world_config_clear (&cfg);

  printf ("flows\tsim_hours\tevents\twall_s\tevents_per_s\tflows_per_s\tbytes_per_flow\tpeak_rss_kb\n");
  printf ("%" G_GINT64_FORMAT "\t%g\t%" G_GUINT64_FORMAT "\t%.3f\t%.0f\t%.0f\t%.0f\t%" G_GINT64_FORMAT "\n",
          flows, hours, events, wall, wall > 0 ? (double) events / wall : 0,
          wall > 0 ? (double) flows / wall : 0,
          peak_kb >= 0 ? (double) peak_kb * 1024.0 / (double) flows : -1.0, peak_kb);
  fflush (stdout);
  return status;
}

int
cli_bench (int argc, char **argv)
{
  if (argc >= 2 && strcmp (argv[1], "engine") == 0)
    return bench_engine (argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "capacity") == 0)
    return bench_capacity (argc - 1, argv + 1);
  fprintf (stderr, "natkeep bench: expected \"engine\" or \"capacity\"\n"
           "usage: natkeep bench engine --pending N[,N...] [--events M] [--engine native|ns3|all]\n"
           "       natkeep bench capacity --flows N --hours H [--engine native|ns3] [-o DIR [--flows-tsv]]\n");
  return CLI_BAD_INPUT;
}
