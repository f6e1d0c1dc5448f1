/** An image as Nova's image proxy (`/images`, microversion < 2.36) shows it. */
export interface Image {
  id: string;
  name: string;
  status: string;
  minDisk?: number;
  minRam?: number;
  metadata?: Record<string, string>;
  [key: string]: unknown;
}
