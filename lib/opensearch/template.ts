/**
 * Installing perfSONAR's `pscheduler` index template and ISM lifecycle policy (the bodies are
 * `lib/pscheduler/index_template.ts`, spec §3.1, §3.2) when missing.
 *
 * @module
 */
import type { Client } from "@opensearch-project/opensearch";
import {
  PSCHEDULER_INDEX_TEMPLATE,
  PSCHEDULER_ISM_POLICY,
  PSCHEDULER_POLICY_NAME,
  PSCHEDULER_TEMPLATE_NAME,
} from "../pscheduler/index_template.ts";

/**
 * Installs the template and the lifecycle policy unless they exist; returns what it installed.
 * A cluster without the ISM plugin gets the template only.
 *
 * @example
 * ```ts
 * import { installPschedulerTemplate } from "./template.ts";
 * // await installPschedulerTemplate(client); // ["template", "policy"] on a fresh cluster
 * ```
 */
export async function installPschedulerTemplate(client: Client): Promise<string[]> {
  const installed: string[] = [];
  const exists = await client.indices.existsIndexTemplate({ name: PSCHEDULER_TEMPLATE_NAME });
  if (!exists.body) {
    await client.indices.putIndexTemplate({
      name: PSCHEDULER_TEMPLATE_NAME,
      body: PSCHEDULER_INDEX_TEMPLATE,
    } as never);
    installed.push("template");
  }
  const path = `/_plugins/_ism/policies/${PSCHEDULER_POLICY_NAME}`;
  // 400 "no handler found": the cluster has no ISM plugin.
  const policy = await client.transport.request({ method: "GET", path }, { ignore: [400, 404] });
  if (policy.statusCode === 404) {
    const put = await client.transport.request(
      { method: "PUT", path, body: PSCHEDULER_ISM_POLICY },
      { ignore: [400, 404, 409] },
    );
    if (put.statusCode === 200 || put.statusCode === 201) installed.push("policy");
  }
  return installed;
}
