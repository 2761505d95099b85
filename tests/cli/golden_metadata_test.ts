// Golden outputs written by hand from the clients spec §4 rules.
import { assertEquals } from "../harness/mod.ts";
import {
  ENDPOINT_COLUMNS,
  endpointRow,
  METADATA_COLUMNS,
  metadataRow,
} from "../../cli/format/metadata_rows.ts";
import { createRenderer, type OutputFormat, type Row } from "../../cli/format/renderers.ts";

const META = {
  "url": "http://127.0.0.1/esmond/perfsonar/archive/abc/",
  "metadata-key": "abc",
  "subject-type": "point-to-point",
  "event-types": [
    { "event-type": "failures" },
    { "event-type": "packet-trace" },
    { "event-type": "path-mtu" },
  ],
  "source": "198.129.254.114",
  "destination": "198.129.254.30",
  "measurement-agent": "198.129.254.30",
  "tool-name": "bwctl/tracepath",
  "input-source": "albq-pt1.es.net",
  "input-destination": "lbl-pt1.es.net",
  "time-duration": "20",
  "uri": "/esmond/perfsonar/archive/abc/",
  "metadata-count-total": 1,
  "metadata-previous-page": null,
  "metadata-next-page": null,
};
const same = (a: string) => a;

function render(
  format: OutputFormat,
  rows: Row[],
  columns: readonly string[] | null,
  extended = false,
) {
  const r = createRenderer(format, { columns, extended });
  return r.write(rows) + r.end();
}

Deno.test("get-endpoints rows in the three formats", () => {
  const row = endpointRow(META, same);
  assertEquals(
    render("human", [row, row], ENDPOINT_COLUMNS),
    "source: 198.129.254.114\ndestination: 198.129.254.30\nmeasurement_agent: 198.129.254.30\n" +
      "tool_name: bwctl/tracepath\nevent_type: failures, packet-trace, path-mtu\n" +
      "= + = + = + = + = + =\n" +
      "source: 198.129.254.114\ndestination: 198.129.254.30\nmeasurement_agent: 198.129.254.30\n" +
      "tool_name: bwctl/tracepath\nevent_type: failures, packet-trace, path-mtu\n\n",
  );
  assertEquals(
    render("csv", [row], ENDPOINT_COLUMNS),
    "source,destination,measurement_agent,tool_name,event_type\r\n" +
      '198.129.254.114,198.129.254.30,198.129.254.30,bwctl/tracepath,"failures, packet-trace, path-mtu"\r\n\n',
  );
  assertEquals(
    render("json", [row], ENDPOINT_COLUMNS),
    '[{"source": "198.129.254.114", "destination": "198.129.254.30", "measurement_agent": ' +
      '"198.129.254.30", "tool_name": "bwctl/tracepath", "event_type": ["failures", "packet-trace", "path-mtu"]}]\n',
  );
  const named = endpointRow(META, (a) => (a === "198.129.254.30" ? "lbl-pt1.es.net" : a));
  assertEquals([named.destination, named.measurement_agent], ["lbl-pt1.es.net", "lbl-pt1.es.net"]);
});

Deno.test("get-metadata default row, missing fields are None", () => {
  const { destination: _d, ["input-destination"]: _i, ...networkElement } = META;
  const row = metadataRow(networkElement, same);
  assertEquals(
    render("human", [row], METADATA_COLUMNS),
    "source: 198.129.254.114\ndestination: None\nmeasurement_agent: 198.129.254.30\n" +
      "input_source: albq-pt1.es.net\ninput_destination: None\ntool_name: bwctl/tracepath\n\n",
  );
  assertEquals(
    render("csv", [row], METADATA_COLUMNS),
    "source,destination,measurement_agent,input_source,input_destination,tool_name\r\n" +
      "198.129.254.114,,198.129.254.30,albq-pt1.es.net,,bwctl/tracepath\r\n\n",
  );
});

Deno.test("get-metadata -M: defaults first, then the rest sorted; json all keys sorted", () => {
  const row = metadataRow(META, same, true);
  assertEquals(
    render("human", [row], METADATA_COLUMNS, true),
    "source: 198.129.254.114\ndestination: 198.129.254.30\nmeasurement_agent: 198.129.254.30\n" +
      "input_source: albq-pt1.es.net\ninput_destination: lbl-pt1.es.net\ntool_name: bwctl/tracepath\n" +
      "metadata_count_total: 1\nmetadata_next_page: None\nmetadata_previous_page: None\n" +
      "subject_type: point-to-point\ntime_duration: 20\nurl: http://127.0.0.1/esmond/perfsonar/archive/abc/\n\n",
  );
  assertEquals(
    render("json", [row], null),
    '[{"destination": "198.129.254.30", "input_destination": "lbl-pt1.es.net", "input_source": ' +
      '"albq-pt1.es.net", "measurement_agent": "198.129.254.30", "metadata_count_total": 1, ' +
      '"metadata_next_page": null, "metadata_previous_page": null, "source": "198.129.254.114", ' +
      '"subject_type": "point-to-point", "time_duration": "20", "tool_name": "bwctl/tracepath", ' +
      '"url": "http://127.0.0.1/esmond/perfsonar/archive/abc/"}]\n',
  );
});
