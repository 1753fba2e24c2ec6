/** "just now", "5 minutes ago", "3 days ago"; "never" for null. */
export function formatAgo(date: Date | null, now: Date = new Date()): string {
  if (!date) return "never";
  const s = Math.round((now.getTime() - date.getTime()) / 1000);
  if (s < 45) return "just now";
  const units: [number, string][] = [
    [60, "minute"],
    [3600, "hour"],
    [86400, "day"],
    [2592000, "month"],
    [31536000, "year"],
  ];
  let [size, name] = units[0]!;
  for (const unit of units) if (s >= unit[0]) [size, name] = unit;
  const n = Math.max(1, Math.round(s / size));
  return `${n} ${name}${n === 1 ? "" : "s"} ago`;
}

export const formatUtc = (date: Date) => `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
