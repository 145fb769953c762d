/**
 * Terminal progress bar for training (cli-progress): step k/n, loss, samples/s and ETA.
 * Rate is a moving average over recent steps so warm-up steps do not dominate.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  update(step: number, loss: number): void;
  stop(): void;
  /** Samples per second over the recent window. */
  readonly rate: number;
}

export function createProgress(total: number, batchSize: number, opts: { enabled?: boolean; start?: number; label?: string } = {}): Progress {
  const bar = new cliProgress.SingleBar({
    format: `${opts.label ?? 'train'} [{bar}] {value}/{total} | loss {loss} | {rate} samples/s | eta {eta_formatted}`,
    hideCursor: true,
    stream: process.stderr,
    noTTYOutput: false,
  }, cliProgress.Presets.shades_classic);
  const enabled = opts.enabled ?? process.stderr.isTTY === true;
  if (enabled) bar.start(total, opts.start ?? 0, { loss: '-', rate: '-' });
  const times: number[] = [performance.now()];
  let rate = 0;
  return {
    update(step, loss) {
      times.push(performance.now());
      if (times.length > 21) times.shift();
      const dt = (times[times.length - 1] - times[0]) / 1000;
      rate = dt > 0 ? ((times.length - 1) * batchSize) / dt : 0;
      if (enabled) bar.update(step, { loss: loss.toFixed(4), rate: rate.toFixed(1) });
    },
    stop() { if (enabled) bar.stop(); },
    get rate() { return rate; },
  };
}
