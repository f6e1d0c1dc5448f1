import { describe, expect, it } from 'vitest';
import { bitString, boolean, encodeLength, explicit, ia5String, implicitPrimitive, integer, namedBits, nullValue, octetString, oid, printableString, sequence, setOf, time, utf8String } from './der.js';

const hex = (buffer: Buffer): string => buffer.toString('hex');

describe('DER encoder', () => {
  it('encodes lengths in short and long form', () => {
    expect(hex(encodeLength(0))).toBe('00');
    expect(hex(encodeLength(127))).toBe('7f');
    expect(hex(encodeLength(128))).toBe('8180');
    expect(hex(encodeLength(255))).toBe('81ff');
    expect(hex(encodeLength(256))).toBe('820100');
    expect(hex(encodeLength(70_000))).toBe('83011170');
    expect(() => encodeLength(-1)).toThrow(RangeError);
  });

  it('encodes INTEGERs minimally in two\'s complement', () => {
    expect(hex(integer(0))).toBe('020100');
    expect(hex(integer(2))).toBe('020102');
    expect(hex(integer(127))).toBe('02017f');
    expect(hex(integer(128))).toBe('02020080');
    expect(hex(integer(256))).toBe('02020100');
    expect(hex(integer(0x1234567890abcdefn))).toBe('02081234567890abcdef');
    expect(hex(integer(Buffer.from([0, 0, 0x01])))).toBe('020101');
    expect(hex(integer(Buffer.from([0xff, 0x01])))).toBe('020300ff01');
    expect(hex(integer(Buffer.alloc(0)))).toBe('020100');
    expect(() => integer(-1)).toThrow(RangeError);
  });

  it('encodes OBJECT IDENTIFIERs', () => {
    expect(hex(oid('1.2.840.113549'))).toBe('06062a864886f70d');
    expect(hex(oid('2.5.29.19'))).toBe('0603551d13');
    expect(hex(oid('1.2.840.10045.4.3.2'))).toBe('06082a8648ce3d040302');
    expect(hex(oid('1.3.6.1.5.5.7.3.1'))).toBe('06082b06010505070301');
    expect(hex(oid('2.999.3'))).toBe('0603883703');
    expect(() => oid('1.40')).toThrow(RangeError);
    expect(() => oid('3.1')).toThrow(RangeError);
    expect(() => oid('1.2.03')).toThrow(RangeError);
  });

  it('encodes strings, booleans, NULL and octet strings', () => {
    expect(hex(boolean(true))).toBe('0101ff');
    expect(hex(boolean(false))).toBe('010100');
    expect(hex(nullValue())).toBe('0500');
    expect(hex(octetString(Buffer.from([1, 2])))).toBe('04020102');
    expect(hex(utf8String('é'))).toBe('0c02c3a9');
    expect(hex(printableString('Ab 1'))).toBe('130441622031');
    expect(() => printableString('a@b')).toThrow(RangeError);
    expect(hex(ia5String('lo'))).toBe('16026c6f');
    expect(() => ia5String('é')).toThrow(RangeError);
  });

  it('encodes BIT STRINGs, named bits dropping trailing zero bits', () => {
    expect(hex(bitString(Buffer.from([0xab])))).toBe('030200ab');
    // keyUsage digitalSignature (0) + keyCertSign (5): 1000 01xx, 2 unused bits.
    expect(hex(namedBits([0, 5]))).toBe('03020284');
    expect(hex(namedBits([0]))).toBe('03020780');
    expect(hex(namedBits([7]))).toBe('03020001');
    expect(hex(namedBits([8]))).toBe('0303070080');
    expect(hex(namedBits([]))).toBe('030100');
  });

  it('encodes constructed types and context tags', () => {
    expect(hex(sequence(integer(1), boolean(true)))).toBe('30060201010101ff');
    // DER SET OF sorts its elements by encoding.
    expect(hex(setOf(integer(3), integer(1)))).toBe('3106020101020103');
    expect(hex(explicit(0, integer(2)))).toBe('a003020102');
    expect(hex(implicitPrimitive(7, Buffer.from([127, 0, 0, 1])))).toBe('87047f000001');
    const long = sequence(octetString(Buffer.alloc(200)));
    expect(hex(long.subarray(0, 6))).toBe('3081cb0481c8');
    expect(long.length).toBe(3 + 3 + 200);
  });

  it('encodes times as UTCTime before 2050 and GeneralizedTime from 2050', () => {
    expect(time(new Date('2026-03-04T05:06:07.890Z')).toString('latin1')).toBe('\x17\x0d260304050607Z');
    expect(time(new Date('1999-12-31T23:59:59Z')).toString('latin1')).toBe('\x17\x0d991231235959Z');
    expect(time(new Date('2049-12-31T23:59:59Z'))[0]).toBe(0x17);
    expect(time(new Date('2050-01-01T00:00:00Z')).toString('latin1')).toBe('\x18\x0f20500101000000Z');
    expect(time(new Date('1949-12-31T23:59:59Z')).toString('latin1')).toBe('\x18\x0f19491231235959Z');
    expect(() => time(new Date(Number.NaN))).toThrow(RangeError);
  });
});
