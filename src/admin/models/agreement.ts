// The compile-time proof that a documented interface and the zod schema that
// checks the wire describe the same thing. Every exported schema is typed
// `z.ZodType<Interface>` (schema ⊆ interface); each model file ends with an
// `_Agreement` tuple of `Expect<Same<z.output<typeof schema>, Interface>>`
// (and `z.input` for request bodies), which proves the converse, and that
// both name the same properties at every depth (index signatures would
// otherwise let an optional property be missing on either side).

type Known<T> = T extends readonly (infer U)[]
  ? Known<U>[]
  : T extends object
    ? { [K in keyof T as string extends K ? never : K]-?: Known<Exclude<T[K], undefined>> }
    : T
type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
/** @internal `true` when `A` and `B` are the same type, property by property at every depth. */
export type Same<A, B> = Mutual<A, B> extends true ? Mutual<Known<A>, Known<B>> : false
/** @internal Fails to compile unless `T` is `true`. */
export type Expect<T extends true> = T
