"use client";

import { create } from "zustand";

// Client-only UI state shared across the dashboard shell.
type UiState = {
  navOpen: boolean;
  setNavOpen(open: boolean): void;
  toggleNav(): void;
};

export const useUiStore = create<UiState>((set) => ({
  navOpen: false,
  setNavOpen: (navOpen) => set({ navOpen }),
  toggleNav: () => set((state) => ({ navOpen: !state.navOpen })),
}));
