export const keypairsPath = (): string => '/os-keypairs';
export const keypairPath = (name: string): string => `/os-keypairs/${encodeURIComponent(name)}`;
