export interface Keypair {
  name: string;
  public_key: string;
  fingerprint: string;
  type?: string;
  user_id?: string;
  created_at?: string;
}
