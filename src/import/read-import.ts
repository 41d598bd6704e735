/**
 * Which tool printed a text, told from what each one prints and nothing else (not the file's name), and its reader.
 * A text that shows two tools' signatures is refused rather than read by one of them: its other lines would be lost.
 */
import { ImportSyntaxError, type ImportedBlock } from './imported-block.js';
import { readNcclTestsText } from './nccl-tests-text.js';

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

const FORMATS: Format[] = [
  // the column header every nccl-tests and rccl-tests version prints ('time algbw busbw')
  { name: 'nccl-tests text', signature: firstLine(/^(?:\[\d+,\d+\]<std\w+>:\s?)?#?\s*size\s+count\s+type\b.*\btime\s+algbw\s+busbw\b/), read: readNcclTestsText },
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
