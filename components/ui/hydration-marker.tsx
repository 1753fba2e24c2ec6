"use client";
import { useEffect } from "react";

/** Sets <html data-hydrated> once React has hydrated: end-to-end tests wait for it before typing. */
export function HydrationMarker() {
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return null;
}
