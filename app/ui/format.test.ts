import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatPercent, formatRate } from './format.ts';

describe('format', () => {
  it('bytes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.50 KB');
    expect(formatBytes(25 * 1024 * 1024)).toBe('25.0 MB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.00 GB');
    expect(formatBytes(-1)).toBe('—');
  });
  it('durations', () => {
    expect(formatDuration(0.3)).toBe('<1s');
    expect(formatDuration(59.4)).toBe('59s');
    expect(formatDuration(65)).toBe('1m 05s');
    expect(formatDuration(7380)).toBe('2h 03m');
    expect(formatDuration(NaN)).toBe('—');
  });
  it('rates and percents', () => {
    expect(formatRate(3.21)).toBe('3.2 it/s');
    expect(formatRate(0)).toBe('');
    expect(formatPercent(0.256)).toBe('26%');
    expect(formatPercent(3)).toBe('100%');
  });
});
