/**
 * One short line for a `node:util` `parseArgs` error, instead of its multi-line boilerplate
 * (`Option '--hours' argument is ambiguous. Did you forget …`).
 *
 * @module
 */

/**
 * The tool's one-line message for a command-line parse error (other errors: their message).
 *
 * @example
 * ```ts
 * import { usageMessage } from "./usage_message.ts";
 * import { parseArgs } from "node:util";
 * let message = "";
 * try {
 *   parseArgs({ args: ["--bogus"], options: {} });
 * } catch (error) {
 *   message = usageMessage(error);
 * }
 * if (message !== "unknown option --bogus") throw new Error(message);
 * ```
 */
export function usageMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const option = /Option '([^' ]+)/.exec(message)?.[1] ?? /option '([^']+)'/i.exec(message)?.[1];
  const code = (error as { code?: string } | null)?.code;
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && option !== undefined) {
    return `unknown option ${option}`;
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && option !== undefined) {
    if (/ambiguous/.test(message)) {
      return `${option} needs a value (for one starting with '-', write ${option}=VALUE)`;
    }
    if (/missing/.test(message)) return `${option} needs a value`;
    return `${option}: ${message.split("\n")[0]}`;
  }
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
    return `unexpected argument ${/'([^']+)'/.exec(message)?.[1] ?? ""}`.trimEnd();
  }
  return message.split("\n")[0];
}
