/**
 * What `promise` rejects with; the test fails ("expected a rejection") if it
 * resolves. Typed `any` so a test can read an error's fields (`code`,
 * `status`, …) without a cast.
 */
export async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise
  } catch (err) {
    return err
  }
  throw new Error('expected a rejection')
}
