/** Transient UI state (not persisted): which overlay is up. One overlay at a time. */
import { create } from 'zustand';

export type Overlay = 'none' | 'palette' | 'cheatsheet' | 'confirm-cancel';

export interface UiState {
  overlay: Overlay;
  /** Which top menu is open in the menu bar, if any. */
  openMenu?: string;
}

export const useUi = create<UiState>()(() => ({ overlay: 'none' }));

export const uiActions = {
  show: (overlay: Overlay) => useUi.setState({ overlay, openMenu: undefined }),
  toggle: (overlay: Overlay) => useUi.setState((s) => ({ overlay: s.overlay === overlay ? 'none' : overlay, openMenu: undefined })),
  hide: () => useUi.setState({ overlay: 'none' }),
  setMenu: (openMenu?: string) => useUi.setState({ openMenu }),
};
