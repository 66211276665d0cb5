// Owned by the content service: block kinds and limits (filled in by the content-shape work).
export {};
