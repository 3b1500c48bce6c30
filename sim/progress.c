/* sim/progress.c — the progress line (see progress.h).
 *
 * The ETA assumes the remaining units take as long on average as the ones
 * this process has finished; units resumed from an earlier process took no
 * time here, so they are left out of the rate.  Shorter lines overwrite
 * longer ones, so each draw pads with spaces to the longest line so far.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "sim/progress.h"

struct _SimProgress {
  FILE    *out;           /* NULL: silent */
  guint64  total, done_before;
  char    *label;
  double   last_draw_s;   /* elapsed seconds at the last draw; < 0: never */
  gsize    width;         /* longest line drawn, for padding */
};

SimProgress *
sim_progress_new (FILE *out, guint64 total, guint64 done_before, const char *label)
{
  SimProgress *p = g_new0 (SimProgress, 1);

  p->out = out;
  p->total = total;
  p->done_before = done_before;
  p->label = g_strdup (label);
  p->last_draw_s = -1;
  return p;
}

void
sim_progress_free (SimProgress *p)
{
  if (p == NULL)
    return;
  g_free (p->label);
  g_free (p);
}

/* "MM:SS", or "H:MM:SS" from one hour on. */
static void
append_clock (GString *s, double seconds)
{
  guint64 t = seconds > 0 && isfinite (seconds) ? (guint64) (seconds + 0.5) : 0;

  if (t >= 3600)
    g_string_append_printf (s, "%" G_GUINT64_FORMAT ":%02u:%02u", t / 3600,
                            (guint) (t / 60 % 60), (guint) (t % 60));
  else
    g_string_append_printf (s, "%02u:%02u", (guint) (t / 60), (guint) (t % 60));
}

char *
sim_progress_format (guint64 done, guint64 total, guint64 done_before, const char *label,
                     guint64 flows, double elapsed_s)
{
  GString *s = g_string_new (NULL);
  int width = (int) g_snprintf (NULL, 0, "%" G_GUINT64_FORMAT, total);
  guint64 here = done > done_before ? done - done_before : 0;

  g_string_append_printf (s, "[%*" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " %s] ",
                          width, done, total, label);
  g_string_append_printf (s, "%.0f flows/s, ",
                          elapsed_s > 0 ? (double) flows / elapsed_s : 0.0);
  append_clock (s, elapsed_s);
  g_string_append (s, " elapsed, ETA ");
  if (done >= total)
    append_clock (s, 0);
  else if (here == 0 || elapsed_s <= 0)
    g_string_append (s, "--:--");
  else
    append_clock (s, elapsed_s / here * (total - done));
  return g_string_free (s, FALSE);
}

static void
draw (SimProgress *p, guint64 done, guint64 flows, double elapsed_s)
{
  g_autofree char *line = sim_progress_format (done, p->total, p->done_before,
                                               p->label, flows, elapsed_s);
  gsize len = strlen (line);

  fprintf (p->out, "\r%s%*s", line, (int) (p->width > len ? p->width - len : 0), "");
  fflush (p->out);
  p->width = MAX (p->width, len);
  p->last_draw_s = elapsed_s;
}

void
sim_progress_update (SimProgress *p, guint64 done, guint64 flows, double elapsed_s)
{
  if (p->out == NULL)
    return;
  if (p->last_draw_s >= 0 && elapsed_s - p->last_draw_s < SIM_PROGRESS_MIN_INTERVAL_S)
    return;
  draw (p, done, flows, elapsed_s);
}

void
sim_progress_finish (SimProgress *p, guint64 done, guint64 flows, double elapsed_s)
{
  if (p->out == NULL)
    return;
  draw (p, done, flows, elapsed_s);
  fputc ('\n', p->out);
  fflush (p->out);
}
