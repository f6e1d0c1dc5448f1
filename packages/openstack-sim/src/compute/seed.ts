import type { SimMode } from '../options.js';
import type { FlavorRecord, ImageRecord } from '../state/types.js';

/** The CoreOS-like image every sim starts with (stable id so tests and configs can name it). */
export const COREOS_IMAGE_ID = '6a2ab3a6-5b1c-4c7e-9b0e-7f3c2d1e0a01';

export function seedFlavors(mode: SimMode): FlavorRecord[] {
  const f = (id: string, name: string, vcpus: number, ram: number, disk: number): FlavorRecord => ({
    id,
    name,
    vcpus,
    ram,
    disk,
    ephemeral: 0,
    swap: 0,
    rxtxFactor: 1,
  });
  if (mode === 'rackspace') {
    // Rackspace General Purpose v1 flavors: id equals name.
    return [
      f('general1-1', '1 GB General Purpose v1', 1, 1024, 20),
      f('general1-2', '2 GB General Purpose v1', 2, 2048, 40),
      f('general1-4', '4 GB General Purpose v1', 4, 4096, 80),
      f('general1-8', '8 GB General Purpose v1', 8, 8192, 160),
    ];
  }
  // Same ids and sizes as the flavors of the all-in-one Zed cloud.
  return [f('1', 'm1.tiny', 1, 512, 1), f('2', 'm1.small', 1, 2048, 20), f('3', 'm1.medium', 2, 4096, 40), f('4', 'm1.large', 4, 8192, 80)];
}

export function seedImages(now: string): ImageRecord[] {
  return [
    {
      id: COREOS_IMAGE_ID,
      name: 'CoreOS (Stable)',
      createdAt: now,
      updatedAt: now,
      size: 1024,
      minDisk: 0,
      minRam: 0,
      diskFormat: 'qcow2',
      containerFormat: 'bare',
      metadata: { os_distro: 'coreos', os_type: 'linux', 'org.openstack__1__os_distro': 'org.coreos' },
      checksum: '0f343b0931126a20f133d67c2b018a3b',
    },
  ];
}
