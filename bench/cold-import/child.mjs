// One cold import, run by bench/cold-import.ts in a fresh `node` process (no
// loader, no flags): times `import(specifier)` and prints the wall-clock and
// CPU (user + system, all threads) milliseconds as JSON. Plain JavaScript on
// purpose, so nothing but Node itself runs before the import.
const specifier = process.argv[2]
const cpu = process.cpuUsage()
const started = performance.now()
await import(specifier)
const ms = performance.now() - started
const used = process.cpuUsage(cpu)
process.stdout.write(`${JSON.stringify({ ms, cpuMs: (used.user + used.system) / 1000 })}\n`)
