/**
 * Nova accepts `user_data` of at most 65535 bytes AFTER base64 encoding (the API field is
 * base64 and the database column is a TEXT of 64 KiB - 1).
 */
export const NOVA_USER_DATA_LIMIT = 65535;

export function base64Length(byteLength: number): number {
  return Math.ceil(byteLength / 3) * 4;
}

/** Size of a rendered document as Nova will count it. */
export function userDataSize(text: string): number {
  return base64Length(Buffer.byteLength(text, 'utf8'));
}
