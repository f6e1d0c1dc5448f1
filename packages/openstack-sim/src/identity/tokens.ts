import { randomBytes } from 'node:crypto';
import type { SimContext } from '../context.js';
import type { ResolvedOptions } from '../options.js';
import type { TokenRecord } from '../state/types.js';

export type SimUserRecord = ResolvedOptions['users'][number];

export function findUser(ctx: SimContext, userId: string): SimUserRecord | undefined {
  return ctx.options.users.find((u) => u.userId === userId);
}

export function issueToken(
  ctx: SimContext,
  user: SimUserRecord,
  methods: string[],
  extra: { expiresAt?: string; applicationCredentialId?: string } = {},
): TokenRecord {
  const now = ctx.now();
  // Forget tokens that expired long ago so the state file does not grow without bound.
  for (const [id, t] of Object.entries(ctx.store.data.tokens)) {
    if (Date.parse(t.expiresAt) < now - 3600_000) delete ctx.store.data.tokens[id];
  }
  const token: TokenRecord = {
    // Opaque, URL-safe, long like a Fernet token so clients do not assume a format.
    id: `gAAAAA${randomBytes(60).toString('base64url')}`,
    userId: user.userId,
    projectId: user.projectId,
    methods,
    issuedAt: new Date(now).toISOString(),
    expiresAt: extra.expiresAt ?? new Date(now + ctx.options.tokenLifetimeSeconds * 1000).toISOString(),
    auditId: randomBytes(16).toString('base64url').slice(0, 22),
    ...(extra.applicationCredentialId ? { applicationCredentialId: extra.applicationCredentialId } : {}),
  };
  ctx.store.data.tokens[token.id] = token;
  ctx.store.commit();
  return token;
}

/** The token if it exists and has not expired. */
export function validToken(ctx: SimContext, id: string | undefined): TokenRecord | undefined {
  if (!id) return undefined;
  const token = ctx.store.data.tokens[id];
  if (!token) return undefined;
  if (Date.parse(token.expiresAt) <= ctx.now()) return undefined;
  return token;
}
