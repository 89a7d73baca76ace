/**
 * The base `chassis:check` compares with when no `--base` is given, resolved
 * the way git users expect: the current branch's upstream (`@{upstream}`,
 * what `git status` compares with), else the local `main`, else `origin/main`
 * (then the same for `master`). `undefined` when none is a commit here.
 *
 * @param git runs git with the given arguments and returns its standard
 *   output; throws when git exits with an error.
 */
export function defaultBase(git: (args: string[]) => string): string | undefined {
  try {
    return git(['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}']).trim();
  } catch {
    // No upstream (a branch never pushed, a detached HEAD, a copy without a remote).
  }
  return ['main', 'origin/main', 'master', 'origin/master'].find((ref) => {
    try {
      git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
      return true;
    } catch {
      return false;
    }
  });
}
