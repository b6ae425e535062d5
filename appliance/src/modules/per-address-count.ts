/**
 * Open connections per client address, so one client cannot take every queue
 * stream or live socket (the global caps would then refuse everyone else).
 * An address with no connection left is forgotten, so the map stays as small as
 * the number of connected clients.
 */
export class PerAddressCount {
  private readonly counts = new Map<string, number>();

  of(ip: string): number {
    return this.counts.get(ip) ?? 0;
  }

  add(ip: string): void {
    this.counts.set(ip, this.of(ip) + 1);
  }

  remove(ip: string): void {
    const left = this.of(ip) - 1;
    if (left > 0) this.counts.set(ip, left);
    else this.counts.delete(ip);
  }

  /** Addresses holding at least one connection. */
  get addresses(): number {
    return this.counts.size;
  }
}
