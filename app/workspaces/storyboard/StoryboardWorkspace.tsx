import { WorkspacePlaceholder } from '../WorkspacePlaceholder.tsx';

export function StoryboardWorkspace() {
  return (
    <WorkspacePlaceholder
      kind="storyboard"
      method="Modular-Cam: prompt → scenes + camera actions, motion modules, scene chaining"
      planned={['Timeline of shots with per-shot prompt, duration and camera move', 'Regenerate a single shot without touching the others', 'Per-scene and overall progress; video export with a recipe sidecar']}
    />
  );
}
