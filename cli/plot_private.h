/* cli/plot_private.h — helpers shared by the plot files of cli/
 * (plot.c: entry points and the flow timeline; plot_sweep.c: reading a
 * sweep's points.tsv and its curves per swept key; plot_heatmap.c: the
 * heat map of two swept durations; plot_trace.c: detection delays and the
 * packet timeline of `run --trace`).
 *
 * Every plot writes, into the results directory, the data table natkeep
 * computed (if any), a gnuplot script that reads only files of that
 * directory, and the PNG and SVG gnuplot draws from it.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Column index of @name in @header, or -1. */
int      plot_column_of (char **header, const char *name);
/* qsort comparator on doubles. */
int      plot_cmp_double (const void *a, const void *b);
/* Writes DIR/NAME atomically (temporary file + rename). */
gboolean plot_write_file (const char *dir, const char *name, const char *text,
                          GError **error);
/* Writes DIR/NAME.gp (the @body is preceded by nothing: it must set its
 * own terminals) and renders it with gnuplot in @dir. */
gboolean plot_write_render (const char *dir, const char *name, const char *body,
                            GError **error);
/* Both terminals in one script: "do for [fmt in 'png svg'] { ... }" with
 * @stem.png / @stem.svg as outputs; @plot is the plot command(s).
 * (transfer full) */
char    *plot_two_terminals (const char *stem, int width, int height,
                             const char *plot);

/* A swept key of points.tsv and its distinct values. */
typedef enum { KEY_CATEGORY, KEY_NUMBER, KEY_DURATION } KeyKind;

typedef struct {
  char      *name;       /* "nat.established_timeout" */
  KeyKind    kind;
  GPtrArray *values;     /* distinct raw values, sorted by @num */
  GArray    *num;        /* double: seconds, the number, or the index */
  gboolean   log;        /* positive and spanning more than a decade */
} SweptKey;

/* What a curve shows: survival always; peak mappings when they vary
 * (capacity planning: how big must the table be). */
typedef enum { METRIC_SURVIVAL = 0, METRIC_MAPPINGS } Metric;

/* One point of a sweep: its value of each key, its metrics summed over
 * repetitions. */
typedef struct {
  guint   *v;            /* per key: index into that key's values */
  double   sum[2];       /* Metric summed over repetitions */
  guint    reps;
} SweepPoint;

typedef struct {
  guint       n_keys;
  SweptKey   *keys;
  GArray     *points;    /* SweepPoint, in point order */
} Sweep;

/* "set xtics (...)" for @k on @axis ("x", "y") (transfer full). */
char       *plot_key_tics (const SweptKey *k, const char *axis);
/* "group.key" plus " (s)" for durations, in @buf (returned). */
const char *plot_key_axis_label (const SweptKey *key, GString *buf);
gboolean    plot_is_keepidle (const char *name);
gboolean    plot_is_nat_timeout (const char *name);
/* heatmap.{tsv,gp,png,svg}: survival over keys @xk x @yk (durations) of
 * the SweepPoint array @points. */
gboolean    plot_heatmap (const SweptKey *keys, GArray *points, guint xk, guint yk,
                          const char *dir, const char *title, GError **error);

/* Survival against each swept key, and the heat map of two swept
 * durations, from DIR/points.tsv.  Nothing (TRUE) unless points.tsv has a
 * swept column and more than one point. */
gboolean plot_sweep (const char *dir, const char *title, GError **error);
/* Number of distinct points in DIR/points.tsv (0 when unreadable). */
guint    plot_sweep_points (const char *dir);

/* CDF of learned_at - broken_at per side from DIR/flows.tsv; nothing
 * when no flow has both. */
gboolean plot_detection_delay (const char *dir, const char *title, GError **error);
/* Timeline of flow 0 from DIR/trace.txt; nothing when it is absent. */
gboolean plot_trace (const char *dir, const char *title, GError **error);


G_END_DECLS
