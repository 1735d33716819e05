/**
 * A tiny web app that signs users in with `okta-oauth-kit/server`:
 * response_mode=form_post, a sealed transaction cookie, a sealed session
 * cookie, ID token claims and userinfo, refresh, sign-out. The same routes
 * in four flavours: plain `node:http` (node.ts), Express 5 (express.ts),
 * Fastify 5 (fastify.ts) and Hono 4 (hono.ts).
 *
 *   npx tsx examples/node-web/index.ts               # start the local org and all four apps, drive
 *                                                    # the whole flow on each with fetch, print a
 *                                                    # transcript (no token or cookie value), exit 0
 *   npx tsx examples/node-web/index.ts --app=express # one flavour: node, express, fastify or hono
 *   npx tsx examples/node-web/index.ts --serve       # keep them running: open the printed URLs
 *
 * It runs against the SDK's local Okta-style org (`startOktaOrg()`), which
 * signs its default user in without a login page. In your app, import from
 * `okta-oauth-kit` and `okta-oauth-kit/server` (this example imports the
 * sources so it runs without a build).
 */
import { createClient, discover } from 'okta-oauth-kit'
import { createServerAuth } from 'okta-oauth-kit/server'
import { DEFAULT_USERS, startOktaOrg } from 'okta-oauth-kit/testing'
import { startExpress } from './express.js'
import { startFastify } from './fastify.js'
import { startHono } from './hono.js'
import { startNode } from './node.js'
import type { AppContext, RunningApp } from './shared.js'

const CLIENT_ID = '0oanodeweb000000000'
const CLIENT_SECRET = 'node-web-example-secret-long-enough-for-hs256'
// In production: 32+ random bytes from your secret manager, e.g. process.env.COOKIE_SECRET.
const COOKIE_SECRET = 'node-web-example-cookie-secret-32-chars-min'

const FLAVOURS = {
  node: startNode,
  express: startExpress,
  fastify: startFastify,
  hono: startHono,
}
type Flavour = keyof typeof FLAVOURS
const picked = process.argv.find((a) => a.startsWith('--app='))?.slice('--app='.length)
if (picked !== undefined && !(picked in FLAVOURS)) {
  console.error(`--app must be one of ${Object.keys(FLAVOURS).join(', ')}`)
  process.exit(2)
}
const flavours = (picked ? [picked] : Object.keys(FLAVOURS)) as Flavour[]

// The apps start first: the org needs their ports for the registered redirect URIs.
const contexts = new Map<Flavour, AppContext>()
const apps = new Map<Flavour, RunningApp>()
for (const name of flavours) {
  const ctx = {} as AppContext
  contexts.set(name, ctx)
  apps.set(name, await FLAVOURS[name](ctx))
}
const urls = [...apps.values()].map((a) => a.url)
const running = await startOktaOrg({
  clients: [
    {
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      tokenEndpointAuthMethod: 'client_secret_basic',
      redirectUris: urls.map((u) => `${u}/callback`),
      postLogoutRedirectUris: urls.map((u) => `${u}/`),
    },
  ],
})
const client = createClient(await discover(running.org.issuer()), {
  clientId: CLIENT_ID,
  auth: { method: 'client_secret_basic', clientSecret: CLIENT_SECRET },
})
for (const name of flavours) {
  const appUrl = apps.get(name)!.url
  Object.assign(contexts.get(name)!, {
    client,
    auth: createServerAuth(client, {
      secret: COOKIE_SECRET,
      redirectUri: `${appUrl}/callback`,
      postLogoutRedirectUri: `${appUrl}/`,
      // responseMode: 'form_post' is the default
    }),
  } satisfies AppContext)
}

const close = async () => {
  for (const app of apps.values()) await app.close()
  await running.close()
}

if (process.argv.includes('--serve')) {
  for (const [name, app] of apps) console.log(`${name.padEnd(8)} ${app.url}`)
  console.log(
    `org      ${running.org.issuer()} (signs in ${DEFAULT_USERS[0]!.login} automatically)`,
  )
  console.log('Ctrl-C to stop')
  process.on('SIGINT', () => void close().then(() => process.exit(0)))
} else {
  try {
    for (const [name, app] of apps) {
      console.log(`\n=== ${name} ===`)
      await drive(app.url)
    }
    console.log('\nOK: the whole flow worked')
  } catch (err) {
    console.error('\nFAILED:', err instanceof Error ? err.message : err)
    process.exitCode = 1
  } finally {
    await close()
  }
}

// ---------------------------------------------------------------------------------------------
// The driver: a browser's part, with fetch and a cookie jar. Prints no token or cookie value.
// ---------------------------------------------------------------------------------------------

async function drive(appUrl: string) {
  const jar = new Map<string, string>()
  const store = (response: Response) => {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';')
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq)
      if (/;\s*Max-Age=0(;|$)/i.test(cookie)) jar.delete(name)
      else jar.set(name, pair.slice(eq + 1))
    }
  }
  const names = () => [...jar.keys()].join(', ') || '(none)'
  const request = async (method: string, url: string, body?: URLSearchParams) => {
    // Cookies only go to the app (the org keeps its own, which this driver does not need).
    const headers: Record<string, string> = {}
    if (url.startsWith(appUrl) && jar.size > 0) {
      headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
    }
    if (body) headers['content-type'] = 'application/x-www-form-urlencoded'
    const response = await fetch(url, { method, headers, body: body ?? null, redirect: 'manual' })
    if (url.startsWith(appUrl)) store(response)
    const path = url.startsWith(appUrl) ? url.slice(appUrl.length) : new URL(url).pathname
    const location = response.headers.get('location')
    console.log(
      `${method.padEnd(4)} ${path.split('?')[0]} → ${response.status}` +
        (location ? ` → ${new URL(location, url).pathname}` : '') +
        `   cookies: ${names()}`,
    )
    return response
  }
  const expect = (ok: boolean, what: string) => {
    if (!ok) throw new Error(what)
  }
  const pre = (html: string, id: string) => {
    const m = new RegExp(`<pre id="${id}">([^<]*)</pre>`).exec(html)
    const text = m?.[1]?.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(+n))
    return text === undefined ? undefined : (JSON.parse(text) as Record<string, unknown>)
  }

  console.log(`app ${appUrl}, org ${running.org.issuer()}\n`)
  let page = await request('GET', `${appUrl}/`)
  expect((await page.text()).includes('Signed out'), 'the app should start signed out')

  const login = await request('GET', `${appUrl}/login?returnTo=/`)
  expect(login.status === 302, 'GET /login should redirect')
  const authorizeUrl = new URL(login.headers.get('location')!)
  console.log(
    `     response_mode=${authorizeUrl.searchParams.get('response_mode')}, PKCE ${authorizeUrl.searchParams.get('code_challenge_method')}`,
  )

  const form = await request('GET', authorizeUrl.href)
  const html = await form.text()
  const action = /<form method="post" action="([^"]*)"/.exec(html)?.[1]
  expect(
    form.status === 200 && action === `${appUrl}/callback`,
    'the org should answer with a form_post page',
  )
  const fields = new URLSearchParams()
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)"\/>/g)) {
    fields.append(
      m[1]!,
      m[2]!.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(+n)),
    )
  }
  console.log(`     auto-submitting form fields: ${[...fields.keys()].join(', ')}`)

  // What a browser never sends to a form_post callback is refused with a 4xx, before anything else.
  const txnPair = [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
  for (const [label, init, status] of [
    ['GET', { method: 'GET' }, 405],
    ['JSON', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }, 415],
    [
      '20 KB form',
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `pad=${'x'.repeat(20_000)}`,
      },
      413,
    ],
  ] as const) {
    const headers = { ...('headers' in init ? init.headers : {}), cookie: txnPair }
    const refused = await fetch(`${appUrl}/callback`, { ...init, headers, redirect: 'manual' })
    expect(
      refused.status === status,
      `${label} to /callback should be ${status}, got ${refused.status}`,
    )
    console.log(`     ${label} to /callback → ${refused.status} ${await refused.text()}`)
  }

  const [txnName = '', txnValue = ''] = [...jar].find(([k]) => k.includes('okta-txn')) ?? []
  const callback = await request('POST', action!, fields)
  expect(
    callback.status === 302 && callback.headers.get('location') === '/',
    'the callback should redirect to /',
  )

  // An attacker who captured the POST and the transaction cookie replays both.
  jar.set(txnName, txnValue)
  const replay = await request('POST', action!, fields)
  jar.delete(txnName)
  expect(replay.status === 400, 'a replayed callback should be refused')
  console.log(`     replay refused: ${await replay.text()}`)

  page = await request('GET', `${appUrl}/`)
  let text = await page.text()
  const claims = pre(text, 'claims')
  const userinfo = pre(text, 'userinfo')
  expect(claims?.sub === DEFAULT_USERS[0]!.id, 'the home page should show the ID token claims')
  expect(userinfo?.sub === claims?.sub, 'the home page should show userinfo')
  console.log(`     ID token claims: ${JSON.stringify(claims)}`)
  console.log(`     userinfo: ${JSON.stringify(userinfo)}`)
  // A cross-site page that sends a popup to /login again and again: the pending sign-ins of
  // this browser stay bounded (the oldest are deleted), so its cookies never reach a 431.
  for (let i = 0; i < 30; i++) {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
    const again = await fetch(`${appUrl}/login?returnTo=/`, {
      headers: { cookie },
      redirect: 'manual',
    })
    expect(again.status === 302, `GET /login #${i + 1} should redirect, got ${again.status}`)
    store(again)
  }
  const pending = [...jar.keys()].filter((k) => k.includes('okta-txn')).length
  expect(pending <= 5, `30 logins should leave at most 5 transaction cookies, got ${pending}`)
  console.log(`     30 × GET /login → ${pending} pending sign-ins kept (the oldest deleted)`)
  const before = jar.get([...jar.keys()].find((k) => k.includes('okta-session'))!)

  const refresh = await request('POST', `${appUrl}/refresh`)
  expect(refresh.status === 302, 'POST /refresh should redirect')
  const after = jar.get([...jar.keys()].find((k) => k.includes('okta-session'))!)
  expect(before !== after, 'refresh should re-seal the session')
  page = await request('GET', `${appUrl}/`)
  text = await page.text()
  expect(pre(text, 'claims')?.sub === claims?.sub, 'still signed in after refresh')
  console.log('     refreshed: new tokens sealed into the session cookie')

  const logout = await request('POST', `${appUrl}/logout`)
  const end = new URL(logout.headers.get('location')!)
  expect(end.pathname.endsWith('/v1/logout'), 'logout should redirect to the org logout endpoint')
  expect(
    ![...jar.keys()].some((k) => k.includes('okta-session')),
    'logout should clear the session cookie',
  )
  const back = await request('GET', end.href)
  expect(
    back.headers.get('location') === `${appUrl}/`,
    'the org should send the user back to the app',
  )
  page = await request('GET', `${appUrl}/`)
  expect((await page.text()).includes('Signed out'), 'the app should be signed out')
}
