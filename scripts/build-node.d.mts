// Types for scripts/build-node.mjs (imported by tests and scripts).
export declare const ROOT: string
export declare const OUT_DIR: string
export declare const ENTRIES: Record<string, string>
export declare const WORKER: Record<string, string>
export declare const EXTERNAL: string[]
export declare function buildNode(opts?: { root?: string; quiet?: boolean }): Promise<void>
