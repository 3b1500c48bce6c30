/* sim/mem.c — big arrays in transparent huge pages (see mem.h). */
#include "config.h"

#include <string.h>
#ifdef HAVE_MADV_HUGEPAGE
#include <sys/mman.h>
#endif

#include "sim/mem.h"

#define SIM_MEM_HUGE ((gsize) 2 << 20)

void *
sim_mem_alloc0 (gsize n, gsize size)
{
  if (size != 0 && n > G_MAXSIZE / size)
    g_error ("sim_mem_alloc0: %" G_GSIZE_FORMAT " x %" G_GSIZE_FORMAT " bytes overflow",
             n, size);
  gsize bytes = MAX (n * size, 1);
  if (bytes < SIM_MEM_HUGE)
    {
      void *mem = g_aligned_alloc (1, bytes, 64);
      memset (mem, 0, bytes);
      return mem;
    }
  void *mem = g_aligned_alloc (1, bytes, SIM_MEM_HUGE);
#ifdef HAVE_MADV_HUGEPAGE
  /* A hint: refused or ignored, the memory is just ordinary pages. */
  (void) madvise (mem, bytes & ~(SIM_MEM_HUGE - 1), MADV_HUGEPAGE);
#endif
  memset (mem, 0, bytes);       /* the first touch, after the advice */
  return mem;
}

void
sim_mem_free (void *mem)
{
  g_aligned_free (mem);
}
