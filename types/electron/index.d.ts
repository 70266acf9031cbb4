// Electron 41.7.1's type definitions, vendored from the npm tarball (electron@41.7.1/electron.d.ts) so
// that `npm run typecheck` works where the Electron package could not install (it is an optional
// dependency whose binary download fails offline). tsconfig.node.json maps `electron` here, so the
// same types are used on every machine. Refresh with scripts/vendor-electron-types.sh when bumping Electron.
/// <reference path="./electron.d.ts" />
export = Electron.CrossProcessExports
