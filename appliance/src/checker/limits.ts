/**
 * Limits of the upload-time check, in one place with the unit in each name.
 * Tests, the HTTP layer and the CLI import these; nothing restates them.
 */

/** Largest program accepted, in bytes of UTF-8 (the seed's 64 KiB). */
export const maxUploadBytes = 64 * 1024;
/** Wall clock for one check's child process; past it the child is killed and the program rejected. */
export const checkTimeoutMs = 5_000;
/** CPU time for the child (RLIMIT_CPU), a second fence behind the wall clock. */
export const checkCpuSeconds = 5;
/**
 * Address space of the child (RLIMIT_AS). Parsing 64 KiB of the most
 * allocation-heavy source measured here needs well under half of this.
 */
export const checkAddressSpaceBytes = 256 * 1024 * 1024;
/**
 * A checker that serves one program after another (tree-app serve) is retired after this many
 * programs, or once its checks add up to `servingCheckerBusySeconds`; its CPU limit
 * (RLIMIT_CPU, `servingCheckerCpuSeconds`) covers that with one more check's worth to spare.
 */
export const checksPerServingChecker = 200;
export const servingCheckerBusySeconds = 60;
export const servingCheckerCpuSeconds = servingCheckerBusySeconds + checkCpuSeconds;
/** Checks running at once; more wait their turn (each may use up to the address-space limit). */
export const maxConcurrentChecks = 2;
/**
 * Bytes of the child's stdout kept: room for a verdict's 25 problems of at
 * most 400 characters each, every one of them 4 bytes of UTF-8, twice over.
 */
export const maxCheckReplyBytes = 128 * 1024;
