/* cli/cli.h — the natkeep subcommands.  Each takes argv with argv[0] the
 * subcommand name and returns the process exit status: 0 success,
 * 1 run-time failure, 2 bad input (scenario or option). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

enum { CLI_OK = 0, CLI_FAILED = 1, CLI_BAD_INPUT = 2 };

int cli_bench (int argc, char **argv);
int cli_run (int argc, char **argv);
int cli_plot (int argc, char **argv);
int cli_sweep (int argc, char **argv);
int cli_merge (int argc, char **argv);
int cli_check (int argc, char **argv);
int cli_profiles (int argc, char **argv);
int cli_advise (int argc, char **argv);

/* Draws every plot that fits the results in DIR (points.tsv, flows.tsv,
 * trace.txt): PNG + SVG + the .gp scripts next to them.  A missing gnuplot
 * fails with SIM_PLOT_ERROR_NO_GNUPLOT and leaves the TSV files intact. */
gboolean cli_plot_results (const char *dir, GError **error);
/* The plots of one simulated point (natkeep run): the timeline and the
 * detection delay from flows.tsv, and flow 0's trace from trace.txt;
 * @end_s is the simulated duration (<= 0: from the data). */
gboolean cli_plot_run (const char *dir, const char *title, double end_s, GError **error);

/* Draws DIR/timeline.{tsv,gp,png,svg} from DIR/flows.tsv (nothing if there
 * is no flows.tsv or it has no rows); @end_s is the simulated duration
 * (<= 0: from the data).  Fails with SIM_PLOT_ERROR_NO_GNUPLOT when gnuplot
 * is missing, leaving the TSV files intact. */
gboolean cli_plot_flows_timeline (const char *dir, const char *title, double end_s,
                                  GError **error);

/* Wall-clock and memory helpers for benchmarks and run.log (cli only). */
double  cli_wall_seconds (void);
gint64  cli_rss_kb (void);        /* VmRSS now, -1 if unknown */
gint64  cli_peak_rss_kb (void);   /* VmHWM, -1 if unknown */

G_END_DECLS
