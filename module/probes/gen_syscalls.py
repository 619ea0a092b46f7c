#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Generate ktrace's per-syscall event table from the target kernel.

usage: gen_syscalls.py SYSCALLS_64_H SYSCALLS_H > syscalls_gen.h

SYSCALLS_64_H is the kernel build's arch/x86/include/generated/asm/
syscalls_64.h ("__SYSCALL(0, sys_read)" lines: the numbers), SYSCALLS_H its
include/linux/syscalls.h (the prototypes). Either may be missing (another
architecture): the table is then empty.

The output defines KTRACE_SYSCALLS_NR (the highest number plus one) and,
where the includer defines KTRACE_SYSCALL, one line per system call number:

  KTRACE_SYSCALL(nr, name, strings, fields)
      a syscall with a usable prototype: syscall_entry_<name> records
      `fields` (kt_int/kt_hex/kt_string of the call's struct pt_regs
      *regs and struct ktrace_sc_args *a: argument i is
      ktrace_sc_arg(regs, i), read from the registers only when the field
      is written; a user string is a->str[i]),
      syscall_exit_<name> records ret only;
      `strings` has bit i set when argument i is a user string (a
      const char __user * whose name says path or name), which
      the dispatcher copies into a->str[i] before the probe runs;
  KTRACE_SYSCALL_OUT(nr, name, strings, fields, exit_fields)
      the same for a syscall with output arguments: syscall_exit_<name>
      records ret, then `exit_fields` (of regs, and of struct
      ktrace_sc_ret *r for the CONTENTS);
  KTRACE_SYSCALL_UNKNOWN(nr, name)
      a syscall whose prototype is missing, declared more than once
      differently (an #ifdef'd variant we cannot choose), has unnamed
      parameters that NAMES does not name, or a type we do not know:
      recorded as
      syscall_entry_unknown / syscall_exit_unknown with its id and raw
      registers, as LTTng does.

Numbers mapped to sys_ni_syscall are left out: they are not system calls.

Input and output arguments follow LTTng's kernel syscall events: scalars
and pointers to const are inputs, recorded by the entry event; a pointer
to non-const memory is where the call writes its results, an output,
recorded by the exit event (as its address) and not by the entry event;
DIRECTIONS lists the non-const pointers that are inputs, or both (read by
the call and written back: recorded by both events). CONTENTS lists the
outputs whose contents are recorded instead of their address (pipe's two
fds, wait4's status), which the dispatcher copies at exit into struct
ktrace_sc_ret.
"""
import re
import sys

MAX_ARGS = 6
MAX_STRINGS = 3

# Scalar types recorded as integers of that type; the value is the
# register cast to it. Types the kernel declares __bitwise are recorded
# as their plain integer type so that no __force cast is needed.
SCALARS = {
    'int': 'int', 'unsigned int': 'unsigned int', 'unsigned': 'unsigned int',
    'long': 'long', 'unsigned long': 'unsigned long',
    'long long': 'long long', 'unsigned long long': 'unsigned long long',
    'short': 'short', 'unsigned short': 'unsigned short',
    'size_t': 'size_t', 'ssize_t': 'ssize_t', 'loff_t': 'loff_t',
    'off_t': 'off_t', 'pid_t': 'pid_t', 'uid_t': 'uid_t', 'gid_t': 'gid_t',
    'umode_t': 'umode_t', 'key_serial_t': 'key_serial_t', 'mqd_t': 'mqd_t',
    'timer_t': 'timer_t', 'clockid_t': 'clockid_t', 'qid_t': 'qid_t',
    'aio_context_t': 'aio_context_t', 'key_t': 'key_t', 'rwf_t': 'int',
    'u32': 'u32', 'u64': 'u64', 's32': 's32', 's64': 's64',
    '__u32': 'u32', '__u64': 'u64', '__s32': 's32', '__s64': 's64',
    'int32_t': 's32', 'uint32_t': 'u32', 'u16': 'u16', '__u16': 'u16',
}

# A const char __user * is a NUL-terminated string only when its name says
# so (a path or a name); write()'s buf is bytes, recorded as an address.
STRING_NAMES = re.compile(r'name|path|file|special|library|_type$|'
                          r'_description|_callout')


# Names for the parameters syscalls.h leaves unnamed, in order: the
# kernel's own, from the calls' SYSCALL_DEFINEs (net/socket.c,
# fs/select.c, kernel/signal.c, fs/aio.c), which are LTTng's field names
# too. Without them these calls would be syscall_entry_unknown, and
# lttng-analyses, which reads socket's family, sendto's fd and len and
# recvfrom's fd and size, would not see the network I/O they do. Used
# only when the prototype has as many parameters; a parameter the
# prototype names keeps its name.
NAMES = {
    'socket': ('family', 'type', 'protocol'),
    'socketpair': ('family', 'type', 'protocol', 'usockvec'),
    'bind': ('fd', 'umyaddr', 'addrlen'),
    'listen': ('fd', 'backlog'),
    'accept': ('fd', 'upeer_sockaddr', 'upeer_addrlen'),
    'accept4': ('fd', 'upeer_sockaddr', 'upeer_addrlen', 'flags'),
    'connect': ('fd', 'uservaddr', 'addrlen'),
    'getsockname': ('fd', 'usockaddr', 'usockaddr_len'),
    'getpeername': ('fd', 'usockaddr', 'usockaddr_len'),
    'sendto': ('fd', 'buff', 'len', 'flags', 'addr', 'addr_len'),
    'recvfrom': ('fd', 'ubuf', 'size', 'flags', 'addr', 'addr_len'),
    'shutdown': ('fd', 'how'),
    'pselect6': ('n', 'inp', 'outp', 'exp', 'tsp', 'sig'),
    'ppoll': ('ufds', 'nfds', 'tsp', 'sigmask', 'sigsetsize'),
    'rt_sigaction': ('sig', 'act', 'oact', 'sigsetsize'),
    'io_submit': ('ctx_id', 'nr', 'iocbpp'),
}

# Non-const pointers that are not outputs only: 'in' (the call only reads
# them), 'inout' (it reads and writes them back). Every other non-const
# pointer is an output.
DIRECTIONS = {
    ('cachestat', 'cstat_range'): 'in', ('clone3', 'uargs'): 'in',
    ('epoll_ctl', 'event'): 'in', ('futex', 'uaddr'): 'in',
    ('futex', 'uaddr2'): 'in', ('futex_requeue', 'waiters'): 'in',
    ('futex_wait', 'timespec'): 'in', ('futex_wait', 'uaddr'): 'in',
    ('futex_waitv', 'timeout'): 'in', ('futex_waitv', 'waiters'): 'in',
    ('futex_wake', 'uaddr'): 'in', ('futimesat', 'utimes'): 'in',
    ('init_module', 'umod'): 'in', ('io_cancel', 'iocb'): 'in',
    ('io_getevents', 'timeout'): 'in', ('io_pgetevents', 'timeout'): 'in',
    ('kexec_load', 'segments'): 'in', ('lsm_set_self_attr', 'ctx'): 'in',
    ('mount', 'data'): 'in', ('mount', 'dev_name'): 'in',
    ('mount', 'dir_name'): 'in', ('mount', 'type'): 'in',
    ('mount_setattr', 'uattr'): 'in', ('mq_open', 'attr'): 'in',
    ('msgsnd', 'msgp'): 'in', ('nanosleep', 'rqtp'): 'in',
    ('open_by_handle_at', 'handle'): 'in', ('openat2', 'how'): 'in',
    ('perf_event_open', 'attr_uptr'): 'in',
    ('pidfd_send_signal', 'info'): 'in', ('reboot', 'arg'): 'in',
    ('rseq', 'rseq'): 'in', ('rt_sigprocmask', 'set'): 'in',
    ('rt_sigqueueinfo', 'uinfo'): 'in', ('rt_sigsuspend', 'unewset'): 'in',
    ('rt_tgsigqueueinfo', 'uinfo'): 'in',
    ('sched_setaffinity', 'user_mask_ptr'): 'in',
    ('sched_setattr', 'attr'): 'in', ('sched_setparam', 'param'): 'in',
    ('sched_setscheduler', 'param'): 'in', ('seccomp', 'uargs'): 'in',
    ('semop', 'sops'): 'in', ('semtimedop', 'sops'): 'in',
    ('sendmsg', 'msg'): 'in', ('set_robust_list', 'head'): 'in',
    ('set_tid_address', 'tidptr'): 'in', ('setdomainname', 'name'): 'in',
    ('setgroups', 'grouplist'): 'in', ('sethostname', 'name'): 'in',
    ('setitimer', 'value'): 'in', ('setrlimit', 'rlim'): 'in',
    ('setsockopt', 'optval'): 'in', ('settimeofday', 'tv'): 'in',
    ('settimeofday', 'tz'): 'in', ('shmat', 'shmaddr'): 'in',
    ('shmdt', 'shmaddr'): 'in', ('signalfd', 'user_mask'): 'in',
    ('signalfd4', 'user_mask'): 'in',
    ('timer_create', 'timer_event_spec'): 'in', ('umount', 'name'): 'in',
    ('utime', 'filename'): 'in', ('utime', 'times'): 'in',
    ('utimensat', 'utimes'): 'in', ('utimes', 'filename'): 'in',
    ('utimes', 'utimes'): 'in',
    ('bind', 'umyaddr'): 'in', ('connect', 'uservaddr'): 'in',
    ('io_submit', 'iocbpp'): 'in', ('pselect6', 'sig'): 'in',
    ('sendto', 'addr'): 'in', ('sendto', 'buff'): 'in',
    ('accept', 'upeer_addrlen'): 'inout',
    ('accept4', 'upeer_addrlen'): 'inout',
    ('getpeername', 'usockaddr_len'): 'inout',
    ('getsockname', 'usockaddr_len'): 'inout',
    ('ppoll', 'tsp'): 'inout', ('ppoll', 'ufds'): 'inout',
    ('pselect6', 'exp'): 'inout', ('pselect6', 'inp'): 'inout',
    ('pselect6', 'outp'): 'inout', ('pselect6', 'tsp'): 'inout',
    ('recvfrom', 'addr_len'): 'inout',
    ('adjtimex', 'txc_p'): 'inout', ('bpf', 'attr'): 'inout',
    ('clock_adjtime', 'tx'): 'inout', ('copy_file_range', 'off_in'): 'inout',
    ('copy_file_range', 'off_out'): 'inout',
    ('getsockopt', 'optlen'): 'inout', ('io_uring_register', 'arg'): 'inout',
    ('io_uring_setup', 'p'): 'inout', ('lsm_get_self_attr', 'size'): 'inout',
    ('lsm_list_modules', 'size'): 'inout', ('msgctl', 'buf'): 'inout',
    ('name_to_handle_at', 'handle'): 'inout', ('poll', 'ufds'): 'inout',
    ('quotactl', 'addr'): 'inout', ('recvmmsg', 'msg'): 'inout',
    ('recvmmsg', 'timeout'): 'inout', ('recvmsg', 'msg'): 'inout',
    ('select', 'exp'): 'inout', ('select', 'inp'): 'inout',
    ('select', 'outp'): 'inout', ('select', 'tvp'): 'inout',
    ('sendfile', 'offset'): 'inout', ('sendfile64', 'offset'): 'inout',
    ('sendmmsg', 'msg'): 'inout', ('shmctl', 'buf'): 'inout',
    ('splice', 'off_in'): 'inout', ('splice', 'off_out'): 'inout',
}

# Outputs recorded by their contents: the fields that replace the address
# (wait4's keeps it, as LTTng's stat_addr, and adds the status it points
# to). syscalls.c copies them at exit.
CONTENTS = {
    ('pipe', 'fildes'): 'kt_array(int, fildes, r->fds, 2)',
    ('pipe2', 'fildes'): 'kt_array(int, fildes, r->fds, 2)',
    ('wait4', 'stat_addr'): 'kt_hex(unsigned long, stat_addr, '
                            'ktrace_sc_arg(regs, 1))\n'
                            '\tkt_int(int, status, r->status)',
}


class Unusable(Exception):
    """A prototype this table cannot describe."""


def strip_comments(text):
    text = re.sub(r'/\*.*?\*/', ' ', text, flags=re.S)
    return re.sub(r'//[^\n]*', ' ', text)


def read(path):
    try:
        with open(path, encoding='utf-8', errors='replace') as f:
            return f.read()
    except FileNotFoundError:
        return ''


def parse_numbers(text):
    """[(nr, name)] in number order, name without its sys_ prefix."""
    table = {}
    for m in re.finditer(r'^__SYSCALL(?:_NORETURN)?\(\s*(\d+)\s*,\s*(\w+)\s*\)',
                         text, re.M):
        nr, sym = int(m.group(1)), m.group(2)
        if sym == 'sys_ni_syscall' or not sym.startswith('sys_'):
            continue
        table[nr] = sym[len('sys_'):]
    return sorted(table.items())


def parse_prototypes(text):
    """{name: [parameter lists as declared]}"""
    protos = {}
    text = strip_comments(text)
    for m in re.finditer(r'asmlinkage\s+long\s+sys_(\w+)\s*\(([^;{]*?)\)\s*;',
                         text, re.S):
        params = ' '.join(m.group(2).split())
        protos.setdefault(m.group(1), [])
        if params not in protos[m.group(1)]:
            protos[m.group(1)].append(params)
    return protos


def parse_param(param):
    """(kind, ctype, name) of one parameter: kind is int, hex, out or
    string; out is a pointer to non-const memory."""
    m = re.match(r'^(.*?[\s*])(\w+)$', param.strip())
    if not m:
        raise Unusable('unnamed parameter: ' + param)
    decl, name = m.group(1), m.group(2)
    words = decl.replace('*', ' * ').split()
    if not words or words[-1] in ('const', '__user', 'struct', 'union',
                                  'enum'):
        raise Unusable('unnamed parameter: ' + param)
    # "unsigned long" is a type without a name; "unsigned dev" is named.
    if words[-1] in ('unsigned', 'signed') and name in ('int', 'long',
                                                        'short', 'char'):
        raise Unusable('unnamed parameter: ' + param)
    if name in SCALARS or name in ('const', '__user'):
        raise Unusable('unnamed parameter: ' + param)
    stars = words.count('*')
    if stars:
        base = [w for w in words if w not in ('*', 'const', '__user')]
        if (stars == 1 and base == ['char'] and '__user' in words and
                words[0] == 'const' and STRING_NAMES.search(name)):
            return ('string', None, name)
        # const before the first * qualifies the memory pointed to.
        if 'const' in words[:words.index('*')]:
            return ('hex', 'unsigned long', name)
        return ('out', 'unsigned long', name)
    base = ' '.join(w for w in words if w != 'const')
    if base not in SCALARS:
        raise Unusable('unknown type: ' + base)
    return ('int', SCALARS[base], name)


def name_params(sc, params):
    """@params with NAMES' names given to the unnamed ones."""
    names = NAMES.get(sc)
    decls = [p.strip() for p in params.split(',')]
    if not names or len(names) != len(decls):
        return params
    named = []
    for decl, name in zip(decls, names):
        try:
            parse_param(decl)
        except Unusable as why:
            if str(why).startswith('unnamed parameter'):
                decl += ' ' + name
        named.append(decl)
    return ', '.join(named)


def fields_of(sc, params):
    """(string mask, entry fields, exit fields) of a parameter list."""
    if params in ('void', ''):
        return 0, [], []
    args = [parse_param(p) for p in params.split(',')]
    if len(args) > MAX_ARGS:
        raise Unusable('more than %d parameters' % MAX_ARGS)
    names = [a[2] for a in args]
    if len(set(names)) != len(names):
        raise Unusable('repeated parameter name')
    mask, fields, exits, nstr = 0, [], [], 0
    for i, (kind, ctype, name) in enumerate(args):
        if kind == 'out':
            way = DIRECTIONS.get((sc, name), 'out')
            hexf = 'kt_hex(unsigned long, %s, ktrace_sc_arg(regs, %d))' % (
                name, i)
            if way in ('in', 'inout'):
                fields.append(hexf)
            if way in ('out', 'inout'):
                exits.append(CONTENTS.get((sc, name), hexf))
            continue
        if kind == 'string' and nstr < MAX_STRINGS:
            mask |= 1 << i
            nstr += 1
            fields.append('kt_string(%s, a->str[%d])' % (name, i))
        elif kind in ('string', 'hex'):
            fields.append('kt_hex(unsigned long, %s, ktrace_sc_arg(regs, %d))'
                          % (name, i))
        else:
            fields.append('kt_int(%s, %s, (%s)ktrace_sc_arg(regs, %d))' %
                          (ctype, name, ctype, i))
    return mask, fields, exits


def generate(numbers_text, protos_text, out):
    numbers = parse_numbers(numbers_text)
    protos = parse_prototypes(protos_text)
    out.write('/* SPDX-License-Identifier: GPL-2.0 */\n'
              '/* Generated by module/probes/gen_syscalls.py: do not edit. */\n')
    nr_max = numbers[-1][0] + 1 if numbers else 0
    out.write('#ifndef KTRACE_SYSCALLS_NR\n'
              '#define KTRACE_SYSCALLS_NR %d\n'
              '#endif\n'
              '#ifdef KTRACE_SYSCALL\n'
              '/* Without an includer\'s own: a KTRACE_SYSCALL(). */\n'
              '#ifndef KTRACE_SYSCALL_OUT\n'
              '#define KTRACE_SC_OUT_DEFAULT\n'
              '#define KTRACE_SYSCALL_OUT(nr, name, strings, fields, exit_fields) \\\n'
              '\tKTRACE_SYSCALL(nr, name, strings, fields)\n'
              '#endif\n' % nr_max)
    for nr, name in numbers:
        try:
            decls = protos.get(name)
            if not decls:
                raise Unusable('no prototype')
            if len(decls) > 1:
                raise Unusable('several prototypes')
            mask, fields, exits = fields_of(name,
                                            name_params(name, decls[0]))
        except Unusable as why:
            out.write('/* %s: %s */\n' % (name, why))
            out.write('KTRACE_SYSCALL_UNKNOWN(%d, %s)\n' % (nr, name))
            continue
        out.write('KTRACE_SYSCALL%s(%d, %s, 0x%x,' %
                  ('_OUT' if exits else '', nr, name, mask))
        out.write(''.join('\n\t' + f for f in fields) or ' ')
        if exits:
            out.write(',' + ''.join('\n\t' + f for f in exits))
        out.write(')\n')
    out.write('#ifdef KTRACE_SC_OUT_DEFAULT\n'
              '#undef KTRACE_SYSCALL_OUT\n'
              '#undef KTRACE_SC_OUT_DEFAULT\n'
              '#endif\n'
              '#endif /* KTRACE_SYSCALL */\n')


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    generate(read(argv[1]), read(argv[2]), sys.stdout)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
