import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The order files start in. The slow ones start first so that the run does not end with one
 * worker busy for minutes while the other is idle; among them, the first needs the demo template
 * (it builds it, about a minute) and the next two do not, so the other worker keeps busy meanwhile.
 * Files not named here follow in Vitest's own order (slowest of the last run first).
 */
const FIRST = [
  /test\/e2e\/cabinet\.test\.ts$/,
  /scenario\.test\.ts$/,
  /test\/cli\.test\.ts$/,
  /test\/cli-demo\.test\.ts$/,
  /test\/e2e\/office-roles\.test\.ts$/,
  /test\/bill-run-crash\.test\.ts$/,
  /test\/cli-bill-run\.test\.ts$/,
  /test\/e2e\//,
  /billing\.property\.test\.ts$/,
  /sms\.restart\.test\.ts$/,
];

export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = FIRST.findIndex((re) => re.test(f.moduleId));
      return i < 0 ? FIRST.length : i;
    };
    return sorted
      .map((f, i) => ({ f, i, r: rank(f) }))
      .sort((a, b) => a.r - b.r || a.i - b.i)
      .map((x) => x.f);
  }
}
