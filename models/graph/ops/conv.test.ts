import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../builder.ts';
import { gradCheck, randU } from '../check/gradCheck.ts';
import { type ConvOpts, type ConvTransposeOpts, conv, convTranspose } from './conv.ts';

async function checkConv(xDims: number[], wDims: number[], o: ConvOpts, transposed = false, o2: ConvTransposeOpts = {}) {
  const b = new GraphBuilder('t');
  const x = b.input('x', 'float32', xDims);
  const w = b.input('w', 'float32', wDims);
  const nb = transposed ? wDims[1] * (o.group ?? 1) : wDims[0];
  const bias = b.input('bias', 'float32', [nb]);
  b.output(transposed ? convTranspose(b, x, w, bias, { ...o, ...o2 }) : conv(b, x, w, bias, o), 'out');
  const feeds = { x: randU(xDims, 41), w: randU(wDims, 42), bias: randU([nb], 43) };
  const r = await gradCheck(b.build(), { wrt: ['x', 'w', 'bias'], feeds, samples: 10 });
  expect(r.maxRelErr, JSON.stringify(r.worst)).toBeLessThan(1e-3);
  expect(r.fp32Islands).toEqual([]);
}

describe('Conv / ConvTranspose VJPs vs finite differences', () => {
  it('Conv 3x3, pads 1', () => checkConv([2, 3, 5, 5], [4, 3, 3, 3], { pads: [1, 1, 1, 1] }));
  it('Conv stride 2, asymmetric pads, odd size (output_padding needed)', () => checkConv([1, 2, 6, 7], [3, 2, 3, 2], { strides: [2, 2], pads: [1, 0, 0, 1] }));
  it('Conv dilation 2', () => checkConv([1, 2, 7, 6], [2, 2, 2, 3], { dilations: [2, 2] }));
  it('Conv groups 2 with stride 2 (patch-like)', () => checkConv([2, 4, 6, 6], [6, 2, 2, 2], { strides: [2, 2], group: 2 }));
  it('Conv depthwise (group = C)', () => checkConv([1, 3, 5, 4], [3, 1, 3, 3], { group: 3, pads: [1, 1, 1, 1] }));
  it('Conv 1-D', () => checkConv([2, 3, 7], [2, 3, 3], { strides: [2] }));
  it('ConvTranspose stride 2, pads 1, output_padding 1', () => checkConv([1, 3, 3, 4], [3, 2, 3, 3], { strides: [2, 2], pads: [1, 1, 1, 1] }, true, { outputPadding: [1, 1] }));
  it('ConvTranspose groups 2', () => checkConv([2, 4, 3, 3], [4, 1, 2, 2], { strides: [2, 2], group: 2 }, true));
});
