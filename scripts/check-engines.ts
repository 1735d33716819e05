// Every package npm installs for this project (dev dependencies included)
// must accept the oldest Node.js the package supports (`engines.node` in
// package.json), so no install prints EBADENGINE and the test tools run where
// the SDK claims to. Reads the lock; run by `npm test`.
import { readFileSync } from 'node:fs'
import semver from 'semver'

interface LockEntry {
  version?: string
  optional?: boolean
  engines?: { node?: string } | string[]
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } }
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
  packages: Record<string, LockEntry>
}
const oldest = semver.minVersion(pkg.engines.node)
if (!oldest) throw new Error(`package.json engines.node ${pkg.engines.node} is not a range`)

const refused: string[] = []
for (const [path, entry] of Object.entries(lock.packages)) {
  if (path === '' || entry.optional) continue
  const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node
  if (range && !semver.satisfies(oldest, range, { includePrerelease: true })) {
    refused.push(`${path.replace(/^.*node_modules\//, '')}@${entry.version}: node ${range}`)
  }
}
if (refused.length > 0) {
  console.error(
    `These packages refuse Node.js ${oldest.version} (engines.node ${pkg.engines.node}):`,
  )
  for (const line of refused) console.error(`  ${line}`)
  console.error('Pick versions that agree (an "overrides" entry in package.json).')
  process.exit(1)
}
console.log(`engines: every installed package accepts Node.js ${oldest.version}`)
