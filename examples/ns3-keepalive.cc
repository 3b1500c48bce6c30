/* examples/ns3-keepalive.cc — adding natkeep to an existing ns-3 study.
 *
 * The "existing study" is the smallest ordinary ns-3 program: two nodes on
 * a point-to-point link, a UDP echo client pinging a server every 10 s.
 * ns-3 has no NAT and no TCP keep-alive, so the researcher asks natkeep the
 * question ns-3 cannot answer — "do N idle TCP connections behind a NAT
 * with this idle timeout survive with this keep-alive setting?" — inside
 * the same simulation:
 *
 *  1. create natkeep's Sim on ns-3's scheduler (SIM_SCHED_NS3) *before*
 *     anything else is scheduled: natkeep checks that ns3::Simulator is
 *     fresh, since it shares that process-wide singleton;
 *  2. build the natkeep World from an INI text (or a file) — its events go
 *     into ns3::Simulator through sim/ns3/ns3_queue.cc;
 *  3. build the ns-3 part as usual;
 *  4. world_run () runs ns3::Simulator::Run () up to the scenario's
 *     duration: ns-3's events and natkeep's interleave on one clock (the
 *     sampler below prints both views of it);
 *  5. read natkeep's outcomes back; world_free () ends with
 *     ns3::Simulator::Destroy ().
 *
 *   ns3-keepalive [--flows=N] [--keepidle=SECONDS] [--natTimeout=SECONDS]
 *                 [--minutes=M]
 *
 * Prints, per sample, ns-3's clock and natkeep's event count, then one
 * line for the ns-3 study and one for natkeep's outcomes.  With the
 * defaults (keepidle 300 s < NAT timeout 350 s) every flow is alive; with
 * --keepidle=400 every client times out (S4: the probes find no mapping).
 */
#include <cinttypes>
#include <cstdio>

#include <ns3/application-container.h>
#include <ns3/command-line.h>
#include <ns3/internet-stack-helper.h>
#include <ns3/ipv4-address-helper.h>
#include <ns3/net-device-container.h>
#include <ns3/node-container.h>
#include <ns3/nstime.h>
#include <ns3/point-to-point-helper.h>
#include <ns3/packet.h>
#include <ns3/simulator.h>
#include <ns3/string.h>
#include <ns3/uinteger.h>
#include <ns3/udp-echo-helper.h>

#include <natkeep/natkeep.h>

/* No `using namespace ns3`: natkeep's C names (Packet, Link, ...) live in
 * the global namespace and would clash with ns3::Packet. */

namespace {

uint32_t echoes_seen = 0;

void
on_echo (ns3::Ptr<const ns3::Packet>)
{
  echoes_seen++;
}

/* An ns-3 event reading natkeep mid-run: same clock (sim_now is
 * Simulator::Now also here, between natkeep's events), natkeep's events
 * counted so far. */
void
sample (Sim *sim, ns3::Time every)
{
  std::printf ("t=%6.0f s  natkeep events fired so far: %" PRIu64 "; sim_now %s Simulator::Now\n",
               ns3::Simulator::Now ().GetSeconds (), (uint64_t) sim_events (sim),
               sim_now (sim) == ns3::Simulator::Now ().GetNanoSeconds () ? "==" : "!=");
  ns3::Simulator::Schedule (every, &sample, sim, every);
}

} // namespace

int
main (int argc, char *argv[])
{
  uint32_t flows = 100;
  uint32_t keepidle = 300;
  uint32_t nat_timeout = 350;
  uint32_t minutes = 30;

  ns3::CommandLine cmd (__FILE__);
  cmd.AddValue ("flows", "natkeep: TCP connections behind the NAT", flows);
  cmd.AddValue ("keepidle", "natkeep: client TCP_KEEPIDLE in seconds", keepidle);
  cmd.AddValue ("natTimeout", "natkeep: NAT established idle timeout in seconds", nat_timeout);
  cmd.AddValue ("minutes", "simulated time", minutes);
  cmd.Parse (argc, argv);

  /* 1-2. natkeep first, on ns-3's clock. */
  GError *error = NULL;
  Sim *sim = sim_new (SIM_SCHED_NS3, &error);
  if (sim == NULL)
    {
      std::fprintf (stderr, "ns3-keepalive: %s\n", error->message);
      return 1;
    }
  char *ini = g_strdup_printf ("[scenario]\nname = ns3-study\nduration = %um\nflows = %u\n"
                               "open = uniform 0s 60s\n"
                               "[client]\nkeepalive = on\nkeepidle = %us\nkeepintvl = 30s\n"
                               "keepcnt = 3\n"
                               "[app]\npattern = idle\n"
                               "[nat]\nestablished_timeout = %us\nloose = off\n",
                               minutes, flows, keepidle, nat_timeout);
  SimScenario *sc = sim_scenario_load_data ("ns3-study.ini", ini, -1, &error);
  WorldConfig cfg;
  world_config_init_defaults (&cfg);
  if (sc == NULL || !world_config_load (&cfg, sc, &error))
    {
      std::fprintf (stderr, "%s\n", error->message);
      return 2;
    }
  World *world = world_new (&cfg, sim, cfg.seed, 0, 0);   /* takes sim */

  /* 3. The existing ns-3 study, unchanged. */
  ns3::NodeContainer nodes;
  nodes.Create (2);
  ns3::PointToPointHelper p2p;
  p2p.SetDeviceAttribute ("DataRate", ns3::StringValue ("10Mbps"));
  p2p.SetChannelAttribute ("Delay", ns3::StringValue ("20ms"));
  ns3::NetDeviceContainer devices = p2p.Install (nodes);
  ns3::InternetStackHelper stack;
  stack.Install (nodes);
  ns3::Ipv4AddressHelper address;
  address.SetBase ("10.1.1.0", "255.255.255.0");
  ns3::Ipv4InterfaceContainer ifaces = address.Assign (devices);

  ns3::UdpEchoServerHelper server (9);
  ns3::ApplicationContainer server_apps = server.Install (nodes.Get (1));
  server_apps.Start (ns3::Seconds (0));
  ns3::UdpEchoClientHelper client (ifaces.GetAddress (1), 9);
  client.SetAttribute ("MaxPackets", ns3::UintegerValue (1000000));
  client.SetAttribute ("Interval", ns3::TimeValue (ns3::Seconds (10)));
  client.SetAttribute ("PacketSize", ns3::UintegerValue (64));
  ns3::ApplicationContainer client_apps = client.Install (nodes.Get (0));
  client_apps.Start (ns3::Seconds (1));
  client_apps.Get (0)->TraceConnectWithoutContext ("Rx", ns3::MakeCallback (&on_echo));

  ns3::Time every = ns3::Seconds (minutes * 60.0 / 3);
  ns3::Simulator::Schedule (every, &sample, world_sim (world), every);

  /* 4. One ns3::Simulator::Run for both, to natkeep's duration. */
  world_run (world);

  /* 5. Outcomes. */
  WorldPointResult r;
  world_point_result (world, &r);
  std::printf ("ns-3 study: t=%.0f s, %u UDP echoes received by the client\n",
               ns3::Simulator::Now ().GetSeconds (), echoes_seen);
  std::printf ("natkeep: %" PRIu64 " flows, alive %" PRIu64 ", timeout %" PRIu64
               ", reset %" PRIu64 ", stale %" PRIu64 "; %" PRIu64 " keep-alive bytes;"
               " NAT peak %" PRIu64 " mappings; %" PRIu64 " events\n",
               (uint64_t) r.flows, (uint64_t) r.count[WORLD_ALIVE],
               (uint64_t) r.count[WORLD_TIMEOUT], (uint64_t) r.count[WORLD_RESET],
               (uint64_t) r.count[WORLD_STALE], (uint64_t) r.keepalive_bytes,
               (uint64_t) r.nat_peak_mappings, (uint64_t) r.events);
  WorldFlowResult f;
  world_flow_result (world, 0, &f);
  std::printf ("natkeep flow 0: client %s (%s), server %s\n",
               world_outcome_name (f.outcome[WORLD_CLIENT]),
               f.cause[WORLD_CLIENT] != NULL ? f.cause[WORLD_CLIENT] : "-",
               world_outcome_name (f.outcome[WORLD_SERVER]));

  /* Frees the Sim, which calls ns3::Simulator::Destroy (): last. */
  world_free (world);
  world_config_clear (&cfg);
  sim_scenario_free (sc);
  g_free (ini);
  return 0;
}
