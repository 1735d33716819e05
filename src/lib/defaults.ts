// Defaults shared by more than one entry, in one place. Each entry's own
// defaults live with its options (CLIENT_DEFAULTS in oauth/client-options.ts,
// the verifier's, the admin client's, the browser's and the server's), and
// refer to these where they are the same fact.

/** @internal Tolerance for token time claims (`exp`, `iat`, `nbf`, `auth_time`), in seconds. */
export const DEFAULT_CLOCK_TOLERANCE = 30
