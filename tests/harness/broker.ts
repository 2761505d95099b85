/**
 * Real message brokers for the tests, started through `scripts/broker.sh`: a private RabbitMQ
 * (AMQP 0-9-1 + STOMP plugin + consistent-hash exchange) or ActiveMQ (STOMP), on free loopback
 * ports, with their own data folder, stopped by PID.
 *
 * @module
 */
import { REPO_ROOT } from "../../scripts/tools.ts";
import type { Program } from "./programs.ts";

/** Brokers the tests run against. */
export type BrokerKind = "rabbitmq" | "activemq";

/** What `scripts/broker.sh` needs for each broker (for `requirePrograms`). */
export const BROKER_PROGRAMS: Readonly<Record<BrokerKind, readonly (string | Program)[]>> = {
  rabbitmq: ["bash", "python3", "rabbitmq-server", {
    name: "epmd",
    install: "apt-get install erlang-base",
  }],
  activemq: ["bash", "python3", "activemq", "java"],
};

/** Both brokers' programs. */
export const BOTH_BROKERS: readonly (string | Program)[] = [
  ...BROKER_PROGRAMS.rabbitmq,
  ...BROKER_PROGRAMS.activemq.filter((p) => !BROKER_PROGRAMS.rabbitmq.includes(p)),
];

/** One running broker. */
export interface Broker extends AsyncDisposable {
  readonly kind: BrokerKind;
  readonly dir: string;
  /** AMQP port (RabbitMQ only). */
  readonly amqpPort?: number;
  readonly stompPort: number;
  /** TLS ports (a broker started with `tlsDir`; ActiveMQ has `stompsPort` only). */
  readonly amqpsPort?: number;
  readonly stompsPort?: number;
  /** Stops the broker (data and ports kept). */
  stop(): Promise<void>;
  /** Starts it again in the same folder, on the same ports. */
  start(): Promise<void>;
}

const SCRIPT = `${REPO_ROOT}/scripts/broker.sh`;
const decoder = new TextDecoder();

async function script(args: string[], env: Record<string, string> = {}): Promise<string> {
  const out = await new Deno.Command(SCRIPT, { args, env, stdout: "piped", stderr: "piped" })
    .output();
  if (!out.success) {
    throw new Error(`broker.sh ${args.join(" ")}: ${decoder.decode(out.stderr).trim()}`);
  }
  return decoder.decode(out.stdout).trim();
}

/**
 * Starts a broker of `kind` in a fresh temp folder.
 *
 * @example
 * ```ts ignore
 * import { startBroker } from "./broker.ts";
 * await using broker = await startBroker("activemq");
 * broker.stompPort;
 * ```
 */
export async function startBroker(
  kind: BrokerKind,
  options: { tlsDir?: string } = {},
): Promise<Broker> {
  const dir = await Deno.makeTempDir({ prefix: `xrd-${kind}-` });
  const env: Record<string, string> = options.tlsDir ? { BROKER_TLS_DIR: options.tlsDir } : {};
  let ports: string;
  try {
    ports = await script(["start", kind, dir], env);
  } catch (error) {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    throw error;
  }
  const port = (name: string) => {
    const m = new RegExp(`${name}=(\\d+)`).exec(ports);
    return m ? Number(m[1]) : undefined;
  };
  return {
    kind,
    dir,
    amqpPort: port("amqp"),
    stompPort: port("stomp")!,
    amqpsPort: port("amqps"),
    stompsPort: port("stomps"),
    stop: async () => void await script(["stop", dir]),
    start: async () => void await script(["start", kind, dir], env),
    async [Symbol.asyncDispose]() {
      await script(["stop", dir]).catch(() => {});
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}
