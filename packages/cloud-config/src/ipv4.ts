/** Small, strict IPv4 / CIDR arithmetic: enough for cluster address plans, nothing more. */

export interface Cidr {
  /** Network address as an unsigned 32-bit integer. */
  network: number;
  prefix: number;
}

const OCTET = /^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/;

/** Parses a dotted quad; `undefined` when it is not one (no leading zeros, four octets). */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/**
 * Parses `a.b.c.d/n`. Returns a reason instead when the text is not a CIDR or has host bits
 * set (`10.0.0.1/16` is almost always a typo for `10.0.0.0/16`).
 */
export function parseCidr(text: string): Cidr | string {
  const match = /^([^/]+)\/(\d{1,2})$/.exec(text);
  if (!match) return 'expected a CIDR such as 10.240.0.0/16';
  const address = parseIpv4(match[1] ?? '');
  const prefix = Number(match[2]);
  if (address === undefined) return `${JSON.stringify(match[1])} is not an IPv4 address`;
  if (prefix > 32) return `prefix /${prefix} is longer than 32 bits`;
  const size = 2 ** (32 - prefix);
  if (address % size !== 0) return `host bits are set; did you mean ${formatIpv4(address - (address % size))}/${prefix}?`;
  return { network: address, prefix };
}

export function cidrSize(cidr: Cidr): number {
  return 2 ** (32 - cidr.prefix);
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIpv4(cidr.network)}/${cidr.prefix}`;
}

export function cidrContains(cidr: Cidr, address: number): boolean {
  return address >= cidr.network && address < cidr.network + cidrSize(cidr);
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.network < b.network + cidrSize(b) && b.network < a.network + cidrSize(a);
}

/** The `index`-th subnet of length `prefix` inside `cidr` (0-based). Throws when it does not fit. */
export function subnetAt(cidr: Cidr, prefix: number, index: number): Cidr {
  if (prefix < cidr.prefix) throw new Error(`a /${prefix} does not fit inside ${formatCidr(cidr)}`);
  const count = 2 ** (prefix - cidr.prefix);
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new Error(`${formatCidr(cidr)} holds ${count} /${prefix} subnets; index ${index} is outside 0..${count - 1}`);
  }
  return { network: cidr.network + index * 2 ** (32 - prefix), prefix };
}

/** The `n`-th address of a CIDR (1 is the first host address). */
export function hostAddress(cidr: Cidr, n: number): string {
  if (n < 0 || n >= cidrSize(cidr)) throw new Error(`${formatCidr(cidr)} has no address number ${n}`);
  return formatIpv4(cidr.network + n);
}

/** Like {@link parseCidr} but throws; for values already validated upstream. */
export function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (typeof parsed === 'string') throw new Error(`${JSON.stringify(text)}: ${parsed}`);
  return parsed;
}
