import type { ServiceClient } from '../../service.js';
import type { ObjectStorageDeps } from '../deps.js';
import type { AccountInfo } from '../types.js';

const num = (v: unknown): number => Number(Array.isArray(v) ? v[0] : (v ?? 0)) || 0;

export function metadataFromHeaders(headers: Record<string, unknown>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase().startsWith(prefix)) out[k.toLowerCase().slice(prefix.length)] = String(v);
  }
  return out;
}

export async function getAccount(svc: ServiceClient, deps: ObjectStorageDeps): Promise<AccountInfo> {
  const res = await svc.request('HEAD', '');
  const metadata = metadataFromHeaders(res.headers, 'x-account-meta-');
  const tempUrlKey = metadata['temp-url-key'];
  const tempUrlKey2 = metadata['temp-url-key-2'];
  deps.redactor.add(tempUrlKey);
  deps.redactor.add(tempUrlKey2);
  return {
    containerCount: num(res.headers['x-account-container-count']),
    objectCount: num(res.headers['x-account-object-count']),
    bytesUsed: num(res.headers['x-account-bytes-used']),
    metadata,
    tempUrlKey,
    tempUrlKey2,
  };
}

/** Sets account metadata; a null value removes the item. */
export async function setAccountMetadata(svc: ServiceClient, metadata: Record<string, string | null>, deps: ObjectStorageDeps): Promise<void> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(metadata)) {
    if (v === null) headers[`x-remove-account-meta-${k}`] = 'x';
    else {
      if (/^temp-url-key(-2)?$/i.test(k)) deps.redactor.add(v);
      headers[`x-account-meta-${k}`] = v;
    }
  }
  await svc.request('POST', '', { headers });
}

/** Sets temp-URL key 1 or 2 (two keys allow rotation without breaking outstanding URLs). */
export async function setTempUrlKey(svc: ServiceClient, key: string, which: 1 | 2, deps: ObjectStorageDeps): Promise<void> {
  await setAccountMetadata(svc, { [which === 1 ? 'temp-url-key' : 'temp-url-key-2']: key }, deps);
}
