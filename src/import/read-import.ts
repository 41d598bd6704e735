/**
 * Which tool printed a text, told from what each one prints and nothing else (not the file's name), and its reader.
 * A text that shows two tools' signatures is refused rather than read by one of them: its other lines would be lost.
 */
import { ImportSyntaxError, type ImportedBlock } from './imported-block.js';
import { readHcclTestText } from './hccl-test-text.js';
import { readMamfFinderLog } from './mamf-finder-log.js';
import { readNcclTestsJson } from './nccl-tests-json.js';
import { readNcclTestsText } from './nccl-tests-text.js';
import { readNvbandwidthJson, readNvbandwidthText } from './nvbandwidth.js';
import { readRcclTestsCsv, readRcclTestsJson } from './rccl-tests-files.js';

interface Format {
  name: string;
  /** the first line that shows this format, or undefined */
  signature: (lines: string[]) => number | undefined;
  read: (text: string) => ImportedBlock[];
}

const firstLine = (pattern: RegExp) => (lines: string[]) => {
  const i = lines.findIndex((l) => pattern.test(l));
  return i < 0 ? undefined : i + 1;
};

/** The first line that is not blank: JSON and CSV files are told apart by how they open. */
const opening = (pattern: RegExp) => (lines: string[]) => {
  const i = lines.findIndex((l) => l.trim() !== '');
  return i >= 0 && pattern.test(lines[i]!) ? i + 1 : undefined;
};

const FORMATS: Format[] = [
  // the column header every nccl-tests and rccl-tests version prints ('time algbw busbw', or 'cputime' with -C 1)
  { name: 'nccl-tests text', signature: firstLine(/^(?:\[\d+,\d+\]<std\w+>:\s?)?#?\s*size\s+count\s+type\b.*\b(?:cpu)?time\s+algbw\s+busbw\b/), read: readNcclTestsText },
  // -J: one object whose keys include nccl_version and results (src/util.cu)
  { name: 'nccl-tests JSON', signature: (lines) => (opening(/^\s*\{/)(lines) !== undefined ? firstLine(/"nccl_version"\s*:/)(lines) : undefined), read: readNcclTestsJson },
  // -x FILE -Z json: one object a line, or a list of them, with algBw and busBw
  { name: 'rccl-tests JSON', signature: (lines) => (opening(/^\s*[[{]/)(lines) !== undefined ? firstLine(/"busBw"\s*:/)(lines) : undefined), read: readRcclTestsJson },
  { name: 'rccl-tests CSV', signature: opening(/^[^{[]*,\s*"?busbw"?\s*,/i), read: readRcclTestsCsv },
  { name: 'hccl_test', signature: firstLine(/\b(?:avg|aveg)_time\(us\)/), read: readHcclTestText },
  { name: 'mamf-finder', signature: firstLine(/^\*\* Dtype:|The best outcome was|best outcomes were|^Across \d+ shapes/), read: (text) => [readMamfFinderLog(text)] },
  { name: 'nvbandwidth', signature: firstLine(/^nvbandwidth Version/), read: (text) => [readNvbandwidthText(text)] },
  { name: 'nvbandwidth JSON', signature: firstLine(/"nvbandwidth"\s*:/), read: (text) => [readNvbandwidthJson(text)] },
];

/** The blocks of a text, read by the one format it shows; ImportSyntaxError when it shows none, or several. */
export function readImport(text: string): { format: string; blocks: ImportedBlock[] } {
  const lines = text.split('\n');
  const shown = FORMATS.flatMap((f) => {
    const line = f.signature(lines);
    return line === undefined ? [] : [{ format: f, line }];
  });
  if (shown.length === 0) {
    throw new ImportSyntaxError(1, 'not an output chipbench reads: expected nccl-tests or rccl-tests (text, -J JSON, CSV), hccl_test, mamf-finder or nvbandwidth');
  }
  if (shown.length > 1) {
    const [a, b] = shown;
    throw new ImportSyntaxError(b!.line, `${b!.format.name} here, but ${a!.format.name} on line ${a!.line}: mixed formats; give each tool's output as its own file`);
  }
  const { format } = shown[0]!;
  const blocks = format.read(text);
  if (blocks.every((b) => b.records.length === 0 && b.failures.length === 0)) {
    throw new ImportSyntaxError(shown[0]!.line, `${format.name} without a single figure: the output was cut before its first row`);
  }
  return { format: format.name, blocks };
}
