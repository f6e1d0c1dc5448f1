export const imagesDetailPath = (): string => '/images/detail';
export const imagePath = (id: string): string => `/images/${encodeURIComponent(id)}`;
