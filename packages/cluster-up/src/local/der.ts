/**
 * A small DER encoder (ITU-T X.690) for the handful of ASN.1 types an X.509 certificate needs.
 * Every function returns one complete TLV (tag, length, value) as a Buffer.
 */

/** Universal tag numbers used here. */
const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Definite-form length: short form below 128, long form (0x80 | byte count, big-endian) above. */
export function encodeLength(length: number): Buffer {
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`invalid DER length ${length}`);
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One TLV with a single-byte tag. */
export function tlv(tag: number, content: Uint8Array): Buffer {
  if (!Number.isInteger(tag) || tag < 0 || tag > 0xff || (tag & 0x1f) === 0x1f) throw new RangeError(`unsupported DER tag ${tag}`);
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

export function sequence(...items: readonly Uint8Array[]): Buffer {
  return tlv(TAG.SEQUENCE, Buffer.concat(items));
}

/** SET OF: DER orders the elements by their encodings (X.690 §11.6). */
export function setOf(...items: readonly Uint8Array[]): Buffer {
  const sorted = items.map((item) => Buffer.from(item)).sort(Buffer.compare);
  return tlv(TAG.SET, Buffer.concat(sorted));
}

export function boolean(value: boolean): Buffer {
  return tlv(TAG.BOOLEAN, Buffer.from([value ? 0xff : 0x00]));
}

export function nullValue(): Buffer {
  return tlv(TAG.NULL, Buffer.alloc(0));
}

/**
 * A non-negative INTEGER, from a number, bigint or unsigned big-endian bytes: minimal two's
 * complement, so a leading 0x00 is added when the top bit is set and redundant ones dropped.
 */
export function integer(value: number | bigint | Uint8Array): Buffer {
  let bytes: Buffer;
  if (value instanceof Uint8Array) {
    bytes = Buffer.from(value);
  } else {
    let rest = BigInt(value);
    if (rest < 0n) throw new RangeError('negative INTEGERs are not supported');
    const out: number[] = [];
    do {
      out.unshift(Number(rest & 0xffn));
      rest >>= 8n;
    } while (rest > 0n);
    bytes = Buffer.from(out);
  }
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  let trimmed = bytes.subarray(start);
  if (trimmed.length === 0) trimmed = Buffer.from([0]);
  if (((trimmed[0] ?? 0) & 0x80) !== 0) trimmed = Buffer.concat([Buffer.from([0]), trimmed]);
  return tlv(TAG.INTEGER, trimmed);
}

/** OBJECT IDENTIFIER from dotted text: first two arcs as 40·a + b, each arc base-128. */
export function oid(dotted: string): Buffer {
  if (!/^[0-2](\.(0|[1-9]\d*))+$/.test(dotted)) throw new RangeError(`invalid OID "${dotted}"`);
  const arcs = dotted.split('.').map((arc) => BigInt(arc));
  const [first = 0n, second = 0n, ...rest] = arcs;
  if (first < 2n && second > 39n) throw new RangeError(`invalid OID "${dotted}": second arc above 39`);
  const out: number[] = [];
  for (const arc of [first * 40n + second, ...rest]) {
    const chunk: number[] = [Number(arc & 0x7fn)];
    for (let value = arc >> 7n; value > 0n; value >>= 7n) chunk.unshift(Number(value & 0x7fn) | 0x80);
    out.push(...chunk);
  }
  return tlv(TAG.OID, Buffer.from(out));
}

export function octetString(bytes: Uint8Array): Buffer {
  return tlv(TAG.OCTET_STRING, bytes);
}

/** BIT STRING holding whole bytes (0 unused bits), e.g. a public key or a signature. */
export function bitString(bytes: Uint8Array): Buffer {
  return tlv(TAG.BIT_STRING, Buffer.concat([Buffer.from([0]), bytes]));
}

/**
 * A named-bit-list BIT STRING (e.g. keyUsage) from the numbers of the bits that are set, bit 0
 * being the most significant bit of the first byte. DER drops trailing zero bits (X.690 §11.2.2).
 */
export function namedBits(bits: readonly number[]): Buffer {
  if (bits.some((bit) => !Number.isInteger(bit) || bit < 0)) throw new RangeError('bit numbers must be non-negative integers');
  if (bits.length === 0) return tlv(TAG.BIT_STRING, Buffer.from([0]));
  const highest = Math.max(...bits);
  const bytes = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const bit of bits) bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) | (0x80 >> (bit & 7));
  const unused = 7 - (highest & 7);
  return tlv(TAG.BIT_STRING, Buffer.concat([Buffer.from([unused]), bytes]));
}

export function utf8String(text: string): Buffer {
  return tlv(TAG.UTF8_STRING, Buffer.from(text, 'utf8'));
}

export function printableString(text: string): Buffer {
  if (!/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(text)) throw new RangeError(`"${text}" is not a PrintableString`);
  return tlv(TAG.PRINTABLE_STRING, Buffer.from(text, 'latin1'));
}

/** The content octets of an IA5String (ASCII), for use under an IMPLICIT tag too. */
export function ia5Bytes(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  if (!bytes.every((byte) => byte < 0x80)) throw new RangeError(`"${text}" is not an IA5String`);
  return bytes;
}

export function ia5String(text: string): Buffer {
  return tlv(TAG.IA5_STRING, ia5Bytes(text));
}

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/**
 * An X.509 Time (RFC 5280 §4.1.2.5): UTCTime `YYMMDDHHMMSSZ` for 1950 to 2049, GeneralizedTime
 * `YYYYMMDDHHMMSSZ` otherwise; whole seconds, always UTC.
 */
export function time(date: Date): Buffer {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('invalid date');
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) throw new RangeError(`year ${year} cannot be encoded`);
  const rest = [date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()].map(twoDigits).join('');
  if (year >= 1950 && year < 2050) return tlv(TAG.UTC_TIME, Buffer.from(`${twoDigits(year % 100)}${rest}Z`, 'latin1'));
  return tlv(TAG.GENERALIZED_TIME, Buffer.from(`${String(year).padStart(4, '0')}${rest}Z`, 'latin1'));
}

/** `[n] EXPLICIT`: a constructed context-specific tag wrapping one complete TLV. */
export function explicit(tagNumber: number, inner: Uint8Array): Buffer {
  if (!Number.isInteger(tagNumber) || tagNumber < 0 || tagNumber > 30) throw new RangeError(`context tag ${tagNumber} out of range`);
  return tlv(0xa0 | tagNumber, inner);
}

/** `[n] IMPLICIT` over a primitive type: the context-specific tag replaces the type's own tag. */
export function implicitPrimitive(tagNumber: number, content: Uint8Array): Buffer {
  if (!Number.isInteger(tagNumber) || tagNumber < 0 || tagNumber > 30) throw new RangeError(`context tag ${tagNumber} out of range`);
  return tlv(0x80 | tagNumber, content);
}
