/** Exit codes of every chipbench command (DESIGN.md): one table, so scripts and CI can rely on them. */
export const EXIT = {
  /** everything ran and verified */
  ok: 0,
  /** a case failed (verification, crash, fallback) or a requested backend was unavailable; compare: a regression */
  failed: 1,
  /** bad input: an option, a size, a file; nothing was run or overwritten */
  usage: 2,
  /** stopped by SIGINT (128 + 2, the shell convention) */
  sigint: 130,
  /** stopped by SIGTERM (128 + 15) */
  sigterm: 143,
} as const;
