/**
 * What the load run saw: latency of every request by route, the count of
 * answers the API documents as refusals (429/503 with a sentence), and every
 * error, with the first few kept as examples so a failure says what went wrong.
 */

/** p-th percentile (0-100) by nearest rank; 0 for no samples. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export class Recorder {
  readonly latencyMs = new Map<string, number[]>();
  readonly refusals = new Map<string, number>();
  requests = 0;
  errors = 0;
  readonly examples: string[] = [];

  request(route: string, ms: number): void {
    this.requests += 1;
    let list = this.latencyMs.get(route);
    if (list === undefined) this.latencyMs.set(route, (list = []));
    list.push(ms);
  }

  refused(code: string): void {
    this.refusals.set(code, (this.refusals.get(code) ?? 0) + 1);
  }

  error(what: string): void {
    this.errors += 1;
    if (this.examples.length < 20) this.examples.push(what);
  }

  p50(route: string): number {
    return percentile(this.latencyMs.get(route) ?? [], 50);
  }

  p99(route: string): number {
    return percentile(this.latencyMs.get(route) ?? [], 99);
  }
}
