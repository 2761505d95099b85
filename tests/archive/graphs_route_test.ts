// The graphs page's static route on the real archive, and the committed bundle being fresh.
import { assert, assertEquals, assertMatch } from "../harness/mod.ts";
import { startArchive } from "../archive_server.ts";
import { bundledHash, sourceHash } from "../../scripts/build_graphs.ts";

Deno.test("the committed graphs bundle was built from the page's current sources", async () => {
  assertEquals(
    await bundledHash(),
    await sourceHash(),
    "lib/archive/graphs/page/ changed: run `deno task build-graphs` and commit the result",
  );
});

Deno.test("serve: /graphs/ serves the page, its script and style, with the archive path", async () => {
  await using archive = await startArchive({ scriptAlias: "/ma" });
  const redirect = await fetch(`${archive.url}/graphs`, { redirect: "manual" });
  await redirect.body?.cancel();
  assertEquals([redirect.status, redirect.headers.get("location")], [301, "/graphs/"]);
  const page = await fetch(`${archive.url}/graphs/`);
  assertEquals(page.headers.get("content-type"), "text/html; charset=utf-8");
  assertMatch(page.headers.get("content-security-policy") ?? "", /script-src 'self'/);
  const html = await page.text();
  assert(html.includes('<meta name="esmond-archive" content="/ma/perfsonar/archive/">'), html);
  assert(!/https?:\/\//.test(html), "the page names no outside address");
  const js = await fetch(`${archive.url}/graphs/graphs.js`);
  assertEquals(js.headers.get("content-type"), "text/javascript; charset=utf-8");
  const script = await js.text();
  assert(script.includes("uPlot") && script.length > 40_000, `${script.length} bytes`);
  const css = await fetch(`${archive.url}/graphs/graphs.css`);
  assertEquals(css.headers.get("content-type"), "text/css; charset=utf-8");
  assert((await css.text()).includes(".uplot"));
  const head = await fetch(`${archive.url}/graphs/graphs.js`, { method: "HEAD" });
  assertEquals([head.status, await head.text()], [200, ""]);
  const missing = await fetch(`${archive.url}/graphs/nothing.js`);
  await missing.body?.cancel();
  assertEquals(missing.status, 404);
  const post = await fetch(`${archive.url}/graphs/`, { method: "POST", body: "x" });
  await post.body?.cancel();
  assertEquals(post.status, 405);
  // the API is unchanged beside it
  assertEquals((await fetch(`${archive.archiveUrl}?limit=1`)).status, 200);
});

Deno.test("serve --graphs off: no page, the API as before", async () => {
  await using archive = await startArchive({ extraArgs: ["--graphs", "off"] });
  const page = await fetch(`${archive.url}/graphs/`);
  await page.body?.cancel();
  assertEquals(page.status, 404);
  const api = await fetch(`${archive.archiveUrl}?limit=1`);
  await api.body?.cancel();
  assertEquals(api.status, 200);
});
