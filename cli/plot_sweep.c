/* cli/plot_sweep.c — plots of a sweep: survival against each swept key
 * (and the peak number of NAT mappings when it varies: capacity
 * planning); the heat map of two swept durations is in plot_heatmap.c.
 *
 * points.tsv of a sweep holds `point rep`, one column per swept key
 * (`group.key`, values as written in [sweep] or canonical durations such
 * as `2h4m`), then the result columns starting at `flows`.  A point may
 * have several rows (repetitions); survival is averaged over them first,
 * then over the keys a plot does not show, so each point weighs the same.
 *
 * Durations are plotted in seconds (sim_time_parse reads them, nothing
 * else), on a log axis when they span more than a decade: timeouts from
 * 60 s to 2 h 4 min are unreadable on a linear axis.  At most 8 lines
 * per plot stay readable, so more values of the line key are thinned out
 * (the table keeps them all).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/time.h"
#include "sim/plot.h"
#include "cli/plot_private.h"

static const struct {
  const char *stem, *column, *what, *ylabel, *yrange, *fmt;
} metrics[2] = {
  { "survival", "survival", "surviving fraction of flows", "surviving flows (fraction)",
    "set yrange [0:1.05]\n", "%.6f" },
  { "mappings", "nat_peak_mappings", "peak number of NAT mappings", "peak NAT mappings (entries)",
    "set yrange [0:*]\n", "%.1f" },
};

static void
sweep_clear (Sweep *s)
{
  for (guint k = 0; k < s->n_keys; k++)
    {
      g_free (s->keys[k].name);
      g_ptr_array_unref (s->keys[k].values);
      g_array_unref (s->keys[k].num);
    }
  g_free (s->keys);
  if (s->points)
    {
      for (guint i = 0; i < s->points->len; i++)
        g_free (g_array_index (s->points, SweepPoint, i).v);
      g_array_unref (s->points);
    }
}

/* Reads the value of @raw as @kind; FALSE if it is not one. */
static gboolean
value_number (const char *raw, KeyKind kind, double *out)
{
  if (kind == KEY_DURATION)
    {
      SimTime t;
      if (sim_time_parse (raw, &t) != SIM_TIME_OK)
        return FALSE;
      *out = SIM_TIME_TO_S (t);
      return TRUE;
    }
  char *end = NULL;
  *out = g_ascii_strtod (raw, &end);
  return end != raw && *end == '\0' && isfinite (*out);
}

/* A duration key has a unit somewhere: "flows = 50, 100" are numbers even
 * though a bare number would parse as seconds. */
static KeyKind
key_kind (GPtrArray *raw)
{
  gboolean unit = FALSE;
  double x;
  for (guint i = 0; i < raw->len; i++)
    {
      const char *v = raw->pdata[i];
      SimTime t;
      if (sim_time_parse (v, &t) != SIM_TIME_OK)
        goto not_duration;
      for (const char *p = v; *p; p++)
        if (g_ascii_isalpha (*p))
          unit = TRUE;
    }
  if (unit)
    return KEY_DURATION;
not_duration:
  for (guint i = 0; i < raw->len; i++)
    if (!value_number (raw->pdata[i], KEY_NUMBER, &x))
      return KEY_CATEGORY;
  return KEY_NUMBER;
}

typedef struct { const char *raw; double num; guint first; } ValueSort;

static int
value_sort_cmp (const void *a, const void *b)
{
  const ValueSort *x = a, *y = b;
  if (x->num != y->num)
    return x->num < y->num ? -1 : 1;
  return x->first < y->first ? -1 : x->first > y->first;
}

static gboolean
sweep_read (Sweep *s, const char *dir, GError **error)
{
  g_autofree char *path = g_build_filename (dir, "points.tsv", NULL);
  g_autofree char *text = NULL;
  memset (s, 0, sizeof *s);
  if (!g_file_get_contents (path, &text, NULL, error))
    return FALSE;
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  int col_point = -1, col_survival = -1, col_map = -1, first = 2, last = -1;
  g_autoptr(GPtrArray) raw_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  for (guint i = 0; lines[i]; i++)
    {
      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      char **f = g_strsplit (lines[i], "\t", -1);
      if (last < 0)
        {
          col_point = plot_column_of (f, "point");
          col_survival = plot_column_of (f, "survival");
          col_map = plot_column_of (f, "nat_peak_mappings");
          last = plot_column_of (f, "flows");
          if (col_point != 0 || col_survival < 0 || last < first)
            {
              g_strfreev (f);
              return TRUE;                /* not a results table: nothing */
            }
          s->n_keys = last - first;
          s->keys = g_new0 (SweptKey, MAX (1, s->n_keys));
          for (guint k = 0; k < s->n_keys; k++)
            s->keys[k].name = g_strdup (f[first + k]);
          g_strfreev (f);
          continue;
        }
      if (g_strv_length (f) <= (guint) MAX (col_survival, col_map))
        {
          g_strfreev (f);
          continue;
        }
      g_ptr_array_add (raw_rows, f);
    }
  /* Distinct values per key, sorted by their number. */
  for (guint k = 0; k < s->n_keys; k++)
    {
      SweptKey *key = &s->keys[k];
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GPtrArray) raw = g_ptr_array_new ();
      for (guint r = 0; r < raw_rows->len; r++)
        {
          char *v = ((char **) raw_rows->pdata[r])[first + k];
          if (g_hash_table_add (seen, v))
            g_ptr_array_add (raw, v);
        }
      key->kind = key_kind (raw);
      g_autofree ValueSort *vs = g_new0 (ValueSort, MAX (1, raw->len));
      for (guint i = 0; i < raw->len; i++)
        {
          vs[i].raw = raw->pdata[i];
          vs[i].first = i;
          if (key->kind == KEY_CATEGORY || !value_number (vs[i].raw, key->kind, &vs[i].num))
            vs[i].num = i;
        }
      if (key->kind != KEY_CATEGORY)
        qsort (vs, raw->len, sizeof *vs, value_sort_cmp);
      key->values = g_ptr_array_new_with_free_func (g_free);
      key->num = g_array_new (FALSE, FALSE, sizeof (double));
      for (guint i = 0; i < raw->len; i++)
        {
          double x = key->kind == KEY_CATEGORY ? i + 1 : vs[i].num;
          g_ptr_array_add (key->values, g_strdup (vs[i].raw));
          g_array_append_val (key->num, x);
        }
      guint n = key->num->len;
      double lo = n ? g_array_index (key->num, double, 0) : 0;
      double hi = n ? g_array_index (key->num, double, n - 1) : 0;
      key->log = key->kind != KEY_CATEGORY && lo > 0 && hi / lo > 10;
    }
  /* Points, averaging repetitions. */
  s->points = g_array_new (FALSE, TRUE, sizeof (SweepPoint));
  gint64 last_point = -1;
  for (guint r = 0; r < raw_rows->len; r++)
    {
      char **f = raw_rows->pdata[r];
      gint64 pt = g_ascii_strtoll (f[col_point], NULL, 10);
      if (pt != last_point)
        {
          SweepPoint p = { g_new0 (guint, MAX (1, s->n_keys)), { 0, 0 }, 0 };
          for (guint k = 0; k < s->n_keys; k++)
            for (guint i = 0; i < s->keys[k].values->len; i++)
              if (strcmp (s->keys[k].values->pdata[i], f[first + k]) == 0)
                p.v[k] = i;
          g_array_append_val (s->points, p);
          last_point = pt;
        }
      SweepPoint *p = &g_array_index (s->points, SweepPoint, s->points->len - 1);
      p->sum[METRIC_SURVIVAL] += g_ascii_strtod (f[col_survival], NULL);
      if (col_map >= 0)
        p->sum[METRIC_MAPPINGS] += g_ascii_strtod (f[col_map], NULL);
      p->reps++;
    }
  return TRUE;
}

guint
plot_sweep_points (const char *dir)
{
  Sweep s;
  if (!sweep_read (&s, dir, NULL))
    return 0;
  guint n = s.points ? s.points->len : 0;
  sweep_clear (&s);
  return n;
}

/* "set xtics (...)" for a key: its own values when there are few (as the
 * user wrote them), else 1-2-5 steps per decade on a log axis, else
 * gnuplot's choice.  (transfer full) */
char *
plot_key_tics (const SweptKey *k, const char *axis)
{
  guint n = k->num->len;
  GString *t = g_string_new (NULL);
  if (n <= 12 || k->kind == KEY_CATEGORY)
    {
      g_string_append_printf (t, "set %stics (", axis);
      for (guint i = 0; i < n; i++)
        g_string_append_printf (t, "%s'%s' %g", i ? ", " : "", (char *) k->values->pdata[i],
                                g_array_index (k->num, double, i));
      g_string_append (t, ")\n");
    }
  else if (k->log)
    {
      double lo = g_array_index (k->num, double, 0), hi = g_array_index (k->num, double, n - 1);
      static const int steps[] = { 1, 2, 5 };
      g_string_append_printf (t, "set %stics (", axis);
      gboolean first = TRUE;
      for (double dec = pow (10, floor (log10 (lo))); dec <= hi; dec *= 10)
        for (int i = 0; i < 3; i++)
          if (steps[i] * dec >= lo / 1.5 && steps[i] * dec <= hi * 1.5)
            {
              g_string_append_printf (t, "%s%g", first ? "" : ", ", steps[i] * dec);
              first = FALSE;
            }
      g_string_append (t, ")\n");
    }
  return g_string_free (t, FALSE);
}

const char *
plot_key_axis_label (const SweptKey *key, GString *buf)
{
  g_string_assign (buf, key->name);
  if (key->kind == KEY_DURATION)
    g_string_append (buf, " (s)");
  return buf->str;
}

/* survival-KEY.{tsv,gp,png,svg} (or mappings-KEY...): one line per value
 * of @line_key (or a single line when it is < 0), averaging every other
 * key. */
static gboolean
plot_metric (const Sweep *s, Metric m, guint xk, int lk, const char *dir, const char *title,
             GError **error)
{
  const SweptKey *x = &s->keys[xk];
  guint nl = lk >= 0 ? s->keys[lk].values->len : 1;
  guint nx = x->values->len;
  g_autofree double *sum = g_new0 (double, nx * nl);
  g_autofree guint *cnt = g_new0 (guint, nx * nl);
  for (guint i = 0; i < s->points->len; i++)
    {
      const SweepPoint *p = &g_array_index (s->points, SweepPoint, i);
      guint c = p->v[xk] * nl + (lk >= 0 ? p->v[lk] : 0);
      sum[c] += p->sum[m] / p->reps;
      cnt[c]++;
    }
  GString *t = g_string_new ("x\tlabel");
  for (guint l = 0; l < nl; l++)
    g_string_append_printf (t, "\t%s", lk >= 0 ? (char *) s->keys[lk].values->pdata[l] : metrics[m].column);
  g_string_append_c (t, '\n');
  for (guint i = 0; i < nx; i++)
    {
      char num[G_ASCII_DTOSTR_BUF_SIZE];
      g_string_append_printf (t, "%s\t%s", g_ascii_dtostr (num, sizeof num, g_array_index (x->num, double, i)),
                              (char *) x->values->pdata[i]);
      for (guint l = 0; l < nl; l++)
        if (cnt[i * nl + l])
          {
            g_string_append_c (t, '\t');
            g_string_append_printf (t, metrics[m].fmt, sum[i * nl + l] / cnt[i * nl + l]);
          }
        else
          g_string_append (t, "\t-");
      g_string_append_c (t, '\n');
    }
  g_autofree char *stem = g_strdup_printf ("%s-%s", metrics[m].stem, x->name);
  g_autofree char *tsv = g_strconcat (stem, ".tsv", NULL);
  g_autofree char *table = g_string_free (t, FALSE);
  if (!plot_write_file (dir, tsv, table, error))
    return FALSE;

  g_autoptr(GString) lab = g_string_new (NULL);
  g_autofree char *qtitle = sim_plot_quote (title);
  /* At most 8 lines stay readable: evenly spaced values, first and last
   * included (the table keeps them all). */
  GString *cols = g_string_new (NULL);
  guint shown = MIN (nl, 8);
  for (guint j = 0; j < shown; j++)
    g_string_append_printf (cols, "%s%u", j ? " " : "",
                            3 + (shown > 1 ? (guint) ((double) j * (nl - 1) / (shown - 1) + 0.5) : 0));
  g_autofree char *colstr = g_string_free (cols, FALSE);
  g_autofree char *tics = plot_key_tics (x, "x");
  g_autofree char *plot = g_strdup_printf (
    "  plot for [c in '%s'] '%s' using 1:(column(c+0)) with linespoints lw 2 pt 7 ps 0.8 "
    "title columnheader(c+0)\n", colstr, tsv);
  g_autofree char *terms = plot_two_terminals (stem, 960, 600, plot);
  g_autoptr(GString) others = g_string_new (NULL);
  for (guint k = 0; k < s->n_keys; k++)
    if (k != xk && (int) k != lk)
      g_string_append_printf (others, "%s%s", others->len ? ", " : "", s->keys[k].name);
  g_autofree char *script = g_strdup_printf (
    "# natkeep: %s against %s%s%s.\n"
    "# Reads %s (made from points.tsv: mean over repetitions%s%s).\n"
    "# Re-render with: gnuplot %s.gp\n"
    "set datafile separator '\\t'\n"
    "set datafile missing '-'\n"
    "set title '%s: %s vs %s' noenhanced\n"
    "set xlabel '%s' noenhanced\n"
    "set ylabel '%s'\n"
    "%s"
    "set autoscale xfix\n"
    "set offsets graph 0.03, graph 0.03, 0, 0\n"
    "%s"
    "%s"
    "%s"
    "set grid\n"
    "set key outside right top box noenhanced%s%s%s\n"
    "%s",
    metrics[m].what, x->name, lk >= 0 ? ", one line per " : "", lk >= 0 ? s->keys[lk].name : "",
    tsv, others->len ? ", averaged over " : "", others->str, stem,
    qtitle, metrics[m].column, x->name, plot_key_axis_label (x, lab), metrics[m].ylabel, metrics[m].yrange,
    x->log ? "set logscale x\n" : "", tics,
    nx > 8 && nx <= 12 ? "set xtics rotate by -45\n" : "",
    lk >= 0 ? " title '" : "", lk >= 0 ? s->keys[lk].name : "", lk >= 0 ? "'" : "",
    terms);
  return plot_write_render (dir, stem, script, error);
}

gboolean
plot_sweep (const char *dir, const char *title, GError **error)
{
  Sweep s;
  gboolean ok = TRUE;
  if (!sweep_read (&s, dir, error))
    return FALSE;
  if (s.n_keys == 0 || s.points == NULL || s.points->len <= 1)
    goto done;
  /* Peak mappings only matter when the sweep changes them. */
  gboolean mappings_vary = FALSE;
  for (guint i = 1; i < s.points->len; i++)
    {
      const SweepPoint *a = &g_array_index (s.points, SweepPoint, 0);
      const SweepPoint *b = &g_array_index (s.points, SweepPoint, i);
      if (a->sum[METRIC_MAPPINGS] / a->reps != b->sum[METRIC_MAPPINGS] / b->reps)
        mappings_vary = TRUE;
    }
  for (guint k = 0; ok && k < s.n_keys; k++)
    {
      int lk = -1;
      for (guint o = 0; o < s.n_keys; o++)
        if (o != k && s.keys[o].values->len > 1
            && (lk < 0 || s.keys[o].values->len < s.keys[lk].values->len))
          lk = o;
      if (s.keys[k].values->len > 1)
        ok = plot_metric (&s, METRIC_SURVIVAL, k, lk, dir, title, error)
             && (!mappings_vary || plot_metric (&s, METRIC_MAPPINGS, k, lk, dir, title, error));
    }
  /* Heat map: a keep-alive idle against a NAT timeout if swept, else the
   * first two swept durations. */
  int hx = -1, hy = -1;
  for (guint k = 0; k < s.n_keys; k++)
    {
      if (s.keys[k].kind != KEY_DURATION || s.keys[k].values->len < 2)
        continue;
      if (plot_is_keepidle (s.keys[k].name) && (hx < 0 || !plot_is_keepidle (s.keys[hx].name)))
        hx = k;
      else if (plot_is_nat_timeout (s.keys[k].name) && (hy < 0 || !plot_is_nat_timeout (s.keys[hy].name)))
        hy = k;
    }
  for (guint k = 0; k < s.n_keys && (hx < 0 || hy < 0); k++)
    if (s.keys[k].kind == KEY_DURATION && s.keys[k].values->len >= 2
        && (int) k != hx && (int) k != hy)
      {
        if (hx < 0)
          hx = k;
        else
          hy = k;
      }
  if (ok && hx >= 0 && hy >= 0)
    ok = plot_heatmap (s.keys, s.points, hx, hy, dir, title, error);
done:
  sweep_clear (&s);
  return ok;
}
