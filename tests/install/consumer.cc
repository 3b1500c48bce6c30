// tests/install/consumer.cc — the public headers compile as C++ too: a C++
// program includes the umbrella header and calls into the C library (the
// headers wrap themselves in extern "C" through G_BEGIN_DECLS).
#include <cstdio>
#include <natkeep/natkeep.h>

static_assert (NATKEEP_CHECK_VERSION (0, 0, 0), "version macros work in C++");

int
main ()
{
  WorldConfig cfg;
  world_config_init_defaults (&cfg);
  std::printf ("%s %s\n", world_outcome_name (WORLD_ALIVE), sim_sched_kind_name (SIM_SCHED_WHEEL));
  world_config_clear (&cfg);
  return 0;
}
