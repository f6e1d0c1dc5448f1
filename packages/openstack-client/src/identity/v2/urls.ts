/** `…/v2.0` → `…/v2.0/tokens`; a bare identity root gets `/v2.0` added. */
export function v2TokensUrl(authUrl: string): string {
  const base = authUrl.replace(/\/+$/, '');
  if (/\/v2(\.0)?$/.test(base)) return `${base}/tokens`;
  if (/\/tokens$/.test(base)) return base;
  return `${base}/v2.0/tokens`;
}
