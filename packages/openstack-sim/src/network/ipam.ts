/** IPv4 and IPv6 address arithmetic for subnets and allocation pools (BigInt based). */

export interface ParsedCidr {
  version: 4 | 6;
  /** Network address. */
  network: bigint;
  prefix: number;
  /** Last address in the block. */
  last: bigint;
}

export function parseIp(text: string): { version: 4 | 6; value: bigint } | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    const parts = text.split('.').map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return { version: 4, value: parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n) };
  }
  if (!text.includes(':') || !/^[0-9a-fA-F:]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? (halves[0] as string).split(':') : [];
  const tail = halves.length === 2 && halves[1] ? (halves[1] as string).split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return { version: 6, value: groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n) };
}

export function formatIp(version: 4 | 6, value: bigint): string {
  if (version === 4) {
    return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  // RFC 5952: compress the longest run (≥ 2) of zero groups.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

export function parseCidr(text: string): ParsedCidr | undefined {
  const [addr, prefixText, ...rest] = text.split('/');
  if (addr === undefined || prefixText === undefined || rest.length > 0 || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const ip = parseIp(addr);
  if (!ip) return undefined;
  const bits = ip.version === 4 ? 32 : 128;
  const prefix = Number(prefixText);
  if (prefix > bits) return undefined;
  const hostBits = BigInt(bits - prefix);
  const network = (ip.value >> hostBits) << hostBits;
  return { version: ip.version, network, prefix, last: network + (1n << hostBits) - 1n };
}

export function normalizeCidr(c: ParsedCidr): string {
  return `${formatIp(c.version, c.network)}/${c.prefix}`;
}

export function cidrContains(c: ParsedCidr, version: 4 | 6, value: bigint): boolean {
  return version === c.version && value >= c.network && value <= c.last;
}

export function cidrsOverlap(a: ParsedCidr, b: ParsedCidr): boolean {
  return a.version === b.version && a.network <= b.last && b.network <= a.last;
}

/** Neutron's defaults: gateway = first host; pool = every other host (IPv4 also skips broadcast). */
export function defaultGatewayAndPool(c: ParsedCidr): { gateway: string; pool: { start: string; end: string } } {
  const gateway = c.network + 1n;
  const end = c.version === 4 ? c.last - 1n : c.last;
  return {
    gateway: formatIp(c.version, gateway),
    pool: { start: formatIp(c.version, gateway + 1n), end: formatIp(c.version, end) },
  };
}

export function inPools(pools: ReadonlyArray<{ start: string; end: string }>, version: 4 | 6, value: bigint): boolean {
  return pools.some((p) => {
    const s = parseIp(p.start);
    const e = parseIp(p.end);
    return !!s && !!e && s.version === version && value >= s.value && value <= e.value;
  });
}

/** Lowest free address in the pools, or undefined when they are exhausted. */
export function firstFree(
  pools: ReadonlyArray<{ start: string; end: string }>,
  version: 4 | 6,
  used: ReadonlySet<string>,
): string | undefined {
  for (const p of pools) {
    const s = parseIp(p.start);
    const e = parseIp(p.end);
    if (!s || !e) continue;
    // Bounded scan: the sim never holds more than a few thousand ports.
    for (let v = s.value, n = 0; v <= e.value && n < 1_000_000; v++, n++) {
      const text = formatIp(version, v);
      if (!used.has(text)) return text;
    }
  }
  return undefined;
}
