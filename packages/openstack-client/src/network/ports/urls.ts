export const portsPath = (): string => '/ports';
export const portPath = (id: string): string => `/ports/${encodeURIComponent(id)}`;
