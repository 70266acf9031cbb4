// What measure.mjs and vmm-trace.mjs share: building the static benchmarks and the busybox initramfs
// into the kit cache, and the QEMU command line of one kit guest (`taskset` arguments that pin the guest
// to the chosen host cores and boot the kit's kernel + initramfs with the job on the kernel command line,
// read by guest/init).
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const sh = (cmd, args) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })

export function buildBenches(cache) {
  const out = path.join(cache, 'bin')
  fs.mkdirSync(out, { recursive: true })
  sh('make', ['-s', '-B', '-C', path.join(HERE, 'bench'), `OUT=${out}`])
  return out
}

export function buildInitramfs(cache, binDir) {
  const root = path.join(cache, 'initramfs-root')
  fs.rmSync(root, { recursive: true, force: true })
  for (const d of ['bin', 'bench', 'proc', 'sys', 'dev', 'tmp']) fs.mkdirSync(path.join(root, d), { recursive: true })
  const busybox = '/bin/busybox'
  if (!/statically linked/.test(sh('file', ['-L', busybox]))) throw new Error('/bin/busybox is not static: apt-get install busybox-static')
  fs.copyFileSync(busybox, path.join(root, 'bin/busybox'))
  fs.chmodSync(path.join(root, 'bin/busybox'), 0o755)
  fs.symlinkSync('busybox', path.join(root, 'bin/sh'))
  for (const f of fs.readdirSync(binDir)) {
    fs.copyFileSync(path.join(binDir, f), path.join(root, 'bench', f))
    fs.chmodSync(path.join(root, 'bench', f), 0o755)
  }
  fs.copyFileSync(path.join(HERE, 'guest/init'), path.join(root, 'init'))
  fs.chmodSync(path.join(root, 'init'), 0o755)
  const img = path.join(cache, 'initramfs.cpio.gz')
  sh('sh', ['-c', `cd "${root}" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1 > "${img}"`])
  return img
}

export function qemuArgs(o, kernel, initrd, accel, vcpus, vmIndex, benches) {
  const accelArgs = accel === 'kvm' ? ['-accel', 'kvm', '-cpu', 'host,-arch-capabilities'] : ['-accel', 'tcg,thread=multi', '-cpu', 'max']
  const append = ['console=ttyS0', 'quiet', 'panic=-1', `ecskit.benches=${benches.join(',')}`, `ecskit.threads=${vcpus}`, `ecskit.secs=${o.secs}`, `ecskit.vm=${vmIndex}`, ...(o.append ? o.append.split(/\s+/).filter(Boolean) : [])]
  return [
    '-c', o.cores.join(','), 'qemu-system-x86_64',
    '-name', `ecskit-vm${vmIndex},debug-threads=on`,
    ...accelArgs,
    '-smp', String(vcpus), '-m', String(o.mem),
    '-kernel', kernel, '-initrd', initrd,
    '-display', 'none', '-nodefaults', '-serial', 'stdio', '-monitor', 'none', '-no-reboot',
    '-append', append.join(' ')
  ]
}
