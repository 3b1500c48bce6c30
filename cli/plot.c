/* cli/plot.c — `natkeep plot DIR` and the plots drawn at the end of a run.
 *
 * Plots are gnuplot scripts written next to the TSV they read, rendered to
 * PNG (pngcairo) and SVG, so users can restyle and re-render them without
 * natkeep.  cli_plot_results draws whatever the directory supports:
 *  - one point with flows.tsv: the timeline of the flows' fate (here): the
 *    fraction of flows whose path a middlebox has broken by time t, and the
 *    fractions whose client and server have learned by time t — the gap
 *    between the curves is the time nobody knows (SEMANTICS.md S29–S30);
 *  - a sweep: survival against each swept key and a heat map of two swept
 *    durations (plot_sweep.c);
 *  - flows.tsv: the distribution of detection delays, and trace.txt: the
 *    packet timeline of flow 0 (plot_trace.c).
 * Everything is binned or sampled, so a 10^6-flow run still plots in
 * seconds.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "sim/plot.h"
#include "cli/cli.h"
#include "cli/plot_private.h"

int
plot_column_of (char **header, const char *name)
{
  for (int i = 0; header[i]; i++)
    if (strcmp (header[i], name) == 0)
      return i;
  return -1;
}

int
plot_cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

/* Times at which each of three events happened, per flow (NaN = never). */
typedef struct {
  GArray *t[3];        /* broken_at, client_learned_at, server_learned_at */
  gint64  flows;
  double  t_max;
} Timeline;

static gboolean
timeline_read (Timeline *tl, const char *path, GError **error)
{
  static const char *const names[3] = { "broken_at", "client_learned_at", "server_learned_at" };
  g_autofree char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, error))
    return FALSE;
  int col[3] = { -1, -1, -1 };
  gboolean have_header = FALSE;
  for (int k = 0; k < 3; k++)
    tl->t[k] = g_array_new (FALSE, FALSE, sizeof (double));
  tl->flows = 0;
  tl->t_max = 0;
  char *save = NULL;
  for (char *line = strtok_r (text, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      if (line[0] == '#')
        continue;
      g_auto(GStrv) f = g_strsplit (line, "\t", -1);
      if (!have_header)
        {
          for (int k = 0; k < 3; k++)
            col[k] = plot_column_of (f, names[k]);
          have_header = TRUE;
          continue;
        }
      tl->flows++;
      guint nf = g_strv_length (f);
      for (int k = 0; k < 3; k++)
        if (col[k] >= 0 && (guint) col[k] < nf && strcmp (f[col[k]], "-") != 0)
          {
            double v = g_ascii_strtod (f[col[k]], NULL);
            g_array_append_val (tl->t[k], v);
            tl->t_max = MAX (tl->t_max, v);
          }
    }
  for (int k = 0; k < 3; k++)
    g_array_sort (tl->t[k], plot_cmp_double);
  return TRUE;
}

static void
timeline_clear (Timeline *tl)
{
  for (int k = 0; k < 3; k++)
    g_array_unref (tl->t[k]);
}

/* Step curves of the three cumulative fractions on a grid of at most 4000
 * instants plus every event instant when there are few. */
static char *
timeline_table (const Timeline *tl, double end_s)
{
  GArray *grid = g_array_new (FALSE, FALSE, sizeof (double));
  guint events = tl->t[0]->len + tl->t[1]->len + tl->t[2]->len;
  double zero = 0;
  g_array_append_val (grid, zero);
  if (events <= 4000)
    for (int k = 0; k < 3; k++)
      g_array_append_vals (grid, tl->t[k]->data, tl->t[k]->len);
  else
    for (int i = 1; i < 4000; i++)
      {
        double v = end_s * i / 4000.0;
        g_array_append_val (grid, v);
      }
  g_array_append_val (grid, end_s);
  g_array_sort (grid, plot_cmp_double);
  GString *out = g_string_new ("time_s\tbroken\tclient_learned\tserver_learned\n");
  guint idx[3] = { 0, 0, 0 };
  double last = -1;
  for (guint g = 0; g < grid->len; g++)
    {
      double t = g_array_index (grid, double, g);
      if (t == last)
        continue;
      last = t;
      g_string_append_printf (out, "%.6f", t);
      for (int k = 0; k < 3; k++)
        {
          while (idx[k] < tl->t[k]->len && g_array_index (tl->t[k], double, idx[k]) <= t)
            idx[k]++;
          g_string_append_printf (out, "\t%.6f", tl->flows ? (double) idx[k] / (double) tl->flows : 0.0);
        }
      g_string_append_c (out, '\n');
    }
  g_array_unref (grid);
  return g_string_free (out, FALSE);
}

gboolean
plot_write_file (const char *dir, const char *name, const char *text, GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  return g_file_set_contents (path, text, -1, error);
}

gboolean
plot_write_render (const char *dir, const char *name, const char *body, GError **error)
{
  g_autofree char *gp = g_strconcat (name, ".gp", NULL);
  if (!plot_write_file (dir, gp, body, error))
    return FALSE;
  return sim_plot_render (dir, gp, error);
}

char *
plot_two_terminals (const char *stem, int width, int height, const char *plot)
{
  return g_strdup_printf (
    "do for [fmt in 'png svg'] {\n"
    "  if (fmt eq 'png') { set terminal pngcairo size %d,%d noenhanced font ',10'; set output '%s.png' }\n"
    "  else { set terminal svg size %d,%d noenhanced font 'sans,10'; set output '%s.svg' }\n"
    "%s"
    "  unset output\n"
    "}\n", width, height, stem, width, height, stem, plot);
}

gboolean
cli_plot_flows_timeline (const char *dir, const char *title, double end_s, GError **error)
{
  g_autofree char *flows = g_build_filename (dir, "flows.tsv", NULL);
  if (!g_file_test (flows, G_FILE_TEST_IS_REGULAR))
    return TRUE;                        /* run without per-flow rows */
  Timeline tl;
  if (!timeline_read (&tl, flows, error))
    return FALSE;
  if (tl.flows == 0)
    {
      timeline_clear (&tl);
      return TRUE;
    }
  if (end_s <= 0)
    end_s = MAX (1.0, tl.t_max * 1.05);
  g_autofree char *table = timeline_table (&tl, end_s);
  gint64 n = tl.flows;
  timeline_clear (&tl);
  if (!plot_write_file (dir, "timeline.tsv", table, error))
    return FALSE;
  g_autofree char *qtitle = sim_plot_quote (title);
  const char *unit = end_s > 3 * 3600 ? "h" : "s";
  double div = end_s > 3 * 3600 ? 3600 : 1;
  g_autofree char *script = g_strdup_printf (
    "# natkeep: who finds out, and when.  Re-render with: gnuplot timeline.gp\n"
    "# Reads timeline.tsv (made from flows.tsv): for each instant, the fraction\n"
    "# of flows whose path a middlebox has broken, and whose client / server\n"
    "# has learned that the connection is over.\n"
    "set datafile separator '\\t'\n"
    "set title '%s: path broken vs. endpoints informed (%" G_GINT64_FORMAT " flows)' noenhanced\n"
    "set xlabel 'simulated time (%s)'\n"
    "set ylabel 'fraction of flows'\n"
    "set yrange [0:1.05]\n"
    "set xrange [0:%g]\n"
    "set key right center box opaque\n"
    "set grid\n"
    "do for [fmt in 'png svg'] {\n"
    "  if (fmt eq 'png') { set terminal pngcairo size 960,600 noenhanced; set output 'timeline.png' }\n"
    "  else { set terminal svg size 960,600 noenhanced; set output 'timeline.svg' }\n"
    "  plot 'timeline.tsv' skip 1 using ($1/%g):2 with steps lw 3 title 'path broken by a middlebox', \\\n"
    "       '' skip 1 using ($1/%g):3 with steps lw 2 title 'client has learned', \\\n"
    "       '' skip 1 using ($1/%g):4 with steps lw 2 dt 2 title 'server has learned'\n"
    "  unset output\n"
    "}\n", qtitle, n, unit, end_s / div, div, div, div);
  if (!plot_write_file (dir, "timeline.gp", script, error))
    return FALSE;
  return sim_plot_render (dir, "timeline.gp", error);
}

/* The scenario's name from the "# scenario X.ini" line of points.tsv (or
 * flows.tsv), else the directory's base name (transfer full). */
static char *
plot_title (const char *dir)
{
  static const char *const files[] = { "points.tsv", "flows.tsv" };
  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i], NULL);
      FILE *f = fopen (path, "r");
      char line[512];
      if (f == NULL)
        continue;
      while (fgets (line, sizeof line, f) && line[0] == '#')
        if (g_str_has_prefix (line, "# scenario "))
          {
            char *name = g_strstrip (g_strdup (line + strlen ("# scenario ")));
            char *base = g_path_get_basename (name);
            g_free (name);
            if (g_str_has_suffix (base, ".ini"))
              base[strlen (base) - 4] = '\0';
            fclose (f);
            return base;
          }
      fclose (f);
    }
  return g_path_get_basename (dir);
}

int
cli_plot (int argc, char **argv)
{
  GOptionEntry entries[] = { G_OPTION_ENTRY_NULL };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("DIR - (re)draw the plots of a results directory");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      fprintf (stderr, "natkeep plot: %s\n", error->message);
      return CLI_BAD_INPUT;
    }
  if (argc != 2)
    {
      fprintf (stderr, "natkeep plot: expected one results directory\n");
      return CLI_BAD_INPUT;
    }
  const char *dir = argv[1];
  g_autofree char *points = g_build_filename (dir, "points.tsv", NULL);
  if (!g_file_test (points, G_FILE_TEST_IS_REGULAR))
    {
      fprintf (stderr, "natkeep plot: %s: no points.tsv here (expected a directory written by natkeep run or sweep)\n", dir);
      return CLI_BAD_INPUT;
    }
  if (!sim_plot_available ())
    {
      fprintf (stderr, "natkeep plot: %s\n", SIM_PLOT_INSTALL_HINT);
      return CLI_FAILED;
    }
  if (!cli_plot_results (dir, &error))
    {
      fprintf (stderr, "natkeep plot: %s\n", error->message);
      return CLI_FAILED;
    }
  return CLI_OK;
}

gboolean
cli_plot_results (const char *dir, GError **error)
{
  g_autofree char *title = plot_title (dir);
  /* A timeline mixing the flows of several sweep points means nothing. */
  if (plot_sweep_points (dir) <= 1
      && !cli_plot_flows_timeline (dir, title, 0, error))
    return FALSE;
  return plot_sweep (dir, title, error)
         && plot_detection_delay (dir, title, error)
         && plot_trace (dir, title, error);
}

gboolean
cli_plot_run (const char *dir, const char *title, double end_s, GError **error)
{
  return cli_plot_flows_timeline (dir, title, end_s, error)
         && plot_detection_delay (dir, title, error)
         && plot_trace (dir, title, error);
}
