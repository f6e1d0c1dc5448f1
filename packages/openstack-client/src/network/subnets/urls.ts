export const subnetsPath = (): string => '/subnets';
export const subnetPath = (id: string): string => `/subnets/${encodeURIComponent(id)}`;
