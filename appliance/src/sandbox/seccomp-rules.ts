/**
 * The two seccomp stages as data. harness.py turns a rule set into a filter
 * with libseccomp (no hand-written BPF); names are resolved per architecture
 * there, and a name the target arch lacks (`open`, `fork`, `poll` on aarch64)
 * is skipped, so each list names every variant. Argument values are numbers or
 * names harness.py looks up on the running system (O_WRONLY, TCGETS, ...).
 *
 * Stage 1 is applied by bwrap just before it executes python: an allow-list of
 * what CPython needs to start and run, plus kills for the calls sandboxes have
 * been escaped or attacked through. Stage 2 is loaded by the harness after its
 * imports and before the visitor's first line: only computing, sleeping,
 * writing to open fds and reading the (read-only) runtime; anything else kills.
 */

export type ErrnoName = "EPERM" | "EACCES" | "ENOSYS" | "EROFS";
export type SeccompAction = "allow" | "kill" | { errno: ErrnoName };
export type ArgValue = number | "CLONE_THREAD" | "O_ACCMODE_WRITE" | "O_WRONLY" | "O_RDWR" | "O_CREAT" | "O_TRUNC" | "O_APPEND" | "PROT_EXEC" | "TCGETS" | "TIOCGWINSZ" | "FIOCLEX" | "FIONCLEX";
export type ArgCondition =
  | { arg: number; op: "eq" | "ne"; value: ArgValue }
  | { arg: number; op: "masked_eq"; mask: ArgValue; value: ArgValue };
export interface SeccompRule {
  syscalls: readonly string[];
  action: SeccompAction;
  /** All must hold (libseccomp ANDs a rule's comparisons). */
  args?: readonly ArgCondition[];
}
export interface SeccompRuleSet {
  defaultAction: SeccompAction;
  rules: readonly SeccompRule[];
}

const eperm = { errno: "EPERM" } as const;
const low32 = 0xffffffff;

/** Calls used to escape or attack kernels and sandboxes; never needed by our Python. Kill on sight. */
export const dangerousSyscalls = [
  "ptrace", "process_vm_readv", "process_vm_writev", "bpf", "perf_event_open", "keyctl", "add_key", "request_key",
  "io_uring_setup", "io_uring_enter", "io_uring_register", "mount", "umount", "umount2", "pivot_root", "move_mount",
  "open_tree", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr", "unshare", "setns", "chroot",
  "clock_settime", "clock_adjtime", "settimeofday", "adjtimex", "stime", "personality", "kexec_load",
  "kexec_file_load", "init_module", "finit_module", "delete_module", "reboot", "swapon", "swapoff", "acct",
  "quotactl", "quotactl_fd", "userfaultfd", "open_by_handle_at", "name_to_handle_at", "lookup_dcookie", "syslog",
  "vhangup", "iopl", "ioperm", "modify_ldt", "uselib", "pidfd_getfd", "fanotify_init", "memfd_secret",
  "landlock_create_ruleset", "setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid", "setgroups",
  "setfsuid", "setfsgid", "capset",
] as const;

const networkSyscalls = [
  "socket", "socketpair", "connect", "bind", "listen", "accept", "accept4", "sendto", "recvfrom", "sendmsg",
  "recvmsg", "sendmmsg", "recvmmsg", "getsockopt", "setsockopt", "getsockname", "getpeername", "shutdown",
] as const;

/** What CPython needs to compute, sleep, allocate, write to its fds and read its own runtime. */
const computeSyscalls = [
  "read", "readv", "pread64", "write", "writev", "pwrite64", "close", "lseek", "fstat", "newfstatat", "stat",
  "lstat", "statx", "getdents64", "readlink", "readlinkat", "access", "faccessat", "faccessat2", "dup",
  "dup2", "dup3", "getcwd", "brk", "munmap", "mremap", "madvise", "rt_sigaction", "rt_sigprocmask",
  "rt_sigreturn", "sigaltstack", "clock_gettime", "clock_getres", "gettimeofday", "time", "nanosleep",
  "clock_nanosleep", "getrandom", "futex", "sched_yield", "getpid", "gettid", "getppid", "getuid", "geteuid",
  "getgid", "getegid", "sysinfo", "getrusage", "times", "getpriority", "poll", "ppoll", "select", "pselect6",
  "exit", "exit_group", "restart_syscall",
] as const;

/**
 * fcntl commands (the same numbers on every Linux arch, asm-generic/fcntl.h).
 * Python's io layer uses only descriptor flags and duplication; F_SETOWN,
 * F_SETOWN_EX and F_SETSIG aim signals at another process, which the visitor's
 * code has no business doing.
 */
const fcntlCommands = { F_DUPFD: 0, F_GETFD: 1, F_SETFD: 2, F_GETFL: 3, F_SETFL: 4, F_DUPFD_CLOEXEC: 1030 } as const;
const fcntlSignalCommands = { F_SETOWN: 8, F_SETSIG: 10, F_SETOWN_EX: 15 } as const;

/** Only the terminal ioctls Python's io layer asks, compared on the low 32 bits (CVE-2019-10063). */
const ioctlRules: SeccompRule[] = (["TCGETS", "TIOCGWINSZ", "FIOCLEX", "FIONCLEX"] as const).map((request) => ({
  syscalls: ["ioctl"],
  action: "allow",
  args: [{ arg: 1, op: "masked_eq", mask: low32, value: request }],
}));

export const stage1Rules: SeccompRuleSet = {
  defaultAction: eperm,
  rules: [
    { syscalls: dangerousSyscalls, action: "kill" },
    { syscalls: computeSyscalls, action: "allow" },
    // Starting python and the harness's set-up; stage 2 narrows both.
    { syscalls: ["uname", "fcntl"], action: "allow" },
    // Starting python: bwrap's last act is execve; the loader maps libraries.
    { syscalls: ["execve", "mmap", "mprotect", "arch_prctl", "set_tid_address", "set_robust_list", "rseq", "openat", "open", "pipe2"], action: "allow" },
    // The harness sets its rlimits and niceness (stage 2 refuses both again).
    { syscalls: ["prlimit64", "setrlimit", "getrlimit", "setpriority"], action: "allow" },
    // bwrap's pid-1 init runs under this filter too: it reaps children.
    { syscalls: ["wait4", "waitid"], action: "allow" },
    // The harness loads stage 2 (libseccomp probes the kernel's API first).
    { syscalls: ["seccomp"], action: "allow" },
    { syscalls: ["prctl"], action: "allow", args: [{ arg: 0, op: "eq", value: 38 /* PR_SET_NO_NEW_PRIVS */ }] },
    // Threads only: a new process would escape nothing, but the fork bomb stops here.
    { syscalls: ["clone"], action: "allow", args: [{ arg: 0, op: "masked_eq", mask: "CLONE_THREAD", value: "CLONE_THREAD" }] },
    { syscalls: ["clone"], action: eperm, args: [{ arg: 0, op: "masked_eq", mask: "CLONE_THREAD", value: 0 }] },
    { syscalls: ["fork", "vfork"], action: eperm },
    // clone3 passes its flags in memory seccomp cannot read; ENOSYS makes libc fall back to clone.
    { syscalls: ["clone3"], action: { errno: "ENOSYS" } },
    { syscalls: networkSyscalls, action: { errno: "EACCES" } },
    ...ioctlRules,
  ],
};

export const stage2Rules: SeccompRuleSet = {
  defaultAction: "kill",
  rules: [
    { syscalls: computeSyscalls, action: "allow" },
    // The host's name and kernel release are none of the visitor's business (os.uname() is an OSError).
    { syscalls: ["uname"], action: eperm },
    ...Object.values(fcntlCommands).map((command): SeccompRule => ({ syscalls: ["fcntl"], action: "allow", args: [{ arg: 1, op: "eq", value: command }] })),
    ...Object.values(fcntlSignalCommands).map((command): SeccompRule => ({ syscalls: ["fcntl"], action: eperm, args: [{ arg: 1, op: "eq", value: command }] })),
    // Reading the runtime stays possible (lazy stdlib imports, e.g. a codec); writing anywhere is refused.
    // open (x86-64 only) takes its flags as argument 1, openat as argument 2.
    ...([["openat", 2], ["open", 1]] as const).flatMap(([syscall, arg]): SeccompRule[] => [
      { syscalls: [syscall], action: "allow", args: [{ arg, op: "masked_eq", mask: "O_ACCMODE_WRITE", value: 0 }] },
      ...(["O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC", "O_APPEND"] as const).map((flag): SeccompRule => ({
        syscalls: [syscall],
        action: { errno: "EROFS" },
        args: [{ arg, op: "masked_eq", mask: flag, value: flag }],
      })),
    ]),
    { syscalls: ["creat", "openat2", "mkdir", "mkdirat", "unlink", "unlinkat", "rename", "renameat", "renameat2", "truncate", "ftruncate", "symlink", "symlinkat", "link", "linkat", "chmod", "fchmod", "fchmodat", "chown", "fchown", "fchownat", "lchown"], action: { errno: "EROFS" } },
    // No executable memory: no JIT-ed shellcode even with a forged code object.
    { syscalls: ["mmap", "mprotect", "pkey_mprotect"], action: "allow", args: [{ arg: 2, op: "masked_eq", mask: "PROT_EXEC", value: 0 }] },
    { syscalls: ["mmap", "mprotect", "pkey_mprotect"], action: eperm, args: [{ arg: 2, op: "masked_eq", mask: "PROT_EXEC", value: "PROT_EXEC" }] },
    { syscalls: ["clone", "fork", "vfork", "kill", "tkill", "tgkill", "prctl", "seccomp", "prlimit64", "setrlimit", "setpriority", "sched_setaffinity", "sched_setscheduler"], action: eperm },
    { syscalls: ["clone3"], action: { errno: "ENOSYS" } },
    { syscalls: networkSyscalls, action: { errno: "EACCES" } },
    { syscalls: ["execve", "execveat"], action: "kill" },
    ...ioctlRules,
  ],
};
