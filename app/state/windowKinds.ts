/**
 * Every kind of window the shell can open. One window per kind (a workspace is a singleton,
 * like Blender's editors): the kind is also the window id, which keeps persisted layouts stable.
 * Pure data — React components are looked up separately in app/shell/windowContent.tsx, so
 * stores and tests never import React.
 */
export const WORKSPACE_KINDS = ['xmesh', 'image-edit', 'storyboard', 'visualness', 'caption'] as const;
export const TOOL_KINDS = ['queue', 'models'] as const;
export const WINDOW_KINDS = [...WORKSPACE_KINDS, ...TOOL_KINDS] as const;

export type WorkspaceKind = (typeof WORKSPACE_KINDS)[number];
export type WindowKind = (typeof WINDOW_KINDS)[number];

export interface WindowKindInfo {
  title: string;
  /** One glyph for the dock / menus (no icon font: the app ships offline). */
  glyph: string;
  /** What the window is for, shown as the dock tooltip and in the palette. */
  blurb: string;
  defaultSize: { w: number; h: number };
}

export const WINDOW_INFO: Record<WindowKind, WindowKindInfo> = {
  xmesh: { title: 'Mesh Stylize', glyph: '◆', blurb: 'Stylize a 3D mesh from a text prompt (X-Mesh)', defaultSize: { w: 620, h: 440 } },
  'image-edit': { title: 'Image Edit', glyph: '▣', blurb: 'Generate an image, then edit it by changing words', defaultSize: { w: 620, h: 440 } },
  storyboard: { title: 'Storyboard', glyph: '▤', blurb: 'Prompt → scenes with camera moves → video', defaultSize: { w: 660, h: 440 } },
  visualness: { title: 'Text Visualness', glyph: '◐', blurb: 'How visual is a prompt, and which words carry it', defaultSize: { w: 560, h: 400 } },
  caption: { title: 'Caption', glyph: '❝', blurb: 'Fast captions and answers about an image', defaultSize: { w: 560, h: 420 } },
  queue: { title: 'Queue', glyph: '☰', blurb: 'Jobs: progress, cancel, reorder', defaultSize: { w: 460, h: 420 } },
  models: { title: 'Models', glyph: '⬢', blurb: 'Model manager: load, verify, cache, delete', defaultSize: { w: 600, h: 460 } },
};

export function isWindowKind(v: unknown): v is WindowKind {
  return typeof v === 'string' && (WINDOW_KINDS as readonly string[]).includes(v);
}
