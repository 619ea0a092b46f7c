// SPDX-License-Identifier: GPL-2.0
/*
 * ktrace-relayd: the receiver of ktracectl's net:// outputs, snapshots
 * and normal sessions' streams (docs/RELAY.md, docs/man/ktrace-relayd.8).
 *
 * One thread, one poll() loop over non-blocking sockets: the listening
 * sockets and up to --max-clients senders. A sender is read at most
 * a few MiB per turn and a silent one is dropped after --timeout seconds,
 * so that no sender holds up another. Disk writes are plain blocking
 * writes of at most one frame (1 MiB).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "relayd.h"

#define RELAYD_VERSION		"2.0"
#define MAX_LISTEN		8
#define DEFAULT_TOKEN_FILE	"/etc/ktrace/relay.token"

static volatile sig_atomic_t stopping;
static bool use_syslog;

void relayd_log(const char *fmt, ...)
{
	char line[640];
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* One line, whatever a sender's names hold. */
	for (i = 0; line[i]; i++)
		if (line[i] == '\n' || line[i] == '\r')
			line[i] = ' ';
	if (use_syslog)
		syslog(LOG_INFO, "%s", line);
	else
		fprintf(stderr, "ktrace-relayd: %s\n", line);
}

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: ktrace-relayd --output-dir DIR [OPTION]...\n"
		"Receive ktrace snapshots and streams sent to net://HOST[:PORT] outputs.\n"
		"\n"
		"  -o, --output-dir DIR   write <DIR>/<host>/<session>/<snapshot>/kernel/\n"
		"                         and streams to <DIR>/<host>/<session>/kernel/\n"
		"  -l, --listen ADDR:PORT listen there (repeatable; default [::]:%d,\n"
		"                         IPv6 and IPv4); [ADDR]:PORT for IPv6, port 0: any\n"
		"  -t, --token-file FILE  the shared token (default %s)\n"
		"      --insecure         no authentication: any sender is accepted\n"
		"      --max-clients N    senders at once (default 64)\n"
		"      --max-bytes SIZE   bytes one sender may send (default 4G)\n"
		"      --max-files N      files one sender may send (default 65536)\n"
		"      --timeout SEC      drop a sender silent that long (default 30)\n"
		"  -d, --daemon           run in the background, log to syslog\n"
		"  -h, --help             this help\n"
		"  -V, --version          the version\n",
		RELAY_DEFAULT_PORT, DEFAULT_TOKEN_FILE);
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;
	uint64_t mult = 1;

	if (!s[0] || s[0] == '-')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -EINVAL;
	if (*end == 'k' || *end == 'K')
		mult = 1ULL << 10;
	else if (*end == 'M')
		mult = 1ULL << 20;
	else if (*end == 'G')
		mult = 1ULL << 30;
	else if (*end)
		return -EINVAL;
	if (mult > 1 && end[1])
		return -EINVAL;
	if (v > max / mult)
		return -ERANGE;
	*out = v * mult;
	return 0;
}

/* "ADDR:PORT", "[V6]:PORT" or ":PORT" into a bound, listening socket. */
static int listen_on(const char *spec)
{
	char addr[128], show[160];
	const char *port, *colon;
	struct addrinfo hints = {
		.ai_socktype = SOCK_STREAM,
		.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV,
	}, *res;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int fd, one = 1, zero = 0, ret;
	size_t alen;

	if (spec[0] == '[') {
		colon = strstr(spec, "]:");
		if (!colon)
			goto bad;
		alen = colon - spec - 1;
		if (alen >= sizeof(addr))
			goto bad;
		memcpy(addr, spec + 1, alen);
		port = colon + 2;
	} else {
		colon = strrchr(spec, ':');
		if (!colon || memchr(spec, ':', colon - spec))
			goto bad;
		alen = colon - spec;
		if (alen >= sizeof(addr))
			goto bad;
		memcpy(addr, spec, alen);
		port = colon + 1;
	}
	addr[alen] = '\0';
	if (!port[0])
		goto bad;
	ret = getaddrinfo(alen ? addr : NULL, port, &hints, &res);
	if (ret) {
		fprintf(stderr, "ktrace-relayd: --listen %s: %s\n", spec,
			gai_strerror(ret));
		return -1;
	}
	fd = socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "ktrace-relayd: --listen %s: %s\n", spec,
			strerror(errno));
		freeaddrinfo(res);
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* [::] takes IPv4 too. */
	if (res->ai_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (bind(fd, res->ai_addr, res->ai_addrlen) || listen(fd, 64)) {
		fprintf(stderr, "ktrace-relayd: --listen %s: %s\n", spec,
			strerror(errno));
		freeaddrinfo(res);
		close(fd);
		return -1;
	}
	freeaddrinfo(res);
	if (!getsockname(fd, (struct sockaddr *)&ss, &sl)) {
		char host[INET6_ADDRSTRLEN], serv[8];

		getnameinfo((struct sockaddr *)&ss, sl, host, sizeof(host), serv,
			    sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV);
		snprintf(show, sizeof(show), ss.ss_family == AF_INET6 ?
			 "[%s]:%s" : "%s:%s", host, serv);
		relayd_log("listening on %s", show);
	}
	return fd;
bad:
	fprintf(stderr, "ktrace-relayd: --listen %s: not ADDR:PORT or [ADDR]:PORT\n",
		spec);
	return -1;
}

static void peer_name(const struct sockaddr_storage *ss, socklen_t sl,
		      char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN] = "?", serv[8] = "?";

	getnameinfo((const struct sockaddr *)ss, sl, host, sizeof(host), serv,
		    sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV);
	snprintf(buf, len, ss->ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s",
		 host, serv);
}

/*
 * A streaming sender keeps a file open per stream (channel x CPU): as many
 * descriptors as the hard limit allows, not the usual soft 1024.
 */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* A sender that vanished without a word is found within minutes. */
static void keepalive(int fd)
{
	int one = 1, idle = 60, intvl = 10, cnt = 6;

	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt));
}

struct relayd {
	struct relayd_conf conf;
	int lfd[MAX_LISTEN];
	size_t nlisten;
	struct conn *conns;
	size_t nconns;
	size_t max_clients;
};

static void on_accept(struct relayd *d, int lfd)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char peer[64];
	int fd;

	fd = accept4(lfd, (struct sockaddr *)&ss, &sl,
		     SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	peer_name(&ss, sl, peer, sizeof(peer));
	keepalive(fd);
	conn_init(&d->conns[d->nconns], fd, peer, d->conf.out_fd);
	if (d->nconns == d->max_clients) {
		conn_refuse(&d->conns[d->nconns], RELAY_E_BUSY,
			    "%zu senders already", d->max_clients);
		conn_close(&d->conns[d->nconns]);
		return;
	}
	relayd_log("%s: connected", peer);
	d->nconns++;
}

static void drop(struct relayd *d, size_t i)
{
	conn_close(&d->conns[i]);
	d->conns[i] = d->conns[--d->nconns];
}

static int serve(struct relayd *d)
{
	struct pollfd *pfd;
	size_t i, n;
	time_t now;

	pfd = calloc(d->nlisten + d->max_clients, sizeof(*pfd));
	if (!pfd)
		return 1;
	while (!stopping) {
		for (i = 0; i < d->nlisten; i++)
			pfd[i] = (struct pollfd) { .fd = d->lfd[i], .events = POLLIN };
		for (i = 0; i < d->nconns; i++)
			pfd[d->nlisten + i] = (struct pollfd) {
				.fd = d->conns[i].fd, .events = POLLIN,
			};
		n = d->nlisten + d->nconns;
		if (poll(pfd, n, 1000) < 0 && errno != EINTR) {
			relayd_log("poll: %s", strerror(errno));
			break;
		}
		now = time(NULL);
		/* Senders first, backwards: drop() moves the last one. */
		for (i = d->nconns; i-- > 0;) {
			struct conn *c = &d->conns[i];
			short ev = pfd[d->nlisten + i].revents;

			if (ev & (POLLIN | POLLHUP | POLLERR)) {
				if (!conn_readable(&d->conf, c)) {
					drop(d, i);
					continue;
				}
			}
			/* A refused sender gets 2 s to read its ERROR. */
			if (c->state == CONN_DEAD) {
				if (now - c->refused >= 2)
					drop(d, i);
				continue;
			}
			/*
			 * A stream between frames is idle while its session
			 * records nothing: only a frame cut short times out
			 * (TCP keepalive finds a vanished sender).
			 */
			if (c->state == CONN_STREAM && !c->hdr_have)
				continue;
			if (now - c->last > d->conf.timeout_s) {
				conn_refuse(c, RELAY_E_TIMEOUT, "silent for %d s",
					    d->conf.timeout_s);
			}
		}
		for (i = 0; i < d->nlisten; i++)
			if (pfd[i].revents & POLLIN)
				on_accept(d, d->lfd[i]);
	}
	relayd_log("stopping");
	while (d->nconns) {
		/* A stream cut here is the receiver's doing, not its sender's. */
		stream_drop(&d->conns[d->nconns - 1], "ktrace-relayd stopped");
		drop(d, d->nconns - 1);
	}
	free(pfd);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output-dir", required_argument, NULL, 'o' },
		{ "listen", required_argument, NULL, 'l' },
		{ "token-file", required_argument, NULL, 't' },
		{ "insecure", no_argument, NULL, 'I' },
		{ "max-clients", required_argument, NULL, 'C' },
		{ "max-bytes", required_argument, NULL, 'B' },
		{ "max-files", required_argument, NULL, 'F' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "daemon", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL }
	};
	struct relayd d = {
		.conf = {
			.max_bytes = 4ULL << 30,
			.max_files = 65536,
			.timeout_s = 30,
		},
		.max_clients = 64,
	};
	const char *out = NULL, *token_file = NULL, *listens[MAX_LISTEN];
	const char *why = "";
	size_t nl = 0, i;
	bool daemonize = false;
	struct sigaction sa = { .sa_handler = on_signal };
	uint64_t v;
	int opt;

	while ((opt = getopt_long(argc, argv, "o:l:t:dhV", opts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			out = optarg;
			break;
		case 'l':
			if (nl == MAX_LISTEN) {
				fprintf(stderr, "ktrace-relayd: at most %d --listen\n",
					MAX_LISTEN);
				return 2;
			}
			listens[nl++] = optarg;
			break;
		case 't':
			token_file = optarg;
			break;
		case 'I':
			d.conf.insecure = true;
			break;
		case 'C':
		case 'F':
		case 'T':
		case 'B':
			if (parse_u64(optarg, opt == 'B' ? UINT64_MAX :
				      opt == 'F' ? UINT32_MAX : 65536, &v) || !v) {
				fprintf(stderr, "ktrace-relayd: invalid value '%s' for --%s\n",
					optarg, opt == 'C' ? "max-clients" :
					opt == 'F' ? "max-files" :
					opt == 'T' ? "timeout" : "max-bytes");
				return 2;
			}
			if (opt == 'C')
				d.max_clients = v;
			else if (opt == 'F')
				d.conf.max_files = v;
			else if (opt == 'T')
				d.conf.timeout_s = v;
			else
				d.conf.max_bytes = v;
			break;
		case 'd':
			daemonize = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("ktrace-relayd %s (protocol %d)\n", RELAYD_VERSION,
			       RELAY_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc || !out) {
		fprintf(stderr, optind < argc ?
			"ktrace-relayd: unexpected argument '%s'\n" :
			"ktrace-relayd: --output-dir is required%s\n",
			optind < argc ? argv[optind] : "");
		usage(stderr);
		return 2;
	}
	if (d.conf.insecure && token_file) {
		fprintf(stderr, "ktrace-relayd: --insecure and --token-file exclude each other\n");
		return 2;
	}
	if (!d.conf.insecure) {
		if (!token_file)
			token_file = DEFAULT_TOKEN_FILE;
		if (relay_token_load(token_file, d.conf.token, &d.conf.token_len,
				     &why)) {
			fprintf(stderr, "ktrace-relayd: token file %s: %s (or run --insecure)\n",
				token_file, why);
			return 1;
		}
	}
	mkdir(out, 0755);
	d.conf.out_fd = open(out, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d.conf.out_fd < 0) {
		fprintf(stderr, "ktrace-relayd: output directory %s: %s\n", out,
			strerror(errno));
		return 1;
	}
	if (!nl) {
		char spec[16];

		snprintf(spec, sizeof(spec), "[::]:%d", RELAY_DEFAULT_PORT);
		d.lfd[0] = listen_on(spec);
		/* No IPv6 on this machine: IPv4 alone. */
		if (d.lfd[0] < 0) {
			snprintf(spec, sizeof(spec), "0.0.0.0:%d", RELAY_DEFAULT_PORT);
			d.lfd[0] = listen_on(spec);
		}
		if (d.lfd[0] < 0)
			return 1;
		d.nlisten = 1;
	}
	for (i = 0; i < nl; i++) {
		d.lfd[i] = listen_on(listens[i]);
		if (d.lfd[i] < 0)
			return 1;
		d.nlisten++;
	}
	raise_fd_limit();
	d.conns = calloc(d.max_clients + 1, sizeof(*d.conns));
	if (!d.conns)
		return 1;
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (daemonize) {
		if (daemon(0, 0)) {
			fprintf(stderr, "ktrace-relayd: daemon: %s\n", strerror(errno));
			return 1;
		}
		openlog("ktrace-relayd", LOG_PID, LOG_DAEMON);
		use_syslog = true;
	}
	relayd_log("receiving into %s%s", out,
		   d.conf.insecure ? " (insecure: no authentication)" : "");
	return serve(&d);
}
