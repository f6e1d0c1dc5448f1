export const networksPath = (): string => '/networks';
export const networkPath = (id: string): string => `/networks/${encodeURIComponent(id)}`;
