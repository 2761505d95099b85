/**
 * `deno task compile [--target T] [--out DIR] [--dry-run] [TOOL…]`: one self-contained binary
 * per tool (default: all of them) into `dist/`.
 *
 * `deno compile` embeds the program into a `denort` runtime binary, which it downloads unless
 * the `DENORT_BIN` environment variable names a local copy (same Deno version and target).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { findTool, REPO_ROOT, TOOLS, type ToolSpec } from "./tools.ts";

/** What one `deno compile` call is made of. */
export interface CompilePlan {
  /** The tool being built. */
  readonly tool: ToolSpec;
  /** Arguments after the `deno` executable. */
  readonly args: string[];
}

/** Options for {@linkcode planCompile}. */
export interface PlanOptions {
  /** Tools to build; all when empty. */
  readonly names: readonly string[];
  /** Output folder. */
  readonly outDir: string;
  /** `--target` passed through to `deno compile`, e.g. `aarch64-unknown-linux-gnu`. */
  readonly target?: string;
}

/**
 * Builds the `deno compile` argument lists, one per tool.
 *
 * @example
 * ```ts
 * import { planCompile } from "./compile.ts";
 * const plans = planCompile({ names: ["esmond-ps-get"], outDir: "dist" });
 * console.log(plans[0].args.join(" "));
 * ```
 */
export function planCompile(options: PlanOptions): CompilePlan[] {
  const tools = options.names.length === 0 ? [...TOOLS] : options.names.map((name) => {
    const tool = findTool(name);
    if (tool === undefined) {
      throw new Error(`unknown tool '${name}' (known: ${TOOLS.map((t) => t.name).join(", ")})`);
    }
    return tool;
  });
  return tools.map((tool) => ({
    tool,
    args: [
      "compile",
      "--frozen",
      "--no-prompt",
      "--config",
      `${REPO_ROOT}/deno.json`,
      ...(options.target ? ["--target", options.target] : []),
      "--output",
      `${options.outDir}/${tool.name}`,
      ...tool.permissions,
      ...(tool.runtimeFlags ?? []),
      ...(tool.compileIncludes ?? []).flatMap((path) => ["--include", `${REPO_ROOT}/${path}`]),
      `${REPO_ROOT}/${tool.entry}`,
    ],
  }));
}

/** The one line printed when no runtime binary can be had. */
export const MISSING_DENORT_MESSAGE =
  "error: deno compile could not get the denort runtime (no internet access?): set " +
  "DENORT_BIN=/path/to/denort (the denort of this Deno version and target) and run again";

const DOWNLOAD_FAILURE = /denort|download|dns error|error sending request|connect|network/i;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      target: { type: "string" },
      out: { type: "string", default: `${REPO_ROOT}/dist` },
      "dry-run": { type: "boolean", default: false },
    },
  });
  let plans: CompilePlan[];
  try {
    plans = planCompile({ names: positionals, outDir: values.out!, target: values.target });
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    return 1;
  }
  const denort = Deno.env.get("DENORT_BIN") || undefined;
  if (denort === undefined) Deno.env.delete("DENORT_BIN");
  else {
    const info = await Deno.stat(denort).catch(() => null);
    if (info === null || !info.isFile) {
      console.error(`error: DENORT_BIN=${denort} is not a file: point it at a denort binary`);
      return 1;
    }
  }
  for (const plan of plans) {
    const line = `${denort ? `DENORT_BIN=${denort} ` : ""}deno ${plan.args.join(" ")}`;
    if (values["dry-run"]) {
      console.log(line);
      continue;
    }
    console.error(`building ${plan.tool.name}`);
    const result = await new Deno.Command(Deno.execPath(), {
      args: plan.args,
      stdout: "inherit",
      stderr: "piped",
    }).output();
    if (!result.success) {
      const stderr = new TextDecoder().decode(result.stderr);
      if (denort === undefined && DOWNLOAD_FAILURE.test(stderr)) {
        console.error(MISSING_DENORT_MESSAGE);
      } else {
        console.error(stderr.trimEnd());
        console.error(`error: building ${plan.tool.name} failed`);
      }
      return 1;
    }
  }
  return 0;
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
