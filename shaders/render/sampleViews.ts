/**
 * Per-iteration camera views of the mesh stylizer (xmesh.md §3.2): view 0 is the fixed "front"
 * view at `center`; views 1..n−1 draw elevation ~ N(e_c, (π/std)²) and azimuth ~ N(a_c, (2π/std)²),
 * unclamped (about a third of them look from the side or back, as in the reference).
 * Draw order follows Text2Mesh's torch code: all elevations first, then all azimuths.
 *
 *   const views = sampleViews(rng, 5);              // training: radius 2, fov π/3
 */

export interface ViewSpec {
  /** Radians; 0 puts the camera on +X (camera.ts). */
  azimuth: number;
  /** Radians above the XZ plane. */
  elevation: number;
  /** Camera distance to the origin (2 for training, 2.5 for evaluation renders). */
  radius: number;
  /** Vertical field of view, radians (π/3 training, π/4 evaluation). */
  fov: number;
}

export const TRAIN_RADIUS = 2;
export const TRAIN_FOV = Math.PI / 3;

export function sampleViews(
  rng: { normal(): number },
  n: number,
  center: { azimuth: number; elevation: number } = { azimuth: 0, elevation: 0 },
  std = 4,
): ViewSpec[] {
  if (n < 1) return [];
  const elev = [center.elevation];
  for (let i = 1; i < n; i++) elev.push(center.elevation + (rng.normal() * Math.PI) / std);
  const azim = [center.azimuth];
  for (let i = 1; i < n; i++) azim.push(center.azimuth + (rng.normal() * 2 * Math.PI) / std);
  return elev.map((elevation, i) => ({ azimuth: azim[i], elevation, radius: TRAIN_RADIUS, fov: TRAIN_FOV }));
}

/** The 24 fixed evaluation views of X-Mesh's MES/ITS scripts (xmesh.md §3.4): 8 azimuths × elevations −30°, 0°, +30°. */
export function evaluationViews(): ViewSpec[] {
  const out: ViewSpec[] = [];
  for (const e of [-30, 0, 30]) {
    for (let a = 0; a < 360; a += 45) out.push({ azimuth: (a * Math.PI) / 180, elevation: (e * Math.PI) / 180, radius: 2.5, fov: Math.PI / 4 });
  }
  return out;
}
