import { describe, expect, it } from 'vitest';
import { createAuthenticator } from './authenticator.js';

const basic = (text: string): string => `Basic ${Buffer.from(text).toString('base64')}`;

describe('createAuthenticator', () => {
  const authenticate = createAuthenticator({
    basicAuth: [
      { user: 'admin', password: 'pa:ss' },
      { user: 'ops', password: 'other' },
    ],
    tokens: new Set(['token-one', 'token-two', '']),
  });

  it('accepts each known user with its own password, the password running past the first colon', () => {
    expect(authenticate(basic('admin:pa:ss'))).toBe(true);
    expect(authenticate(basic('ops:other'))).toBe(true);
    expect(authenticate(`basic ${Buffer.from('admin:pa:ss').toString('base64')}`)).toBe(true);
  });

  it('refuses wrong, crossed, partial or malformed basic credentials', () => {
    expect(authenticate(basic('admin:other'))).toBe(false);
    expect(authenticate(basic('ops:pa:ss'))).toBe(false);
    expect(authenticate(basic('admin:pa'))).toBe(false);
    expect(authenticate(basic('admin:pa:ss '))).toBe(false);
    expect(authenticate(basic('adminpa:ss'))).toBe(false);
    expect(authenticate(basic('admin'))).toBe(false);
    expect(authenticate('Basic not*base64')).toBe(false);
    expect(authenticate('Basic YWRtaW46cGE6c3M')).toBe(false); // unpadded
    expect(authenticate('Basic')).toBe(false);
  });

  it('accepts known bearer tokens only, never the empty one', () => {
    expect(authenticate('Bearer token-one')).toBe(true);
    expect(authenticate('bearer token-two')).toBe(true);
    expect(authenticate('Bearer token-on')).toBe(false);
    expect(authenticate('Bearer token-one1')).toBe(false);
    expect(authenticate('Bearer ')).toBe(false);
    expect(authenticate('Bearer token-one extra')).toBe(false);
    expect(authenticate('Token token-one')).toBe(false);
    expect(authenticate('token-one')).toBe(false);
    expect(authenticate(undefined)).toBe(false);
    expect(authenticate('')).toBe(false);
  });
});
