// The hostile `returnTo` values every entry must refuse, and ordinary ones
// it must keep, shared by the tests of the check itself, `./browser` and
// `./server`. Each hostile value is [why, value].

const EVIL = 'evil.example'

/** Values that lead, or could lead after one decoding, off the app's origin (or are not paths). */
export const HOSTILE_RETURN_TO: readonly (readonly [string, unknown])[] = [
  ['TAB after the first slash (browsers drop it: //evil)', `/\t/${EVIL}/x`],
  ['LF after the first slash', `/\n/${EVIL}`],
  ['CR after the first slash', `/\r/${EVIL}`],
  ['CRLF after the first slash', `/\r\n/${EVIL}`],
  ['TAB before everything', `\t//${EVIL}`],
  ['CRLF header injection', '/ok\r\nSet-Cookie: x=1'],
  ['TAB at the end', '/orders\t'],
  ['LF in the query', '/orders?q=a\nb'],
  ['CR in the fragment', '/orders#a\rb'],
  ['NUL', '/orders\u0000'],
  ['DEL', '/orders\u007f'],
  ['C1 NEL', '/orders\u0085'],
  ['LINE SEPARATOR', `/\u2028/${EVIL}`],
  ['PARAGRAPH SEPARATOR', '/orders\u2029'],
  ['protocol-relative', `//${EVIL}`],
  ['three slashes', `///${EVIL}`],
  ['backslash after the slash', `/\\${EVIL}`],
  ['slash backslash slash', `/\\/${EVIL}`],
  ['two backslashes', `\\\\${EVIL}`],
  ['backslash in the path', '/a\\b'],
  ['percent-encoded TAB', `/%09/${EVIL}`],
  ['percent-encoded LF', `/%0a/${EVIL}`],
  ['percent-encoded CRLF', '/ok%0D%0ASet-Cookie:%20x=1'],
  ['percent-encoded slash', `/%2F${EVIL}`],
  ['percent-encoded slashes, lower case', `/%2f%2f${EVIL}`],
  ['percent-encoded backslash', `/%5C${EVIL}`],
  ['double-encoded slash', `/%252F${EVIL}`],
  ['deeply encoded slash', `/%25252525252F${EVIL}`],
  ['absolute https URL', `https://${EVIL}/`],
  ['scheme only', 'https:'],
  ['http without slashes', `http:${EVIL}`],
  ['javascript URL', 'javascript:alert(1)'],
  ['javascript URL, mixed case', 'JaVaScRiPt:alert(1)'],
  ['data URL', 'data:text/html,<script>alert(1)</script>'],
  ['leading space', ` //${EVIL}`],
  ['relative path', 'dashboard'],
  ['query only', '?x=1'],
  ['fragment only', '#top'],
  ['empty', ''],
  ['longer than 2048 characters', `/${'a'.repeat(2048)}`],
  ['very long', `/${'a'.repeat(100_000)}`],
  ['a number', 42],
  ['null', null],
  ['an object', { toString: () => '/orders' }],
]

/** Ordinary same-origin paths, kept unchanged. */
export const SAFE_RETURN_TO: readonly string[] = [
  '/',
  '/orders',
  '/orders?page=2#top',
  '/search?q=a%20b&sort=asc',
  '/discount?pct=10%25',
  '/caf%C3%A9',
  '/a/b/../c',
  '/%E2%80%A8',
  '/with space',
  `/${'a'.repeat(2047)}`,
]
