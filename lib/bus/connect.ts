/**
 * Connecting to a bus target: the PEM files it names, the amqplib connection arguments (TLS
 * verified, optional client certificate) and a connected STOMP client.
 *
 * @module
 */
import type * as amqp from "amqplib";
import { StompClient } from "./stomp_client.ts";
import type { BusTarget } from "./target.ts";

/** PEM files of a target, read. */
export interface TlsMaterial {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
}

/** Reads the PEM files a target names. */
export async function readTlsMaterial(target: BusTarget): Promise<TlsMaterial> {
  const read = (path?: string) => path === undefined ? undefined : Deno.readTextFile(path);
  return { ca: await read(target.ca), cert: await read(target.cert), key: await read(target.key) };
}

/** The amqplib connection options of a target (TLS verified, optional client certificate). */
export function amqpConnectArgs(
  target: BusTarget,
  tls: TlsMaterial,
): [amqp.Options.Connect, Record<string, unknown>] {
  return [{
    protocol: target.tls ? "amqps" : "amqp",
    hostname: target.hostname,
    port: target.port,
    username: target.username ?? "guest",
    password: target.password ?? "guest",
    vhost: target.vhost,
    heartbeat: 30,
  }, {
    timeout: 10_000,
    ...(target.tls
      ? {
        // SNI takes names only; for an address the certificate's IP SAN is checked.
        ...(/^[\d.]+$|:/.test(target.hostname) ? {} : { servername: target.hostname }),
        rejectUnauthorized: true,
        ...(tls.ca ? { ca: [tls.ca] } : {}),
        ...(tls.cert ? { cert: tls.cert, key: tls.key } : {}),
      }
      : {}),
  }];
}

/** Connects a STOMP client for a target. */
export async function connectStomp(target: BusTarget, tls: TlsMaterial): Promise<StompClient> {
  return await StompClient.connect({
    hostname: target.hostname,
    port: target.port,
    tls: target.tls,
    caCerts: tls.ca === undefined ? undefined : [tls.ca],
    cert: tls.cert,
    key: tls.key,
    login: target.username,
    passcode: target.password,
    vhost: target.vhost,
  });
}
