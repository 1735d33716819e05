import * as oauth from 'oauth4webapi'
import { toSdkError } from '../lib/to-sdk-error.js'

// Reading a server's answer with oauth4webapi: what fails there is the
// server's fault, and ID tokens are taken out first for the SDK's own path.

/**
 * @internal
 * Run oauth4webapi's processing of a response: what it throws there is about
 * the server's answer (a `token_type` it does not know is the server's fault,
 * not the caller's). A DPoP nonce challenge passes through for the retry.
 */
export async function processed<T>(
  operation: string,
  response: Response,
  process: () => Promise<T>,
): Promise<T> {
  try {
    return await process()
  } catch (err) {
    if (oauth.isDPoPNonceError(err)) throw err
    throw toSdkError(err, operation, 'response', response.status)
  }
}

/**
 * @internal
 * Take the `id_token` out of a successful JSON token response, so that
 * oauth4webapi processes the rest and the SDK validates the ID token itself.
 * The response is buffered already (bounded); anything that is not a JSON
 * object is handed on as it is, for oauth4webapi to refuse.
 */
export async function detachIdToken(
  response: Response,
): Promise<{ response: Response; idToken?: unknown }> {
  if (response.status !== 200) return { response }
  const text = await response.text()
  const rebuild = (body: string) => {
    const headers = new Headers(response.headers)
    headers.delete('content-length')
    return new Response(body, { status: response.status, statusText: response.statusText, headers })
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return { response: rebuild(text) }
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json) || !('id_token' in json)) {
    return { response: rebuild(text) }
  }
  const { id_token: idToken, ...rest } = json as Record<string, unknown>
  return { response: rebuild(JSON.stringify(rest)), idToken }
}
