import type { Got } from 'got';
import type { SwiftClusterInfo } from '../types.js';
import { infoUrl } from '../urls.js';

/** The cluster's capabilities and limits (`GET /info`, at the proxy root, no token needed). */
export async function getClusterInfo(http: Got, storageUrl: string): Promise<SwiftClusterInfo> {
  return http.get(infoUrl(storageUrl), { context: { skipAuth: true } }).json<SwiftClusterInfo>();
}
