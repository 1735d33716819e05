// What users write with ./server, ./verifier and the core in the common
// Node frameworks; it must compile under the newest @types/node.
import { createServer } from 'node:http'
import express from 'express'
import Fastify from 'fastify'
import { Hono } from 'hono'
import type { Client } from 'okta-oauth-kit'
import { createServerAuth } from 'okta-oauth-kit/server'
import { createVerifier } from 'okta-oauth-kit/verifier'

declare const client: Client
const auth = createServerAuth(client, {
  secret: 'a cookie secret of at least 32 characters',
  redirectUri: 'https://app.example.com/callback',
})
const verifier = createVerifier({
  issuer: 'https://example.okta.com/oauth2/default',
  audience: 'api://default',
})

const app = express()
app.use(express.urlencoded({ extended: false }))
app.post('/callback', async (req, res) => {
  const { returnTo } = await auth.callback(req)
  const session = await auth.session.read(req)
  res.end(`${returnTo} ${session === undefined}`)
})
app.get('/login', async (req, res) => {
  const login = await auth.login(req, { returnTo: '/orders' })
  res.redirect(login.url.href)
})

createServer(async (req, res) => {
  await auth.callback(req)
  await auth.session.read(req)
  res.end()
})

const fastify = Fastify()
fastify.post('/callback', async (request) => {
  await auth.callback(request)
  await auth.callback(request.raw)
  return auth.session.read(request)
})

const hono = new Hono()
hono.get('/api', async (c) => {
  const claims = await verifier.verifyRequest(c.req.raw)
  await auth.session.read(c.req.raw)
  return c.json(claims)
})
