/** Swift paths. Object names may contain "/": each segment is encoded on its own. */
export const encodeObjectName = (name: string): string => name.split('/').map(encodeURIComponent).join('/');
export const containerPath = (container: string): string => `/${encodeURIComponent(container)}`;
export const objectPath = (container: string, object: string): string => `/${encodeURIComponent(container)}/${encodeObjectName(object)}`;

/** `/info` lives at the proxy root, before `/v1/AUTH_…`. */
export function infoUrl(storageUrl: string): string {
  const u = new URL(storageUrl);
  const i = u.pathname.search(/\/v1(\/|$)/);
  u.pathname = `${i >= 0 ? u.pathname.slice(0, i) : ''}/info`;
  u.search = '';
  return u.toString();
}

/** The decoded account path (`/v1/AUTH_x`) that temp-URL signatures cover. */
export function accountPathOf(storageUrl: string): string {
  return decodeURIComponent(new URL(storageUrl).pathname.replace(/\/+$/, ''));
}
