// Filled in by the premium-features work (issue 10).
export {};
