/* cli/plot_heatmap.c — the heat map of a sweep: survival over two swept
 * durations (a keep-alive idle against a NAT established timeout when
 * both are swept), with the line keepidle = T where SEMANTICS.md S21 puts
 * the boundary: idle flows survive just below it and die on and above it.
 *
 * Durations are plotted in seconds, on log axes when they span more than a
 * decade.  Each cell spans halfway to its neighbours; a sweep whose values
 * crowd (1799 s next to 1800 s) gets one equal cell per value instead.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/plot.h"
#include "cli/plot_private.h"

/* One axis of the heat map.  Values are placed at their seconds (log
 * axis when they span a decade) unless that would squeeze a cell below a
 * quarter of the average width (1799 s next to 1800 s): then every value
 * gets an equal cell at its index, labelled with the value, and seconds
 * map onto it piecewise (so the keepidle = T line still lands right). */
typedef struct {
  const SweptKey *key;
  gboolean        by_index;
  double         *pos, *lo, *hi;     /* per value: centre and cell edges */
} HeatAxis;

static double
axis_scale (const HeatAxis *a, double v)
{
  return a->key->log ? log (v) : v;
}

static void
heat_axis_init (HeatAxis *a, const SweptKey *k)
{
  guint n = k->num->len;
  const double *c = (const double *) k->num->data;
  a->key = k;
  a->pos = g_new (double, n);
  a->lo = g_new (double, n);
  a->hi = g_new (double, n);
  double span = n > 1 ? axis_scale (a, c[n - 1]) - axis_scale (a, c[0]) : 0;
  a->by_index = FALSE;
  for (guint i = 1; i < n; i++)
    if (axis_scale (a, c[i]) - axis_scale (a, c[i - 1]) < span / (n - 1) / 4)
      a->by_index = TRUE;
  for (guint i = 0; i < n; i++)
    {
      if (a->by_index)
        {
          a->pos[i] = i + 1;
          a->lo[i] = i + 0.5;
          a->hi[i] = i + 1.5;
          continue;
        }
      /* Edges halfway to the neighbours (geometric on a log axis), the
       * outer cells mirrored. */
      double l = i > 0 ? c[i - 1] : (n > 1 ? (k->log ? c[0] * c[0] / c[1] : 2 * c[0] - c[1]) : c[0] - 0.5);
      double r = i + 1 < n ? c[i + 1] : (n > 1 ? (k->log ? c[n - 1] * c[n - 1] / c[n - 2] : 2 * c[n - 1] - c[n - 2]) : c[0] + 0.5);
      a->pos[i] = c[i];
      a->lo[i] = k->log ? sqrt (l * c[i]) : (l + c[i]) / 2;
      a->hi[i] = k->log ? sqrt (r * c[i]) : (r + c[i]) / 2;
    }
}

static void
heat_axis_clear (HeatAxis *a)
{
  g_free (a->pos);
  g_free (a->lo);
  g_free (a->hi);
}

/* Where @v seconds lands on the axis; NAN outside the drawn range. */
static double
heat_axis_place (const HeatAxis *a, double v)
{
  guint n = a->key->num->len;
  const double *c = (const double *) a->key->num->data;
  if (!a->by_index)
    return v >= a->lo[0] && v <= a->hi[n - 1] ? v : NAN;
  if (n < 2)
    return NAN;
  guint i = 0;
  while (i + 2 < n && v > c[i + 1])
    i++;
  double f = (axis_scale (a, v) - axis_scale (a, c[i]))
             / (axis_scale (a, c[i + 1]) - axis_scale (a, c[i]));
  double p = a->pos[i] + f;
  return p >= a->lo[0] && p <= a->hi[n - 1] ? p : NAN;
}

/* "set logscale", "set xtics", "set xrange" for one axis (transfer full). */
static char *
heat_axis_setup (const HeatAxis *a, const char *axis)
{
  guint n = a->key->num->len;
  g_autofree char *tics = NULL;
  if (a->by_index)
    {
      GString *t = g_string_new (NULL);
      g_string_append_printf (t, "set %stics (", axis);
      for (guint i = 0; i < n; i++)
        g_string_append_printf (t, "%s'%s' %u", i ? ", " : "",
                                (char *) a->key->values->pdata[i], i + 1);
      g_string_append (t, ")\n");
      tics = g_string_free (t, FALSE);
    }
  else
    tics = plot_key_tics (a->key, axis);
  return g_strdup_printf ("%s%sset %srange [%g:%g]\n",
                          !a->by_index && a->key->log ? (*axis == 'x' ? "set logscale x\n" : "set logscale y\n") : "",
                          tics, axis, a->lo[0], a->hi[n - 1]);
}

gboolean
plot_is_keepidle (const char *name)
{
  return strcmp (name, "client.keepidle") == 0 || strcmp (name, "server.keepidle") == 0;
}

gboolean
plot_is_nat_timeout (const char *name)
{
  return g_str_has_prefix (name, "nat") && g_str_has_suffix (name, ".established_timeout");
}

/* heatmap.{tsv,gp,png,svg}: survival over swept durations @xk × @yk. */
gboolean
plot_heatmap (const SweptKey *keys, GArray *points, guint xk, guint yk, const char *dir,
              const char *title, GError **error)
{
  const SweptKey *x = &keys[xk], *y = &keys[yk];
  guint nx = x->values->len, ny = y->values->len;
  g_autofree double *sum = g_new0 (double, nx * ny);
  g_autofree guint *cnt = g_new0 (guint, nx * ny);
  HeatAxis ax, ay;
  for (guint i = 0; i < points->len; i++)
    {
      const SweepPoint *p = &g_array_index (points, SweepPoint, i);
      sum[p->v[xk] * ny + p->v[yk]] += p->sum[METRIC_SURVIVAL] / p->reps;
      cnt[p->v[xk] * ny + p->v[yk]]++;
    }
  heat_axis_init (&ax, x);
  heat_axis_init (&ay, y);
  GString *t = g_string_new ("# block 0: x y survival x_lo x_hi y_lo y_hi (x, y: seconds, or the\n"
                             "# value's index where values are too uneven to share one scale) x_s y_s\n");
  for (guint i = 0; i < nx; i++)
    for (guint j = 0; j < ny; j++)
      if (cnt[i * ny + j])
        g_string_append_printf (t, "%g\t%g\t%.6f\t%g\t%g\t%g\t%g\t%g\t%g\n",
                                ax.pos[i], ay.pos[j], sum[i * ny + j] / cnt[i * ny + j],
                                ax.lo[i], ax.hi[i], ay.lo[j], ay.hi[j],
                                g_array_index (x->num, double, i), g_array_index (y->num, double, j));
  gboolean boundary = (plot_is_keepidle (x->name) && plot_is_nat_timeout (y->name))
                      || (plot_is_keepidle (y->name) && plot_is_nat_timeout (x->name));
  if (boundary)
    {
      /* The line keepidle = T, sampled in seconds over both ranges. */
      double a = MIN (g_array_index (x->num, double, 0), g_array_index (y->num, double, 0));
      double b = MAX (g_array_index (x->num, double, nx - 1), g_array_index (y->num, double, ny - 1));
      a = MAX (a / 2, 1e-3);
      b *= 2;
      g_string_append (t, "\n\n# block 1: the S21 boundary keepidle = T (x y)\n");
      for (int i = 0; i <= 2000; i++)
        {
          double v = a * pow (b / a, i / 2000.0);
          double px = heat_axis_place (&ax, v), py = heat_axis_place (&ay, v);
          if (!isnan (px) && !isnan (py))
            g_string_append_printf (t, "%g\t%g\n", px, py);
        }
    }
  g_autofree char *table = g_string_free (t, FALSE);
  gboolean ok = plot_write_file (dir, "heatmap.tsv", table, error);

  const char *idle = plot_is_keepidle (x->name) ? x->name : y->name;
  g_autofree char *bline = boundary
    ? g_strdup_printf (", \\\n       'heatmap.tsv' index 1 using 1:2 with lines lw 3 lc rgb 'black' dt 2 "
                       "title '%s = T (S21: dies at and above)'", idle)
    : g_strdup ("");
  /* Numbers in the cells while they stay legible. */
  const char *labels = nx <= 12 && ny <= 12
    ? ", \\\n       'heatmap.tsv' index 0 using 1:2:(sprintf('%.2f', $3)) with labels font ',8' notitle"
    : "";
  g_autofree char *plot = g_strdup_printf (
    "  plot 'heatmap.tsv' index 0 using 1:2:4:5:6:7:3 with boxxyerror fs solid 1.0 noborder fc palette notitle%s%s\n",
    labels, bline);
  g_autofree char *terms = plot_two_terminals ("heatmap", 960, 720, plot);
  g_autoptr(GString) xl = g_string_new (NULL), yl = g_string_new (NULL);
  g_autofree char *xs = heat_axis_setup (&ax, "x"), *ys = heat_axis_setup (&ay, "y");
  g_autofree char *qtitle = sim_plot_quote (title);
  g_autofree char *script = g_strdup_printf (
    "# natkeep: surviving fraction of flows over %s x %s.\n"
    "# Reads heatmap.tsv (made from points.tsv: mean over repetitions and\n"
    "# over any other swept key); each cell spans halfway to its neighbours.\n"
    "# Re-render with: gnuplot heatmap.gp\n"
    "set datafile separator '\\t'\n"
    "set title '%s: survival over %s x %s' noenhanced\n"
    "set xlabel '%s%s' noenhanced\n"
    "set ylabel '%s%s' noenhanced\n"
    "set cblabel 'surviving flows (fraction)'\n"
    "set cbrange [0:1]\n"
    "set palette defined (0 '#b2182b', 0.5 '#f7f7f7', 1 '#2166ac')\n"
    "%s%s"
    "set key bottom right box opaque noenhanced\n"
    "%s",
    x->name, y->name, qtitle, x->name, y->name,
    plot_key_axis_label (x, xl), ax.by_index ? ", one column per value" : "",
    plot_key_axis_label (y, yl), ay.by_index ? ", one row per value" : "",
    xs, ys, terms);
  heat_axis_clear (&ax);
  heat_axis_clear (&ay);
  return ok && plot_write_render (dir, "heatmap", script, error);
}
