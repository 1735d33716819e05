import { mkdtemp, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { chromiumPath, startHarness } from './harness.js'

const saved = process.env.CHROMIUM_PATH

afterEach(() => {
  if (saved === undefined) delete process.env.CHROMIUM_PATH
  else process.env.CHROMIUM_PATH = saved
})

describe('the browser the tests drive', () => {
  it('is CHROMIUM_PATH when set, else Debian’s', () => {
    delete process.env.CHROMIUM_PATH
    expect(chromiumPath()).toBe('/usr/bin/chromium')
    process.env.CHROMIUM_PATH = '/Applications/Chromium.app/Contents/MacOS/Chromium'
    expect(chromiumPath()).toBe('/Applications/Chromium.app/Contents/MacOS/Chromium')
  })

  it('missing: the tests fail (never skip) and say how to point at one', async () => {
    process.env.CHROMIUM_PATH = join(tmpdir(), 'no-such-chromium')
    await expect(startHarness()).rejects.toThrow(
      /missing: apt-get install chromium .*CHROMIUM_PATH/,
    )
  })

  it('another path: Chromium is launched from it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'chromium-path-'))
    try {
      const link = join(dir, 'my-chromium')
      await symlink('/usr/bin/chromium', link)
      process.env.CHROMIUM_PATH = link
      const harness = await startHarness()
      try {
        expect(harness.browser.version()).toMatch(/^\d+\./)
      } finally {
        await harness.close()
      }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }, 60_000)
})
