/**
 * Perspective coefficients with torchvision's semantics (F.perspective / _get_perspective_coeffs):
 * the 8 coefficients map an OUTPUT pixel position to the INPUT position it samples,
 *   x_in = (a x + b y + c) / (g x + h y + 1),   y_in = (d x + e y + f) / (g x + h y + 1),
 * solved so that each displaced corner (endpoint) maps back to its image corner (startpoint).
 * With four point pairs the least-squares system torchvision solves is square and exact.
 */

export type Point = [number, number];

/** torchvision's startpoints for an image of `w`×`h` pixels: TL, TR, BR, BL at pixel indices. */
export function cornerPoints(w: number, h: number): Point[] {
  return [[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]];
}

/** Coefficients [a, b, c, d, e, f, g, h] mapping endpoints → startpoints. */
export function perspectiveCoeffs(startpoints: Point[], endpoints: Point[]): number[] {
  if (startpoints.length !== 4 || endpoints.length !== 4) throw new Error('perspectiveCoeffs: need exactly 4 point pairs');
  const A: number[][] = [];
  const b: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = endpoints[i];
    const [u, v] = startpoints[i];
    A.push([x, y, 1, 0, 0, 0, -u * x, -u * y]);
    b.push(u);
    A.push([0, 0, 0, x, y, 1, -v * x, -v * y]);
    b.push(v);
  }
  return solve(A, b);
}

/** Gaussian elimination with partial pivoting (8×8, float64). */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(M[r][col]) > Math.abs(M[piv][col])) piv = r;
    if (Math.abs(M[piv][col]) < 1e-12) throw new Error('perspectiveCoeffs: degenerate corner configuration');
    [M[col], M[piv]] = [M[piv], M[col]];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = M[r][col] / M[col][col];
      if (f === 0) continue;
      for (let c = col; c <= n; c++) M[r][c] -= f * M[col][c];
    }
  }
  return M.map((row, i) => row[n] / row[i]);
}
