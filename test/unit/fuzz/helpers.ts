// The shared pieces of the property-based tests, by concept: inputs
// (arbitraries.ts), the properties every outcome must have (properties.ts)
// and hostile tokens (tokens.ts). Test files import them from here.
export * from './arbitraries.js'
export * from './properties.js'
export * from './tokens.js'
