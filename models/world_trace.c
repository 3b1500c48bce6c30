/* models/world_trace.c — the per-event timeline of one flow, and captures.
 *
 * `natkeep run --trace` follows one flow (flow 0) and writes one line per
 * event, in event order:
 *
 *   SECONDS WHERE WHAT
 *   0.000000 lan    client>nat send 10.0.0.2:40000>198.51.100.1:443 [S] seq ...
 *   0.001000 nat    recv from inside 10.0.0.2:40000>198.51.100.1:443 [S] ...
 *
 * WHERE is lan or wan (a packet put on the link; "lost" if the link drops
 * it), nat (packets arriving, mappings created and ended, refusals),
 * client or server (deliveries, RSTs from a host without a socket, probes,
 * connection events, what the application learns) and the faults.
 * Seconds are %.6f of simulated time; nothing here reads a wall clock.
 *
 * The link taps also feed the pcap writers: every packet is captured when
 * it is put on the link, on the sender's side, whether or not the link
 * then loses it.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include <glib.h>

#include "models/world_private.h"

/* IPv4 total length 65535 minus the IPv4 and TCP headers (models/pcap.h). */
#define WORLD_PCAP_MAX_PAYLOAD 65495

gboolean
world_tracing (const World *w, guint64 flow)
{
  return w->trace != NULL && flow == w->trace_flow;
}

void
world_trace (World *w, guint64 flow, const char *where, const char *fmt, ...)
{
  g_autofree char *msg = NULL;
  char t[32];
  va_list ap;

  if (!world_tracing (w, flow))
    return;
  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  fprintf (w->trace, "%s %-6s %s\n", sim_time_format_s6 (sim_now (w->sim), t, sizeof t),
           where, msg);
}

void
world_trace_packet (World *w, const char *where, const char *what, const Packet *p)
{
  char buf[128];

  world_trace (w, p->flow, where, "%s %s", what, packet_format (p, buf, sizeof buf));
}

void
world_on_tap (void *user, const Link *link, const Packet *p, LinkSide from,
              gboolean dropped)
{
  World *w = user;
  gboolean lan = link == w->lan;
  PcapWriter *pcap = lan ? w->pcap_lan : w->pcap_wan;

  if (pcap != NULL && p->len <= WORLD_PCAP_MAX_PAYLOAD)
    pcap_writer_add (pcap, sim_now (w->sim), p);
  else if (pcap != NULL && !w->pcap_warned)
    {
      /* tcp.c sends queued writes as one segment, which can outgrow an
       * IPv4 datagram; such a frame cannot be captured truthfully. */
      w->pcap_warned = TRUE;
      g_warning ("%s: a %u-byte segment does not fit an IPv4 datagram; "
                 "segments this large are left out of the capture",
                 link_name (link), p->len);
    }
  if (world_tracing (w, p->flow))
    {
      static const char *const dirs[2][2] = {
        { "nat>client", "client>nat" },     /* lan: from B, from A */
        { "server>nat", "nat>server" },     /* wan */
      };
      char what[32];

      g_snprintf (what, sizeof what, "%s %s", dirs[lan ? 0 : 1][from == LINK_SIDE_A],
                  dropped ? "lost" : "send");
      world_trace_packet (w, link_name (link), what, p);
    }
}
