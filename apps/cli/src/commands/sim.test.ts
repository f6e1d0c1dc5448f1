import { describe, expect, it } from 'vitest';
import { simOptionsFromArgs } from './sim.js';

const base = { port: 0, mode: 'openstack' as const, verbose: 0 };

describe('sim options', () => {
  it('maps flags to the local cloud options', () => {
    expect(simOptionsFromArgs({ ...base, mode: 'rackspace', latency: 20, 'boot-time': 100, seed: 7, 'fault-rate': 0.05, 'fault-kinds': ['5xx,reset', '413'], 'rate-limit': 10, state: '/tmp/s.json' })).toEqual({
      mode: 'rackspace',
      port: 0,
      latencyMs: 20,
      bootTimeMs: 100,
      seed: 7,
      rateLimit: { requestsPerSecond: 10 },
      stateFile: '/tmp/s.json',
      faults: { rate: 0.05, kinds: ['5xx', 'reset', '413'] },
    });
  });

  it('refuses bad values with the flag named', () => {
    expect(() => simOptionsFromArgs({ ...base, port: 70000 })).toThrow('--port=70000: must be a number from 0 to 65535');
    expect(() => simOptionsFromArgs({ ...base, 'fault-rate': 2 })).toThrow('--fault-rate=2: must be a number from 0 to 1');
    expect(() => simOptionsFromArgs({ ...base, 'fault-rate': 0.1, 'fault-kinds': ['boom'] })).toThrow('--fault-kinds=boom: must be some of 5xx, reset, timeout, 413, 429, 413-no-retry-after, 429-no-retry-after');
    expect(() => simOptionsFromArgs({ ...base, latency: -1 })).toThrow('--latency=-1');
  });
});
