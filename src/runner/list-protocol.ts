/** Messages between the runner and the list worker (list-worker.ts). */
import type { SuiteRun } from '../suite/define.js';
import type { SuiteListing } from '../suite/listing.js';

/**
 * parent -> child: the files to list, each as given (for messages) and as an absolute path (to load), chipbench's
 * own marked builtin; and the run's sweep, for sizes given as a function.
 */
export interface ListRequest {
  files: { file: string; path: string; builtin?: true }[];
  run: SuiteRun;
}

/** child -> parent, one file at a time, so that a file that hangs while loading is known by name. */
export type ListMessage =
  | { type: 'loading'; file: string }
  | { type: 'listed'; listing: SuiteListing }
  /** the file loaded, but it is not a suite (exit 2), or could not be read */
  | { type: 'not-a-suite'; file: string; message: string }
  /** a suite file's code threw outside its loading (a timer, a rejected promise): the file loading then, or the last */
  | { type: 'threw'; file: string; message: string }
  | { type: 'done' };
