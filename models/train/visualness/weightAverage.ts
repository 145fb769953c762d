/**
 * Weight averaging for TIP-CLIP fine-tuning (recipe.ts):
 *  - `TailAverage`: the running mean of each parameter over the steps at or after `from`
 *    (a checkpoint average along the tail of the cosine schedule);
 *  - `averageWeights`: the uniform mean of several fine-tunes from the same start ("model soup"):
 *    runs that start from one pretrained encoder stay in one basin, so their average is a single
 *    encoder that is usually at least as good as the typical member and less seed-dependent.
 *
 *   const tail = new TailAverage(['w'], 400);  tail.add(step, (p) => trainer.value(p));  tail.mean('w');
 *   averageWeights([runA, runB, runC])          // Map name → element-wise mean
 */
export class TailAverage {
  private readonly sums = new Map<string, Float64Array>();
  count = 0;

  constructor(private readonly params: readonly string[], private readonly from: number) {}

  /** Add the current values if `step` ≥ `from`. */
  add(step: number, value: (name: string) => Float32Array): void {
    if (step < this.from) return;
    for (const p of this.params) {
      const v = value(p);
      let acc = this.sums.get(p);
      if (!acc) { acc = new Float64Array(v.length); this.sums.set(p, acc); }
      if (acc.length !== v.length) throw new Error(`TailAverage: '${p}' changed size (${acc.length} → ${v.length})`);
      for (let i = 0; i < v.length; i++) acc[i] += v[i];
    }
    this.count++;
  }

  mean(name: string): Float32Array {
    const acc = this.sums.get(name);
    if (!acc || !this.count) throw new Error(`TailAverage: nothing added for '${name}'`);
    return Float32Array.from(acc, (x) => x / this.count);
  }
}

export function averageWeights(members: readonly Map<string, Float32Array>[]): Map<string, Float32Array> {
  if (!members.length) throw new Error('averageWeights: no members');
  if (members.length === 1) return members[0];
  const out = new Map<string, Float32Array>();
  for (const [name, first] of members[0]) {
    const acc = new Float64Array(first.length);
    for (const m of members) {
      const v = m.get(name);
      if (!v || v.length !== first.length) throw new Error(`averageWeights: members disagree on '${name}'`);
      for (let i = 0; i < v.length; i++) acc[i] += v[i];
    }
    out.set(name, Float32Array.from(acc, (x) => x / members.length));
  }
  return out;
}
