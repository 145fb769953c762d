import { describe, expect, it } from 'vitest';
import { Prng } from '../../data/microworld/prng.ts';
import { isHeldOut } from '../../data/microworld/splits.ts';
import { meshGroup, sceneGroup } from './counterfactuals.ts';
import type { SampleSetSpec } from './samples.ts';

const spec: SampleSetSpec = { split: 'train', seed: 't', scenes: 0, meshes: 0, size: 32, templates: true };
const differing = (a: object, b: object) => Object.keys({ ...a, ...b }).filter((k) => (a as Record<string, unknown>)[k] !== (b as Record<string, unknown>)[k]);

describe('minimal pairs', () => {
  it('scene variants change exactly the shape, then exactly the pattern, and are never held out', () => {
    const rng = new Prng('cf-test');
    for (let g = 0; g < 40; g++) {
      const [base, shape, pattern] = sceneGroup(rng, spec, g);
      expect(differing(base.attrs, shape.attrs)).toEqual(['shape']);
      expect(differing(base.attrs, pattern.attrs)).toEqual(['pattern']);
      for (const s of [base, shape, pattern]) {
        expect(s.attrs.group).toBe(g);
        expect(isHeldOut(s.attrs)).toBe(false);
        expect(s.captions).toContain(`a photo of ${/^[aeiou]/.test(s.attrs.shape!) ? 'an' : 'a'} ${s.attrs.shape}`);
      }
      // Same picture apart from the object: the images differ, but not everywhere.
      let changed = 0;
      for (let i = 0; i < base.image.data.length; i++) if (base.image.data[i] !== shape.image.data[i]) changed++;
      expect(changed).toBeGreaterThan(0);
      expect(changed).toBeLessThan(base.image.data.length * 0.5);
    }
  });

  it('mesh variants keep mesh and view and change the material only', () => {
    const rng = new Prng('cf-mesh');
    for (let g = 0; g < 6; g++) {
      const group = meshGroup(rng, spec, g);
      expect(group).toHaveLength(3);
      expect(new Set(group.map((s) => s.attrs.mesh)).size).toBe(1);
      expect(new Set(group.map((s) => s.attrs.material)).size).toBe(3);
      for (const s of group) expect(isHeldOut(s.attrs)).toBe(false);
    }
  });
});
