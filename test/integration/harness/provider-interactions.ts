/**
 * The harness's own answers on the provider's origin: headless login + consent at
 * `/interaction/:uid`, and the JSON responses the request router in `provider.ts` sends.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Provider } from 'oidc-provider'
import { USER } from './provider-config.js'

// ---------------------------------------------------------------------------------------------
// JSON responses
// ---------------------------------------------------------------------------------------------

/** Answer with a JSON body, `no-store`. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    'cache-control': 'no-store',
  })
  res.end(payload)
}

// ---------------------------------------------------------------------------------------------
// Headless interactions (login + consent)
// ---------------------------------------------------------------------------------------------

/**
 * GET /interaction/:uid — resolve whatever prompt oidc-provider asks for, as the harness user,
 * granting everything requested. Login and consent are two successive interactions; the
 * redirect-following in authorize() naturally walks through both.
 */
export async function completeInteraction(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  let details: Awaited<ReturnType<Provider['interactionDetails']>>
  try {
    details = await provider.interactionDetails(req, res)
  } catch (err) {
    const e = err as { error?: string; error_description?: string; message?: string }
    sendJson(res, 400, {
      error: e.error ?? 'invalid_request',
      error_description: e.error_description ?? e.message,
    })
    return
  }
  const { prompt, params, session, grantId } = details

  if (prompt.name === 'login') {
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: USER.sub, amr: ['pwd'], remember: true } },
      { mergeWithLastSubmission: false },
    )
    return
  }

  if (prompt.name === 'consent') {
    const accountId = session?.accountId ?? USER.sub
    const grant =
      (grantId ? await provider.Grant.find(grantId) : undefined) ??
      new provider.Grant({ accountId, clientId: String(params.client_id) })
    const missing = prompt.details as {
      missingOIDCScope?: string[]
      missingOIDCClaims?: string[]
      missingResourceScopes?: Record<string, string[]>
    }
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '))
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims)
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '))
    }
    const savedGrantId = await grant.save()
    await provider.interactionFinished(
      req,
      res,
      { consent: grantId ? {} : { grantId: savedGrantId } },
      { mergeWithLastSubmission: true },
    )
    return
  }

  await provider.interactionFinished(
    req,
    res,
    {
      error: 'access_denied',
      error_description: `harness cannot handle prompt ${prompt.name}`,
    },
    { mergeWithLastSubmission: false },
  )
}
