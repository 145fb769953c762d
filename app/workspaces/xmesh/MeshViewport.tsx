/**
 * Live 3D view of the mesh being stylized (@react-three/fiber): the latest preview's displaced
 * positions and vertex colors, or the original gray mesh when "before" is shown. Flat shading with a
 * light from the upper right front, like the optimizer's SH lighting; orbit with the mouse.
 */
import { useEffect, useMemo } from 'react';
import { Canvas, useThree } from '@react-three/fiber';
import { BufferAttribute, BufferGeometry } from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';

export interface ViewportMesh {
  positions: Float32Array;
  indices: Uint32Array;
  colors: Float32Array;
}

function Controls() {
  const { camera, gl } = useThree();
  useEffect(() => {
    const c = new OrbitControls(camera, gl.domElement);
    c.enableDamping = false;
    return () => c.dispose();
  }, [camera, gl]);
  return null;
}

function StyledMesh({ mesh }: { mesh: ViewportMesh }) {
  const geometry = useMemo(() => {
    const g = new BufferGeometry();
    g.setAttribute('position', new BufferAttribute(mesh.positions, 3));
    g.setAttribute('color', new BufferAttribute(mesh.colors, 3));
    g.setIndex(new BufferAttribute(mesh.indices, 1));
    g.computeVertexNormals();
    return g;
  }, [mesh]);
  useEffect(() => () => geometry.dispose(), [geometry]);
  return (
    <mesh geometry={geometry}>
      <meshStandardMaterial vertexColors flatShading roughness={0.8} metalness={0} />
    </mesh>
  );
}

export function MeshViewport({ mesh, label }: { mesh?: ViewportMesh; label: string }) {
  return (
    <div className="xmesh-viewport" data-testid="xmesh-viewport" data-state={label} data-vertices={mesh ? mesh.positions.length / 3 : 0}>
      {/* Camera on +X like the optimizer's front view (azimuth 0, elevation 0), slightly raised. */}
      <Canvas camera={{ position: [2.2, 0.6, 0.4], fov: 45 }} gl={{ preserveDrawingBuffer: true, antialias: true }} dpr={1}>
        <color attach="background" args={['#ffffff']} />
        <ambientLight intensity={0.55} />
        <directionalLight position={[3, 3, 2]} intensity={1.6} />
        {mesh && <StyledMesh mesh={mesh} />}
        <Controls />
      </Canvas>
      <span className="xmesh-viewport-label">{label}</span>
    </div>
  );
}
