/* cli/main.c — the natkeep command: dispatches to one file per subcommand.
 *
 * Global options (--help, --version) are handled here with GOptionContext;
 * everything after the subcommand name belongs to the subcommand, which
 * parses its own options.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "cli/cli.h"

typedef struct {
  const char *name;
  int       (*main) (int argc, char **argv);
  const char *usage;
  const char *summary;
} Command;

static const Command commands[] = {
  { "run", cli_run,
    "run SCENARIO.ini [-o DIR] [--set GROUP.KEY=VALUE]... [--flows] [--pcap] [--trace] [--engine native|ns3]",
    "simulate one point; write points.tsv, flows.tsv (and pcap, trace)" },
  { "sweep", cli_sweep,
    "sweep SCENARIO.ini [-o DIR] [-j N] [--resume] [--shard I/N] [--flows] [--quiet] [--set ...]... [--engine native|ns3]",
    "simulate every point of the [sweep] cross product" },
  { "advise", cli_advise, "advise SCENARIO.ini [--set GROUP.KEY=VALUE]...",
    "largest keepidle (and its cost) that keeps every flow alive on the path" },
  { "plot", cli_plot, "plot DIR", "(re)draw plots from a results directory" },
  { "merge", cli_merge, "merge OUT DIR...", "join shard outputs into the bytes one run writes" },
  { "check", cli_check, "check SCENARIO.ini [--set GROUP.KEY=VALUE]...", "validate only; print the expanded sweep size" },
  { "profiles", cli_profiles, "profiles [--long]", "list built-in profiles and their sources" },
  { "bench", cli_bench,
    "bench engine --pending N[,N...] [--events M] [--engine native|ns3|all]",
    "measure the event queues (hold model); TSV on stdout" },
  { "bench", cli_bench,
    "bench capacity --flows N --hours H [--engine native|ns3] [-o DIR [--flows-tsv]]",
    "many idle flows through one NAT: wall time, events/s, bytes per flow" },
};

static char *
commands_help (void)
{
  GString *s = g_string_new ("Commands:\n");
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (s, "  natkeep %s\n      %s%s\n", commands[i].usage,
                            commands[i].summary,
                            commands[i].main ? "" : " (not available yet)");
  g_string_append (s,
    "\nExit status: 0 success, 1 run-time failure, 2 bad input.\n"
    "Errors about scenario files read FILE:LINE: [group] key: problem (expected ...).\n"
    "Documentation: natkeep(1), docs/scenario.md, docs/model-notes.md.");
  return g_string_free (s, FALSE);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  /* Numbers in results never depend on the user's locale. */
  setlocale (LC_NUMERIC, "C");

  if (argc >= 2 && argv[1][0] != '-')
    {
      for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
        if (strcmp (argv[1], commands[i].name) == 0)
          {
            if (commands[i].main == NULL)
              {
                fprintf (stderr, "natkeep %s: not available in this version yet\n",
                         commands[i].name);
                return CLI_FAILED;
              }
            return commands[i].main (argc - 1, argv + 1);
          }
      fprintf (stderr, "natkeep: unknown command \"%s\" (expected one of: "
               "run, sweep, advise, plot, merge, check, profiles, bench)\n", argv[1]);
      return CLI_BAD_INPUT;
    }

  gboolean version = FALSE;
  GOptionEntry entries[] = {
    { "version", 'V', 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("COMMAND [ARGS...]");
  g_option_context_set_summary (ctx,
    "natkeep simulates TCP connections through NATs and firewalls with idle\n"
    "timeouts, keep-alive, retransmission and user timeouts, and tells whether\n"
    "each connection survives, and if not, who finds out, when, and how.");
  g_autofree char *desc = commands_help ();
  g_option_context_set_description (ctx, desc);
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      fprintf (stderr, "natkeep: %s (try --help)\n", error->message);
      return CLI_BAD_INPUT;
    }
  if (version)
    {
      printf ("natkeep %s\n", NATKEEP_VERSION);
      return CLI_OK;
    }
  if (argc >= 2)
    {
      fprintf (stderr, "natkeep: unknown command \"%s\" (try --help)\n", argv[1]);
      return CLI_BAD_INPUT;
    }
  g_autofree char *help = g_option_context_get_help (ctx, TRUE, NULL);
  fputs (help, stderr);
  return CLI_BAD_INPUT;
}
