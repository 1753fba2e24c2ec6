/** Turns free text into an identifier: accents dropped, lower-case, runs of anything else → `separator`. */
export function toIdentifier(text: string, separator: "-" | "_", maxLength: number): string {
  const edges = new RegExp(`^${separator}+|${separator}+$`, "g");
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, separator)
    .replace(edges, "")
    .slice(0, maxLength)
    .replace(new RegExp(`${separator}+$`), "");
}
