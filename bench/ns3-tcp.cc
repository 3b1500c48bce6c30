/* bench/ns3-tcp.cc — the same idle connections in ns-3's TCP and in natkeep.
 *
 * Workload (identical on both sides): N TCP connections between a client
 * and a server node over one point-to-point link (10 ms one way, 1 Gb/s),
 * opened at uniform times in the first 10 s, each sending a 1-byte
 * application heartbeat from the client every 30 s for 10 simulated
 * minutes; the server only ACKs.  No NAT in the path ([nat] mode = none
 * leaves natkeep's box a pass-through firewall), no loss.
 *
 *  - ns-3: TcpSocketBase (TcpSocketFactory, ns-3's default NewReno) on two
 *    nodes with InternetStackHelper and PointToPointHelper, a PacketSink on
 *    the server; the heartbeats are Socket::Send of a 1-byte Packet.
 *  - natkeep: a World with [app] pattern = periodic, request_bytes = 1,
 *    response_bytes = 0, on the timing wheel (natkeep's default engine).
 *
 * Each (system, N) runs in its own forked child so one measurement's heap
 * does not flatter the next, and ns-3's Simulator starts fresh.  The
 * child reports wall time (setup + run), VmHWM growth over the run
 * (peak resident memory attributable to the simulation) and events; the
 * parent prints TSV:
 *   system flows sim_s events wall_s peak_rss_kb bytes_per_conn
 * where bytes_per_conn = (peak RSS growth - that of one connection) /
 * (N - 1): what each connection adds, without what a run costs whatever
 * its size (ns-3's type registry, natkeep's packet pool and tables).  The
 * one-connection growth is printed first, on "#" lines.  Timings are not
 * asserted.
 *
 *   ns3-tcp [N[,N...]]     (default 1000,10000)
 */
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include <ns3/application-container.h>
#include <ns3/inet-socket-address.h>
#include <ns3/internet-stack-helper.h>
#include <ns3/ipv4-address-helper.h>
#include <ns3/net-device-container.h>
#include <ns3/node-container.h>
#include <ns3/nstime.h>
#include <ns3/packet-sink-helper.h>
#include <ns3/packet.h>
#include <ns3/point-to-point-helper.h>
#include <ns3/random-variable-stream.h>
#include <ns3/simulator.h>
#include <ns3/socket.h>
#include <ns3/string.h>
#include <ns3/tcp-socket-factory.h>

#include <natkeep/natkeep.h>

namespace {

const double SIM_SECONDS = 600;   /* 10 min */
const double BEAT_SECONDS = 30;
const double OPEN_SECONDS = 10;

struct Measure {
  double   wall_s;
  long     peak_kb;   /* VmHWM growth */
  uint64_t events;
};

long
vm_hwm_kb ()
{
  FILE *f = std::fopen ("/proc/self/status", "r");
  char line[256];
  long kb = 0;

  if (f == NULL)
    return 0;
  while (std::fgets (line, sizeof line, f) != NULL)
    if (std::strncmp (line, "VmHWM:", 6) == 0)
      kb = std::strtol (line + 6, NULL, 10);
  std::fclose (f);
  return kb;
}

/* ---- ns-3 ---------------------------------------------------------- */

void
ns3_beat (ns3::Ptr<ns3::Socket> s)
{
  s->Send (ns3::Create<ns3::Packet> (1));
  if (ns3::Simulator::Now ().GetSeconds () + BEAT_SECONDS < SIM_SECONDS)
    ns3::Simulator::Schedule (ns3::Seconds (BEAT_SECONDS), &ns3_beat, s);
}

uint32_t ns3_n_connected = 0;

void
ns3_connected (ns3::Ptr<ns3::Socket> s)
{
  ns3_n_connected++;
  ns3::Simulator::Schedule (ns3::Seconds (BEAT_SECONDS), &ns3_beat, s);
}

void
ns3_failed (ns3::Ptr<ns3::Socket>)
{
  std::fprintf (stderr, "ns3-tcp: an ns-3 connection failed\n");
}

void
ns3_open (ns3::Ptr<ns3::Node> node, ns3::Address remote)
{
  ns3::Ptr<ns3::Socket> s = ns3::Socket::CreateSocket (node, ns3::TcpSocketFactory::GetTypeId ());
  s->SetConnectCallback (ns3::MakeCallback (&ns3_connected), ns3::MakeCallback (&ns3_failed));
  s->Bind ();
  s->Connect (remote);
}

Measure
run_ns3 (uint32_t n)
{
  ns3::NodeContainer nodes;
  nodes.Create (2);
  ns3::PointToPointHelper p2p;
  p2p.SetDeviceAttribute ("DataRate", ns3::StringValue ("1Gbps"));
  p2p.SetChannelAttribute ("Delay", ns3::StringValue ("10ms"));
  ns3::NetDeviceContainer devs = p2p.Install (nodes);
  ns3::InternetStackHelper stack;
  stack.Install (nodes);
  ns3::Ipv4AddressHelper addr;
  addr.SetBase ("10.1.0.0", "255.255.0.0");
  ns3::Ipv4InterfaceContainer ifs = addr.Assign (devs);

  ns3::Address remote (ns3::InetSocketAddress (ifs.GetAddress (1), 443));
  ns3::PacketSinkHelper sink ("ns3::TcpSocketFactory",
                              ns3::InetSocketAddress (ns3::Ipv4Address::GetAny (), 443));
  ns3::ApplicationContainer apps = sink.Install (nodes.Get (1));
  apps.Start (ns3::Seconds (0));

  ns3::Ptr<ns3::UniformRandomVariable> u = ns3::CreateObject<ns3::UniformRandomVariable> ();
  u->SetStream (1);
  for (uint32_t i = 0; i < n; i++)
    ns3::Simulator::Schedule (ns3::Seconds (u->GetValue (0, OPEN_SECONDS)), &ns3_open,
                              nodes.Get (0), remote);
  ns3::Simulator::Stop (ns3::Seconds (SIM_SECONDS));
  ns3::Simulator::Run ();
  uint64_t events = ns3::Simulator::GetEventCount ();
  if (ns3_n_connected != n)
    std::fprintf (stderr, "ns3-tcp: ns-3: %u of %u connections established\n",
                  ns3_n_connected, n);
  ns3::Simulator::Destroy ();
  return Measure { 0, 0, events };
}

/* ---- natkeep ------------------------------------------------------- */

Measure
run_natkeep (uint32_t n)
{
  char *ini = g_strdup_printf (
    "[scenario]\nname = ns3-tcp\nduration = %.0fs\nflows = %u\nopen = uniform 0s %.0fs\n"
    "[app]\npattern = periodic\ninterval = %.0fs\nsender = client\n"
    "request_bytes = 1\nresponse_bytes = 0\n"
    "[nat]\nmode = none\n"
    "[link.lan]\ndelay = 0s\n[link.wan]\ndelay = 10ms\n",
    SIM_SECONDS, n, OPEN_SECONDS, BEAT_SECONDS);
  GError *error = NULL;
  SimScenario *sc = sim_scenario_load_data ("ns3-tcp.ini", ini, -1, &error);
  WorldConfig cfg;
  world_config_init_defaults (&cfg);
  if (sc == NULL || !world_config_load (&cfg, sc, &error))
    {
      std::fprintf (stderr, "ns3-tcp: %s\n", error->message);
      std::exit (2);
    }
  World *w = world_new (&cfg, sim_new (SIM_SCHED_WHEEL, NULL), cfg.seed, 0, 0);
  world_run (w);
  WorldPointResult r;
  world_point_result (w, &r);
  if (r.count[WORLD_ALIVE] != n)
    std::fprintf (stderr, "ns3-tcp: natkeep: %" PRIu64 " of %u flows alive\n",
                  (uint64_t) r.count[WORLD_ALIVE], n);
  world_free (w);
  world_config_clear (&cfg);
  sim_scenario_free (sc);
  g_free (ini);
  return Measure { 0, 0, r.events };
}

/* Runs one measurement in a child; the row comes back through a pipe. */
std::string
measure (const char *system, uint32_t n)
{
  int fd[2];
  if (pipe (fd) != 0)
    return "";
  std::fflush (stdout);
  pid_t pid = fork ();
  if (pid == 0)
    {
      close (fd[0]);
      long hwm0 = vm_hwm_kb ();
      gint64 t0 = g_get_monotonic_time ();
      Measure m = std::strcmp (system, "ns3") == 0 ? run_ns3 (n) : run_natkeep (n);
      m.wall_s = (g_get_monotonic_time () - t0) / 1e6;
      m.peak_kb = vm_hwm_kb () - hwm0;
      char row[256];
      int len = std::snprintf (row, sizeof row, "%s\t%u\t%.0f\t%" PRIu64 "\t%.3f\t%ld",
                               system, n, SIM_SECONDS, m.events, m.wall_s, m.peak_kb);
      if (write (fd[1], row, len) != len)
        _exit (1);
      _exit (0);
    }
  close (fd[1]);
  std::string out;
  char buf[256];
  ssize_t got;
  while ((got = read (fd[0], buf, sizeof buf)) > 0)
    out.append (buf, got);
  close (fd[0]);
  int status = 0;
  waitpid (pid, &status, 0);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    std::fprintf (stderr, "ns3-tcp: %s at %u failed\n", system, n);
  return out;
}

/* The last column of a row (peak_rss_kb); 0 for a failed measurement. */
long
last_kb (const std::string &row)
{
  const char *tab = std::strrchr (row.c_str (), '\t');
  return tab != NULL ? std::strtol (tab + 1, NULL, 10) : 0;
}

} // namespace

int
main (int argc, char *argv[])
{
  std::vector<uint32_t> ns;
  const char *arg = argc > 1 ? argv[1] : "1000,10000";
  for (char *s = g_strdup (arg), *tok = std::strtok (s, ","); tok != NULL; tok = std::strtok (NULL, ","))
    ns.push_back ((uint32_t) std::strtoul (tok, NULL, 10));

  std::printf ("system\tflows\tsim_s\tevents\twall_s\tpeak_rss_kb\tbytes_per_conn\n");
  long base[2];
  const char *systems[2] = { "ns3", "natkeep" };
  for (int k = 0; k < 2; k++)
    {
      base[k] = last_kb (measure (systems[k], 1));
      std::printf ("# %s, one connection (fixed cost, left out of bytes_per_conn): %ld kB\n",
                   systems[k], base[k]);
    }
  for (uint32_t n : ns)
    for (int k = 0; k < 2; k++)
      {
        std::string row = measure (systems[k], n);
        long kb = last_kb (row);
        if (row.empty ())
          continue;
        std::printf ("%s\t%.0f\n", row.c_str (),
                     n > 1 ? (kb - base[k]) * 1024.0 / (n - 1) : 0.0);
      }
  return 0;
}
