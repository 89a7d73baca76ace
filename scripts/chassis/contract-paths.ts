/** One entry of chassis.json `boundaries.immutable` / `boundaries.extensible`. */
export interface BoundaryEntry {
  /** Relative to the repository root; a trailing `/` means the folder and everything under it. */
  path: string;
  why: string;
  planned?: boolean;
}

/** The parts of chassis.json the tools read. */
export interface ChassisContract {
  name: string;
  version: string;
  boundaries: { immutable: BoundaryEntry[]; extensible: BoundaryEntry[] };
  policy: { publicWriteAllowList: { route: string; why: string }[] };
}

/** A changed file that lies on an immutable path, and the entry that seals it. */
export interface ImmutableTouch {
  file: string;
  boundary: BoundaryEntry;
}

/** True when `file` (a repository-relative path with `/` separators) is `entry.path` or lies under it. */
export function isUnder(file: string, entry: BoundaryEntry): boolean {
  return entry.path.endsWith('/') ? file.startsWith(entry.path) : file === entry.path;
}

/** The changed files that touch an immutable path, each with the entry that seals it (most specific first). */
export function immutableTouches(contract: ChassisContract, changedFiles: readonly string[]): ImmutableTouch[] {
  const touches: ImmutableTouch[] = [];
  for (const file of changedFiles) {
    const sealedBy = contract.boundaries.immutable.filter((entry) => isUnder(file, entry)).sort((a, b) => b.path.length - a.path.length)[0];
    if (sealedBy) touches.push({ file, boundary: sealedBy });
  }
  return touches;
}
