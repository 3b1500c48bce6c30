/* sim/mem.c — big arrays in transparent huge pages (see mem.h). */
#include "config.h"

#include <string.h>
#ifdef HAVE_MADV_HUGEPAGE
#include <sys/mman.h>
#endif

#include "sim/mem.h"

static gsize
mem_bytes (gsize n, gsize size)
{
  if (size != 0 && n > (G_MAXSIZE - SIM_MEM_HUGE) / size)
    g_error ("sim_mem: %" G_GSIZE_FORMAT " x %" G_GSIZE_FORMAT " bytes overflow",
             n, size);
  return MAX (n * size, 1);
}

#ifdef HAVE_MADV_HUGEPAGE
/* Whole 2 MiB pages straight from the kernel: malloc could hand back
 * memory an earlier user already touched (ns-3's, in a process that ran
 * it first), whose 4 KiB pages the advice would no longer change. */
static void *
mem_map (gsize len)
{
  char *raw = mmap (NULL, len + SIM_MEM_HUGE, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED)
    g_error ("sim_mem: out of memory (%" G_GSIZE_FORMAT " bytes)", len);
  char *mem = (char *) (((guintptr) raw + SIM_MEM_HUGE - 1) & ~(guintptr) (SIM_MEM_HUGE - 1));
  if (mem > raw)
    munmap (raw, (gsize) (mem - raw));
  if (raw + len + SIM_MEM_HUGE > mem + len)
    munmap (mem + len, (gsize) (raw + len + SIM_MEM_HUGE - (mem + len)));
  /* A hint: refused or ignored, the memory is just ordinary pages. */
  (void) madvise (mem, len, MADV_HUGEPAGE);
  return mem;                   /* zero-filled by the kernel */
}
#endif

void *
sim_mem_alloc0 (gsize n, gsize size)
{
  gsize bytes = mem_bytes (n, size);
#ifdef HAVE_MADV_HUGEPAGE
  if (bytes >= SIM_MEM_HUGE)
    return mem_map ((bytes + SIM_MEM_HUGE - 1) & ~(SIM_MEM_HUGE - 1));
#endif
  void *mem = g_aligned_alloc (1, bytes, 64);
  memset (mem, 0, bytes);
  return mem;
}

void
sim_mem_free (void *mem, gsize n, gsize size)
{
  if (mem == NULL)
    return;
#ifdef HAVE_MADV_HUGEPAGE
  gsize bytes = mem_bytes (n, size);
  if (bytes >= SIM_MEM_HUGE)
    {
      munmap (mem, (bytes + SIM_MEM_HUGE - 1) & ~(SIM_MEM_HUGE - 1));
      return;
    }
#endif
  g_aligned_free (mem);
}
