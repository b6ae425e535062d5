/**
 * The names this tree answers to. A DNS-rebinding page (its own name, later
 * resolving to the tree's address) passes the same-origin rule, because its
 * Origin and Host agree; what gives it away is the Host: a name that is not
 * ours. Allowed: the configured publicUrl's host, `localhost`, the machine's
 * hostname and `hostname.local`, `tree.local` (mDNS, image/), and any IP
 * literal (rebinding needs a name to re-point), each with any port. A request
 * without a Host header (HTTP/1.0, tools) is not from a browser and is let by.
 */
import { isIP } from "node:net";

/** The mDNS name the image announces (image/stage-tree/01-tree/files/tree-avahi.service). */
export const defaultTreeName = "tree.local";

export interface HostAllowListOptions {
  publicUrl?: string;
  machineHostname: string;
}

/** The host part of a Host header, lower case, without port or trailing dot; null when it is not a valid Host. */
export function hostOfHeader(header: string): string | null {
  let host: string;
  let rest: string;
  if (header.startsWith("[")) {
    const end = header.indexOf("]");
    if (end === -1) return null;
    host = header.slice(1, end);
    if (isIP(host) !== 6) return null;
    rest = header.slice(end + 1);
  } else {
    const colon = header.indexOf(":");
    host = colon === -1 ? header : header.slice(0, colon);
    rest = colon === -1 ? "" : header.slice(colon);
  }
  if (rest !== "" && !/^:\d{1,5}$/.test(rest)) return null;
  host = host.toLowerCase().replace(/\.$/, "");
  return host === "" ? null : host;
}

export class HostAllowList {
  private readonly names: Set<string>;

  constructor({ publicUrl, machineHostname }: HostAllowListOptions) {
    const names = ["localhost", defaultTreeName];
    const machine = machineHostname.trim().toLowerCase().replace(/\.$/, "");
    if (machine !== "") names.push(machine, `${machine}.local`);
    if (publicUrl !== undefined) {
      try {
        const host = hostOfHeader(new URL(publicUrl).host);
        if (host !== null) names.push(host);
      } catch {
        // The config schema only checks the scheme; a URL that does not parse adds no name.
      }
    }
    this.names = new Set(names);
  }

  /** Whether a request with this Host header (null: none) is for this tree. */
  allows(header: string | null): boolean {
    if (header === null) return true;
    const host = hostOfHeader(header);
    if (host === null) return false;
    return this.names.has(host) || isIP(host) !== 0;
  }

  /** The allowed names, for messages. */
  get allowedNames(): string[] {
    return [...this.names];
  }
}
