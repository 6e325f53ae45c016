import { runScenarioFile } from '../modules/scenario/scenario.runner.ts';

/** `hisob scenario run FILE`: prints the result JSON on stdout; returns the exit code. */
export async function runScenario(file: string): Promise<number> {
  const outcome = await runScenarioFile(file);
  if (outcome.stdout) process.stdout.write(outcome.stdout);
  if (outcome.stderr) process.stderr.write(outcome.stderr);
  return outcome.code;
}
