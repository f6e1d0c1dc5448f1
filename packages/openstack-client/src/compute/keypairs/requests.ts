import { OpenStackError, isStatus } from '../../errors.js';
import type { ServiceClient } from '../../service.js';
import type { Keypair } from './types.js';
import { keypairPath, keypairsPath } from './urls.js';

export async function* listKeypairs(svc: ServiceClient): AsyncGenerator<Keypair, void, undefined> {
  const body = await svc.get<{ keypairs: Array<{ keypair: Keypair }> }>(keypairsPath());
  for (const k of body.keypairs ?? []) yield k.keypair;
}

export async function getKeypair(svc: ServiceClient, name: string): Promise<Keypair> {
  return (await svc.get<{ keypair: Keypair }>(keypairPath(name))).keypair;
}

export async function findKeypair(svc: ServiceClient, name: string): Promise<Keypair | undefined> {
  try {
    return await getKeypair(svc, name);
  } catch (err) {
    if (isStatus(err, 404)) return undefined;
    throw err;
  }
}

/** Imports an existing public key (the client never asks Nova to generate a private key). */
export async function createKeypair(svc: ServiceClient, name: string, publicKey: string): Promise<Keypair> {
  if (!/^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-\S+) [A-Za-z0-9+/=]+/.test(publicKey.trim())) {
    throw new OpenStackError({ code: 'INVALID_ARGUMENT', message: `keypair ${name}: the public key is not in OpenSSH format ("ssh-ed25519 AAAA…")` });
  }
  const res = await svc.request<{ keypair: Keypair }>('POST', keypairsPath(), { json: { keypair: { name, public_key: publicKey.trim() } } });
  return res.body.keypair;
}

export async function deleteKeypair(svc: ServiceClient, name: string, opts: { ignoreMissing?: boolean } = {}): Promise<void> {
  try {
    await svc.request('DELETE', keypairPath(name));
  } catch (err) {
    if (opts.ignoreMissing && isStatus(err, 404)) return;
    throw err;
  }
}
