/**
 * Installs perfSONAR's `pscheduler` index template (and its lifecycle policy where the ISM
 * plugin exists) before a migration writes, unless `--no-template`. The request bodies are
 * lib/pscheduler's; an existing template is left as it is.
 *
 * @module
 */
import type { Client } from "@opensearch-project/opensearch";
import { pschedulerSetupRequests } from "../../lib/pscheduler/mod.ts";

function status(error: unknown): number | undefined {
  return (error as { meta?: { statusCode?: number } })?.meta?.statusCode;
}

/**
 * Puts the template when missing; the ISM policy too when the plugin answers.
 *
 * @example
 * ```ts
 * import { installTemplate } from "./template.ts";
 * // await installTemplate(new Client({ node: "http://127.0.0.1:9200" }));
 * ```
 */
export async function installTemplate(client: Client): Promise<void> {
  for (const request of pschedulerSetupRequests()) {
    try {
      // GET, not HEAD: the client reports a HEAD 404 as a successful `false`.
      const exists = await client.transport.request({ method: "GET", path: request.path })
        .then((r) => r.statusCode === 200, (error) => {
          if (status(error) === 404 || request.plugin !== undefined) return false;
          throw new Error(`cannot check ${request.path}: ${(error as Error).message}`);
        });
      if (exists) continue;
      await client.transport.request({
        method: request.method,
        path: request.path,
        body: request.body as Record<string, unknown>,
      });
    } catch (error) {
      // A node without the ISM plugin cannot take the policy: the template is what matters.
      if (request.plugin !== undefined) continue;
      throw new Error(`cannot install ${request.path}: ${(error as Error).message}`);
    }
  }
}
