/* cli/profiles.c — `natkeep profiles`: the built-in profiles and sources.
 *
 *   natkeep profiles [--long]
 *
 * One block per profile, sorted by id: the id with the groups it applies
 * to (and "secondary" when its values were seen only in a secondary
 * source, PROFILES.md), then its summary and source.  --long adds each
 * value with the comment that gives its origin.  Every file in the search
 * path is read and checked, so a malformed profile is reported here (exit
 * 2) rather than first in somebody's sweep.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include <glib.h>

#include "sim/profile.h"
#include "cli/cli.h"

static void
print_profile (const SimProfile *p, gboolean want_long)
{
  g_autofree char *to = g_strjoinv (", ", p->applies_to);

  printf ("%s  [%s]%s\n", p->id, to, p->secondary ? "  secondary" : "");
  printf ("    %s\n", p->summary);
  printf ("    source: %s\n", p->source);
  if (!want_long)
    return;
  for (guint i = 0; i < p->values->len; i++)
    {
      const SimProfileValue *v = g_ptr_array_index (p->values, i);

      if (*v->comment != '\0')
        printf ("    %s = %s    # %s\n", v->key, v->value, v->comment);
      else
        printf ("    %s = %s\n", v->key, v->value);
    }
}

int
cli_profiles (int argc, char **argv)
{
  gboolean want_long = FALSE;
  GOptionEntry entries[] = {
    { "long", 'l', 0, G_OPTION_ARG_NONE, &want_long,
      "Also print every value with its source comment", NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) ctx =
    g_option_context_new ("- list built-in profiles and their sources");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;
  int status = CLI_OK;

  g_option_context_set_description (ctx,
    "Profiles are read from $NATKEEP_PROFILE_DIR (':'-separated), the source\n"
    "tree's scenarios/profiles, then " NATKEEP_DATADIR "/profiles;\n"
    "the first file with an id wins.  Use one with  profile = ID  in\n"
    "[client], [server], [nat] or [http]; keys written there override it.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      fprintf (stderr, "natkeep profiles: %s (try natkeep profiles --help)\n",
               error->message);
      return CLI_BAD_INPUT;
    }
  if (argc != 1)
    {
      fprintf (stderr, "natkeep profiles: unexpected \"%s\" (try natkeep profiles "
               "--help)\n", argv[1]);
      return CLI_BAD_INPUT;
    }
  ids = sim_profile_list_ids ();
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autofree char *path = sim_profile_find (ids[i]);
      g_autoptr(SimProfile) p = NULL;
      g_autoptr(GError) perr = NULL;

      if (path == NULL || (p = sim_profile_load (path, &perr)) == NULL)
        {
          fprintf (stderr, "%s\n", perr != NULL ? perr->message : ids[i]);
          status = CLI_BAD_INPUT;
          continue;
        }
      if (i > 0)
        putchar ('\n');
      print_profile (p, want_long);
    }
  return status;
}
