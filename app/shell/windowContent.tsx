/** Which component fills each kind of window. Workspaces replace their placeholder in place. */
import type { ComponentType } from 'react';
import type { WindowKind } from '../state/windowKinds.ts';
import { CaptionWorkspace } from '../workspaces/caption/CaptionWorkspace.tsx';
import { ImageEditWorkspace } from '../workspaces/image-edit/ImageEditWorkspace.tsx';
import { ModelsWindow } from '../workspaces/models/ModelsWindow.tsx';
import { QueueWindow } from '../workspaces/queue/QueueWindow.tsx';
import { StoryboardWorkspace } from '../workspaces/storyboard/StoryboardWorkspace.tsx';
import { TextVisualnessWorkspace } from '../workspaces/visualness/TextVisualnessWorkspace.tsx';
import { MeshStylizeWorkspace } from '../workspaces/xmesh/MeshStylizeWorkspace.tsx';

export const WINDOW_CONTENT: Record<WindowKind, ComponentType> = {
  xmesh: MeshStylizeWorkspace,
  'image-edit': ImageEditWorkspace,
  storyboard: StoryboardWorkspace,
  visualness: TextVisualnessWorkspace,
  caption: CaptionWorkspace,
  queue: QueueWindow,
  models: ModelsWindow,
};
