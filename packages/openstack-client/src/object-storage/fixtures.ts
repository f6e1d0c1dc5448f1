/** Signatures computed independently with Python's hmac module for key "aio-temp-url-key". */
export const TEMP_URL_VECTORS = {
  key: 'aio-temp-url-key',
  expires: 1700000000,
  path: '/v1/AUTH_abc/c/dir/o bj.txt',
  sha1: 'c20bed99351d208a180121018cae26a21f0db44d',
  sha256: '52e677462e0a2a60b43e84d03089ff3d998188370bc0ca827925e359bb88815d',
  sha512: 'sha512:ptzhYkhiaoUIVI1JwR/UsN2x3u0P77YxadMlv7it0qRjuW1zJ5vG+v0GPmyrsegZ6aRElwCsNA1w2kw5oARZPA==',
  /** PUT, prefix "dev/" in container c. */
  prefixSha256: '47333616c4f4e7ba02261e63c6c696e0b86e74f19f5daa0d7915deb2c3065038',
};
