/** A read-only view of a server, handed to `onServerActive` and returned by `sim.inspect()`. */
export interface ServerSnapshot {
  id: string;
  name: string;
  status: string;
  projectId: string;
  imageId: string;
  flavorId: string;
  keyName: string | null;
  metadata: Record<string, string>;
  configDrive: boolean;
  /** Network name → addresses, as in the API's `addresses`. */
  addresses: Record<string, Array<{ version: 4 | 6; addr: string }>>;
  accessIPv4: string;
  portIds: string[];
}
