/**
 * Tests that need a program outside Deno (a real server or client: iperf3, xrootd, GridFTP, a
 * JVM for the search engines, a message broker, a browser …). When one is not on `PATH` the test
 * is *ignored* (Deno's `ignore:`; never failed, never counted as passed) and one line names the
 * program and how to install it. Under `CI=true` the programs are required: a missing one makes
 * the test fail with that same line (`.ci/run` installs them from `.ci/apt-packages`).
 *
 * @example
 * ```ts ignore
 * import { requirePrograms } from "./programs.ts";
 * Deno.test(requirePrograms(["iperf3"], {
 *   name: "a real iperf3 measurement is stored",
 *   async fn() {
 *     // … spawns iperf3 …
 *   },
 * }));
 * ```
 *
 * @module
 */

/** A program a test needs, with the command that installs it. */
export interface Program {
  /** Executable name, looked up on `PATH` (then `/usr/local/sbin`, `/usr/sbin`, `/sbin`). */
  readonly name: string;
  /** How to install it (shown when it is missing). */
  readonly install: string;
}

/**
 * The install command of every program the suite uses (Debian package names, as in
 * `.ci/apt-packages`). A program not listed here can be passed as a {@linkcode Program}.
 */
export const KNOWN_PROGRAMS: Readonly<Record<string, string>> = {
  iperf3: "apt-get install iperf3",
  xrootd: "apt-get install xrootd-server",
  xrdcp: "apt-get install xrootd-client",
  "globus-gridftp-server": "apt-get install globus-gridftp-server-progs",
  "globus-url-copy": "apt-get install globus-gass-copy-progs",
  java: "apt-get install openjdk-17-jre-headless",
  mvn: "apt-get install maven",
  curl: "apt-get install curl",
  python3: "apt-get install python3",
  openssl: "apt-get install openssl",
  bash: "apt-get install bash",
  sh: "apt-get install dash",
  git: "apt-get install git",
  "rabbitmq-server": "apt-get install rabbitmq-server",
  activemq: "apt-get install activemq",
  chromium: "apt-get install chromium",
};

/** What the search-engine tests need (`scripts/search_engine.sh` and its JVM runners). */
export const SEARCH_ENGINE_PROGRAMS: readonly string[] = ["bash", "java", "mvn", "curl", "python3"];

function toProgram(program: string | Program): Program {
  if (typeof program !== "string") return program;
  return { name: program, install: KNOWN_PROGRAMS[program] ?? `install ${program}` };
}

/** Where Debian puts daemons (outside an ordinary user's `PATH`); searched after `PATH`. */
const SBIN = ["/usr/local/sbin", "/usr/sbin", "/sbin"];

/**
 * Absolute path of `name` (an executable regular file) on `PATH` or in the `sbin` folders, or
 * `undefined`.
 *
 * @example
 * ```ts
 * import { findProgram } from "./programs.ts";
 * import { assertEquals } from "./assert.ts";
 * assertEquals(findProgram("no-such-program-here"), undefined);
 * ```
 */
export function findProgram(name: string, path = Deno.env.get("PATH") ?? ""): string | undefined {
  for (const dir of [...path.split(":"), ...SBIN]) {
    if (dir === "") continue;
    const candidate = `${dir}/${name}`;
    try {
      const info = Deno.statSync(candidate);
      if (info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0) return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/**
 * The programs of `needs` that are not on `PATH`.
 *
 * @example
 * ```ts
 * import { missingPrograms } from "./programs.ts";
 * import { assertEquals } from "./assert.ts";
 * assertEquals(missingPrograms(["no-such-program-here"]).map((p) => p.name), ["no-such-program-here"]);
 * ```
 */
export function missingPrograms(
  needs: readonly (string | Program)[],
  path?: string,
): Program[] {
  return needs.map(toProgram).filter((program) => findProgram(program.name, path) === undefined);
}

/**
 * The one line that names missing programs and how to install them (Debian packages merged
 * into one `apt-get install`).
 *
 * @example
 * ```ts
 * import { missingLine } from "./programs.ts";
 * import { assertEquals } from "./assert.ts";
 * assertEquals(
 *   missingLine("t", [
 *     { name: "xrootd", install: "apt-get install xrootd-server" },
 *     { name: "xrdcp", install: "apt-get install xrootd-client" },
 *   ]),
 *   "t: needs xrootd, xrdcp, not installed (apt-get install xrootd-server xrootd-client)",
 * );
 * ```
 */
export function missingLine(test: string, missing: readonly Program[]): string {
  const names = missing.map((p) => p.name).join(", ");
  const apt = /^apt-get install (.+)$/;
  const packages = [...new Set(missing.flatMap((p) => apt.exec(p.install)?.[1] ?? []))];
  const others = [...new Set(missing.filter((p) => !apt.test(p.install)).map((p) => p.install))];
  const installs = [
    ...(packages.length > 0 ? [`apt-get install ${packages.join(" ")}`] : []),
    ...others,
  ]
    .join("; ");
  return `${test}: needs ${names}, not installed (${installs})`;
}

/** Options of {@linkcode requirePrograms}. */
export interface RequireOptions {
  /** `PATH` to search (default: the environment's). */
  readonly path?: string;
  /** Whether programs are required (default: `CI=true` in the environment). */
  readonly ci?: boolean;
  /** Where the one line goes (default `console.log`). */
  readonly report?: (line: string) => void;
}

/**
 * The test definition `definition`, adjusted for the programs it needs: unchanged when they are
 * all on `PATH`; otherwise ignored with one line on the console naming them and their install
 * commands, or, under `CI=true`, made to fail with that line.
 *
 * @example
 * ```ts
 * import { requirePrograms } from "./programs.ts";
 * import { assertEquals } from "./assert.ts";
 * const lines: string[] = [];
 * const def = requirePrograms(["no-such-program-here"], { name: "t", fn() {} }, {
 *   ci: false,
 *   report: (line) => lines.push(line),
 * });
 * assertEquals(def.ignore, true);
 * assertEquals(lines, [
 *   "ignored: t: needs no-such-program-here, not installed (install no-such-program-here)",
 * ]);
 * ```
 */
export function requirePrograms(
  needs: readonly (string | Program)[],
  definition: Deno.TestDefinition,
  options: RequireOptions = {},
): Deno.TestDefinition {
  const missing = missingPrograms(needs, options.path);
  if (missing.length === 0) return definition;
  const line = missingLine(definition.name, missing);
  const ci = options.ci ?? Deno.env.get("CI") === "true";
  if (ci) {
    return {
      ...definition,
      fn() {
        throw new Error(`${line}; required under CI=true`);
      },
    };
  }
  (options.report ?? console.log)(`ignored: ${line}`);
  return { ...definition, ignore: true };
}
