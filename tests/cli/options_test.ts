import { assert, assertEquals } from "../harness/mod.ts";
import { parseArgs } from "../../cli/options/query_args.ts";
import { eventListText, type QueryProgram, validateQueryArgs } from "../../cli/options/validate.ts";
import { parseDateText } from "../../cli/options/dates.ts";
import { parseFilterArgs } from "../../cli/options/filters.ts";
import { helpText, usageText } from "../../cli/options/spec.ts";

const NOW = new Date("2026-11-24T18:00:00.750Z");
const ctx = {
  now: NOW,
  cwd: "/srv/u",
  isDirectory: (p: string) => p === "/srv/u" || p === "/srv/out",
};
const URL = ["-u", "http://h:8085"];

function check(program: QueryProgram, args: string[]) {
  return validateQueryArgs(program, args, ctx);
}

Deno.test("optparse forms: --opt=value, clusters, glued values, prefixes, repeated -F", () => {
  const { values } = parseArgs([
    "--url=http://x",
    "-IvL",
    "-ojson",
    "--output-f",
    "csv",
    "-F",
    "a:b",
    "--filter=c:d",
  ]);
  assertEquals(values, {
    url: "http://x",
    ip: true,
    verbose: true,
    listEvents: true,
    outputFormat: "csv",
    filter: ["a:b", "c:d"],
  });
  assertEquals(parseArgs(["-u", "-weird"]).values.url, "-weird");
});

Deno.test("option parser errors go to stderr with the usage lines", () => {
  for (
    const [args, reason] of [
      [["-W", "abc"], "option -W: invalid integer value: 'abc'"],
      [["--timeout", "x"], "option --timeout: invalid integer value: 'x'"],
      [["-x"], "no such option: -x"],
      [["--bogus"], "no such option: --bogus"],
      [["-u"], "-u option requires 1 argument"],
      [
        ["--s", "x"],
        "ambiguous option: --s (--src, --start-time, --summary-type, --summary-window, --ssl-verify?)",
      ],
    ] as const
  ) {
    const v = check("esmond-ps-get", [...args]);
    assertEquals(v.kind, "exit");
    if (v.kind !== "exit") continue;
    assertEquals(v.code, 1);
    assertEquals(v.stdout, "");
    assertEquals(v.stderr, `${usageText("esmond-ps-get")}\nesmond-ps-get: error: ${reason}\n`);
  }
});

Deno.test("-L lists the 33 event types before any other check", () => {
  const v = check("esmond-ps-get", ["-L"]);
  assert(v.kind === "exit");
  assertEquals(v.code, 0);
  const lines = v.stdout.split("\n");
  assertEquals(lines.slice(0, 4), [
    "",
    "Valid event types:",
    "    failures",
    "    histogram-owdelay",
  ]);
  assertEquals(lines.length, 2 + 33 + 1);
  assertEquals(v.stdout, eventListText());
});

Deno.test("validation messages in the original order (stdout)", () => {
  const help = helpText("esmond-ps-get");
  const cases: Array<[QueryProgram, string[], string]> = [
    ["esmond-ps-get", [], `--url is a required arg\n\n${help}`],
    [
      "esmond-ps-get",
      [...URL, "-s", "a"],
      `--src and --dest args are both required (ntp-* event types only require --src).\n\n${help}`,
    ],
    [
      "esmond-ps-get-bulk",
      [...URL],
      `please specify either json or csv --output-format for bulk output.\n\n${
        helpText("esmond-ps-get-bulk")
      }`,
    ],
    [
      "esmond-ps-get-bulk",
      [...URL, "-o", "csv", "-D", "nope"],
      "output path /srv/u/nope does not exist.\n",
    ],
    [
      "esmond-ps-get-metadata",
      [...URL, "-s", "bad host!"],
      "--src arg had invalid hostname: bad host!\n",
    ],
    ["esmond-ps-get-metadata", [...URL, "-a", "x..y"], "--agent arg had invalid hostname: x..y\n"],
    [
      "esmond-ps-get-metadata",
      [...URL, "-e", "bogus"],
      `bogus is not a valid event type\n${eventListText()}`,
    ],
    [
      "esmond-ps-get",
      [...URL, "-s", "a", "-d", "b"],
      `The --event-type arg is required. Use -L to see a list.\n\n${help}`,
    ],
    [
      "esmond-ps-get-metadata",
      [...URL, "-T", "max"],
      "max is not a valid --summary-type arg (one of: ['aggregation', 'average', 'statistics'])\n",
    ],
    [
      "esmond-ps-get-metadata",
      [...URL, "-o", "xml"],
      "xml is not a valid --output-format arg (one of: ['human', 'json', 'csv'])\n",
    ],
    [
      "esmond-ps-get-metadata",
      [...URL, "-o", "csv", "-M"],
      "--output-format csv can not be used with --metadata-extended\n",
    ],
    [
      "esmond-ps-get-metadata",
      [...URL, "-S", "yesterday"],
      "could not parse --start-time arg: yesterday\n",
    ],
    [
      "esmond-ps-get-metadata",
      [...URL, "-E", "1398729600"],
      "could not parse --end-time arg: 1398729600\n",
    ],
  ];
  for (const [program, args, stdout] of cases) {
    const v = check(program, args);
    assert(v.kind === "exit", args.join(" "));
    assertEquals([v.code, v.stdout, v.stderr], [1, stdout, ""], args.join(" "));
  }
});

Deno.test("accepted: ntp-* without --dest, IPv6 hosts, archive-only event types, URL trimming", () => {
  const ntp = check("esmond-ps-get", [...URL, "-s", "2001:400:201:1150::3", "-e", "ntp-offset"]);
  assert(ntp.kind === "run");
  assertEquals(ntp.options.source, "2001:400:201:1150::3");
  assert(
    check("esmond-ps-get-bulk", [...URL, "-e", "pscheduler-raw", "-o", "json", "-D", "/srv/out"])
      .kind === "run",
  );
  const trimmed = check("esmond-ps-get-endpoints", [
    "-u",
    "http://h:8085/esmond/perfsonar/archive/",
  ]);
  assert(trimmed.kind === "run");
  assertEquals(trimmed.options.url, "http://h:8085");
  assertEquals(
    trimmed.notices,
    "\n not necessary to add /esmond/perfsonar/archive to --url arg - trimming\n",
  );
  // A malformed -F is a usage error on stderr: exit 1, nothing on stdout, nothing queried.
  assertEquals(check("esmond-ps-get-endpoints", [...URL, "-F", "oops"]), {
    kind: "exit",
    code: 1,
    stdout: "",
    stderr: "esmond-ps-get-endpoints: error: --filter arg oops should be of the format key:value\n",
  });
});

Deno.test("defaults: last 24 h in whole seconds, human, window 0, concurrency 4", () => {
  const v = check("esmond-ps-get-endpoints", [...URL, "-S", ""]);
  assert(v.kind === "run");
  assertEquals(v.options.end.toISOString(), "2026-11-24T18:00:00.000Z");
  assertEquals(v.options.start.toISOString(), "2026-11-23T18:00:00.000Z");
  assertEquals([v.options.format, v.options.summaryWindow, v.options.summaryWindowGiven], [
    "human",
    0,
    false,
  ]);
  assertEquals([v.options.concurrency, v.options.resume, v.options.ip, v.options.outputDirectory], [
    4,
    false,
    false,
    "/srv/u",
  ]);
});

Deno.test("dates are as forgiving as dateutil, UTC unless a zone is given", () => {
  const iso = (t: string) => parseDateText(t, NOW)?.toISOString() ?? null;
  assertEquals(iso("2014-02-05 00:00:00"), "2014-02-05T00:00:00.000Z");
  assertEquals(iso("January 1 2015"), "2015-01-01T00:00:00.000Z");
  assertEquals(iso("Jan 1"), "2026-01-01T00:00:00.000Z");
  assertEquals(iso("April 1"), "2026-04-01T00:00:00.000Z");
  assertEquals(iso("04/05/2014"), "2014-04-05T00:00:00.000Z");
  assertEquals(iso("12:30"), "2026-11-24T12:30:00.000Z");
  assertEquals(iso("2014-02-05T01:02:03Z"), "2014-02-05T01:02:03.000Z");
  assertEquals(iso("2014-02-05T01:02:03.999999"), "2014-02-05T01:02:03.000Z");
  assertEquals(iso("2014-02-05 01:02:03+0200"), "2014-02-04T23:02:03.000Z");
  // Compact and partial forms dateutil reads; missing parts from today.
  assertEquals(iso("20140205"), "2014-02-05T00:00:00.000Z");
  assertEquals(iso("20140205T101500"), "2014-02-05T10:15:00.000Z");
  assertEquals(iso("March 2014"), "2014-03-24T00:00:00.000Z");
  assertEquals(iso("2014"), "2014-11-24T00:00:00.000Z");
  assertEquals(iso("Wed Feb 5 10:00:00 2014"), "2014-02-05T10:00:00.000Z");
  assertEquals(iso("2014-02-05 10:00:00 -0500"), "2014-02-05T15:00:00.000Z");
  for (
    const bad of [
      "20141305",
      "now",
      "yesterday",
      "1398729600",
      "2014-13-01",
      "in 3 days",
      "x April 1",
    ]
  ) {
    assertEquals(iso(bad), null, bad);
  }
});

Deno.test("-F: dashed names, free-form keys passed on, values with colons, bad ones reported", () => {
  const f = parseFilterArgs([
    "input-source:lbl-pt1.es.net",
    "source:2001:400::3",
    "ip_transport_protocol:tcp",
    "time_start:1398729600.7",
    "verbose:1",
    "nocolon",
    "time-end:abc",
  ]);
  assertEquals(f.known, {
    input_source: "lbl-pt1.es.net",
    source: "2001:400::3",
    time_start: 1398729600,
  });
  assertEquals(f.freeform, { "ip-transport-protocol": "tcp" });
  assertEquals(f.messages, [
    "--filter arg verbose is not a valid filtering value",
    "--filter arg nocolon should be of the format key:value",
    "--filter arg time_end is not a valid filtering value",
  ]);
});
