// The README as the API docs' front page (.typedoc/README.md, git-ignored;
// written by `npm run docs` before typedoc runs). Three differences from
// the README on GitHub, each a TypeDoc rendering problem:
// - the first heading (`# okta-oauth-kit`) goes: TypeDoc already titles the
//   page with the project name, so it showed twice;
// - code spans in headings become plain text: TypeDoc's "On This Page"
//   navigation drops them ("Resource servers:" instead of
//   "Resource servers: okta-oauth-kit/verifier");
// - relative links get one `../` more, since the copy lives one folder down
//   (the linked Markdown files are rendered as project documents, see
//   typedoc.json, instead of being copied raw).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
const readme = readFileSync(join(root, 'README.md'), 'utf8')

let inFence = false
const lines = readme.split('\n').map((line) => {
  if (line.startsWith('```')) inFence = !inFence
  if (inFence) return line
  if (/^#{1,6} /.test(line)) return line.replace(/`([^`]*)`/g, '$1')
  return line
})
const first = lines.findIndex((l) => /^# /.test(l))
if (first >= 0) lines.splice(first, lines[first + 1] === '' ? 2 : 1)

const text = lines
  .join('\n')
  // [text](relative/path) and [text](relative/path#anchor): not URLs, anchors or absolute paths.
  .replace(/\]\((?![a-z][a-z0-9+.-]*:|#|\/)([^)\s]+)\)/gi, '](../$1)')

mkdirSync(join(root, '.typedoc'), { recursive: true })
writeFileSync(join(root, '.typedoc', 'README.md'), text)
