/* cli/run.c — `natkeep run`: simulate one point of a scenario.
 *
 *   natkeep run SCENARIO.ini [-o DIR] [--set GROUP.KEY=VALUE]... [--flows]
 *               [--pcap] [--trace] [--scheduler heap|wheel|ns3]
 *               [--engine native|ns3]
 *
 * Everything the user typed is checked before anything is written: a bad
 * option or scenario value prints its one line on stderr and exits 2 with
 * no directory created.  Then the World runs to the scenario's duration
 * and DIR (default results/NAME) receives points.tsv, flows.tsv (always
 * when flows <= 10000, else with --flows), trace.txt (--trace, flow 0),
 * lan.pcap and wan.pcap (--pcap), run.log (wall time, scheduler, memory:
 * everything that must not enter the TSV files) and, when gnuplot is
 * installed, the plots of cli_plot_run().  Every file goes
 * through a temporary name and a rename.  [sweep] is ignored: `run`
 * executes one point (point 0, repetition 0).
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "sim/sim.h"
#include "sim/plot.h"
#include "sim/scenario.h"
#include "models/pcap.h"
#include "models/world.h"
#include "cli/cli.h"
#include "cli/results.h"

/* Per-flow rows are written without --flows up to this many flows. */
#define RUN_FLOWS_AUTO_MAX 10000

static int G_GNUC_PRINTF (1, 2)
bad_usage (const char *fmt, ...)
{
  g_autofree char *msg = NULL;
  va_list ap;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  return cli_bad_usage ("run", "%s", msg);
}

static char *
run_log_text (const World *w, const char *scenario, SimSchedKind kind, double wall_s,
              gboolean flows, gboolean pcap, gboolean trace)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format_iso8601 (now);
  WorldPointResult r;
  GString *s = g_string_new (NULL);

  world_point_result (w, &r);
  g_string_append_printf (s, "natkeep %s run %s\n", NATKEEP_VERSION, scenario);
  g_string_append_printf (s, "finished\t%s\n", date);
  g_string_append_printf (s, "scheduler\t%s\n", sim_sched_kind_name (kind));
  g_string_append_printf (s, "threads\t1\n");
  g_string_append_printf (s, "flows\t%" G_GUINT64_FORMAT "\n", r.flows);
  g_string_append_printf (s, "events\t%" G_GUINT64_FORMAT "\n", r.events);
  g_string_append_printf (s, "wall_s\t%.3f\n", wall_s);
  g_string_append_printf (s, "events_per_s\t%.0f\n",
                          wall_s > 0 ? (double) r.events / wall_s : 0.0);
  g_string_append_printf (s, "peak_rss_kb\t%" G_GINT64_FORMAT "\n", cli_peak_rss_kb ());
  g_string_append_printf (s, "outputs\tpoints.tsv%s%s%s run.log\n",
                          flows ? " flows.tsv" : "", pcap ? " lan.pcap wan.pcap" : "",
                          trace ? " trace.txt" : "");
  return g_string_free (s, FALSE);
}

int
cli_run (int argc, char **argv)
{
  g_autofree char *out_dir = NULL, *sched = NULL, *engine = NULL;
  g_auto(GStrv) sets = NULL;
  gboolean want_flows = FALSE, want_pcap = FALSE, want_trace = FALSE;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out_dir,
      "Results directory (default: results/NAME)", "DIR" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
      "Override a scenario key (repeatable)", "GROUP.KEY=VALUE" },
    { "flows", 0, 0, G_OPTION_ARG_NONE, &want_flows,
      "Write flows.tsv even for more than 10000 flows", NULL },
    { "pcap", 0, 0, G_OPTION_ARG_NONE, &want_pcap, "Write lan.pcap and wan.pcap", NULL },
    { "trace", 0, 0, G_OPTION_ARG_NONE, &want_trace,
      "Write trace.txt, the event timeline of flow 0", NULL },
    { "scheduler", 0, 0, G_OPTION_ARG_STRING, &sched,
      "Event queue: heap, wheel (default) or ns3", "NAME" },
    { "engine", 0, 0, G_OPTION_ARG_STRING, &engine, "native (default) or ns3", "NAME" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) ctx =
    g_option_context_new ("SCENARIO.ini - simulate one point");
  g_autoptr(GError) error = NULL;
  g_autoptr(SimScenario) sc = NULL;
  g_autoptr(GPtrArray) meta = NULL;
  g_autoptr(PcapWriter) pcap_lan = NULL;
  g_autoptr(PcapWriter) pcap_wan = NULL;
  g_autoptr(World) world = NULL;
  g_autofree char *dir = NULL, *base = NULL, *summary = NULL, *log = NULL;
  g_autofree char *log_path = NULL, *trace_path = NULL;
  CliTmpFile trace = { 0 };
  WorldConfig cfg;
  SimSchedKind kind;
  WorldResultsMeta rmeta;
  gboolean flows;
  double t0, wall;
  Sim *sim;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return bad_usage ("%s", error->message);
  if (argc != 2)
    return bad_usage ("%s", argc < 2 ? "expected a scenario file"
                                     : "expected exactly one scenario file");
  if (!cli_pick_scheduler ("run", sched, engine, &kind))
    return CLI_BAD_INPUT;

  /* Bad input: one line, exit 2, nothing written. */
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

  dir = out_dir != NULL ? g_strdup (out_dir)
                        : g_build_filename ("results", cfg.name, NULL);
  if (g_mkdir_with_parents (dir, 0777) != 0)
    {
      fprintf (stderr, "natkeep run: cannot create %s: %s\n", dir, g_strerror (errno));
      world_config_clear (&cfg);
      return CLI_FAILED;
    }
  sim = sim_new (kind, &error);
  if (sim == NULL)
    {
      fprintf (stderr, "natkeep run: %s\n", error->message);
      world_config_clear (&cfg);
      return CLI_BAD_INPUT;
    }
  world = world_new (&cfg, sim, cfg.seed, 0, 0);
  flows = want_flows || cfg.flows <= RUN_FLOWS_AUTO_MAX;

  if (want_trace)
    {
      trace_path = g_build_filename (dir, "trace.txt", NULL);
      if (!cli_tmp_open (&trace, trace_path, &error))
        goto io_error;
      fprintf (trace.fp, "# natkeep %s: event timeline of flow 0 (seconds where what)\n",
               NATKEEP_VERSION);
      world_set_trace (world, trace.fp, 0);
    }
  if (want_pcap)
    {
      g_autofree char *lan = g_build_filename (dir, "lan.pcap", NULL);
      g_autofree char *wan = g_build_filename (dir, "wan.pcap", NULL);

      if ((pcap_lan = pcap_writer_open (lan, &error)) == NULL
          || (pcap_wan = pcap_writer_open (wan, &error)) == NULL)
        goto io_error;
      world_set_pcap (world, pcap_lan, pcap_wan);
    }

  t0 = cli_wall_seconds ();
  world_run (world);
  wall = cli_wall_seconds () - t0;

  /* Only what determines the results goes into the "#" lines. */
  base = g_path_get_basename (argv[1]);
  meta = cli_results_meta (argv[1], cfg.seed, (const char *const *) sets);
  rmeta = (WorldResultsMeta) { (const char *const *) meta->pdata, 0, 0 };

  if (!cli_tmp_close (&trace, TRUE, &error))
    goto io_error;
  if (pcap_lan != NULL && !pcap_writer_close (g_steal_pointer (&pcap_lan), &error))
    goto io_error;
  if (pcap_wan != NULL && !pcap_writer_close (g_steal_pointer (&pcap_wan), &error))
    goto io_error;
  if (!world_write_results (world, &rmeta, dir, flows, &error))
    goto io_error;
  if (!flows)
    {
      /* A flows.tsv left by an earlier run would no longer match
       * points.tsv (and `natkeep plot` would draw it). */
      g_autofree char *old = g_build_filename (dir, "flows.tsv", NULL);

      g_unlink (old);
    }
  log = run_log_text (world, base, kind, wall, flows, want_pcap, want_trace);
  log_path = g_build_filename (dir, "run.log", NULL);
  if (!world_write_file (log_path, log, strlen (log), &error))
    goto io_error;

  /* The plots are a convenience: the TSV files are the result. */
  if ((flows || want_trace)
      && !cli_plot_run (dir, cfg.name, SIM_TIME_TO_S (cfg.duration), &error))
    {
      if (g_error_matches (error, SIM_PLOT_ERROR, SIM_PLOT_ERROR_NO_GNUPLOT))
        fprintf (stderr, "natkeep run: %s\n", SIM_PLOT_INSTALL_HINT);
      else
        fprintf (stderr, "natkeep run: warning: %s\n", error->message);
      g_clear_error (&error);
    }

  summary = world_summary (world);
  printf ("%s\n", summary);
  world_config_clear (&cfg);
  return CLI_OK;

io_error:
  cli_tmp_close (&trace, FALSE, NULL);
  fprintf (stderr, "natkeep run: %s\n", error->message);
  world_config_clear (&cfg);
  return CLI_FAILED;
}
