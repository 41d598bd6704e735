/**
 * The chip table: the shipped file loads and keeps what the sources say;
 * broken files are refused naming the file, the JSON path and the fix;
 * user chips join the table; device names find their chip.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chipForDevice, loadChipTable, PEAK_PRECISIONS, shippedChipsPath, type ChipFile } from '../../src/reference/chips.js';
import { statedFigure } from '../../src/reference/quantity.js';
import { tempDir } from '../helpers/cli.js';

const shipped = (): ChipFile => JSON.parse(readFileSync(shippedChipsPath(), 'utf8')) as ChipFile;

function writeTable(data: unknown): string {
  const path = join(tempDir(), 'chips.json');
  writeFileSync(path, typeof data === 'string' ? data : JSON.stringify(data));
  return path;
}

/** A one-chip file built from a shipped chip, for the user-file and broken-file cases. */
function userFile(edit: (chip: ChipFile['chips'][number], file: ChipFile) => void = () => {}): ChipFile {
  const file = shipped();
  const chip = structuredClone(file.chips.find((c) => c.id === 'h20')!);
  chip.id = 'my-h20-clone';
  chip.name = 'My H20 clone';
  chip.deviceNames = ['My Clone'];
  const mine: ChipFile = { schemaVersion: 1, sources: file.sources, chips: [chip] };
  edit(chip, mine);
  return mine;
}

describe('the shipped chip table', () => {
  const table = loadChipTable();
  const chip = (id: string) => table.chips.find((c) => c.id === id)!;

  it('has the chips the article names, plus H200 and L20, each with every precision', () => {
    expect(table.chips.map((c) => c.id)).toEqual([
      'h100-sxm5', 'h100-pcie', 'h800-sxm5', 'h20', 'h200-sxm', 'a100-sxm4-80gb', 'a800-sxm4-80gb', 'l20',
      'ascend-910b1', 'ascend-910b2', 'ascend-910b3', 'ascend-910b4', 'ascend-910c',
    ]);
    for (const c of table.chips) for (const p of PEAK_PRECISIONS) expect(c.peaks[p], `${c.id} ${p}`).toBeDefined();
  });

  it('keeps the datasheet figures of CHIP-FACTS, dense, with their confidence', () => {
    expect(statedFigure(chip('h100-sxm5'), 'fp16-tensor')).toMatchObject({ value: 989, confidence: 'datasheet' });
    expect(statedFigure(chip('h100-sxm5'), 'fp32').value).toBe(67);
    expect(statedFigure(chip('h20'), 'fp16-tensor')).toMatchObject({ value: 148, confidence: 'secondary' });
    expect(statedFigure(chip('h20'), 'memory-bandwidth').value).toBe(4.0);
    expect(statedFigure(chip('a100-sxm4-80gb'), 'interconnect').value).toBe(600);
    expect(chip('ascend-910b2').interconnect.convention).toBe('unstated');
  });

  it('leaves unknown values unknown and marks formats a chip lacks as absent', () => {
    const fp32 = statedFigure(chip('ascend-910c'), 'fp32');
    expect(fp32).toMatchObject({ value: null, confidence: 'unknown' });
    expect(fp32.absent).toBeUndefined();
    expect(statedFigure(chip('a100-sxm4-80gb'), 'fp8-tensor')).toMatchObject({ value: null, absent: true });
  });

  it('keeps disagreeing sources as alternatives, not averages', () => {
    const fp16 = statedFigure(chip('ascend-910c'), 'fp16-tensor');
    expect(fp16.value).toBe(800);
    expect(fp16.alternatives!.map((a) => a.value)).toEqual([752, 780]);
  });

  it('holds none of the article\'s own figures (320 TFLOPs for 910B is a claim, not a spec)', () => {
    for (const c of table.chips) expect(statedFigure(c, 'fp16-tensor').value).not.toBe(320);
  });

  it('finds the chip a device name identifies, the most specific name first', () => {
    expect(chipForDevice(table, 'NVIDIA H200')?.id).toBe('h200-sxm');
    expect(chipForDevice(table, 'NVIDIA H20')?.id).toBe('h20');
    expect(chipForDevice(table, 'NVIDIA H100 PCIe')?.id).toBe('h100-pcie');
    expect(chipForDevice(table, 'NVIDIA H100 80GB HBM3')?.id).toBe('h100-sxm5');
    expect(chipForDevice(table, 'NVIDIA GH200 480GB')).toBeUndefined(); // whole words: GH200 is not an H200
    expect(chipForDevice(table, 'NVIDIA H800 PCIe')).toBeUndefined(); // the table's H800 is the SXM5 part
    expect(chipForDevice(table, 'llvmpipe (LLVM 15.0.6, 256 bits)')).toBeUndefined();
    expect(chipForDevice(table, 'AMD EPYC')).toBeUndefined();
  });
});

describe('chip files a user gives with --chips', () => {
  it('join the shipped table, validated the same way', () => {
    const table = loadChipTable([writeTable(userFile())]);
    expect(table.chips.at(-1)!.id).toBe('my-h20-clone');
    expect(table.files).toHaveLength(2);
    expect(chipForDevice(table, 'my clone 2')?.id).toBe('my-h20-clone');
  });

  const broken: { name: string; file: () => unknown; message: RegExp }[] = [
    { name: 'not JSON', file: () => '{ "chips": [', message: /chips\.json: cannot read it as a chip table \(.*JSON.*\); give a JSON file in the format of reference-data\/chips\.json/ },
    {
      name: 'a missing precision',
      file: () => userFile((c) => delete (c.peaks as Partial<typeof c.peaks>).fp32),
      message: /chips\.json: not a valid chip table at \$\.chips\[0\]\.peaks\.fp32: .*; fix that field/,
    },
    {
      name: 'a guessed null (no value, but a confidence)',
      file: () => userFile((c) => (c.peaks.fp64 = { value: null, sources: [], confidence: 'datasheet' })),
      message: /\$\.chips\[0\]\.peaks\.fp64: a null value is unknown: set confidence to 'unknown'/,
    },
    {
      name: 'a value with no source',
      file: () => userFile((c) => (c.peaks.fp64 = { value: 1, sources: [], confidence: 'secondary' })),
      message: /\$\.chips\[0\]\.peaks\.fp64: a value needs at least one source key/,
    },
    {
      name: 'alternatives beside an unknown value',
      file: () => userFile((c) => (c.peaks.fp64 = { value: null, sources: [], confidence: 'unknown', alternatives: [{ value: 2, sources: ['leaks-h20'] }] })),
      message: /\$\.chips\[0\]\.peaks\.fp64: alternatives need a value beside them/,
    },
    {
      name: 'a source key the file does not define',
      file: () => userFile((c, f) => (f.sources = Object.fromEntries(Object.entries(f.sources).filter(([k]) => k !== 'leaks-h20')))),
      message: /\$\.chips\[0\] \(my-h20-clone\) cites source 'leaks-h20', which \$\.sources does not define; add it there/,
    },
    {
      name: 'a shipped id',
      file: () => userFile((c) => (c.id = 'h100-sxm5')),
      message: /\$\.chips\[0\]\.id 'h100-sxm5' is already in .*reference-data\/chips\.json; choose another id/,
    },
    {
      name: 'a negative peak',
      file: () => userFile((c) => (c.peaks.fp32 = { value: -1, sources: ['leaks-h20'], confidence: 'secondary' })),
      message: /\$\.chips\[0\]\.peaks\.fp32\.value: /,
    },
    { name: 'a missing file', file: () => undefined, message: /cannot read it as a chip table \(no such file\)/ },
  ];
  for (const b of broken) {
    it(`refuses ${b.name}, naming the file and the JSON path`, () => {
      const data = b.file();
      const path = data === undefined ? join(tempDir(), 'absent.json') : writeTable(data);
      expect(() => loadChipTable([path])).toThrow(b.message);
      expect(() => loadChipTable([path])).toThrow(path);
    });
  }
});
