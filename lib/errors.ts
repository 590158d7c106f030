/**
 * Errors radsurv raises for bad input. The message always names what is wrong
 * (file, column, patient, parameter) so a user can fix the input without a debugger.
 */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

/** Numerical failure that R would also refuse (e.g. an information matrix that cannot be inverted). */
export class NumericalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NumericalError";
  }
}

/** Throws an InputError naming `what` unless `ok`. */
export function check(ok: boolean, message: string): asserts ok {
  if (!ok) throw new InputError(message);
}
