/* cli/profiles.c — `natkeep profiles` (not available yet). */
#include "config.h"

#include <stdio.h>

#include "cli/cli.h"

int
cli_profiles (int argc, char **argv)
{
  fprintf (stderr, "natkeep profiles: not available in this version yet\n");
  return CLI_FAILED;
}
