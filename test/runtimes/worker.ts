/**
 * The smoke flows as a Cloudflare Worker (module syntax), run by workerd
 * through miniflare: each request runs them against the org named in the
 * `SMOKE_CONFIG` binding and answers with their JSON. Bundled by esbuild with
 * the conditions Cloudflare's tooling uses (`workerd`, `worker`, `browser`).
 */
import { type SmokeConfig, smoke } from './smoke.js'

export default {
  async fetch(_request: Request, env: { SMOKE_CONFIG: string }): Promise<Response> {
    return Response.json(await smoke(JSON.parse(env.SMOKE_CONFIG) as SmokeConfig))
  },
}
