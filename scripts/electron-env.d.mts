// Types for scripts/electron-env.mjs (imported by tests).
export declare const ROOT: string
export declare const NATIVE_DIR: string
export declare const ADDON_FILE: string
export declare const DIST_NATIVE_DIR: string
export declare function bindingDirName(rt: { modules: string | number; platform: string; arch: string }): string
export declare function readAddonAbi(path: string): number | undefined
export type ElectronState =
  | { status: 'ok'; version: string; abi: number | undefined; binary: string }
  | { status: 'not-installed' | 'binary-missing'; version?: string; abi?: number; detail: string }
export declare function findElectron(root?: string, env?: NodeJS.ProcessEnv): ElectronState
export declare function electronInstallHelp(): string
export declare function electronAddonStatus(opts: { root?: string; modules: number | string; platform?: string; arch?: string }): {
  path: string
  state: 'ok' | 'missing' | 'wrong-abi'
  abi?: number
}
