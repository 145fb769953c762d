/**
 * Camera-motion clips: short frame sequences cut from a large canvas by a virtual camera that
 * pans, tilts, zooms or rolls (or stays), while objects optionally drift. Label = motion + strength.
 *
 *   const clip = sampleClip(new Prng('train:1:0'), { frames: 8, size: 32 });
 *   clip.frames[k]   // RgbImage
 *   clip.motion, clip.strength, clip.cameras[k]
 *
 * Conventions (screen space, y down): "pan right" moves the camera right, so content slides left;
 * "tilt up" moves it up, content slides down; "zoom in" narrows the view; "roll clockwise" turns
 * the camera clockwise, so content turns anticlockwise in the frame.
 */
import { COLOR_NAMES, MOTIONS, PATTERNS, SHAPES, SIZES, TEXTURES, type MotionName } from './attributes.ts';
import { floatImage, quantize, sampleBilinear, toFloat, type FloatImage, type RgbImage } from './image.ts';
import type { Prng } from './prng.ts';
import { renderScene } from './renderScene.ts';
import type { Scene, SceneObject } from './scene.ts';

export interface ClipCamera {
  /** View center on the canvas, in canvas pixels. */
  cx: number;
  cy: number;
  /** Canvas pixels per frame pixel (> 1 shows more of the canvas: zoomed out). */
  scale: number;
  /** Camera roll in radians, positive = clockwise. */
  roll: number;
}

export interface Clip {
  motion: MotionName;
  /** In [0, 1]: how far the camera moves over the clip, relative to the motion's maximum. */
  strength: number;
  objectsMoving: boolean;
  frames: RgbImage[];
  cameras: ClipCamera[];
  /** The canvas scene of frame 0 (objects move from there when objectsMoving). */
  canvas: Scene;
}

export interface ClipOptions {
  frames?: number;
  size?: number;
  motion?: MotionName;
  /** Probability that objects drift on the canvas. */
  movingObjects?: number;
}

/** Pan/tilt at full strength over a whole clip, in frame widths. */
const MAX_PAN = 0.75;
/** Zoom: the view scale changes by a factor of (1 + MAX_ZOOM) at full strength. */
const MAX_ZOOM = 0.8;
/** Roll at full strength over a whole clip, in radians. */
const MAX_ROLL = Math.PI / 3;

export function cameraPath(motion: MotionName, strength: number, frames: number, size: number, canvasSize: number): ClipCamera[] {
  const out: ClipCamera[] = [];
  const c = canvasSize / 2;
  for (let k = 0; k < frames; k++) {
    const t = frames === 1 ? 0 : k / (frames - 1) - 0.5; // −0.5 → 0.5, centered on the canvas
    const d = strength * t;
    const cam: ClipCamera = { cx: c, cy: c, scale: 1, roll: 0 };
    switch (motion) {
      case 'static':
        break;
      case 'pan left':
        cam.cx = c - d * MAX_PAN * size;
        break;
      case 'pan right':
        cam.cx = c + d * MAX_PAN * size;
        break;
      case 'tilt up':
        cam.cy = c - d * MAX_PAN * size;
        break;
      case 'tilt down':
        cam.cy = c + d * MAX_PAN * size;
        break;
      case 'zoom in':
        cam.scale = Math.pow(1 + MAX_ZOOM, -d);
        break;
      case 'zoom out':
        cam.scale = Math.pow(1 + MAX_ZOOM, d);
        break;
      case 'roll clockwise':
        cam.roll = d * MAX_ROLL;
        break;
      case 'roll anticlockwise':
        cam.roll = -d * MAX_ROLL;
        break;
    }
    out.push(cam);
  }
  return out;
}

function canvasScene(rng: Prng, canvasSize: number, frameSize: number): Scene {
  // About three objects per frame-sized area of canvas.
  const n = Math.round((3 * canvasSize * canvasSize) / (frameSize * frameSize)) + rng.int(4) - 2;
  const objects: SceneObject[] = [];
  for (let i = 0; i < n; i++) {
    const size = rng.pick(SIZES);
    objects.push({
      shape: rng.pick(SHAPES),
      color: rng.pick(COLOR_NAMES.filter((c) => c !== 'green')),
      pattern: rng.chance(0.6) ? 'solid' : rng.pick(PATTERNS),
      size,
      position: 'center',
      cx: rng.range(0.1, 0.9) * canvasSize,
      cy: rng.range(0.1, 0.9) * canvasSize,
      radius: (size === 'small' ? 0.1 : 0.16) * frameSize,
      rotation: rng.range(-0.3, 0.3),
      patternAngle: rng.range(0, Math.PI),
    });
  }
  // Textured backgrounds give the motion something to track everywhere, not only on objects.
  const texture = rng.pick(TEXTURES.filter((t) => t !== 'night'));
  return {
    width: canvasSize, height: canvasSize, background: { kind: 'texture', texture }, textureSeed: rng.nextU32(), objects,
    // Texture features keep their size relative to the frame, not to the larger canvas.
    textureScale: canvasSize / frameSize,
  };
}

/** Cut one frame: 2×2 supersampled bilinear lookups, which keeps zoomed-out frames from aliasing. */
function cutFrame(canvas: FloatImage, cam: ClipCamera, size: number): RgbImage {
  const out = floatImage(size, size);
  const px = [0, 0, 0];
  const cos = Math.cos(cam.roll);
  const sin = Math.sin(cam.roll);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0, g = 0, b = 0;
      for (let sy = 0; sy < 2; sy++) {
        for (let sx = 0; sx < 2; sx++) {
          const fx = (x + 0.25 + 0.5 * sx - size / 2) * cam.scale;
          const fy = (y + 0.25 + 0.5 * sy - size / 2) * cam.scale;
          // A clockwise camera roll maps frame offsets to canvas offsets rotated clockwise (y down).
          const u = cam.cx + fx * cos - fy * sin;
          const v = cam.cy + fx * sin + fy * cos;
          sampleBilinear(canvas, u, v, px);
          r += px[0];
          g += px[1];
          b += px[2];
        }
      }
      const i = (y * size + x) * 3;
      out.data[i] = r / 4;
      out.data[i + 1] = g / 4;
      out.data[i + 2] = b / 4;
    }
  }
  return quantize(out);
}

export function sampleClip(rng: Prng, opts: ClipOptions = {}): Clip {
  const frames = opts.frames ?? 8;
  const size = opts.size ?? 32;
  const motion = opts.motion ?? rng.pick(MOTIONS);
  const strength = motion === 'static' ? 0 : rng.range(0.35, 1);
  const objectsMoving = rng.chance(opts.movingObjects ?? 0.3);
  // Big enough for the widest single motion: zoomed out to 1.8 frame widths (pans reach
  // 0.875, rolls the half-diagonal 0.707), plus a margin.
  const canvasSize = Math.ceil(size * 2);
  const canvas = canvasScene(rng, canvasSize, size);
  const velocities = canvas.objects.map(() => [rng.normal(0, 0.04 * size), rng.normal(0, 0.04 * size)]);
  const cameras = cameraPath(motion, strength, frames, size, canvasSize);
  let still: FloatImage | null = null;
  const out: RgbImage[] = [];
  for (let k = 0; k < frames; k++) {
    let img: FloatImage;
    if (objectsMoving) {
      const moved: Scene = {
        ...canvas,
        objects: canvas.objects.map((o, i) => ({ ...o, cx: o.cx + velocities[i][0] * k, cy: o.cy + velocities[i][1] * k })),
      };
      img = toFloat(renderScene(moved, { supersample: 2 }).image);
    } else {
      still ??= toFloat(renderScene(canvas, { supersample: 2 }).image);
      img = still;
    }
    out.push(cutFrame(img, cameras[k], size));
  }
  return { motion, strength, objectsMoving, frames: out, cameras, canvas };
}
