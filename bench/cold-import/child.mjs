// One cold import, run by bench/cold-import.ts in a fresh `node` process (no
// loader, no flags): times `import(specifier)` and prints the milliseconds.
// Plain JavaScript on purpose, so nothing but Node itself runs before the import.
const specifier = process.argv[2]
const started = performance.now()
await import(specifier)
const ms = performance.now() - started
process.stdout.write(`${ms}\n`)
