/**
 * The columns the console report and progress lines are laid out for: COLUMNS when the user set it (shells export
 * it to say what they want, and tests and pipes can set it), else the terminal's own width, else 120 when the
 * output is a pipe or a CI log (nothing to ask; 120 is what a log viewer shows unwrapped). --wide: no limit, every
 * column in full, for a wide terminal or a file. Below 60 columns the tables cannot fit their figures, so they
 * are laid out for 60.
 */
export const PIPE_WIDTH = 120;
export const NARROWEST = 60;

export interface WidthStream {
  isTTY?: boolean;
  columns?: number;
}

export function consoleWidth(wide: boolean, stream: WidthStream, env: NodeJS.ProcessEnv): number {
  if (wide) return Infinity;
  const fromEnv = Number(env.COLUMNS);
  const asked = env.COLUMNS && Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : stream.isTTY && stream.columns ? stream.columns : PIPE_WIDTH;
  return Math.max(NARROWEST, asked);
}
