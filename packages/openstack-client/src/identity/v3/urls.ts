/** `…/v3` → `…/v3/auth/tokens`; a bare Keystone root gets `/v3` added. */
export function v3TokensUrl(authUrl: string): string {
  const base = authUrl.replace(/\/+$/, '');
  if (/\/v3$/.test(base)) return `${base}/auth/tokens`;
  if (/\/auth\/tokens$/.test(base)) return base;
  return `${base}/v3/auth/tokens`;
}
