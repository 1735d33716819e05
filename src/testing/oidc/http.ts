import { HttpResponse } from 'msw'

// The wire conventions of the OAuth endpoints: answers that are never
// cached, OAuth error bodies, and form bodies read strictly.

/** @internal Headers of an answer no cache may keep. */
export const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' }

/** @internal An OAuth error body (`error`, `error_description`), never cached. */
export function oauthError(
  status: number,
  error: string,
  description: string,
  headers: Record<string, string> = {},
): Response {
  return HttpResponse.json(
    { error, error_description: description },
    { status, headers: { ...NO_STORE, ...headers } },
  )
}

/** @internal The form of a POST (`application/x-www-form-urlencoded`, no repeated parameter); throws the 400 answer. */
export async function readForm(request: Request): Promise<URLSearchParams> {
  const type = request.headers.get('content-type') ?? ''
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw oauthError(
      400,
      'invalid_request',
      'The request must be application/x-www-form-urlencoded.',
    )
  }
  const form = new URLSearchParams(await request.text())
  for (const key of new Set(form.keys())) {
    if (form.getAll(key).length > 1) {
      throw oauthError(
        400,
        'invalid_request',
        `The '${key}' parameter was included multiple times.`,
      )
    }
  }
  return form
}
