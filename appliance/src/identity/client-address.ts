/**
 * One spelling per client address, so the per-address limits, the seen-clients
 * map and the operator's block list agree: a dual-stack socket reports an IPv4
 * client as `::ffff:10.42.0.5`, the operator types `10.42.0.5`.
 */
import { isIP } from "node:net";

const v4Mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** The canonical spelling of an address; anything that is not an IP literal comes back unchanged. */
export function canonicalIp(address: string): string {
  const trimmed = address.trim();
  const mapped = v4Mapped.exec(trimmed);
  if (mapped !== null && isIP(mapped[1]!) === 4) return mapped[1]!;
  return isIP(trimmed) === 6 ? trimmed.toLowerCase() : trimmed;
}

/** True for an IPv4 or IPv6 literal (after canonicalIp). */
export const isIpAddress = (value: string) => isIP(value) !== 0;
