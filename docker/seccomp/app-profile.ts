/**
 * The app container's seccomp profile, as data with a reason per group.
 * `write-profile.ts` turns it into docker/seccomp/app.json, the file compose.yml
 * names; the container smoke test fails when the two differ.
 *
 * Shape: an allow-list. Anything not listed fails with EPERM. It allows what Bun,
 * CPython, bubblewrap, tini (`init: true`), dash and perl use, plus the five calls
 * bubblewrap needs to build its sandbox from inside a container (FACTS: clone with
 * namespace flags, unshare, mount, umount2, pivot_root). It leaves out the calls a
 * process that owns the interpreter could use against the kernel: bpf, perf,
 * keyrings, io_uring, ptrace, module loading, clock setting, the new mount API,
 * open_by_handle_at, userfaultfd, personality. The sandbox adds its own, far
 * tighter filter inside bwrap; this one bounds the whole container.
 */

export interface SyscallGroup {
  reason: string;
  names: readonly string[];
  /** Errno to answer instead of allowing (e.g. ENOSYS so libc falls back). */
  errno?: number;
}

const ENOSYS = 38;

export const allowedGroups: readonly SyscallGroup[] = [
  {
    reason: "file descriptors and file I/O",
    names: [
      "read", "write", "readv", "writev", "pread64", "pwrite64", "preadv", "pwritev", "preadv2", "pwritev2",
      "open", "openat", "openat2", "creat", "close", "close_range", "lseek", "_llseek", "dup", "dup2", "dup3",
      "fcntl", "fcntl64", "flock", "fsync", "fdatasync", "sync_file_range", "syncfs", "ftruncate", "ftruncate64",
      "truncate", "truncate64", "fallocate", "fadvise64", "fadvise64_64", "readahead", "sendfile", "sendfile64",
      "copy_file_range", "splice", "tee", "vmsplice", "pipe", "pipe2", "ioctl",
    ],
  },
  {
    reason: "paths, metadata and directories",
    names: [
      "stat", "stat64", "lstat", "lstat64", "fstat", "fstat64", "newfstatat", "fstatat64", "statx", "statfs",
      "statfs64", "fstatfs", "fstatfs64", "access", "faccessat", "faccessat2", "getdents", "getdents64", "getcwd",
      "chdir", "fchdir", "mkdir", "mkdirat", "rmdir", "rename", "renameat", "renameat2", "link", "linkat",
      "unlink", "unlinkat", "symlink", "symlinkat", "readlink", "readlinkat", "chmod", "fchmod", "fchmodat",
      "chown", "fchown", "lchown", "fchownat", "utime", "utimes", "utimensat", "futimesat", "umask", "mknod",
      "mknodat", "getxattr", "lgetxattr", "fgetxattr", "listxattr", "llistxattr", "flistxattr", "setxattr",
      "lsetxattr", "fsetxattr", "removexattr", "lremovexattr", "fremovexattr", "inotify_init", "inotify_init1",
      "inotify_add_watch", "inotify_rm_watch", "fanotify_mark", "memfd_create",
    ],
  },
  {
    reason: "memory",
    names: [
      "brk", "mmap", "mmap2", "munmap", "mremap", "mprotect", "madvise", "msync", "mincore", "mlock", "mlock2",
      "munlock", "mlockall", "munlockall", "membarrier", "get_mempolicy", "set_mempolicy", "mbind",
      "pkey_alloc", "pkey_free", "pkey_mprotect", "remap_file_pages",
    ],
  },
  {
    reason: "processes and threads (Bun's worker threads, bwrap's children, tini reaping)",
    names: [
      "clone", "fork", "vfork", "execve", "execveat", "exit", "exit_group", "wait4", "waitid", "waitpid",
      "getpid", "getppid", "gettid", "getpgid", "setpgid", "getpgrp", "getsid", "setsid", "set_tid_address",
      "set_robust_list", "get_robust_list", "rseq", "futex", "futex_time64", "futex_waitv", "arch_prctl", "prctl",
      "sched_yield", "sched_getaffinity", "sched_setaffinity", "sched_getparam", "sched_setparam",
      "sched_getscheduler", "sched_setscheduler", "sched_get_priority_max", "sched_get_priority_min",
      "sched_rr_get_interval", "sched_rr_get_interval_time64", "sched_getattr", "sched_setattr", "getpriority",
      "setpriority", "ioprio_get", "ioprio_set", "getrlimit", "setrlimit", "prlimit64", "ugetrlimit",
      "getrusage", "times", "capget", "capset", "seccomp", "restart_syscall", "pidfd_open", "pidfd_send_signal",
      "pidfd_getfd", "getcpu", "uname", "sysinfo", "getrandom", "kcmp",
    ],
  },
  {
    reason: "identity (bwrap writes uid/gid maps and drops to the mapped user)",
    names: [
      "getuid", "geteuid", "getgid", "getegid", "getuid32", "geteuid32", "getgid32", "getegid32", "getresuid",
      "getresgid", "getresuid32", "getresgid32", "getgroups", "getgroups32", "setuid", "setgid", "setuid32",
      "setgid32", "setreuid", "setregid", "setresuid", "setresgid", "setgroups", "setgroups32", "setfsuid",
      "setfsgid",
    ],
  },
  {
    reason: "signals and timers",
    names: [
      "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigsuspend", "rt_sigpending", "rt_sigtimedwait",
      "rt_sigtimedwait_time64", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "sigaltstack", "kill", "tkill", "tgkill",
      "signalfd", "signalfd4", "alarm", "pause", "nanosleep", "clock_nanosleep", "clock_nanosleep_time64",
      "clock_gettime", "clock_gettime64", "clock_getres", "clock_getres_time64", "gettimeofday", "time",
      "timer_create", "timer_delete", "timer_settime", "timer_settime64", "timer_gettime", "timer_gettime64",
      "timer_getoverrun", "timerfd_create", "timerfd_settime", "timerfd_settime64", "timerfd_gettime",
      "timerfd_gettime64", "getitimer", "setitimer",
    ],
  },
  {
    reason: "event loops",
    names: [
      "epoll_create", "epoll_create1", "epoll_ctl", "epoll_wait", "epoll_pwait", "epoll_pwait2", "eventfd",
      "eventfd2", "poll", "ppoll", "ppoll_time64", "select", "pselect6", "pselect6_time64", "_newselect",
    ],
  },
  {
    reason: "sockets (HTTP on the container network, the daemon's Unix socket)",
    names: [
      "socket", "socketpair", "bind", "listen", "accept", "accept4", "connect", "getsockname", "getpeername",
      "getsockopt", "setsockopt", "sendto", "recvfrom", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg",
      "recvmmsg_time64", "shutdown",
    ],
  },
  {
    reason: "bubblewrap: new namespaces, its private mount tree and the switch into it (FACTS)",
    names: ["unshare", "mount", "umount2", "pivot_root", "chroot", "sethostname"],
  },
  {
    // glibc tries clone3 first and falls back to clone on ENOSYS. Its flags sit in memory,
    // where seccomp cannot read them, so it is answered rather than allowed.
    reason: "clone3: answered ENOSYS so libc uses clone",
    names: ["clone3"],
    errno: ENOSYS,
  },
];

/** Left out on purpose; listed so a reader sees they were considered. */
export const deniedOnPurpose: readonly string[] = [
  "bpf", "perf_event_open", "keyctl", "add_key", "request_key", "io_uring_setup", "io_uring_enter",
  "io_uring_register", "ptrace", "process_vm_readv", "process_vm_writev", "init_module", "finit_module",
  "delete_module", "setns", "setdomainname", "kexec_load", "kexec_file_load", "reboot", "swapon", "swapoff", "acct", "settimeofday",
  "clock_settime", "clock_adjtime", "adjtimex", "open_by_handle_at", "name_to_handle_at", "userfaultfd",
  "personality", "fsopen", "fsconfig", "fsmount", "fspick", "move_mount", "open_tree", "mount_setattr",
  "iopl", "ioperm", "syslog", "quotactl", "vhangup", "lookup_dcookie", "nfsservctl", "uselib", "ustat",
  "sysfs", "_sysctl", "lsm_set_self_attr", "landlock_create_ruleset",
];

export interface SeccompProfile {
  defaultAction: "SCMP_ACT_ERRNO";
  defaultErrnoRet: number;
  archMap: { architecture: string; subArchitectures: string[] }[];
  syscalls: { names: string[]; action: "SCMP_ACT_ALLOW" | "SCMP_ACT_ERRNO"; errnoRet?: number; comment: string }[];
}

const EPERM = 1;

export function buildProfile(): SeccompProfile {
  return {
    defaultAction: "SCMP_ACT_ERRNO",
    defaultErrnoRet: EPERM,
    // Only the native architectures: a 32-bit or x32 syscall entry is not in the filter
    // at all, so the kernel kills the caller.
    archMap: [
      { architecture: "SCMP_ARCH_X86_64", subArchitectures: [] },
      { architecture: "SCMP_ARCH_AARCH64", subArchitectures: [] },
    ],
    syscalls: allowedGroups.map((group) =>
      group.errno === undefined
        ? { names: [...group.names], action: "SCMP_ACT_ALLOW" as const, comment: group.reason }
        : { names: [...group.names], action: "SCMP_ACT_ERRNO" as const, errnoRet: group.errno, comment: group.reason },
    ),
  };
}

export function profileJson(): string {
  return `${JSON.stringify(buildProfile(), null, 2)}\n`;
}
