export const flavorsDetailPath = (): string => '/flavors/detail';
export const flavorPath = (id: string): string => `/flavors/${encodeURIComponent(id)}`;
