export const networksV2Path = (): string => '/os-networksv2';
export const networkV2Path = (id: string): string => `/os-networksv2/${encodeURIComponent(id)}`;
