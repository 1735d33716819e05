// The profile claims of a user, for the ID token and userinfo.

/** @internal The profile claims the scopes allow (`profile`, `email`, `phone`, `address`, `groups`). */
export function profileClaims(
  user: { id: string; login: string; profile?: Record<string, unknown>; groups?: string[] },
  scopes: string[],
): Record<string, unknown> {
  const p = user.profile ?? {}
  const out: Record<string, unknown> = {}
  if (scopes.includes('profile')) {
    for (const k of [
      'name',
      'given_name',
      'family_name',
      'middle_name',
      'nickname',
      'locale',
      'zoneinfo',
      'picture',
      'website',
      'gender',
      'birthdate',
    ]) {
      if (p[k] !== undefined) out[k] = p[k]
    }
    out.preferred_username = user.login
    out.updated_at = Math.floor(Date.now() / 1000)
  }
  if (scopes.includes('email')) {
    out.email = p.email ?? user.login
    out.email_verified = p.email_verified ?? true
  }
  if (scopes.includes('phone') && p.phone_number !== undefined) out.phone_number = p.phone_number
  if (scopes.includes('address') && p.address !== undefined) out.address = p.address
  if (scopes.includes('groups')) out.groups = user.groups ?? []
  return out
}
