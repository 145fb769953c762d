import { WorkspacePlaceholder } from '../WorkspacePlaceholder.tsx';

export function TextVisualnessWorkspace() {
  return (
    <WorkspacePlaceholder
      kind="visualness"
      method="TIP-CLIP visualness scoring with word attribution"
      planned={['Score how visual a prompt is, as you type', 'Highlight the words that carry the imagery', 'A score chip next to every prompt field in the studio']}
    />
  );
}
