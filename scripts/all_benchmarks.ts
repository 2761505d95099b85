/**
 * `deno task bench`: runs `deno bench` over every `*_bench.ts` file, then each
 * `scripts/bench_*.ts` script in turn. Extra arguments are passed to `deno bench`.
 *
 * Not named `bench.ts`: `deno bench` takes every `bench.ts` for a benchmark file, so this
 * script started itself again from its own `deno bench`, without end.
 *
 * @module
 */
import { REPO_ROOT } from "./tools.ts";

async function run(args: string[]): Promise<boolean> {
  console.error(`$ deno ${args.join(" ")}`);
  const status = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: REPO_ROOT,
    stdout: "inherit",
    stderr: "inherit",
  }).spawn().status;
  return status.success;
}

async function benchScripts(): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(`${REPO_ROOT}/scripts`)) {
    if (entry.isFile && /^bench_.+\.ts$/.test(entry.name)) names.push(`scripts/${entry.name}`);
  }
  return names.sort();
}

let ok = await run(["bench", "--allow-all", "--frozen", "--permit-no-files", ...Deno.args]);
for (const script of await benchScripts()) {
  ok = (await run(["run", "--allow-all", "--frozen", script])) && ok;
}
Deno.exit(ok ? 0 : 1);
