/* cli/sweep.c — `natkeep sweep`: every point of a scenario's [sweep].
 *
 *   natkeep sweep SCENARIO.ini [-o DIR] [-j N] [--resume] [--shard I/N]
 *                 [--flows] [--quiet] [--set GROUP.KEY=VALUE]...
 *                 [--scheduler heap|wheel|ns3] [--engine native|ns3]
 *
 * A work unit is one (point, repetition); unit k = point * repeat + rep.
 * Every unit gets its own scenario copy, Sim and World on a GThreadPool,
 * formats its rows in the worker, and the main thread appends them to
 * DIR/points.tsv (flows.tsv with --flows) strictly in k order, buffering
 * units that finish early.  So the bytes depend on neither -j nor timing.
 *
 * Everything the user typed is checked first, every point included: a bad
 * --set or swept value prints one line (at its [sweep] line) and exits 2
 * with nothing written.  A --set of a swept key is refused: the [sweep]
 * line would silently win or lose, and either surprises someone.
 *
 * points.tsv is deliberately NOT written through a temporary name: it is
 * appended unit by unit, flows rows of a unit first and its points row
 * last, with a flush after each unit, so after a crash or SIGKILL every
 * complete points row is a complete unit and --resume can keep them.
 * run.log (threads, shard, wall time) is written at the very end through a
 * rename and removed when a sweep starts, so it marks a finished sweep.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "sim/sim.h"
#include "sim/plot.h"
#include "sim/progress.h"
#include "sim/scenario.h"
#include "sim/sweep.h"
#include "models/world.h"
#include "cli/cli.h"
#include "cli/results.h"
#include "cli/sweep_private.h"

/* Units in flight per thread: enough to keep threads busy while one slow
 * unit holds up the in-order writer, few enough to bound the buffered
 * rows.  With --flows a unit's rows are ~100 bytes per flow (100 MB for a
 * million flows), so fewer are buffered. */
#define SWEEP_WINDOW_PER_THREAD       4
#define SWEEP_WINDOW_PER_THREAD_FLOWS 2

typedef struct {
  guint64  index;      /* position in this shard's unit order */
  guint64  point, rep;
  guint64  flows;      /* flows simulated */
  GString *rows;       /* flows rows (--flows), then the points row */
} SweepUnit;

typedef struct {
  const SimSweep    *sweep;
  const SimScenario *base;
  SimSchedKind       kind;
  gboolean           flows;
  GAsyncQueue       *done;    /* finished SweepUnit* (thread pool) */
} SweepJob;

static void
sweep_unit_free (SweepUnit *u)
{
  if (u == NULL)
    return;
  g_string_free (u->rows, TRUE);
  g_free (u);
}

/* Runs one unit; the scenario was validated up front, so a failure here is
 * our bug. */
static void
sweep_run_unit (SweepUnit *u, const SweepJob *job)
{
  g_autoptr(SimScenario) sc = sim_sweep_apply (job->sweep, job->base, u->point);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  WorldResultsMeta meta = { NULL, u->point, u->rep };
  WorldConfig cfg;
  World *w;
  Sim *sim;

  world_config_init_defaults (&cfg);
  if (!world_config_load (&cfg, sc, &error))
    g_error ("point %" G_GUINT64_FORMAT " passed validation: %s", u->point, error->message);
  sim = sim_new (job->kind, &error);
  if (sim == NULL)
    g_error ("scheduler checked up front: %s", error->message);
  w = world_new (&cfg, sim, cfg.seed, u->point, u->rep);
  world_run (w);
  for (guint i = 0; i < sim_sweep_n_keys (job->sweep); i++)
    g_ptr_array_add (values, (gpointer) sim_sweep_value (job->sweep, u->point, i));
  g_ptr_array_add (values, NULL);
  u->rows = g_string_new (NULL);
  if (job->flows)
    world_format_flows (w, &meta, FALSE, u->rows);
  world_format_points_row (w, u->point, u->rep, (const char *const *) values->pdata,
                           u->rows);
  u->flows = world_n_flows (w);
  world_free (w);
  world_config_clear (&cfg);
}

static void
sweep_worker (gpointer data, gpointer user_data)
{
  SweepUnit *u = data;
  SweepJob *job = user_data;

  sweep_run_unit (u, job);
  g_async_queue_push (job->done, u);
}

/* Appends a finished unit's rows: flows rows to @flows_fp, the points row
 * (the last line of u->rows) to @points_fp, then flushes both in that
 * order, so a points row on disk means its flows rows are too. */
static gboolean
sweep_write_unit (const SweepUnit *u, FILE *points_fp, FILE *flows_fp)
{
  const char *row = u->rows->str;
  gsize len = u->rows->len;
  const char *last = g_strrstr_len (row, (gssize) len - 1, "\n");
  gsize split = last != NULL ? (gsize) (last + 1 - row) : 0;

  g_assert (flows_fp != NULL || split == 0);
  if (split > 0 && (fwrite (row, 1, split, flows_fp) != split || fflush (flows_fp) != 0))
    return FALSE;
  return fwrite (row + split, 1, len - split, points_fp) == len - split
         && fflush (points_fp) == 0;
}

/* Runs units [plan->done, plan->units) and appends them in order; FALSE
 * after an I/O error (message printed). */
static gboolean
sweep_execute (SweepPlan *plan, SweepJob *job, guint threads, FILE *points_fp,
               FILE *flows_fp, SimProgress *progress, double t0)
{
  guint64 window = (guint64) threads * (job->flows ? SWEEP_WINDOW_PER_THREAD_FLOWS
                                                   : SWEEP_WINDOW_PER_THREAD);
  guint64 next_submit = plan->done, next_write = plan->done;
  g_autofree SweepUnit **ring = NULL;
  GThreadPool *pool = NULL;
  gboolean ok = TRUE;

  if (threads > 1)
    {
      ring = g_new0 (SweepUnit *, window);
      job->done = g_async_queue_new ();
      pool = g_thread_pool_new (sweep_worker, job, (gint) threads, TRUE, NULL);
    }
  while (ok && next_write < plan->units)
    {
      SweepUnit *u;

      if (pool == NULL)
        {
          /* -j 1 (and ns-3, whose Simulator is process-wide) runs in this
           * thread. */
          u = g_new0 (SweepUnit, 1);
          u->index = next_write;
          sweep_plan_unit_at (plan, u->index, &u->point, &u->rep);
          sweep_run_unit (u, job);
        }
      else
        {
          for (; next_submit < plan->units && next_submit - next_write < window;
               next_submit++)
            {
              SweepUnit *s = g_new0 (SweepUnit, 1);

              s->index = next_submit;
              sweep_plan_unit_at (plan, s->index, &s->point, &s->rep);
              g_thread_pool_push (pool, s, NULL);
            }
          /* The timeout keeps the progress line moving during long units. */
          u = g_async_queue_timeout_pop (job->done, G_USEC_PER_SEC / 5);
          if (u != NULL)
            ring[u->index % window] = u;   /* slots are unique in the window */
          u = ring[next_write % window];
        }
      while (u != NULL)
        {
          if (!sweep_write_unit (u, points_fp, flows_fp))
            {
              fprintf (stderr, "natkeep sweep: cannot write %s: %s\n", plan->dir,
                       g_strerror (errno));
              ok = FALSE;
            }
          plan->flows_run += u->flows;
          if (ring != NULL)
            ring[next_write % window] = NULL;
          sweep_unit_free (u);
          next_write++;
          u = ok && ring != NULL && next_write < plan->units
              ? ring[next_write % window] : NULL;
        }
      sim_progress_update (progress, next_write, plan->flows_run,
                           cli_wall_seconds () - t0);
    }
  if (pool != NULL)
    {
      /* On an error, drop queued units and wait for the running ones. */
      g_thread_pool_free (pool, !ok, TRUE);
      for (SweepUnit *u; (u = g_async_queue_try_pop (job->done)) != NULL;)
        sweep_unit_free (u);
      for (guint64 i = 0; i < window; i++)
        sweep_unit_free (ring[i]);
      g_async_queue_unref (job->done);
    }
  return ok;
}

/* run.log: what must not enter the TSV files. */
static gboolean
sweep_write_log (const SweepPlan *plan, const char *scenario, SimSchedKind kind,
                 guint threads, gboolean forced_one, double wall_s, GError **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format_iso8601 (now);
  g_autofree char *base = g_path_get_basename (scenario);
  g_autofree char *path = g_build_filename (plan->dir, "run.log", NULL);
  g_autoptr(GString) s = g_string_new (NULL);
  CliTmpFile t = { 0 };

  g_string_append_printf (s, "natkeep %s sweep %s\n", NATKEEP_VERSION, base);
  g_string_append_printf (s, "finished\t%s\n", date);
  g_string_append_printf (s, "scheduler\t%s\n", sim_sched_kind_name (kind));
  g_string_append_printf (s, "threads\t%u%s\n", threads,
                          forced_one ? " (ns-3 is process-wide: forced to 1)" : "");
  g_string_append_printf (s, "shard\t%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT "\n",
                          plan->shard_i, plan->shard_n);
  g_string_append_printf (s, "points\t%" G_GUINT64_FORMAT "\n", plan->points);
  g_string_append_printf (s, "repeat\t%" G_GUINT64_FORMAT "\n", plan->repeat);
  g_string_append_printf (s, "units\t%" G_GUINT64_FORMAT "\n", plan->units);
  g_string_append_printf (s, "resumed_units\t%" G_GUINT64_FORMAT "\n", plan->resumed);
  g_string_append_printf (s, "flows_run\t%" G_GUINT64_FORMAT "\n", plan->flows_run);
  g_string_append_printf (s, "wall_s\t%.3f\n", wall_s);
  g_string_append_printf (s, "flows_per_s\t%.0f\n",
                          wall_s > 0 ? (double) plan->flows_run / wall_s : 0.0);
  g_string_append_printf (s, "peak_rss_kb\t%" G_GINT64_FORMAT "\n", cli_peak_rss_kb ());
  g_string_append_printf (s, "outputs\tpoints.tsv%s run.log\n",
                          plan->flows ? " flows.tsv" : "");
  if (!cli_tmp_open (&t, path, error))
    return FALSE;
  fwrite (s->str, 1, s->len, t.fp);
  return cli_tmp_close (&t, TRUE, error);
}

/* Loads the scenario with --set applied and validates every point; NULL
 * after printing the one-line error. */
static SimScenario *
sweep_load (const char *path, char **sets, SimSweep **sweep_out, WorldConfig *cfg0)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SimScenario) sc = sim_scenario_load (path, &error);
  g_autoptr(SimSweep) sweep = NULL;

  for (guint i = 0; sc != NULL && sets != NULL && sets[i] != NULL; i++)
    if (!sim_scenario_set_override (sc, sets[i], &error))
      break;
  if (error == NULL)
    sweep = sim_sweep_new (sc, &error);
  for (guint i = 0; sweep != NULL && sets != NULL && sets[i] != NULL; i++)
    {
      g_autofree char *key = g_strndup (sets[i], strcspn (sets[i], "="));

      g_strstrip (key);
      for (guint k = 0; k < sim_sweep_n_keys (sweep); k++)
        if (strcmp (key, sim_sweep_key (sweep, k)) == 0)
          {
            fprintf (stderr, "--set %s: key is swept in [sweep] (remove it from "
                     "[sweep] or from --set)\n", key);
            return NULL;
          }
    }
  for (guint64 p = 0; sweep != NULL && p < sim_sweep_points (sweep); p++)
    {
      g_autoptr(SimScenario) one = sim_sweep_apply (sweep, sc, p);
      WorldConfig cfg;

      world_config_init_defaults (&cfg);
      if (!world_config_load (&cfg, one, &error))
        {
          world_config_clear (&cfg);
          if (p > 0)
            world_config_clear (cfg0);
          break;
        }
      if (p > 0 && (cfg.app.pattern == APP_HTTP) != (cfg0->app.pattern == APP_HTTP))
        {
          /* pattern = http adds columns: one points.tsv cannot hold both. */
          fprintf (stderr, "%s: [sweep] app.pattern: http and other patterns in one "
                   "sweep (expected http at every point or at none)\n", path);
          world_config_clear (&cfg);
          world_config_clear (cfg0);
          return NULL;
        }
      if (p == 0)
        *cfg0 = cfg;
      else
        world_config_clear (&cfg);
    }
  if (error != NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return NULL;
    }
  *sweep_out = g_steal_pointer (&sweep);
  return g_steal_pointer (&sc);
}

int
cli_sweep (int argc, char **argv)
{
  g_autofree char *out_dir = NULL, *sched = NULL, *engine = NULL, *shard = NULL;
  g_auto(GStrv) sets = NULL;
  g_auto(GStrv) args = NULL;
  gboolean want_flows = FALSE, resume = FALSE, quiet = FALSE, forced_one = FALSE;
  gint threads_opt = G_MININT;   /* G_MININT: not given */
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out_dir,
      "Results directory (default: results/NAME)", "DIR" },
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &threads_opt,
      "Threads (default: one per processor)", "N" },
    { "resume", 0, 0, G_OPTION_ARG_NONE, &resume,
      "Keep the complete rows already in DIR and run the rest", NULL },
    { "shard", 0, 0, G_OPTION_ARG_STRING, &shard,
      "Run every N-th point starting at I (0 <= I < N)", "I/N" },
    { "flows", 0, 0, G_OPTION_ARG_NONE, &want_flows, "Also write flows.tsv", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress line", NULL },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
      "Override a scenario key that is not swept (repeatable)", "GROUP.KEY=VALUE" },
    { "scheduler", 0, 0, G_OPTION_ARG_STRING, &sched,
      "Event queue: heap, wheel (default) or ns3", "NAME" },
    { "engine", 0, 0, G_OPTION_ARG_STRING, &engine, "native (default) or ns3", "NAME" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) ctx =
    g_option_context_new ("SCENARIO.ini - simulate every point of [sweep]");
  g_autoptr(GError) error = NULL;
  g_autoptr(SimScenario) base = NULL;
  g_autoptr(SimSweep) sweep = NULL;
  g_autoptr(GPtrArray) meta = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  g_autoptr(SimProgress) progress = NULL;
  g_autofree char *points_path = NULL, *flows_path = NULL;
  FILE *points_fp = NULL, *flows_fp = NULL;
  SweepPlan plan = { 0 };
  SweepJob job = { 0 };
  WorldConfig cfg0;
  gboolean http, path;
  SimSchedKind kind;
  guint threads;
  double t0;
  gboolean ok;

  /* GOption reads "-j4" as the flags -j and -4; make and ninja users
   * type it anyway, so split it into "-j" "4" first. */
  args = g_new0 (char *, 2 * (gsize) argc + 1);
  for (int i = 0, n = 0, opts = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--") == 0)
        opts = 0;
      if (i > 0 && opts && strncmp (argv[i], "-j", 2) == 0 && g_ascii_isdigit (argv[i][2]))
        {
          args[n++] = g_strdup ("-j");
          args[n++] = g_strdup (argv[i] + 2);
        }
      else
        args[n++] = g_strdup (argv[i]);
    }
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse_strv (ctx, &args, &error))
    return cli_bad_usage ("sweep", "%s", error->message);
  argv = args;
  argc = (int) g_strv_length (args);
  if (argc != 2)
    return cli_bad_usage ("sweep", "%s", argc < 2 ? "expected a scenario file"
                                                  : "expected exactly one scenario file");
  if (threads_opt != G_MININT && threads_opt < 1)
    return cli_bad_usage ("sweep", "-j %d: must be at least 1", threads_opt);
  if (!cli_pick_scheduler ("sweep", sched, engine, &kind))
    return CLI_BAD_INPUT;
  plan.shard_i = 0;
  plan.shard_n = 1;
  if (shard != NULL && !sim_sweep_parse_shard (shard, &plan.shard_i, &plan.shard_n, &error))
    return cli_bad_usage ("sweep", "%s", error->message);

  base = sweep_load (argv[1], sets, &sweep, &cfg0);
  if (base == NULL)
    return CLI_BAD_INPUT;

  threads = threads_opt != G_MININT ? (guint) threads_opt : g_get_num_processors ();
  if (kind == SIM_SCHED_NS3 && threads > 1)
    {
      threads = 1;
      forced_one = TRUE;
    }
  plan.points = sim_sweep_points (sweep);
  plan.repeat = sim_sweep_repeat (sweep);
  plan.units = plan.points > plan.shard_i
               ? (plan.points - plan.shard_i + plan.shard_n - 1) / plan.shard_n * plan.repeat
               : 0;
  plan.flows = want_flows;
  plan.dir = out_dir != NULL ? g_strdup (out_dir)
                             : g_build_filename ("results", cfg0.name, NULL);
  meta = cli_results_meta (argv[1], cfg0.seed, (const char *const *) sets);
  http = cfg0.app.pattern == APP_HTTP;
  path = cfg0.n_boxes > 0;
  world_config_clear (&cfg0);
  for (guint k = 0; k < sim_sweep_n_keys (sweep); k++)
    g_ptr_array_add (keys, (gpointer) sim_sweep_key (sweep, k));
  g_ptr_array_add (keys, NULL);
  plan.points_prefix = g_string_new (NULL);
  world_format_points_header_full ((const char *const *) meta->pdata,
                                   (const char *const *) keys->pdata, http,
                                   plan.points_prefix);
  plan.flows_prefix = g_string_new (NULL);
  world_format_flows_header_path ((const char *const *) meta->pdata, http, path,
                                  plan.flows_prefix);

  if (g_mkdir_with_parents (plan.dir, 0777) != 0)
    {
      fprintf (stderr, "natkeep sweep: cannot create %s: %s\n", plan.dir, g_strerror (errno));
      sweep_plan_clear (&plan);
      return CLI_FAILED;
    }
  points_path = g_build_filename (plan.dir, "points.tsv", NULL);
  flows_path = g_build_filename (plan.dir, "flows.tsv", NULL);
  if (!sweep_open_outputs (&plan, resume, points_path, flows_path, &points_fp, &flows_fp,
                           &error))
    {
      gboolean bad = error->domain == NATKEEP_SCENARIO_ERROR;

      fprintf (stderr, "natkeep sweep: %s\n", error->message);
      sweep_plan_clear (&plan);
      return bad ? CLI_BAD_INPUT : CLI_FAILED;
    }

  {
    g_autofree char *log = g_build_filename (plan.dir, "run.log", NULL);

    g_unlink (log);   /* its presence marks a finished sweep */
  }
  job = (SweepJob) { sweep, base, kind, want_flows, NULL };
  threads = (guint) MIN ((guint64) threads, MAX (plan.units - plan.done, 1));
  progress = sim_progress_new (!quiet && isatty (fileno (stderr)) ? stderr : NULL,
                               plan.units, plan.done,
                               plan.repeat > 1 ? "runs" : "points");
  t0 = cli_wall_seconds ();
  ok = sweep_execute (&plan, &job, threads, points_fp, flows_fp, progress, t0);
  sim_progress_finish (progress, ok ? plan.units : plan.done, plan.flows_run,
                       cli_wall_seconds () - t0);
  if (fclose (points_fp) != 0)
    ok = FALSE;
  if (flows_fp != NULL && fclose (flows_fp) != 0)
    ok = FALSE;
  if (ok && !sweep_write_log (&plan, argv[1], kind, threads, forced_one,
                              cli_wall_seconds () - t0, &error))
    {
      fprintf (stderr, "natkeep sweep: %s\n", error->message);
      ok = FALSE;
    }
  if (!ok)
    {
      sweep_plan_clear (&plan);
      return CLI_FAILED;
    }

  if (!cli_results_print_summary (points_path, sweep, stdout, &error))
    {
      fprintf (stderr, "natkeep sweep: %s\n", error->message);
      g_clear_error (&error);
    }
  fflush (stdout);
  /* The plots are a convenience: the TSV files are the result. */
  if (!cli_plot_results (plan.dir, &error))
    {
      if (g_error_matches (error, SIM_PLOT_ERROR, SIM_PLOT_ERROR_NO_GNUPLOT))
        fprintf (stderr, "natkeep sweep: %s\n", SIM_PLOT_INSTALL_HINT);
      else
        fprintf (stderr, "natkeep sweep: warning: %s\n", error->message);
    }
  sweep_plan_clear (&plan);
  return CLI_OK;
}
