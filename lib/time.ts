// Durations the extension measures in days (QuickBooks' token lifetimes, its change window).

export const DAY = 86_400_000;
