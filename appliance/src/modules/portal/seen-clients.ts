/**
 * Which addresses have loaded a page. Captive-portal probes from an address not
 * seen yet are redirected to the editor (the phone opens its portal view on our
 * page); once the visitor has loaded a page, probes are answered "online" so the
 * phone keeps using this network without nagging. Bounded and expiring.
 */
export const seenClientTtlMs = 6 * 3600 * 1000;
export const maxSeenClients = 10_000;

export class SeenClients {
  private readonly seen = new Map<string, number>();
  constructor(private readonly now: () => number = Date.now) {}

  mark(ip: string): void {
    this.seen.delete(ip);
    if (this.seen.size >= maxSeenClients) this.seen.delete(this.seen.keys().next().value!);
    this.seen.set(ip, this.now());
  }

  has(ip: string): boolean {
    const at = this.seen.get(ip);
    if (at === undefined) return false;
    if (this.now() - at > seenClientTtlMs) {
      this.seen.delete(ip);
      return false;
    }
    return true;
  }
}
