import { WorkspacePlaceholder } from '../WorkspacePlaceholder.tsx';

export function MeshStylizeWorkspace() {
  return (
    <WorkspacePlaceholder
      kind="xmesh"
      method="X-Mesh (text-dynamic attention) mesh stylization, with Text2Mesh as the baseline"
      planned={['Drop a GLB/OBJ mesh and describe the style (“a vase made of red brick”)', 'Live 3D viewport that updates while the optimiser runs', 'Stylized variants in a staging strip; export GLB with the recipe embedded']}
    />
  );
}
