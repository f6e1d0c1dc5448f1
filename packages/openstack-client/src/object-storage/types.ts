export interface AccountInfo {
  containerCount: number;
  objectCount: number;
  bytesUsed: number;
  /** X-Account-Meta-* with the prefix removed and names lower-cased. */
  metadata: Record<string, string>;
  tempUrlKey: string | undefined;
  tempUrlKey2: string | undefined;
}

export interface Container {
  name: string;
  count: number;
  bytes: number;
  last_modified?: string;
}

export interface ObjectEntry {
  name: string;
  hash: string;
  bytes: number;
  content_type: string;
  last_modified: string;
}

/** A pseudo-directory in a delimited listing. */
export interface ObjectSubdir {
  subdir: string;
}

export interface ObjectHead {
  etag: string | undefined;
  contentLength: number | undefined;
  contentType: string | undefined;
  lastModified: string | undefined;
  /** X-Object-Meta-* with the prefix removed, lower-cased. */
  metadata: Record<string, string>;
  /** Set for static large objects. */
  staticLargeObject: boolean;
}

export interface UploadOptions {
  contentType?: string;
  /** MD5 hex of the body; computed for files and buffers when absent. */
  etag?: string;
  metadata?: Record<string, string>;
  headers?: Record<string, string>;
  /** HEAD first and skip the upload when the remote ETag already equals the local MD5. */
  skipIfUnchanged?: boolean;
}

export interface UploadResult {
  etag: string;
  uploaded: boolean;
  bytes: number | undefined;
}

export interface SwiftClusterInfo {
  swift?: { version?: string; max_file_size?: number; container_listing_limit?: number; [k: string]: unknown };
  slo?: { max_manifest_segments?: number; max_manifest_size?: number; min_segment_size?: number; [k: string]: unknown };
  tempurl?: { methods?: string[]; allowed_digests?: string[]; [k: string]: unknown };
  [k: string]: unknown;
}
