/**
 * What every reader of another tool's output gives back, whatever the tool: the source (tool, version, command
 * line, hosts, ranks and devices, as far as the output says them) and its records, each figure in the unit the
 * tool printed it in. The readers (one file per format) only read; `import-cases.ts` turns blocks into cases and
 * checks them.
 */

export const IMPORT_TOOLS = ['nccl-tests', 'rccl-tests', 'hccl_test', 'mamf-finder', 'nvbandwidth'] as const;
export type ImportTool = (typeof IMPORT_TOOLS)[number];

/** One device of the run as the tool named it. */
export interface ImportedDevice {
  name: string;
  /** the PCI bus id as printed ('0x0f', '0000:06:00', '0000:1b:00.0') */
  busId?: string;
  host?: string;
  rank?: number;
  /** the device's index on its host */
  index?: number;
}

export interface ImportSource {
  tool: ImportTool;
  /** the tool's own version as it printed it ('2.18.3', 'develop:a7809b3'); absent where the output does not say */
  version?: string;
  /** the format read: 'text', 'json-v1', 'json-v2', 'json-v3', 'json-lines', 'json-list', 'csv', 'log' */
  format: string;
  /** the command line, where the output prints it */
  commandLine?: string;
  /** other software the output names: 'NCCL' -> '2.18.3+cuda12.2', 'torch' -> '2.4.0', 'cuda' -> '12.4' */
  software: Record<string, string>;
  /** the tool's settings line as name/value pairs (nccl-tests' '# nThread 1 nGpus 1 ...'), where it prints one */
  settings: Record<string, string>;
  hosts: string[];
  /** ranks of a collective; absent where the output does not say (hccl_test) */
  ranks?: number;
  devices: ImportedDevice[];
}

/** One half of a collective's row: out-of-place or in-place. null where the tool printed N/A, nan or nothing. */
export interface CollectiveFigures {
  /** microseconds (nccl-tests' `time`, or `cputime` with -C 1; hccl_test's aveg_time) */
  timeUs: number | null;
  /** 1e9 bytes per second */
  algbwGBps: number | null;
  /** 1e9 bytes per second; null where the tool prints none (hccl_test) */
  busbwGBps: number | null;
  /** elements that differ from the expected result; null when validation was off or the tool counts none */
  wrong: number | null;
  /** the largest error (nccl-tests before 2.13) */
  maxError?: number | null;
  /** hccl_test's check_result: 'success', 'failed', 'NULL' */
  check?: string;
  /** per-iteration times in microseconds (nccl-tests -I 1, JSON version 2 on) */
  iterationsUs?: number[];
}

export interface CollectiveRecord {
  kind: 'collective';
  /** nccl-tests' binary without '_perf' (all_reduce, all_gather, reduce_scatter, alltoall, broadcast, reduce, sendrecv, ...) */
  collective: string;
  /** the data type as the tool printed it: 'float', 'half', 'bfloat16', 'fp32', ... */
  dtype: string;
  redop?: string;
  root?: number;
  /** bytes as the tool's size column: the whole buffer (nccl-tests; per rank for all_reduce), per NPU (hccl_test) */
  bytes: number;
  count?: number;
  outOfPlace: CollectiveFigures;
  inPlace?: CollectiveFigures;
  /** what followed the columns (nccl-tests -S: a timestamp) */
  trailing?: string;
  /** 1-based line of the input the record was read from */
  line: number;
}

/** A matmul sweep's figure (mamf-finder): which statistic over the shapes it tried, and at which shape. */
export interface MatmulRecord {
  kind: 'matmul';
  /** as printed: 'torch.bfloat16', 'torch.float32', 'bf16' */
  dtype: string;
  /** max: the best shape's figure; mean, median, geomean over the shapes tried */
  statistic: 'max' | 'mean' | 'median' | 'geomean';
  /** 1e12 FLOP/s */
  tflops: number;
  /** the shape of a max figure, where printed */
  shape?: { m: number; n: number; k: number };
  /** seconds of one matmul at that shape, where printed */
  seconds?: number;
  shapesTried?: number;
  line: number;
}

/** A point-to-point or host-device copy (nvbandwidth): bandwidth, never a bus bandwidth. */
export interface CopyRecord {
  kind: 'copy';
  /** the testcase name, e.g. 'host_to_device_memcpy_ce', 'device_to_device_bidirectional_memcpy_read_ce' */
  testcase: string;
  /** 'sum' (the tool's SUM line), or 'pair' for one cell of its matrix */
  statistic: 'sum' | 'pair';
  /** for a matrix cell: the row and column as the tool labels them (device or host index) */
  from?: string;
  to?: string;
  /** 1e9 bytes per second */
  GBps: number;
  /** bytes of one copy, where the output says */
  bytes?: number;
  line: number;
}

export type ImportedRecord = CollectiveRecord | MatmulRecord | CopyRecord;

/** One run of one tool inside an input: nccl-tests prints one block per collective when several run in one log. */
export interface ImportedBlock {
  source: ImportSource;
  records: ImportedRecord[];
  /** nccl-tests' footer: the mean busbw over every row, in- and out-of-place alike; never a peak */
  avgBusbwGBps?: number;
  /** nccl-tests' footer 'Out of bounds values : N OK|FAILED' */
  outOfBounds?: { count: number; ok: boolean };
  /** lines that report a failure of the tool itself ('Test NCCL failure common.cu:519 ...') */
  failures: string[];
  /** the collective the output names ('all_reduce'), kept for a run that failed before its first row */
  collective?: string;
}

/**
 * Input that is not what its reader expects: the 1-based line and the problem, in words a user can act on. The
 * command names the file and exits 2 without writing anything.
 */
export class ImportSyntaxError extends Error {
  override name = 'ImportSyntaxError';
  constructor(
    readonly line: number,
    readonly problem: string,
  ) {
    super(`line ${line}: ${problem}`);
  }
}
