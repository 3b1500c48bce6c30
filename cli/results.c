/* cli/results.c — the parts of a results directory that run, sweep and
 * merge share.
 *
 * Final files go through a temporary name in the same directory and a
 * rename, so a reader (or a crash) never leaves half a file under the real
 * name.  The "#" lines carry only what determines the results (DESIGN.md
 * "Results"): thread count, shard and dates go to run.log, which is why
 * the shards of one sweep and a single-process run agree byte for byte.
 * The end-of-sweep summary is read back from points.tsv rather than kept
 * in memory, so a resumed sweep or a shard summarises everything its file
 * holds, not only the units this process ran.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "cli/cli.h"
#include "cli/results.h"

/* The scheduler a run uses unless told otherwise: the timing wheel is the
 * engine's fast path (DESIGN.md "Engine"); results do not depend on it. */
#define CLI_DEFAULT_SCHED SIM_SCHED_WHEEL

/* Above this many points the summary is a table, not a line per point. */
#define CLI_SUMMARY_LINES_MAX 20

gboolean
cli_tmp_open (CliTmpFile *t, const char *path, GError **error)
{
  int fd;

  t->path = g_strdup (path);
  t->tmp = g_strdup_printf ("%s.XXXXXX", path);
  t->fp = NULL;
  fd = g_mkstemp_full (t->tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
  if (fd < 0 || (t->fp = fdopen (fd, "w")) == NULL)
    {
      int saved = errno;

      if (fd >= 0)
        {
          close (fd);
          g_unlink (t->tmp);
        }
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "cannot create %s: %s", path, g_strerror (saved));
      g_clear_pointer (&t->path, g_free);
      g_clear_pointer (&t->tmp, g_free);
      return FALSE;
    }
  return TRUE;
}

gboolean
cli_tmp_close (CliTmpFile *t, gboolean keep, GError **error)
{
  int saved = 0;

  if (t->fp == NULL)
    return TRUE;
  if (ferror (t->fp))
    saved = EIO;
  if (fclose (t->fp) != 0 && saved == 0)
    saved = errno;
  t->fp = NULL;
  if (keep && saved == 0 && g_rename (t->tmp, t->path) != 0)
    saved = errno;
  if (!keep || saved != 0)
    g_unlink (t->tmp);
  if (keep && saved != 0)
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                 "cannot write %s: %s", t->path, g_strerror (saved));
  g_clear_pointer (&t->path, g_free);
  g_clear_pointer (&t->tmp, g_free);
  return !(keep && saved != 0);
}

GPtrArray *
cli_results_meta (const char *scenario_path, guint64 seed, const char *const *sets)
{
  g_autofree char *base = g_path_get_basename (scenario_path);
  GPtrArray *meta = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (meta, g_strdup_printf ("natkeep %s", NATKEEP_VERSION));
  g_ptr_array_add (meta, g_strdup_printf ("scenario %s", base));
  g_ptr_array_add (meta, g_strdup_printf ("seed %" G_GUINT64_FORMAT, seed));
  for (guint i = 0; sets != NULL && sets[i] != NULL; i++)
    g_ptr_array_add (meta, g_strdup_printf ("set %s", sets[i]));
  g_ptr_array_add (meta, NULL);
  return meta;
}

int
cli_bad_usage (const char *cmd, const char *fmt, ...)
{
  g_autofree char *msg = NULL;
  va_list ap;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  fprintf (stderr, "natkeep %s: %s (try natkeep %s --help)\n", cmd, msg, cmd);
  return CLI_BAD_INPUT;
}

gboolean
cli_pick_scheduler (const char *cmd, const char *sched, const char *engine,
                    SimSchedKind *kind)
{
  *kind = CLI_DEFAULT_SCHED;
  if (sched != NULL && !sim_sched_kind_parse (sched, kind))
    {
      cli_bad_usage (cmd, "unknown scheduler \"%s\" (expected heap, wheel or ns3)", sched);
      return FALSE;
    }
  if (engine != NULL)
    {
      SimSchedKind e;

      if (strcmp (engine, "native") == 0)
        e = sched != NULL && *kind != SIM_SCHED_NS3 ? *kind : CLI_DEFAULT_SCHED;
      else if (strcmp (engine, "ns3") == 0)
        e = SIM_SCHED_NS3;
      else
        {
          cli_bad_usage (cmd, "unknown engine \"%s\" (expected native or ns3)", engine);
          return FALSE;
        }
      if (sched != NULL && e != *kind)
        {
          cli_bad_usage (cmd, "--engine %s contradicts --scheduler", engine);
          return FALSE;
        }
      *kind = e;
    }
  if (!sim_sched_kind_available (*kind))
    {
      cli_bad_usage (cmd, "scheduler \"%s\" is not available in this build "
                     "(expected heap or wheel)", sim_sched_kind_name (*kind));
      return FALSE;
    }
  return TRUE;
}

/* ---------------------------------------------------------- summary */

enum { SUM_FLOWS, SUM_ALIVE, SUM_TIMEOUT, SUM_RESET, SUM_CLOSED, SUM_STALE,
       SUM_REFUSED, SUM_N };
static const char *const sum_names[SUM_N] = {
  "flows", "alive", "timeout", "reset", "closed", "stale", "refused"
};

typedef struct {
  guint64 n[SUM_N];
  gboolean seen;
} PointSum;

/* Sums the rows of @text per point into @sums (indexed by point, grown as
 * needed). */
static gboolean
sum_points (const char *path, const char *text, GArray *sums, GError **error)
{
  int col[SUM_N];
  gboolean have_header = FALSE;
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint l = 0; lines[l] != NULL; l++)
    {
      g_auto(GStrv) f = NULL;
      guint64 point;
      PointSum *s;

      if (lines[l][0] == '#' || lines[l][0] == '\0')
        continue;
      f = g_strsplit (lines[l], "\t", -1);
      if (!have_header)
        {
          for (int c = 0; c < SUM_N; c++)
            {
              col[c] = -1;
              for (int i = 0; f[i] != NULL; i++)
                if (strcmp (f[i], sum_names[c]) == 0)
                  col[c] = i;
              if (col[c] < 0)
                {
                  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                               "%s: no %s column", path, sum_names[c]);
                  return FALSE;
                }
            }
          have_header = TRUE;
          continue;
        }
      if (g_strv_length (f) <= (guint) MAX (col[SUM_REFUSED], col[SUM_FLOWS]))
        continue;   /* a partial last line of an interrupted sweep */
      point = g_ascii_strtoull (f[0], NULL, 10);
      if (point >= sums->len)
        g_array_set_size (sums, point + 1);
      s = &g_array_index (sums, PointSum, point);
      s->seen = TRUE;
      for (int c = 0; c < SUM_N; c++)
        s->n[c] += g_ascii_strtoull (f[col[c]], NULL, 10);
    }
  return TRUE;
}

static double
survival_pct (const PointSum *s)
{
  return s->n[SUM_FLOWS] > 0 ? 100.0 * s->n[SUM_ALIVE] / s->n[SUM_FLOWS] : 0.0;
}

static void
print_point_line (FILE *out, const SimSweep *sweep, guint64 p, const PointSum *s)
{
  fprintf (out, "point %" G_GUINT64_FORMAT, p);
  for (guint k = 0; k < sim_sweep_n_keys (sweep); k++)
    fprintf (out, "%s%s=%s", k == 0 ? " (" : " ", sim_sweep_key (sweep, k),
             sim_sweep_value (sweep, p, k));
  if (sim_sweep_n_keys (sweep) > 0)
    fputc (')', out);
  fprintf (out, ": %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " alive",
           s->n[SUM_ALIVE], s->n[SUM_FLOWS]);
  for (int c = SUM_TIMEOUT; c < SUM_N; c++)
    if (s->n[c] > 0)
      fprintf (out, ", %" G_GUINT64_FORMAT " %s", s->n[c], sum_names[c]);
  fputc ('\n', out);
}

/* Survival in percent, rows = values of key 0, columns = values of key 1. */
static void
print_grid (FILE *out, const SimSweep *sweep, GArray *sums)
{
  guint rows = sim_sweep_n_values (sweep, 0), cols = sim_sweep_n_values (sweep, 1);

  fprintf (out, "survival %% (rows: %s, columns: %s)\n%12s",
           sim_sweep_key (sweep, 0), sim_sweep_key (sweep, 1), "");
  for (guint j = 0; j < cols; j++)
    fprintf (out, " %7s", sim_sweep_value (sweep, j, 1));
  fputc ('\n', out);
  for (guint i = 0; i < rows; i++)
    {
      fprintf (out, "%12s", sim_sweep_value (sweep, (guint64) i * cols, 0));
      for (guint j = 0; j < cols; j++)
        {
          guint64 p = (guint64) i * cols + j;

          if (p < sums->len && g_array_index (sums, PointSum, p).seen)
            fprintf (out, " %7.1f", survival_pct (&g_array_index (sums, PointSum, p)));
          else
            fprintf (out, " %7s", "-");
        }
      fputc ('\n', out);
    }
}

gboolean
cli_results_print_summary (const char *points_path, const SimSweep *sweep, FILE *out,
                           GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GArray) sums = g_array_new (FALSE, TRUE, sizeof (PointSum));
  guint64 present = 0;

  if (!g_file_get_contents (points_path, &text, NULL, error)
      || !sum_points (points_path, text, sums, error))
    return FALSE;
  for (guint p = 0; p < sums->len; p++)
    present += g_array_index (sums, PointSum, p).seen;

  if (present <= CLI_SUMMARY_LINES_MAX)
    {
      for (guint p = 0; p < sums->len; p++)
        if (g_array_index (sums, PointSum, p).seen)
          print_point_line (out, sweep, p, &g_array_index (sums, PointSum, p));
      return TRUE;
    }
  if (sim_sweep_n_keys (sweep) == 2
      && (guint64) sim_sweep_n_values (sweep, 0) * sim_sweep_n_values (sweep, 1)
         == sim_sweep_points (sweep))
    {
      print_grid (out, sweep, sums);
      return TRUE;
    }
  fprintf (out, "%8s", "point");
  for (guint k = 0; k < sim_sweep_n_keys (sweep); k++)
    fprintf (out, "  %s", sim_sweep_key (sweep, k));
  fprintf (out, "  survival%%\n");
  for (guint p = 0; p < sums->len; p++)
    {
      const PointSum *s = &g_array_index (sums, PointSum, p);

      if (!s->seen)
        continue;
      fprintf (out, "%8u", p);
      for (guint k = 0; k < sim_sweep_n_keys (sweep); k++)
        fprintf (out, "  %*s", (int) strlen (sim_sweep_key (sweep, k)),
                 sim_sweep_value (sweep, p, k));
      fprintf (out, "  %9.1f\n", survival_pct (s));
    }
  return TRUE;
}

/* ------------------------------------------------------------- scan */

/* Parses a decimal field ending in a tab at *@p; advances past the tab. */
static gboolean
scan_field (const char **p, const char *end, guint64 *out)
{
  const char *q = *p;
  guint64 v = 0;

  if (q >= end || !g_ascii_isdigit (*q))
    return FALSE;
  for (; q < end && g_ascii_isdigit (*q); q++)
    {
      if (v > (G_MAXUINT64 - 9) / 10)
        return FALSE;
      v = v * 10 + (guint64) (*q - '0');
    }
  if (q >= end || *q != '\t')
    return FALSE;
  *p = q + 1;
  *out = v;
  return TRUE;
}

gboolean
cli_results_scan (const char *path, const char *text, gsize len, gsize *prefix_len,
                  GArray *rows, GError **error)
{
  const char *p = text, *end = text + len;
  gboolean header = FALSE;
  guint line = 0;

  *prefix_len = 0;
  while (p < end)
    {
      const char *nl = memchr (p, '\n', (gsize) (end - p));
      const char *q = p;
      CliRow row;

      if (nl == NULL)
        break;                  /* partial last line */
      line++;
      if (!header)
        {
          /* "#" lines, then the header row ends the prefix */
          header = *p != '#';
          p = nl + 1;
          if (header)
            *prefix_len = (gsize) (p - text);
          continue;
        }
      if (!scan_field (&q, nl, &row.point) || !scan_field (&q, nl, &row.rep))
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                       "%s:%u: not a natkeep results row", path, line);
          return FALSE;
        }
      row.start = (gsize) (p - text);
      row.len = (gsize) (nl + 1 - p);
      g_array_append_val (rows, row);
      p = nl + 1;
    }
  return TRUE;
}
