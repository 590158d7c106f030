/**
 * A small progress bar for long commands (radsurv extract). It writes to stderr so stdout stays clean
 * for data. On a terminal it redraws one line in place (at most ~10 times a second); when stderr is a
 * file or a pipe (CI logs, nohup) redrawing would fill the log with carriage returns, so it prints one
 * line per ~10 % instead. Each line shows done/total, the rate and the estimated time left.
 */

export interface ProgressOptions {
  /** Text before the bar, e.g. "extract". */
  label?: string;
  /** Where to write; default process.stderr. */
  stream?: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  /** Force terminal (redraw) or log (one line per 10 %) mode; default: the stream's isTTY. */
  tty?: boolean;
  /** Clock in milliseconds (tests pass a fake one). */
  now?: () => number;
}

export interface Progress {
  /** Sets the number of finished items (absolute, so callers need not count). `note` is appended, e.g. "2 failed". */
  update(done: number, note?: string): void;
  /** Final line (always printed, ends with a newline in terminal mode). */
  finish(note?: string): void;
}

/** "1 h 02 min", "3 min 05 s", "12 s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
}

const formatRate = (perSecond: number): string =>
  !Number.isFinite(perSecond) || perSecond <= 0 ? "–/s" : perSecond >= 1 ? `${perSecond.toFixed(1)}/s` : `${(60 * perSecond).toFixed(1)}/min`;

export function createProgress(total: number, options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const tty = options.tty ?? Boolean(stream.isTTY);
  const now = options.now ?? (() => Date.now());
  const label = options.label ? `${options.label} ` : "";
  const start = now();
  let lastDraw = -Infinity;
  // Log mode prints when the done count crosses the next 10 % step.
  let nextStep = 1;
  let done = 0;
  let lastNote: string | undefined;

  const text = (note?: string): string => {
    const elapsed = (now() - start) / 1000;
    const rate = elapsed > 0 ? done / elapsed : NaN;
    const left = total - done;
    const eta = done > 0 && left > 0 ? ` ETA ${formatDuration(left / rate)}` : "";
    const pct = total > 0 ? Math.floor((100 * done) / total) : 100;
    const extra = note ? ` (${note})` : "";
    const stats = `${done}/${total} ${String(pct).padStart(3)}% ${formatRate(rate)}${eta}${extra}`;
    if (!tty) return `${label}${stats}`;
    const width = 24;
    const filled = total > 0 ? Math.round((width * done) / total) : width;
    return `${label}[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${stats}`;
  };

  const draw = (line: string, final: boolean): void => {
    if (tty) {
      // \x1b[K clears what a longer previous line left behind.
      stream.write(`\r${line}\x1b[K${final ? "\n" : ""}`);
    } else {
      stream.write(`${line}\n`);
    }
  };

  return {
    update(d: number, note?: string): void {
      done = Math.min(Math.max(0, d), total);
      lastNote = note;
      if (tty) {
        const t = now();
        if (t - lastDraw < 100 && done < total) return;
        lastDraw = t;
        draw(text(note), false);
        return;
      }
      if (total <= 0) return;
      const step = Math.floor((10 * done) / total);
      // The 100 % line is left to finish(), which adds the elapsed time.
      if (step >= nextStep && done < total) {
        nextStep = step + 1;
        draw(text(note), false);
      }
    },
    finish(note?: string): void {
      const elapsed = (now() - start) / 1000;
      const n = note ?? lastNote;
      const line = `${text(n)} in ${formatDuration(elapsed)}`;
      draw(line, true);
    },
  };
}
