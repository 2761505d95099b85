/**
 * Tests that need a program installed on the machine: outside CI an absent program ignores
 * the test (one line says which); with `CI=true` the test runs and fails.
 *
 * @module
 */

function onPath(name: string): boolean {
  if (name.includes("/")) {
    try {
      return Deno.statSync(name).isFile;
    } catch {
      return false;
    }
  }
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      if (Deno.statSync(`${dir}/${name}`).isFile) return true;
    } catch {
      // not here
    }
  }
  return false;
}

/**
 * The `ignore` value for `Deno.test`: true (after one line naming what is missing) when a
 * program is absent and `CI` is not `true`.
 *
 * @example
 * ```ts
 * import { requireProgram } from "./require_program.ts";
 * Deno.test({ name: "needs sh", ignore: requireProgram("sh"), fn() {} });
 * ```
 */
export function requireProgram(...names: string[]): boolean {
  const missing = names.filter((n) => !onPath(n));
  if (missing.length === 0) return false;
  if (Deno.env.get("CI") === "true") return false;
  console.warn(`IGNORED: needs ${missing.join(", ")} (not installed)`);
  return true;
}
