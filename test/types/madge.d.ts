/** The part of madge's API (lib/api.js, no bundled types) the architecture test uses. */
declare module "madge" {
  interface MadgeResult {
    circular(): string[][];
    warnings(): { skipped: string[] };
  }
  interface MadgeConfig {
    fileExtensions?: string[];
    baseDir?: string;
    tsConfig?: string;
  }
  export default function madge(path: string | string[], config?: MadgeConfig): Promise<MadgeResult>;
}
