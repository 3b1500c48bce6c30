/* sim/plot.c — runs gnuplot on a script file, without a shell. */
#include "config.h"

#include <string.h>

#include "sim/plot.h"

G_DEFINE_QUARK (sim-plot-error-quark, sim_plot_error)

gboolean
sim_plot_available (void)
{
  g_autofree char *path = g_find_program_in_path ("gnuplot");
  return path != NULL;
}

gboolean
sim_plot_render (const char *dir, const char *script, GError **error)
{
  g_autofree char *gnuplot = g_find_program_in_path ("gnuplot");
  if (gnuplot == NULL)
    {
      g_set_error_literal (error, SIM_PLOT_ERROR, SIM_PLOT_ERROR_NO_GNUPLOT,
                           SIM_PLOT_INSTALL_HINT);
      return FALSE;
    }
  char *argv[] = { gnuplot, (char *) script, NULL };
  g_autofree char *err_text = NULL;
  int wait_status = 0;
  GError *spawn_error = NULL;
  if (!g_spawn_sync (dir, argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                     NULL, &err_text, &wait_status, &spawn_error))
    {
      g_set_error (error, SIM_PLOT_ERROR, SIM_PLOT_ERROR_FAILED,
                   "gnuplot %s: %s", script, spawn_error->message);
      g_error_free (spawn_error);
      return FALSE;
    }
  if (!g_spawn_check_wait_status (wait_status, NULL))
    {
      g_strstrip (err_text);
      char *nl = strchr (err_text, '\n');
      if (nl)
        *nl = '\0';
      g_set_error (error, SIM_PLOT_ERROR, SIM_PLOT_ERROR_FAILED,
                   "gnuplot %s failed: %s", script, err_text);
      return FALSE;
    }
  return TRUE;
}

char *
sim_plot_quote (const char *text)
{
  GString *s = g_string_new (NULL);
  for (const char *p = text; *p; p++)
    {
      if (*p == '\'')
        g_string_append (s, "''");
      else if (*p != '\n' && *p != '\r')
        g_string_append_c (s, *p);
    }
  return g_string_free (s, FALSE);
}
