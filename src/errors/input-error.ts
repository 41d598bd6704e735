/**
 * An error in what the user gave us (an option, a file), as opposed to a
 * failure while measuring. The CLI prints its message as one line and exits
 * with code 2; the message names the problem and the fix.
 */
export class InputError extends Error {
  override name = 'InputError';
}
