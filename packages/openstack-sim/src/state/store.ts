import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SimStateData } from './types.js';

export function emptyState(mode: SimStateData['mode']): SimStateData {
  return {
    version: 1,
    mode,
    tokens: {},
    flavors: [],
    images: [],
    keypairs: [],
    servers: [],
    networks: [],
    subnets: [],
    ports: [],
    accounts: {},
    counters: { instanceSeq: 0, keypairSeq: 0, blobSeq: 0 },
  };
}

/**
 * The one mutable state of a sim. Handlers change `data` and call `commit()`, which writes the
 * whole state to `stateFile` (atomically: temp file + rename) when one is configured.
 */
export class SimStore {
  constructor(
    public data: SimStateData,
    private readonly stateFile: string | undefined,
  ) {}

  static load(stateFile: string | undefined, mode: SimStateData['mode']): { store: SimStore; loaded: boolean } {
    if (stateFile && existsSync(stateFile)) {
      const parsed = JSON.parse(readFileSync(stateFile, 'utf8')) as SimStateData;
      if (parsed.version !== 1) throw new Error(`${stateFile}: unsupported sim state version ${String(parsed.version)}`);
      if (parsed.mode !== mode) {
        throw new Error(`${stateFile}: state was written by a ${parsed.mode} sim, cannot reuse it in ${mode} mode`);
      }
      return { store: new SimStore(parsed, stateFile), loaded: true };
    }
    return { store: new SimStore(emptyState(mode), stateFile), loaded: false };
  }

  commit(): void {
    if (!this.stateFile) return;
    mkdirSync(dirname(this.stateFile), { recursive: true });
    const tmp = `${this.stateFile}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify(this.data));
    renameSync(tmp, this.stateFile);
  }
}
