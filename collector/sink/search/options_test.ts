import { assert, assertEquals, assertMatch, assertRejects } from "../../../tests/harness/assert.ts";
import { tempDir } from "../../../tests/harness/temp_dir.ts";
import { SearchOptionError, searchSinkOptions } from "./options.ts";

const base = { servers: ["https://es.example.org:9200"], insecure: false, time: 10 };

Deno.test("defaults: TLS verified, date-based index, template on, 1 GiB spool bound", async () => {
  const o = await searchSinkOptions({ ...base, values: {}, env: () => undefined });
  assertEquals(o.connection.insecure, false);
  assertEquals(o.indexPattern, "xrd-fstream-%Y.%m.%d");
  assertEquals(o.template, true);
  assertEquals(o.flushIntervalMs, 10_000);
  assertEquals(o.spoolMaxBytes, 1 << 30);
  assertEquals(o.connection.credentials, undefined);
});

Deno.test("secrets come from files or the environment", async () => {
  await using dir = await tempDir("opts-");
  await Deno.writeTextFile(dir.join("pw"), "s3cret\n");
  const o = await searchSinkOptions({
    ...base,
    values: { user: "collector", "password-file": dir.join("pw") },
  });
  assertEquals(o.connection.credentials, { username: "collector", password: "s3cret" });
  const env = (name: string) => name === "XRD_SEARCH_API_KEY" ? "a2V5" : undefined;
  const k = await searchSinkOptions({ ...base, values: {}, env });
  assertEquals(k.connection.credentials, { apiKey: "a2V5" });
});

Deno.test("mistakes give one clear error line", async () => {
  const bad = [
    [{ backend: "solr" }, /--backend must be elasticsearch or opensearch/],
    [{ index: "Upper" }, /must be lower case/],
    [{ user: "u" }, /--user needs --password-file/],
    [{ "batch-size": "0" }, /--batch-size must be a number/],
    [{ "password-file": "/nonexistent/pw", user: "u" }, /--password-file \/nonexistent\/pw/],
  ] as const;
  for (const [values, message] of bad) {
    const error = await searchSinkOptions({ ...base, values, env: () => undefined }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert(error instanceof SearchOptionError, String(error));
    assertMatch(error.message, message);
  }
  await assertRejects(
    () => searchSinkOptions({ ...base, servers: ["es:9200"], values: {} }),
    SearchOptionError,
  );
});
