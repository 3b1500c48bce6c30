/* models/defaults.h — every model default, with its unit and source.
 * *_config_init_defaults() copy from here; scenario keys override;
 * docs/scenario.md mirrors this file. */
#pragma once

#include "sim/time.h"

/* TCP keep-alive: RFC 9293 §3.8.4 (MUST be off by default; idle >= 2 h). */
#define TCP_DEFAULT_KEEPALIVE        FALSE
#define TCP_DEFAULT_KEEPIDLE         SIM_S (7200)   /* Linux tcp_keepalive_time */
#define TCP_DEFAULT_KEEPINTVL        SIM_S (75)     /* Linux tcp_keepalive_intvl */
#define TCP_DEFAULT_KEEPCNT          9              /* Linux tcp_keepalive_probes */
#define TCP_MAX_KEEPIDLE             SIM_S (32767)  /* Linux MAX_TCP_KEEPIDLE */
#define TCP_MAX_KEEPINTVL            SIM_S (32767)  /* Linux MAX_TCP_KEEPINTVL */
#define TCP_MAX_KEEPCNT              127            /* Linux MAX_TCP_KEEPCNT */
/* Retransmission: RFC 6298, Linux ip-sysctl.rst. */
#define TCP_DEFAULT_USER_TIMEOUT     0              /* TCP_USER_TIMEOUT off */
#define TCP_DEFAULT_RETRIES2         15             /* net.ipv4.tcp_retries2 */
#define TCP_DEFAULT_SYN_RETRIES      6              /* net.ipv4.tcp_syn_retries */
#define TCP_DEFAULT_RTO_MIN          SIM_MS (200)   /* TCP_RTO_MIN */
#define TCP_DEFAULT_RTO_MAX          SIM_S (120)    /* TCP_RTO_MAX, tcp_rto_max_ms */
#define TCP_DEFAULT_RTO_INITIAL      SIM_S (1)      /* RFC 6298 §2.1, TCP_TIMEOUT_INIT */
#define TCP_DEFAULT_TIME_WAIT        SIM_S (60)     /* TCP_TIMEWAIT_LEN */
#define TCP_DEFAULT_FIN_TIMEOUT      SIM_S (60)     /* net.ipv4.tcp_fin_timeout */
#define TCP_RETRIES_BASE             SIM_MS (200)   /* S15: L(N) uses a fixed 200 ms */

/* NAT: RFC 5382 REQ-5 (established >= 2 h 4 min, transitory >= 4 min). */
#define NAT_DEFAULT_ESTABLISHED_TIMEOUT  SIM_S (7440)
#define NAT_DEFAULT_TRANSITORY_TIMEOUT   SIM_S (240)
#define NAT_DEFAULT_CLOSE_TIMEOUT        SIM_S (10)   /* nf_conntrack_tcp_timeout_close */
#define NAT_DEFAULT_TIME_WAIT_TIMEOUT    SIM_S (120)  /* nf_conntrack_tcp_timeout_time_wait */
#define NAT_DEFAULT_CLAMP_TIMEOUT        SIM_S (300)  /* tcp_timeout_unacknowledged / max_retrans */
#define NAT_DEFAULT_PORT_LO              1024
#define NAT_DEFAULT_PORT_HI              65535
#define NAT_DEFAULT_PUBLIC_IPS           1
#define NAT_DEFAULT_LOOSE                TRUE         /* nf_conntrack_tcp_loose = 1 */
#define NAT_DEFAULT_PROBE_INTERVAL       SIM_S (15)   /* Cisco ASA DCD retry interval */
#define NAT_DEFAULT_PROBE_COUNT          5            /* ASA DCD retries (unconfirmed) */

/* Addresses used by the world (documentation ranges, RFC 5737). */
#define WORLD_CLIENT_NET      0x0A000000u   /* 10.0.0.0/8, inside hosts */
#define WORLD_SERVER_IP       0xC6336401u   /* 198.51.100.1 */
#define WORLD_SERVER_PORT     443
#define WORLD_PUBLIC_IP       0xCB007101u   /* 203.0.113.1 and up */
#define WORLD_SHARED_IP       0x64400001u   /* 100.64.0.1: [scenario] path,
                                                inner box i from 100.(64+i).0.1 */

/* Links: a LAN and a WAN hop. */
#define LINK_DEFAULT_LAN_DELAY  SIM_MS (1)
#define LINK_DEFAULT_WAN_DELAY  SIM_MS (20)

/* World (models/world*.c): what a scenario leaves unsaid. */
#define WORLD_DEFAULT_DURATION       SIM_H (1)
#define WORLD_DEFAULT_SEED           1
#define WORLD_DEFAULT_FLOWS          1
#define WORLD_MAX_FLOWS              10000000     /* client i is 10.0.0.2 + i: stays in 10/8 */
#define WORLD_MAX_DURATION           SIM_D (36500) /* 100 years: sums of times never overflow */
#define WORLD_EPHEMERAL_PORT_LO      32768        /* Linux net.ipv4.ip_local_port_range */
#define WORLD_EPHEMERAL_PORT_HI      60999
#define WORLD_HEADER_BYTES           40           /* IPv4 20 + TCP 20, no options: keepalive_bytes */

/* HTTP/1.1 keep-alive (models/http.c): DESIGN.md's [http] example values,
 * Apache's KeepAliveTimeout 5 and MaxKeepAliveRequests 100, Go's
 * net/http IdleConnTimeout 90 s (PROFILES.md §4). */
#define HTTP_DEFAULT_SERVER_KEEPALIVE_TIMEOUT  SIM_S (5)
#define HTTP_DEFAULT_SERVER_KEEPALIVE_MAX      100
#define HTTP_DEFAULT_CLIENT_POOL_IDLE_TIMEOUT  SIM_S (90)
#define HTTP_DEFAULT_CLIENT_POOL_MAX           1
#define HTTP_DEFAULT_RETRY_IDEMPOTENT          FALSE
#define HTTP_DEFAULT_SERVICE_TIME              SIM_MS (10)

/* Applications (models/app.c): DESIGN.md's [app] example values. */
#define APP_DEFAULT_AFTER            SIM_S (16)
#define APP_DEFAULT_INTERVAL         SIM_S (30)
#define APP_DEFAULT_REQUEST_BYTES    100
#define APP_DEFAULT_RESPONSE_BYTES   100
#define APP_MAX_MESSAGE_BYTES        65495        /* one write is one segment (tcp.h), and
                                                     an IPv4 datagram holds 65535 - 40 */
/* arrivals = bursts: 5 requests at one instant, like a page and a
 * handful of its resources. */
#define APP_DEFAULT_BURST_SIZE       5
#define APP_DEFAULT_BURST_SPACING    0
#define APP_MAX_BURST_SIZE           10000        /* requests per burst */
