export const serversPath = (): string => '/servers';
export const serversDetailPath = (): string => '/servers/detail';
export const serverPath = (id: string): string => `/servers/${encodeURIComponent(id)}`;
export const serverMetadataPath = (id: string): string => `/servers/${encodeURIComponent(id)}/metadata`;
