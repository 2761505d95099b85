// The graphs page in a real browser (Debian's chromium driven by playwright-core) against a
// real archive seeded with the demo data, with every non-loopback request blocked.
/// <reference lib="dom" />
import { assert, assertEquals, assertMatch, runTool, tempDir } from "../harness/mod.ts";
import { launchLoopbackBrowser, skipWithoutChromium } from "../harness/browser.ts";
import { startArchive } from "../archive_server.ts";

interface EventTypeJson {
  "event-type": string;
  "base-uri": string;
  summaries: { "summary-type": string; "summary-window": string; uri: string }[];
}
interface MetadataJson {
  source: string;
  destination?: string;
  "input-source": string;
  "input-destination": string;
  "tool-name": string;
  "event-types": EventTypeJson[];
}

const short = (name: string) => name.split(".")[0];

/** Where screenshots go: $TEST_ARTIFACTS_DIR, else a kept temp folder. */
async function artifactDir(): Promise<string> {
  const given = Deno.env.get("TEST_ARTIFACTS_DIR");
  if (given) {
    await Deno.mkdir(`${given}/graphs`, { recursive: true });
    return `${given}/graphs`;
  }
  return await Deno.makeTempDir({ prefix: "esmond-graphs-screenshots-" });
}

Deno.test({
  name: "graphs page: grid of every pair, charts with the range's points, traceroute hops",
  ignore: skipWithoutChromium(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await using dir = await tempDir();
    const dbPath = `${dir.path}/demo.sqlite`;
    const seeded = await runTool("esmond-ps-archive", [
      "seed",
      "--demo",
      "--hours",
      "200",
      "--db",
      dbPath,
    ]);
    assertEquals(seeded.code, 0, seeded.stderr);
    await using archive = await startArchive({ dbPath });
    await using browser = await launchLoopbackBrowser();
    const shots = await artifactDir();
    console.error(`screenshots in ${shots}`);
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));

    const all: MetadataJson[] = await (await fetch(`${archive.archiveUrl}?limit=1000`)).json();
    const pairs = new Set(
      all.filter((m) => m.destination).map((m) => `${m.source}>${m.destination}`),
    );
    const count = async (uri: string, start: number, end: number) =>
      (await (await fetch(`${archive.url}${uri}?time-start=${start}&time-end=${end}&limit=100000`))
        .json()).length as number;

    await t.step("the grid shows every pair, coloured, with values and marks", async () => {
      await page.goto(`${archive.url}/graphs/`);
      await page.waitForSelector("#grid[data-ready=true]", { timeout: 30_000 });
      const cells = await page.$$eval(
        "#grid a[data-src]",
        (links) => links.map((a) => `${a.getAttribute("data-src")}>${a.getAttribute("data-dst")}`),
      );
      assertEquals(new Set(cells), pairs);
      assertEquals(cells.length, pairs.size);
      const texts = await page.$$eval(
        "#grid a[data-src]",
        (links) => links.map((a) => a.textContent ?? ""),
      );
      for (const text of texts) {
        assertMatch(text, /[✓!✗?] [\d.]+ [kMG]?bit\/s.*[✓!✗?] [\d.]+ % loss/);
      }
      await page.screenshot({ path: `${shots}/grid.png`, fullPage: true });
    });

    await t.step("keyboard: arrow keys move between cells, Enter opens the pair", async () => {
      const first = page.locator("#grid a[data-src]").first();
      await first.focus();
      const focused = () =>
        page.evaluate(() => {
          const a = document.activeElement as HTMLElement;
          return `${a.dataset.src}>${a.dataset.dst}`;
        });
      const start = await focused();
      await page.keyboard.press("ArrowDown");
      const down = await focused();
      assert(down !== start && pairs.has(down), `${start} then ${down}`);
      await page.keyboard.press("Enter");
      await page.waitForSelector("section#chart-latency[data-state=drawn]", { timeout: 30_000 });
      const [src, dst] = down.split(">");
      const hash = new URLSearchParams((await page.evaluate(() => location.hash)).split("?")[1]);
      assertEquals([hash.get("src"), hash.get("dst")], [src, dst]);
    });

    const src = "198.51.100.10";
    const dst = "203.0.113.20";
    const end = Math.floor(Date.now() / 1000);
    const start = end - 86400;
    await t.step(
      "a cell's charts hold exactly the points of the range, both directions",
      async () => {
        await page.goto(
          `${archive.url}/graphs/#/pair?src=${src}&dst=${dst}&range=custom&start=${start}&end=${end}`,
        );
        await page.waitForFunction(
          () =>
            [...document.querySelectorAll<HTMLElement>("section.chart")].every((s) =>
              s.dataset.state === "drawn"
            ),
          null,
          { timeout: 30_000 },
        );
        const expected: Record<string, Record<string, number>> = {
          throughput: {},
          latency: {},
          loss: {},
          rtt: {},
        };
        for (const m of all) {
          const forward = m.source === src && m.destination === dst;
          const reverse = m.source === dst && m.destination === src;
          if (!forward && !reverse) continue;
          const label = `${short(m["input-source"])} → ${short(m["input-destination"])} ${
            m["tool-name"]
          }`;
          for (const et of m["event-types"]) {
            const stats0 = et.summaries.find((s) =>
              s["summary-type"] === "statistics" && Number(s["summary-window"]) === 0
            );
            const add = async (chart: string, figures: string[], uri: string) => {
              const n = await count(uri, start, end);
              if (n > 0) { for (const f of figures) expected[chart][`${label} ${f}`] = n; }
            };
            if (et["event-type"] === "throughput") {
              await add("throughput", ["throughput"], et["base-uri"]);
            }
            if (et["event-type"] === "packet-retransmits") {
              await add("throughput", ["retransmits"], et["base-uri"]);
            }
            if (et["event-type"] === "histogram-owdelay") {
              await add("latency", ["min", "median", "max"], stats0!.uri);
            }
            if (et["event-type"] === "packet-loss-rate") {
              await add("loss", ["loss"], et["base-uri"]);
            }
            if (et["event-type"] === "packet-loss-rate-bidir") {
              await add("loss", ["round trip loss"], et["base-uri"]);
            }
            if (et["event-type"] === "histogram-rtt") {
              await add("rtt", ["min", "median", "max"], stats0!.uri);
            }
          }
        }
        for (const [chart, want] of Object.entries(expected)) {
          const points = JSON.parse(
            await page.getAttribute(`#chart-${chart}`, "data-points") ?? "{}",
          );
          assertEquals(points, want, chart);
          assert(
            Object.keys(want).some((l) => l.startsWith("ps-chic → ps-lbl")),
            `${chart}: reverse`,
          );
          const canvases = await page.$$(`#chart-${chart} canvas`);
          assertEquals(canvases.length, 1, chart);
        }
        // units on every axis, time in UTC
        // (uPlot draws the axes on the canvas; the plots name them for screen readers)
        const labels = await page.$$eval(
          ".plot",
          (els) => els.map((e) => e.getAttribute("aria-label")),
        );
        for (
          const unit of [
            "time (UTC)",
            "(bit/s)",
            "(packets)",
            "one-way delay (ms)",
            "(%)",
            "round-trip time (ms)",
          ]
        ) {
          assert(
            labels.some((l) => l?.includes(unit)),
            `axis label with ${unit}: ${labels}`,
          );
        }
        // hovering shows UTC with the local time (the context's zone is Europe/Amsterdam)
        const plot = page.locator("#chart-latency .u-over");
        await plot.hover();
        const when = await page.locator("#chart-latency .u-legend .u-series").first().textContent();
        assertMatch(when ?? "", /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(local .* (CET|GMT\+1)\)/);
        // keyboard on a chart: Home/End/arrows move the cursor through the points
        const legendTime = async () =>
          ((await page.locator("#chart-latency .u-legend .u-series").first().textContent()) ?? "")
            .replace(/^time:?\s*/, "").slice(0, 19);
        // The legend follows the cursor on the page's next frame: wait for the time to show.
        const legendTimeAfter = async (key: string, previous = "") => {
          await page.keyboard.press(key);
          const deadline = Date.now() + 10_000;
          while (true) {
            const time = await legendTime();
            const shown = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(time) && time !== previous;
            if (shown || Date.now() > deadline) return time;
            await new Promise((r) => setTimeout(r, 50));
          }
        };
        // The pointer leaves the charts first: left over a plot, a layout shift under it moves
        // the cursor there (or hides it) after a key put it on a point.
        await page.mouse.move(0, 0);
        await page.focus("#chart-latency .plot");
        const firstTime = await legendTimeAfter("Home");
        const secondTime = await legendTimeAfter("ArrowRight", firstTime);
        const lastTime = await legendTimeAfter("End", secondTime);
        const iso = (ts: number) =>
          new Date(ts * 1000).toISOString().slice(0, 19).replace("T", " ");
        assert(iso(start) <= firstTime && firstTime < secondTime, `${firstTime} ${secondTime}`);
        assert(secondTime < lastTime && lastTime <= iso(end), `${secondTime} ${lastTime}`);
        // a week of 5-minute owamp data (2016 points) is over the budget: hourly statistics
        await page.click("#range-week");
        await page.waitForFunction(() => location.hash.includes("range=week"));
        await page.waitForSelector("#chart-latency[data-state=drawn]", { timeout: 30_000 });
        const weekSummary = JSON.parse(
          await page.getAttribute("#chart-latency", "data-summary") ?? "{}",
        );
        const weekPoints = JSON.parse(
          await page.getAttribute("#chart-latency", "data-points") ?? "{}",
        );
        const owamp = all.find((m) =>
          m.source === src && m.destination === dst && m["tool-name"] === "owamp/powstream"
        )!;
        const hourly = owamp["event-types"].find((e) => e["event-type"] === "histogram-owdelay")!
          .summaries.find((s) =>
            s["summary-type"] === "statistics" && s["summary-window"] === "3600"
          )!;
        const weekEnd = Math.floor(Date.now() / 1000);
        const hours = await count(hourly.uri, weekEnd - 7 * 86400, weekEnd);
        for (const label of Object.keys(expected.latency)) {
          assertEquals(weekSummary[label], "statistics 3600 s", label);
          assert(
            Math.abs(weekPoints[label] - hours) <= 1,
            `${label}: ${weekPoints[label]} vs ${hours}`,
          );
        }
        // the day button asks for the same day (± the boundary point of a clock tick)
        await page.click("#range-day");
        await page.waitForFunction(() => location.hash.includes("range=day"));
        await page.waitForSelector("#chart-latency[data-state=drawn]", { timeout: 30_000 });
        const dayPoints = JSON.parse(
          await page.getAttribute("#chart-latency", "data-points") ?? "{}",
        );
        for (const [label, n] of Object.entries(expected.latency)) {
          assert(Math.abs(dayPoints[label] - n) <= 1, `${label}: ${dayPoints[label]} vs ${n}`);
        }
        await page.goto(
          `${archive.url}/graphs/#/pair?src=${src}&dst=${dst}&range=custom&start=${start}&end=${end}`,
        );
        await page.waitForSelector("#chart-rtt[data-state=drawn]", { timeout: 30_000 });
        await page.screenshot({ path: `${shots}/pair.png`, fullPage: true });
      },
    );

    await t.step(
      "traceroute lists the hops of the chosen run and when the path changed",
      async () => {
        const trace = all.find((m) =>
          m.source === src && m.destination === dst && m["tool-name"].includes("trace")
        )!;
        const uri = trace["event-types"].find((e) =>
          e["event-type"] === "packet-trace"
        )!["base-uri"];
        const runs: { ts: number; val: { ip: string | null }[] }[] = await (await fetch(
          `${archive.url}${uri}?time-start=${start}&time-end=${end}&limit=100000`,
        )).json();
        await page.waitForSelector("#trace-forward[data-state=drawn]", { timeout: 30_000 });
        assertEquals(await page.getAttribute("#trace-forward", "data-runs"), String(runs.length));
        const chosen = 3;
        await page.selectOption("#trace-forward #trace-run", String(chosen));
        await page.waitForSelector(`#trace-forward #hops[data-ts="${runs[chosen].ts}"]`);
        const ips = await page.$$eval("#trace-forward #hops td.ip", (tds) =>
          tds.map((td) => td.textContent));
        assertEquals(
          ips,
          runs[chosen].val.map((hop) =>
            hop.ip ?? "*"
          ),
        );
        assert(ips.length >= 4 && ips[ips.length - 1] === dst);
        // the demo's route flips every 12 hours (UTC): exactly those runs are path changes
        const flips = runs.filter((r, i) =>
          i > 0 && Math.floor(r.ts / 43200) !== Math.floor(runs[i - 1].ts / 43200)
        );
        const listed = await page.$$eval("#trace-forward #path-changes li", (lis) => lis.length);
        assertEquals(listed, flips.length);
        await page.locator("#traceroute").screenshot({ path: `${shots}/traceroute.png` });
      },
    );

    await t.step("no request left the machine; the block catches one that tries", async () => {
      assertEquals(browser.blocked, []);
      const failed = await page.evaluate(() =>
        fetch("http://example.net/probe").then(() => false, () => true)
      );
      assert(failed);
      assertEquals(browser.blocked.map((u) => new URL(u).hostname), ["example.net"]);
      assertEquals(errors, []);
    });
  },
});
