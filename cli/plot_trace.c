/* cli/plot_trace.c — plots of single flows: how long each side takes to
 * learn that a middlebox broke its path (from flows.tsv), and the packet
 * timeline of flow 0 (from trace.txt, `natkeep run --trace`).
 *
 * Detection delay = learned_at − broken_at of a side, for flows where
 * both are set (SEMANTICS.md §6).  It is drawn as a CDF sampled at no more
 * than 1000 quantiles, so a 10^6-flow run costs one sort, not a 10^6-point
 * plot.
 *
 * The trace timeline reads the lines world_trace writes ("SECONDS WHERE
 * WHAT"): segments on the LAN and the WAN per direction, the NAT's mapping
 * lifetimes ("mapping created" .. "mapping expired at T"), packets the NAT
 * dropped, and the instant each side learns.  A keep-alive probe is the
 * segment a side sends right after its "sends keep-alive probe" line; the
 * NAT forwards it with the same seq/ack, and the peer's answer is the next
 * bare ACK carrying (ack, seq + 1) of the probe (S4).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "sim/plot.h"
#include "cli/plot_private.h"

#define DELAY_QUANTILES 1000

/* Appends "delay fraction" rows for sorted @d, at most DELAY_QUANTILES. */
static void
cdf_rows (GString *out, GArray *d)
{
  guint n = d->len;
  guint step = n > DELAY_QUANTILES ? n / DELAY_QUANTILES : 1;
  /* Start the staircase at 0 so a single delay still reads as a step. */
  g_string_append_printf (out, "%.6f\t0\n", g_array_index (d, double, 0));
  for (guint i = 0; i < n; i += step)
    g_string_append_printf (out, "%.6f\t%.6f\n", g_array_index (d, double, i),
                            (double) (i + 1) / n);
  if ((n - 1) % step != 0)
    g_string_append_printf (out, "%.6f\t1.000000\n", g_array_index (d, double, n - 1));
}

gboolean
plot_detection_delay (const char *dir, const char *title, GError **error)
{
  static const char *const names[] = { "broken_at", "client_learned_at", "server_learned_at" };
  g_autofree char *path = g_build_filename (dir, "flows.tsv", NULL);
  FILE *f = fopen (path, "r");
  if (f == NULL)
    return TRUE;
  GArray *d[2] = { g_array_new (FALSE, FALSE, sizeof (double)),
                   g_array_new (FALSE, FALSE, sizeof (double)) };
  int col[3] = { -1, -1, -1 };
  char *line = NULL;
  size_t cap = 0;
  gboolean header = FALSE;
  guint broken_flows = 0;
  while (getline (&line, &cap, f) > 0)
    {
      if (line[0] == '#')
        continue;
      g_strchomp (line);
      g_auto(GStrv) v = g_strsplit (line, "\t", -1);
      guint nv = g_strv_length (v);
      if (!header)
        {
          for (int k = 0; k < 3; k++)
            col[k] = plot_column_of (v, names[k]);
          header = TRUE;
          if (col[0] < 0 || col[1] < 0 || col[2] < 0)
            break;
          continue;
        }
      if ((guint) MAX (col[0], MAX (col[1], col[2])) >= nv || strcmp (v[col[0]], "-") == 0)
        continue;
      double broken = g_ascii_strtod (v[col[0]], NULL);
      broken_flows++;
      for (int s = 0; s < 2; s++)
        if (strcmp (v[col[1 + s]], "-") != 0)
          {
            double x = g_ascii_strtod (v[col[1 + s]], NULL) - broken;
            g_array_append_val (d[s], x);
          }
    }
  free (line);
  fclose (f);
  gboolean ok = TRUE;
  if (d[0]->len + d[1]->len > 0)
    {
      static const char *const side[2] = { "client", "server" };
      GString *t = g_string_new (NULL);
      GString *plot = g_string_new ("  plot ");
      int block = 0;
      double lo = 0, hi = 0;
      GString *notes = g_string_new (NULL);
      for (int s = 0; s < 2; s++)
        {
          if (d[s]->len == 0)
            {
              g_string_append_printf (notes, "set label '%s: learned in none of the %u broken flows' "
                                      "at graph 0.02, graph 0.95\n", side[s], broken_flows);
              continue;
            }
          g_array_sort (d[s], plot_cmp_double);
          lo = MIN (lo, g_array_index (d[s], double, 0));
          hi = MAX (hi, g_array_index (d[s], double, d[s]->len - 1));
          /* Blocks separated by two blank lines: gnuplot's `index`. */
          g_string_append_printf (t, "%s# %s: learned_at - broken_at (s), fraction of %u flows\n",
                                  block ? "\n\n" : "", side[s], d[s]->len);
          cdf_rows (t, d[s]);
          g_string_append_printf (plot, "%s'detection-delay.tsv' index %d using ($1/scale):2 with steps lw 2%s "
                                  "title '%s learned in %u of %u broken flows'", block ? ", \\\n       " : "",
                                  block, s ? " dt 2" : "", side[s], d[s]->len, broken_flows);
          block++;
        }
      g_string_append_c (plot, '\n');
      /* Days of delay read better in hours. */
      gboolean hours = hi > 3 * 3600;
      double scale = hours ? 3600 : 1;
      g_autofree char *terms = plot_two_terminals ("detection-delay", 960, 600, plot->str);
      g_autofree char *qtitle = sim_plot_quote (title);
      g_autofree char *script = g_strdup_printf (
        "# natkeep: how long after the middlebox broke the path each side learns\n"
        "# (learned_at - broken_at, flows where both are set), as a CDF.\n"
        "# Reads detection-delay.tsv (made from flows.tsv).  Re-render with:\n"
        "# gnuplot detection-delay.gp\n"
        "set datafile separator '\\t'\n"
        "scale = %g   # seconds per x unit\n"
        "set title '%s: detection delay after the path broke' noenhanced\n"
        "set xlabel 'learned_at - broken_at (%s)'\n"
        "set ylabel 'fraction of flows that learned'\n"
        "set yrange [0:1.05]\n"
        "set xrange [%g:%g]\n"
        "set key bottom right box opaque\n"
        "set grid\n"
        "%s"
        "%s",
        scale, qtitle, hours ? "h" : "s",
        (lo < 0 ? lo * 1.05 : 0) / scale, (hi > 0 ? hi * 1.1 : 1.0) / scale, notes->str, terms);
      g_string_free (notes, TRUE);
      g_string_free (plot, TRUE);
      g_autofree char *table = g_string_free (t, FALSE);
      ok = plot_write_file (dir, "detection-delay.tsv", table, error)
           && plot_write_render (dir, "detection-delay", script, error);
    }
  g_array_unref (d[0]);
  g_array_unref (d[1]);
  return ok;
}

/* Rows of the trace timeline (y values) and their labels. */
enum { ROW_MAPPING = 1, ROW_NAT_TO_CLIENT, ROW_SERVER_TO_NAT, ROW_NAT_TO_SERVER, ROW_CLIENT_TO_NAT };

/* Point classes, one data block each. */
enum { CLS_DATA, CLS_PROBE, CLS_ANSWER, CLS_OTHER, CLS_LOST, CLS_DROP, N_CLS };

static const char *const cls_style[N_CLS] = {
  "with points pt 5 ps 1.1 lc rgb '#1b7837' title 'data segment'",
  "with points pt 9 ps 1.4 lc rgb '#e66101' title 'keep-alive probe'",
  "with points pt 11 ps 1.4 lc rgb '#5e3c99' title 'answer to a probe'",
  "with points pt 7 ps 0.8 lc rgb '#555555' title 'SYN / ACK / FIN / RST'",
  "with points pt 2 ps 1.6 lc rgb '#b2182b' title 'lost on the link'",
  "with points pt 2 ps 1.6 lw 2 lc rgb 'red' title 'dropped by the NAT (no entry)'",
};

typedef struct {
  guint32  seq, ack;
  gboolean set;
} ProbeSig;

typedef struct {
  GString *pts[N_CLS];
  GString *bars;           /* start end */
  GString *arrows;         /* gnuplot `set arrow` / `set label` lines */
  gboolean pending[2];     /* [side] said "sends keep-alive probe" */
  ProbeSig probe[2];       /* last probe of each side */
  double   map_start;      /* < 0: no live mapping */
  double   t_end;
  guint    n_pts[N_CLS];
  guint    n_bars, n_learn;
} TraceParse;

static void
trace_packet (TraceParse *tp, double t, const char *what)
{
  static const struct { const char *dir; int row, sender; } dirs[] = {
    { "client>nat", ROW_CLIENT_TO_NAT, 0 }, { "nat>server", ROW_NAT_TO_SERVER, 0 },
    { "server>nat", ROW_SERVER_TO_NAT, 1 }, { "nat>client", ROW_NAT_TO_CLIENT, 1 },
  };
  char dir[16], act[8], src[64], dst[64], flags[16];
  unsigned seq, ack, len;
  if (sscanf (what, "%15s %7s %63[^>]>%63s %15s seq %u ack %u len %u",
              dir, act, src, dst, flags, &seq, &ack, &len) != 8)
    return;
  int row = -1, sender = 0;
  for (gsize i = 0; i < G_N_ELEMENTS (dirs); i++)
    if (strcmp (dir, dirs[i].dir) == 0)
      {
        row = dirs[i].row;
        sender = dirs[i].sender;
      }
  if (row < 0)
    return;
  gboolean bare_ack = strcmp (flags, "[.]") == 0 && len == 0;
  int cls = len > 0 ? CLS_DATA : CLS_OTHER;
  ProbeSig *mine = &tp->probe[sender], *peer = &tp->probe[!sender];
  if (tp->pending[sender] && bare_ack && (row == ROW_CLIENT_TO_NAT || row == ROW_SERVER_TO_NAT))
    {
      /* The first hop of a probe: remember it to recognise its copy on the
       * second hop and the peer's answer. */
      tp->pending[sender] = FALSE;
      *mine = (ProbeSig) { seq, ack, TRUE };
      cls = CLS_PROBE;
    }
  else if (bare_ack && mine->set && seq == mine->seq && ack == mine->ack)
    cls = CLS_PROBE;
  else if (bare_ack && peer->set && seq == peer->ack && ack == peer->seq + 1)
    cls = CLS_ANSWER;
  if (strcmp (act, "lost") == 0)
    cls = CLS_LOST;
  g_string_append_printf (tp->pts[cls], "%.6f\t%d\n", t, row);
  tp->n_pts[cls]++;
}

static void
trace_line (TraceParse *tp, const char *line)
{
  char where[16];
  int off = 0;
  double t;
  if (line[0] == '#' || sscanf (line, "%lf %15s %n", &t, where, &off) < 2 || off == 0)
    return;
  const char *what = line + off;
  tp->t_end = MAX (tp->t_end, t);
  if (strcmp (where, "lan") == 0 || strcmp (where, "wan") == 0)
    trace_packet (tp, t, what);
  else if ((strcmp (where, "client") == 0 || strcmp (where, "server") == 0)
           && g_str_has_prefix (what, "sends keep-alive probe"))
    tp->pending[where[0] == 's'] = TRUE;
  else if (strcmp (where, "client") == 0 || strcmp (where, "server") == 0)
    {
      if (!g_str_has_prefix (what, "learns: "))
        return;
      g_autofree char *q = sim_plot_quote (what);
      const char *colour = where[0] == 'c' ? "#0571b0" : "#ca0020";
      g_string_append_printf (tp->arrows,
        "set arrow from %.6f/scale, graph 0 to %.6f/scale, graph 1 nohead lw 2 lc rgb '%s' dt 3\n"
        "set label '%s %s' at %.6f/scale, graph %.2f right offset -0.5,0 textcolor rgb '%s'\n",
        t, t, colour, where, q, t, tp->n_learn % 2 ? 0.90 : 0.96, colour);
      tp->n_learn++;
    }
  else if (strcmp (where, "nat") == 0)
    {
      double at;
      if (g_str_has_prefix (what, "mapping created"))
        tp->map_start = t;
      else if (g_str_has_prefix (what, "mapping ")
               && sscanf (strstr (what, " at ") ? strstr (what, " at ") : "", " at %lf", &at) == 1)
        {
          if (tp->map_start >= 0)
            {
              g_string_append_printf (tp->bars, "%.6f\t%.6f\n", tp->map_start, at);
              tp->n_bars++;
            }
          tp->map_start = -1;
        }
      else if (g_str_has_prefix (what, "drops it"))
        {
          g_string_append_printf (tp->pts[CLS_DROP], "%.6f\t%d\n", t, ROW_MAPPING);
          tp->n_pts[CLS_DROP]++;
        }
    }
}

gboolean
plot_trace (const char *dir, const char *title, GError **error)
{
  g_autofree char *path = g_build_filename (dir, "trace.txt", NULL);
  FILE *f = fopen (path, "r");
  if (f == NULL)
    return TRUE;
  TraceParse tp = { .map_start = -1 };
  for (int c = 0; c < N_CLS; c++)
    tp.pts[c] = g_string_new (NULL);
  tp.bars = g_string_new (NULL);
  tp.arrows = g_string_new (NULL);
  char *line = NULL;
  size_t cap = 0;
  while (getline (&line, &cap, f) > 0)
    {
      g_strchomp (line);
      trace_line (&tp, line);
    }
  free (line);
  fclose (f);
  /* A mapping still live when the trace ends: its bar runs to the end. */
  double end = tp.t_end > 0 ? tp.t_end * 1.02 : 1;
  if (tp.map_start >= 0)
    {
      g_string_append_printf (tp.bars, "%.6f\t%.6f\n", tp.map_start, end);
      tp.n_bars++;
    }
  GString *table = g_string_new ("# natkeep: packet timeline of flow 0, from trace.txt\n");
  GString *plot = g_string_new ("  plot ");
  int block = 0;
  if (tp.n_bars)
    {
      g_string_append_printf (table, "# block %d: NAT mapping alive from to (s)\n%s", block, tp.bars->str);
      g_string_append_printf (plot, "'trace.tsv' index %d using (($1+$2)/2/scale):(%d):($1/scale):($2/scale):(%d-0.3):(%d+0.3) "
                              "with boxxyerror fs solid 0.35 lc rgb '#4daf4a' title 'NAT mapping alive'",
                              block, ROW_MAPPING, ROW_MAPPING, ROW_MAPPING);
      block++;
    }
  for (int c = 0; c < N_CLS; c++)
    {
      if (tp.n_pts[c] == 0)
        continue;
      g_string_append_printf (table, "%s# block %d: time (s), row\n%s", block ? "\n\n" : "",
                              block, tp.pts[c]->str);
      g_string_append_printf (plot, "%s'trace.tsv' index %d using ($1/scale):2 %s",
                              block ? ", \\\n       " : "", block, cls_style[c]);
      block++;
    }
  g_string_append_c (plot, '\n');
  gboolean ok = TRUE;
  if (block > 0)
    {
      gboolean hours = end > 3 * 3600;
      g_autofree char *terms = plot_two_terminals ("trace", 1200, 520, plot->str);
      g_autofree char *qtitle = sim_plot_quote (title);
      g_autofree char *script = g_strdup_printf (
        "# natkeep: packet timeline of flow 0 (natkeep run --trace).  Rows: the\n"
        "# segments on each link and direction, the NAT mapping's lifetime;\n"
        "# dotted lines: the instant each side learns.  Reads trace.tsv (made\n"
        "# from trace.txt).  Re-render with: gnuplot trace.gp\n"
        "set datafile separator '\\t'\n"
        "scale = %g   # seconds per x unit\n"
        "set title '%s: flow 0, packets and NAT mapping over time' noenhanced\n"
        "set xlabel 'simulated time (%s)'\n"
        "set xrange [0:%g]\n"
        "set yrange [0.3:%d.9]\n"
        "set ytics ('NAT mapping' %d, 'NAT -> client (LAN)' %d, 'server -> NAT (WAN)' %d, "
        "'NAT -> server (WAN)' %d, 'client -> NAT (LAN)' %d)\n"
        "set grid xtics\n"
        "set key outside below horizontal box\n"
        "set bmargin 6\n"
        "%s"
        "%s",
        hours ? 3600.0 : 1.0, qtitle, hours ? "h" : "s", end / (hours ? 3600 : 1),
        ROW_CLIENT_TO_NAT, ROW_MAPPING, ROW_NAT_TO_CLIENT, ROW_SERVER_TO_NAT,
        ROW_NAT_TO_SERVER, ROW_CLIENT_TO_NAT, tp.arrows->str, terms);
      ok = plot_write_file (dir, "trace.tsv", table->str, error)
           && plot_write_render (dir, "trace", script, error);
    }
  g_string_free (table, TRUE);
  g_string_free (plot, TRUE);
  for (int c = 0; c < N_CLS; c++)
    g_string_free (tp.pts[c], TRUE);
  g_string_free (tp.bars, TRUE);
  g_string_free (tp.arrows, TRUE);
  return ok;
}
