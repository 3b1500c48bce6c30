/* sim/plot.h — the gnuplot driver.
 *
 * Plots are drawn by gnuplot from a script file that stays next to its
 * images, so users can restyle them.  gnuplot runs through g_spawn with an
 * argv (never a shell); its stderr is captured into the error message.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SIM_PLOT_ERROR (sim_plot_error_quark ())
GQuark sim_plot_error_quark (void);
typedef enum {
  SIM_PLOT_ERROR_NO_GNUPLOT,   /* gnuplot not in PATH */
  SIM_PLOT_ERROR_FAILED,       /* gnuplot ran and failed */
} SimPlotError;

/* The one line to print when gnuplot is missing. */
#define SIM_PLOT_INSTALL_HINT \
  "gnuplot not found: plots skipped (install it with: apt-get install gnuplot-nox); the TSV files are complete"

/* TRUE if gnuplot is in PATH. */
gboolean sim_plot_available (void);

/* Runs `gnuplot SCRIPT` with @dir as working directory (relative output
 * names in the script land there).  Fails with NO_GNUPLOT or FAILED. */
gboolean sim_plot_render (const char *dir, const char *script, GError **error);

/* Quotes @text for a gnuplot single-quoted string (transfer full). */
char    *sim_plot_quote (const char *text);

G_END_DECLS
