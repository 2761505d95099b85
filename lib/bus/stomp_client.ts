/**
 * A small STOMP 1.2 client over `Deno.connect` / `Deno.connectTls`: publish with a receipt per
 * frame (so "sent" means "the broker has it"), and subscribe with client-individual
 * acknowledgement. TLS verifies the broker's certificate (system roots or `caCerts`); a client
 * certificate may be given.
 *
 * @module
 */
import { encodeFrame, FrameDecoder, type StompFrame } from "./stomp_frame.ts";

/** How to reach a STOMP broker. */
export interface StompConnectOptions {
  readonly hostname: string;
  readonly port: number;
  /** Use TLS (verified against the system roots or `caCerts`). */
  readonly tls?: boolean;
  /** PEM CA certificates to trust instead of the system roots. */
  readonly caCerts?: string[];
  /** PEM client certificate and key. */
  readonly cert?: string;
  readonly key?: string;
  readonly login?: string;
  readonly passcode?: string;
  /** The CONNECT `host` header (virtual host; default `/`, what RabbitMQ expects). */
  readonly vhost?: string;
  /** Give up connecting after this many ms (default 10 000). */
  readonly timeoutMs?: number;
}

/**
 * A transaction (or message) whose RECEIPT never came. `written` tells whether its frames had
 * been handed to the connection: if so the broker may have committed it before the connection
 * ended, and a resend may deliver it twice.
 */
export class StompUnconfirmedError extends Error {
  /** Builds the error; `written` as above. */
  constructor(message: string, readonly written: boolean) {
    super(message);
    this.name = "StompUnconfirmedError";
  }
}

/** A delivered MESSAGE and how to acknowledge it. */
export interface StompMessage {
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
  /** Acknowledges this message (client-individual). */
  ack(): Promise<void>;
}

interface Pending {
  resolve(): void;
  reject(error: Error): void;
}

/**
 * A connected STOMP session; build it with {@linkcode StompClient.connect}.
 *
 * @example
 * ```ts ignore
 * import { StompClient } from "./stomp_client.ts";
 * const client = await StompClient.connect({ hostname: "127.0.0.1", port: 61613 });
 * await client.send("/queue/a", new TextEncoder().encode("{}"), { "content-type": "application/json" });
 * await client.close();
 * ```
 */
export class StompClient {
  readonly #conn: Deno.Conn;
  readonly #pending = new Map<string, Pending>();
  readonly #subscriptions = new Map<string, (message: StompMessage) => void>();
  #nextId = 1;
  #closed: Error | undefined;
  #connected!: () => void;
  #failedConnect!: (error: Error) => void;
  #writing: Promise<void> = Promise.resolve();
  /** Resolves when the connection has ended (error or close). */
  readonly done: Promise<void>;

  private constructor(conn: Deno.Conn) {
    this.#conn = conn;
    this.done = this.#read();
  }

  /** Opens the TCP/TLS connection and completes the CONNECT handshake. */
  static async connect(options: StompConnectOptions): Promise<StompClient> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    const signal = AbortSignal.timeout(timeoutMs);
    const conn = options.tls
      ? await Deno.connectTls({
        hostname: options.hostname,
        port: options.port,
        caCerts: options.caCerts,
        cert: options.cert,
        key: options.key,
        signal,
      } as Deno.ConnectTlsOptions)
      : await Deno.connect({ hostname: options.hostname, port: options.port, signal });
    const client = new StompClient(conn);
    const connected = new Promise<void>((resolve, reject) => {
      client.#connected = resolve;
      client.#failedConnect = reject;
    });
    // Failures before the await below (the CONNECT write) must not leave it unhandled.
    connected.catch(() => {});
    const headers: Record<string, string> = {
      "accept-version": "1.2",
      host: options.vhost ?? "/",
      "heart-beat": "0,0",
    };
    if (options.login !== undefined) headers.login = options.login;
    if (options.passcode !== undefined) headers.passcode = options.passcode;
    try {
      await client.#write(encodeFrame("CONNECT", headers));
    } catch (error) {
      client.#fail(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
    const timer = setTimeout(
      () => client.#fail(new Error(`no CONNECTED within ${timeoutMs} ms`)),
      timeoutMs,
    );
    try {
      await connected;
    } finally {
      clearTimeout(timer);
    }
    return client;
  }

  /** Sends one message and resolves once the broker's RECEIPT for it arrived. */
  send(destination: string, body: Uint8Array, headers: Record<string, string> = {}): Promise<void> {
    const receipt = String(this.#nextId++);
    const done = this.#expect(receipt);
    this.#write(encodeFrame("SEND", { ...headers, destination, receipt }, body)).catch(() => {});
    return done;
  }

  /**
   * Sends messages in one transaction (BEGIN, SENDs, COMMIT with a receipt): the broker takes
   * all or none, and stores them with one sync instead of one per message. Without a RECEIPT it
   * rejects with a {@linkcode StompUnconfirmedError}.
   */
  sendBatch(
    messages: readonly {
      destination: string;
      body: Uint8Array;
      headers?: Record<string, string>;
    }[],
  ): Promise<void> {
    const transaction = `tx-${this.#nextId++}`;
    const receipt = String(this.#nextId++);
    const done = this.#expect(receipt);
    const frames: Uint8Array[] = [encodeFrame("BEGIN", { transaction })];
    for (const m of messages) {
      frames.push(
        encodeFrame("SEND", { ...m.headers, destination: m.destination, transaction }, m.body),
      );
    }
    frames.push(encodeFrame("COMMIT", { transaction, receipt }));
    let size = 0;
    for (const f of frames) size += f.length;
    const all = new Uint8Array(size);
    let at = 0;
    for (const f of frames) {
      all.set(f, at);
      at += f.length;
    }
    let written = false;
    this.#write(all).then(() => (written = true), () => {});
    return done.catch((error: Error) => {
      throw new StompUnconfirmedError(error.message, written);
    });
  }

  /** Subscribes with client-individual acks; `onMessage` gets every MESSAGE. */
  async subscribe(
    destination: string,
    onMessage: (message: StompMessage) => void,
    headers: Record<string, string> = {},
  ): Promise<void> {
    const id = `sub-${this.#nextId++}`;
    this.#subscriptions.set(id, onMessage);
    const receipt = String(this.#nextId++);
    const done = this.#expect(receipt);
    await this.#write(
      encodeFrame("SUBSCRIBE", { ...headers, id, destination, ack: "client-individual", receipt }),
    );
    await done;
  }

  /** Sends DISCONNECT (waiting briefly for its receipt) and closes the connection. */
  async close(): Promise<void> {
    if (this.#closed === undefined) {
      const receipt = String(this.#nextId++);
      const done = this.#expect(receipt);
      await this.#write(encodeFrame("DISCONNECT", { receipt })).catch(() => {});
      await Promise.race([done.catch(() => {}), new Promise((r) => setTimeout(r, 2000))]);
      this.#fail(new Error("connection closed"));
    }
    await this.done.catch(() => {});
  }

  /** Why the connection ended, once it has. */
  get error(): Error | undefined {
    return this.#closed;
  }

  #expect(receipt: string): Promise<void> {
    if (this.#closed) return Promise.reject(this.#closed);
    return new Promise((resolve, reject) => this.#pending.set(receipt, { resolve, reject }));
  }

  #write(bytes: Uint8Array): Promise<void> {
    const run = this.#writing.then(async () => {
      if (this.#closed) throw this.#closed;
      let written = 0;
      while (written < bytes.length) written += await this.#conn.write(bytes.subarray(written));
    });
    this.#writing = run.catch((error) => this.#fail(error as Error));
    return run;
  }

  #fail(error: Error): void {
    if (this.#closed) return;
    this.#closed = error;
    for (const p of this.#pending.values()) p.reject(error);
    this.#pending.clear();
    this.#failedConnect?.(error);
    try {
      this.#conn.close();
    } catch {
      // already closed
    }
  }

  async #read(): Promise<void> {
    const frames = new FrameDecoder();
    const buffer = new Uint8Array(64 * 1024);
    try {
      while (this.#closed === undefined) {
        const n = await this.#conn.read(buffer);
        if (n === null) break;
        for (const frame of frames.push(buffer.subarray(0, n))) this.#handle(frame);
      }
      this.#fail(new Error("broker closed the connection"));
    } catch (error) {
      this.#fail(error instanceof Error ? error : new Error(String(error)));
    }
  }

  #handle(frame: StompFrame): void {
    switch (frame.command) {
      case "CONNECTED":
        this.#connected();
        return;
      case "RECEIPT": {
        const id = frame.headers["receipt-id"];
        this.#pending.get(id)?.resolve();
        this.#pending.delete(id);
        return;
      }
      case "MESSAGE": {
        const handler = this.#subscriptions.get(frame.headers.subscription);
        const ackId = frame.headers.ack ?? frame.headers["message-id"];
        handler?.({
          headers: frame.headers,
          body: frame.body,
          ack: () => this.#write(encodeFrame("ACK", { id: ackId })),
        });
        return;
      }
      case "ERROR": {
        const text = new TextDecoder().decode(frame.body).trim().slice(0, 300);
        this.#fail(new Error(`STOMP ERROR: ${frame.headers.message ?? ""} ${text}`.trim()));
        return;
      }
    }
  }
}
