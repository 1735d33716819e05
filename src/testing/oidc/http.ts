// The wire conventions of the OAuth endpoints: JSON answers, answers that
// are never cached, OAuth error bodies, and form bodies read strictly.

/** @internal Headers of an answer no cache may keep. */
export const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' }

const utf8 = new TextEncoder()

/**
 * @internal A JSON answer with the headers msw's `HttpResponse.json` sets
 * (`content-type`, `content-length`; given headers win), made without the
 * Blob it builds to measure the body: a token request's answer costs half.
 */
export function jsonResponse(
  body: unknown,
  init: { status?: number; headers?: Record<string, string> } = {},
): Response {
  return jsonTextResponse(JSON.stringify(body), init)
}

/** @internal {@link jsonResponse} of a body already in JSON. */
export function jsonTextResponse(
  text: string,
  init: { status?: number; headers?: Record<string, string> } = {},
): Response {
  return new Response(text, {
    status: init.status ?? 200,
    headers: {
      'content-type': 'application/json',
      'content-length': String(utf8.encode(text).length),
      ...init.headers,
    },
  })
}

/** @internal An OAuth error body (`error`, `error_description`), never cached. */
export function oauthError(
  status: number,
  error: string,
  description: string,
  headers: Record<string, string> = {},
): Response {
  return jsonResponse(
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
