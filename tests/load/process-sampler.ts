/**
 * Resident memory and open descriptors of a process, read from /proc, and the
 * soak verdict on them. A long-lived service grows a little as caches fill and
 * the JIT warms up, then levels off; a leak keeps rising. So the verdict looks
 * at per-minute medians (one slow sample cannot decide it), takes the second
 * minute as the baseline when there are enough minutes (the first is warm-up),
 * and calls it growth only when the last minute is above the baseline by more
 * than a tolerance AND most minute-to-minute steps after the baseline rose.
 */
import { readdirSync, readFileSync } from "node:fs";

export interface Sample {
  rssKiB: number;
  fds: number;
  /** User + system CPU time so far, in clock ticks (USER_HZ, 100 on Linux). */
  cpuTicks: number;
}

export function sampleProcess(pid: number): Sample | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const rss = /^VmRSS:\s+(\d+) kB/m.exec(status);
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const cpuTicks = Number(fields[11]) + Number(fields[12]);
    return { rssKiB: rss === null ? 0 : Number(rss[1]), fds: readdirSync(`/proc/${pid}/fd`).length, cpuTicks };
  } catch {
    return null;
  }
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export interface GrowthRule {
  /** Allowed rise of the last minute over the baseline, as a fraction of the baseline. */
  fraction: number;
  /** Plus this much in absolute units (KiB or descriptors), so tiny baselines are not over-judged. */
  slack: number;
}

export const rssRule: GrowthRule = { fraction: 0.25, slack: 16 * 1024 };
export const fdRule: GrowthRule = { fraction: 0.2, slack: 16 };

export type GrowthVerdict = { growing: false; why: string } | { growing: true; why: string };

/** Judges a series of per-minute medians. */
export function steadyGrowth(minutes: readonly number[], rule: GrowthRule): GrowthVerdict {
  if (minutes.length < 3) return { growing: false, why: `${minutes.length} minute(s): too few to call a trend` };
  const baseIndex = minutes.length >= 4 ? 1 : 0;
  const base = minutes[baseIndex]!;
  const last = minutes[minutes.length - 1]!;
  const limit = base * (1 + rule.fraction) + rule.slack;
  const steps = minutes.length - 1 - baseIndex;
  let rises = 0;
  for (let i = baseIndex + 1; i < minutes.length; i++) if (minutes[i]! > minutes[i - 1]!) rises += 1;
  const mostlyRising = rises * 3 >= steps * 2;
  if (last > limit && mostlyRising) {
    return { growing: true, why: `rose from ${base} (minute ${baseIndex + 1}) to ${last} (limit ${Math.round(limit)}), rising in ${rises} of ${steps} minutes` };
  }
  return { growing: false, why: `minute ${baseIndex + 1}: ${base}, last: ${last} (limit ${Math.round(limit)}), rising in ${rises} of ${steps} minutes` };
}

/** Samples a process every few seconds and keeps the samples of each minute. */
export class MinuteSampler {
  private readonly minutes: (Sample & { atMs: number })[][] = [[]];
  private readonly startedMs = performance.now();
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    readonly name: string,
    private readonly pid: () => number,
    everyMs = 5000,
  ) {
    this.timer = setInterval(() => this.take(), everyMs);
    this.take();
  }

  private take(): void {
    const sample = sampleProcess(this.pid());
    if (sample === null) return;
    const minute = Math.floor((performance.now() - this.startedMs) / 60_000);
    while (this.minutes.length <= minute) this.minutes.push([]);
    this.minutes[minute]!.push({ ...sample, atMs: performance.now() });
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Per-minute medians of the minutes that have samples, and the CPU used in each (share of one core). */
  medians(): { rssKiB: number[]; fds: number[]; cpuShare: number[] } {
    const full = this.minutes.filter((samples) => samples.length > 1);
    return {
      rssKiB: full.map((samples) => median(samples.map((s) => s.rssKiB))),
      fds: full.map((samples) => median(samples.map((s) => s.fds))),
      cpuShare: full.map((samples) => {
        const first = samples[0]!;
        const last = samples[samples.length - 1]!;
        const seconds = (last.atMs - first.atMs) / 1000;
        return seconds > 0 ? (last.cpuTicks - first.cpuTicks) / 100 / seconds : 0;
      }),
    };
  }
}
