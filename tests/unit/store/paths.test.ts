import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { resolveDbPath, userDataDir } from '../../../src/main/store/paths'

describe('store location', () => {
  it("matches Electron's app.getPath('userData') for an app named ecs-lab on each OS", () => {
    expect(userDataDir({}, 'linux', '/home/ada')).toBe(join('/home/ada', '.config', 'ecs-lab'))
    expect(userDataDir({ XDG_CONFIG_HOME: '/xdg' }, 'linux', '/home/ada')).toBe(join('/xdg', 'ecs-lab'))
    expect(userDataDir({}, 'darwin', '/Users/ada')).toBe(join('/Users/ada', 'Library', 'Application Support', 'ecs-lab'))
    expect(userDataDir({ APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ada')).toBe(join('C:\\Users\\ada\\AppData\\Roaming', 'ecs-lab'))
  })

  it('prefers --db, then ECS_LAB_DB, then the user-data folder', () => {
    expect(resolveDbPath('/a.sqlite', { ECS_LAB_DB: '/b.sqlite' })).toBe('/a.sqlite')
    expect(resolveDbPath(undefined, { ECS_LAB_DB: '/b.sqlite' })).toBe('/b.sqlite')
    if (process.platform === 'linux') expect(resolveDbPath(undefined, { ECS_LAB_DB: '  ', XDG_CONFIG_HOME: '/xdg' })).toBe(join('/xdg', 'ecs-lab', 'ecs-lab.sqlite'))
  })
})
