# What the LTTng tool chain needs from a snapshot: a session records the
# per-syscall events of getppid and of the file I/O calls, the scheduler,
# interrupt and page allocator events and the statedump, as LTTng's
# documentation (lttng-analyses-record) enables them for lttng-analyses;
# the getppid-loop thread calls getppid() a known number of times, dd
# writes a file of known size and reads it back, busy-loop spins pinned
# to CPU 1, page-touch allocates and frees a known number of pages,
# sleep-loop sleeps a known number of times, pi-boost's holder of a PI
# mutex is boosted by a SCHED_FIFO waiter; a snapshot is written. The
# channel records the procname, pid and tid contexts, as LTTng's
# documentation sets up a session for lttng-analyses: they name a thread
# from its exec on. analyses.host then runs every lttng-analyses tool of
# Debian's python3-lttnganalyses, text and -mi (JSON) variants, and
# babeltrace2 on it, and checks what each says of these workloads.
. /scenarios/lib.sh

COUNT=1000
NAME=getppid-loop
# dd's file: IO_BLOCKS blocks of 4 KiB, written then read back.
IO_FILE=/tmp/ktrace-io.dat
IO_BLOCKS=64
BUSY_MS=1500
BUSY_CPU=1
# page-touch: pages of anonymous memory, each allocated then freed.
PAGES=1024
# sleep-loop: SLEEPS sleeps of SLEEP_MS, each ending in a wakeup.
SLEEPS=20
SLEEP_MS=10

load_ktrace
ktracectl create an --snapshot -o "$KTRACE_OUT/traces" ||
	fail "create"
ktracectl enable-channel --subbuf-size 1M --num-subbuf 4 k || fail "channel"
ktracectl add-context -c k -t procname -t pid -t tid || fail "add-context"
ktracectl enable-event -c k syscall_entry_getppid,syscall_exit_getppid ||
	fail "enable-event getppid"
ktracectl enable-event -c k 'lttng_statedump_*' || fail "enable statedump"
ktracectl enable-event -c k sched_switch,sched_wakeup,sched_waking,sched_process_fork,sched_process_exec,sched_process_exit,sched_pi_setprio ||
	fail "enable sched"
ktracectl start || fail "start"
# An event on every CPU first: a stream's first packet begins at its first
# event, and lttng-analyses starts where every stream has begun.
for cpu in $(seq 0 $(($(nproc) - 1))); do
	taskset -c "$cpu" true || fail "taskset -c $cpu"
done
tid=$(getppid-loop "$COUNT") || fail "getppid-loop"
# lttng-analyses' I/O calls, as LTTng's documentation enables them
# (the socket calls: each ktracectl's netlink socket and messages); only
# now, while tracing: lttng-syscallstats names a thread as it was at its
# first recorded call, and the shell's dup2 before the exec of
# getppid-loop would name it "sh".
ktracectl enable-event -k -c k --syscall open,openat,creat,read,write,pread64,pwrite64,readv,writev,close,lseek,dup2,dup3,newfstat,fsync,fdatasync,socket,sendmsg,recvmsg,sendto,recvfrom ||
	fail "enable I/O syscalls"
ktracectl enable-event -k -c k irq_handler_entry,irq_handler_exit,irq_softirq_entry,irq_softirq_exit,irq_softirq_raise,block_rq_issue,block_rq_complete,netif_receive_skb,net_dev_xmit ||
	fail "enable irq, block and net"
# The rest of what lttng-analyses-record enables (the VM has no block
# device: the block and writeback ones are declared, seldom recorded).
ktracectl enable-event -k -c k block_bio_remap,block_bio_backmerge,block_dirty_buffer,mm_vmscan_wakeup_kswapd,writeback_pages_written ||
	fail "enable bio, vmscan and writeback"
dd if=/dev/zero of="$IO_FILE" bs=4096 count="$IO_BLOCKS" 2>/dev/null ||
	fail "dd write"
dd if="$IO_FILE" of=/dev/null bs=4096 2>/dev/null || fail "dd read"
busy=$(taskset -c "$BUSY_CPU" busy-loop "$BUSY_MS") || fail "busy-loop"
# The page allocator's events, for lttng-memtop; only now, as they are
# many (every page the other workloads and the kernel allocate).
ktracectl enable-event -k -c k kmem_mm_page_alloc,kmem_mm_page_free ||
	fail "enable kmem"
pages_tid=$(page-touch "$PAGES") || fail "page-touch"
sleep_tid=$(sleep-loop "$SLEEPS" "$SLEEP_MS") || fail "sleep-loop"
pi_tid=$(pi-boost) || fail "pi-boost"
# Interrupts in the window: the 9p share's virtio requests.
dd if=/dev/zero of="$KTRACE_OUT/irq.dat" bs=4096 count=16 2>/dev/null ||
	fail "dd to the share"
rm -f "$KTRACE_OUT/irq.dat"
ktracectl stop || fail "stop"
ktracectl snapshot || fail "snapshot"
ktracectl destroy an || fail "destroy"
unload_ktrace
printf 'count %s\nname %s\ntid %s\n' "$COUNT" "$NAME" "$tid" \
	>"$KTRACE_OUT/expect"
printf 'io_file %s\nio_bytes %s\nbusy_cpu %s\nbusy_tid %s\nbusy_ns %s\nbusy_cpu_ns %s\n' \
	"$IO_FILE" $((IO_BLOCKS * 4096)) "$BUSY_CPU" $busy >>"$KTRACE_OUT/expect"
printf 'pages %s\npages_tid %s\nsleeps %s\nsleep_ms %s\nsleep_tid %s\npi_tid %s\n' \
	"$PAGES" "$pages_tid" "$SLEEPS" "$SLEEP_MS" "$sleep_tid" "$pi_tid" \
	>>"$KTRACE_OUT/expect"
echo "analyses: snapshot written"
