/**
 * Finds `measurement-agent`: the local address used to reach input-destination. The original
 * asked the kernel through a connected UDP socket (and crashed on IPv6 literals); here the
 * routing table is read, which works for both families and sends nothing.
 *
 * @module
 */
import { chooseSourceAddress, type LocalAddress, parseIp, parseRoutes } from "./route_choice.ts";

async function readOrEmpty(path: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch {
    return "";
  }
}

function localAddresses(): LocalAddress[] {
  try {
    return Deno.networkInterfaces().filter((a) => a.family === "IPv4" || a.family === "IPv6");
  } catch {
    return [];
  }
}

async function resolveHost(host: string): Promise<string[]> {
  const found: string[] = [];
  for (const type of ["A", "AAAA"] as const) {
    try {
      found.push(...await Deno.resolveDns(host, type));
    } catch {
      // no record of this type
    }
  }
  return found;
}

/**
 * The local address used to reach `destination` (address or host name), or `undefined` when it
 * cannot be determined (no route, no permission, not Linux).
 *
 * @example
 * ```ts
 * import { findMeasurementAgent } from "./measurement_agent.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(await findMeasurementAgent("127.0.0.1"), "127.0.0.1");
 * ```
 */
export async function findMeasurementAgent(destination: string): Promise<string | undefined> {
  const targets = parseIp(destination) ? [destination] : await resolveHost(destination);
  if (targets.length === 0) return undefined;
  const routes = parseRoutes(
    await readOrEmpty("/proc/net/route"),
    await readOrEmpty("/proc/net/ipv6_route"),
  );
  const addresses = localAddresses();
  for (const target of targets) {
    const chosen = chooseSourceAddress(target, routes, addresses);
    if (chosen !== undefined) return chosen;
  }
  return undefined;
}
