/**
 * Orbit camera of the mesh stylizer (xmesh.md §3.1, kaolin conventions): position on a sphere of
 * radius r at elevation e / azimuth a, looking at the origin with +Y up, OpenGL view space
 * (the camera looks down −z), vertical FOV with aspect 1.
 *
 *   const cam = orbitCamera({ elevation: 0.3, azimuth: 1.2 });
 *   const viewPos = toViewSpace(cam, mesh.positions);
 */

export interface OrbitParams {
  /** Radians above the XZ plane. */
  elevation: number;
  /** Radians; a = 0, e = 0 puts the camera on +X. */
  azimuth: number;
  /** Distance to the origin (2 for training, 2.5 for evaluation renders). */
  radius?: number;
  /** Vertical field of view in radians (π/3 training, π/4 evaluation). */
  fov?: number;
}

export interface Camera {
  position: [number, number, number];
  /** Rows are the camera axes x_cam, y_cam, z_cam in world coordinates. */
  rotation: [number, number, number, number, number, number, number, number, number];
  fov: number;
}

function normalize(v: [number, number, number]): [number, number, number] {
  const l = Math.hypot(v[0], v[1], v[2]);
  return [v[0] / l, v[1] / l, v[2] / l];
}

function cross(a: readonly number[], b: readonly number[]): [number, number, number] {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

export function orbitCamera(p: OrbitParams): Camera {
  const r = p.radius ?? 2;
  const e = p.elevation;
  const a = p.azimuth;
  const position: [number, number, number] = [r * Math.cos(e) * Math.cos(a), r * Math.sin(e), r * Math.cos(e) * Math.sin(a)];
  const z = normalize([...position]);
  let x = cross([0, 1, 0], z);
  // Looking straight up or down: the up vector is parallel to z; pick a stable x axis instead.
  x = Math.hypot(x[0], x[1], x[2]) < 1e-9 ? [0, 0, 1] : normalize(x);
  const y = cross(z, x);
  return { position, rotation: [x[0], x[1], x[2], y[0], y[1], y[2], z[0], z[1], z[2]], fov: p.fov ?? Math.PI / 3 };
}

/** World positions (xyz triples) → view-space positions (camera looks down −z). */
export function toViewSpace(cam: Camera, positions: Float32Array): Float32Array {
  const out = new Float32Array(positions.length);
  const R = cam.rotation;
  const [px, py, pz] = cam.position;
  for (let i = 0; i < positions.length; i += 3) {
    const dx = positions[i] - px;
    const dy = positions[i + 1] - py;
    const dz = positions[i + 2] - pz;
    out[i] = R[0] * dx + R[1] * dy + R[2] * dz;
    out[i + 1] = R[3] * dx + R[4] * dy + R[5] * dz;
    out[i + 2] = R[6] * dx + R[7] * dy + R[8] * dz;
  }
  return out;
}
