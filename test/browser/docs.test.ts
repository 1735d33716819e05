// The generated API docs (docs/api, built by `npm run docs` before the tests
// in `npm test`) as a reader sees them in Chromium: one title, headings with
// their code, example READMEs rendered as pages, and a screenshot.
import { existsSync } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { type Browser, chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumPath, LAUNCH_ARGS } from './harness.js'

const index = fileURLToPath(new URL('../../docs/api/index.html', import.meta.url))
let browser: Browser

beforeAll(async () => {
  if (!existsSync(index)) throw new Error('docs/api is missing: run `npm run docs` first')
  browser = await chromium.launch({ executablePath: chromiumPath(), args: LAUNCH_ARGS })
})
afterAll(async () => {
  await browser?.close()
})

describe('the API docs’ front page in Chromium', () => {
  it('has one title, headings with their entry names, and example pages that render', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
    await page.goto(pathToFileURL(index).href)
    // The project name once: the README's own first heading is not repeated.
    expect(await page.locator('h1').allInnerTexts()).toEqual(['okta-oauth-kit'])
    // "On This Page" keeps the code spans' text.
    // biome-ignore lint/performance/useDomNodeTextContent: what the reader sees, as rendered
    const nav = await page.locator('.tsd-page-navigation').innerText()
    expect(nav).toContain('Resource servers: okta-oauth-kit/verifier')
    expect(nav).toContain('Management API: okta-oauth-kit/admin')
    // An example's README opens as a rendered page, not a raw .md file.
    const link = page.locator('a', { hasText: 'examples/node-web' }).first()
    const href = await link.getAttribute('href')
    expect(href).toMatch(/^documents\/examples_node-web_README\.html$/)
    await link.click()
    await page.waitForLoadState('load')
    expect(page.url()).toMatch(/examples_node-web_README\.html$/)
    expect(await page.locator('.tsd-typography h1, .tsd-typography h2').count()).toBeGreaterThan(0)
    await page.close()
  })

  it('renders a screenshot of the index page', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
    await page.goto(pathToFileURL(index).href)
    const dir = await mkdtemp(join(tmpdir(), 'docs-shot-'))
    try {
      const file = join(dir, 'index.png')
      await page.screenshot({ path: file, fullPage: false })
      // A real page has text, code and colours: far more than a blank 1400×1000 PNG.
      expect((await stat(file)).size).toBeGreaterThan(40_000)
    } finally {
      await rm(dir, { recursive: true, force: true })
      await page.close()
    }
  })
})
