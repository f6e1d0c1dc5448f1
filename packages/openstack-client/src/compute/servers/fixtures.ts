import type { Server } from './types.js';

export function serverFixture(over: Partial<Server> = {}): Server {
  return {
    id: '9f3a1c2e-0000-4000-8000-000000000001',
    name: 'kubernetes-master',
    status: 'BUILD',
    addresses: {},
    accessIPv4: '',
    accessIPv6: '',
    metadata: {},
    key_name: 'id_kubernetes',
    flavor: { id: '1' },
    image: { id: 'img-1' },
    config_drive: 'True',
    ...over,
  };
}

export const addressesOpenStack: Server['addresses'] = {
  'kubernetes-pool-net': [{ addr: '192.168.0.5', version: 4, 'OS-EXT-IPS:type': 'fixed' }],
  private: [
    { addr: 'fd00::5', version: 6, 'OS-EXT-IPS:type': 'fixed' },
    { addr: '10.0.0.5', version: 4, 'OS-EXT-IPS:type': 'fixed' },
    { addr: '203.0.113.9', version: 4, 'OS-EXT-IPS:type': 'floating' },
  ],
};

export const addressesRackspace: Server['addresses'] = {
  public: [
    { addr: '2001:db8::1', version: 6 },
    { addr: '198.51.100.7', version: 4 },
  ],
  private: [{ addr: '10.176.1.2', version: 4 }],
};
