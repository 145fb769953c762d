import { WorkspacePlaceholder } from '../WorkspacePlaceholder.tsx';

export function ImageEditWorkspace() {
  return (
    <WorkspacePlaceholder
      kind="image-edit"
      method="Latent diffusion + Dynamic Prompt Learning (null-text inversion, prompt-to-prompt edits)"
      planned={['Generate from a prompt with live latent previews', 'Edit by changing words; per-token cross-attention heatmaps', 'Accept / discard candidates from the staging area']}
    />
  );
}
